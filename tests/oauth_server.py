"""An OAuth2 authorisation server on loopback for tests: it issues access tokens and introspects them.

The token endpoint speaks HTTPS (MSAL accepts nothing else) with a throwaway CA's certificate; it
answers Microsoft's discovery document and token requests, Google's refresh-token and
service-account (JWT bearer) grants, and plain client-credentials/refresh-token grants for a
generic endpoint. The introspection endpoint (RFC 7662) speaks plain HTTP for Dovecot's `oauth2`
passdb, and the test SMTP sink asks `check()` directly.
"""

from __future__ import annotations

import json
import secrets
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import trustme

TENANT = "00000000-0000-4000-8000-00000000fade"


@dataclass
class Issued:
    user: str
    expires_at: float
    grant: str
    scope: str


@dataclass
class TokenServer:
    ca: trustme.CA
    lifetime: float = 3600.0
    clients: dict[str, str] = field(default_factory=dict)  # client_id -> secret
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # refresh token -> user
    app_mailbox: str = ""  # the mailbox an app-only (client-credentials) token acts for
    google_key: Any = None  # the service account's public key (cryptography), for JWT bearer grants
    tokens: dict[str, Issued] = field(default_factory=dict)
    grants: list[dict[str, str]] = field(default_factory=list)
    introspections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> TokenServer:
        cert = self.ca.issue_cert("127.0.0.1", "localhost")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        self._https = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._https.socket = context.wrap_socket(self._https.socket, server_side=True)
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        for server in (self._https, self._http):
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        for server in (self._https, self._http):
            server.shutdown()
            server.server_close()

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self._https.server_address[1]}"

    @property
    def token_url(self) -> str:
        return f"{self.base}/token"

    @property
    def introspection_url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/introspect"

    def issue(self, user: str, grant: str, scope: str = "") -> dict[str, Any]:
        token = "at-" + secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = Issued(user, time.time() + self.lifetime, grant, scope)
        return {"access_token": token, "token_type": "Bearer", "expires_in": int(self.lifetime) or 1,
                "scope": scope}

    def check(self, token: str) -> str | None:
        """The user a live token belongs to, or None (unknown, revoked or expired)."""
        with self.lock:
            self.introspections += 1
            issued = self.tokens.get(token)
            return issued.user if issued and issued.expires_at > time.time() else None

    def revoke_all(self) -> None:
        with self.lock:
            self.tokens.clear()

    def grant(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Answer one token request (RFC 6749 section 5)."""
        with self.lock:
            self.grants.append(form)
        kind = form.get("grant_type", "")
        scope = form.get("scope", "")
        if kind == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            try:
                # google-auth signs for Google's token endpoint whatever token_uri it posts to.
                claims = jwt.decode(form.get("assertion", ""), self.google_key, algorithms=["RS256"],
                                    audience="https://oauth2.googleapis.com/token")
            except jwt.PyJWTError as exc:
                return 400, {"error": "invalid_grant", "error_description": str(exc)}
            return 200, self.issue(claims["sub"], kind, claims.get("scope", ""))
        client = form.get("client_id", "")
        if client not in self.clients or (self.clients[client] and form.get("client_secret") != self.clients[client]):
            return 401, {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret."}
        if kind == "client_credentials":
            return 200, self.issue(self.app_mailbox, kind, scope)
        if kind == "refresh_token":
            user = self.refresh_tokens.pop(form.get("refresh_token", ""), None)
            if user is None:
                return 400, {"error": "invalid_grant", "error_description": "refresh token expired or unknown"}
            answer = self.issue(user, kind, scope)
            rotated = "rt-" + secrets.token_urlsafe(16)
            with self.lock:
                self.refresh_tokens[rotated] = user
            return 200, {**answer, "refresh_token": rotated}
        return 400, {"error": "unsupported_grant_type"}


def _handler(server: TokenServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            if self.path.endswith("/v2.0/.well-known/openid-configuration"):
                tenant = self.path.split("/")[1]
                base = f"{server.base}/{tenant}"
                self._answer(200, {"token_endpoint": f"{base}/oauth2/v2.0/token",
                                   "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                                   "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
                                   "issuer": f"{base}/v2.0"})
            else:
                self._answer(404, {"error": "not_found"})

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()}
            if self.path == "/introspect":
                user = server.check(form.get("token", ""))
                self._answer(200, {"active": True, "username": user} if user else {"active": False})
            elif self.path.endswith("/token"):
                self._answer(*server.grant(form))
            else:
                self._answer(404, {"error": "not_found"})

    return Handler
