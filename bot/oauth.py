"""OAuth2 access tokens for XOAUTH2 (IMAP and SMTP): Microsoft 365 (MSAL), Google (google-auth), any endpoint.

A `CachedToken` holds one access token and fetches a new one shortly before it expires, or at
once after the server refused it (`invalidate`). Fetching blocks (HTTP): the channels call it
from a worker thread.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC
from typing import Any, Literal

from bot.config import OAuth2, secret

logger = logging.getLogger(__name__)

Purpose = Literal["imap", "smtp"]
# Exchange Online: application permissions take the resource's .default scope; delegated
# (refresh-token) logins name the IMAP or SMTP permission. MSAL adds offline_access itself.
MICROSOFT_APP_SCOPE = "https://outlook.office365.com/.default"
MICROSOFT_DELEGATED = {"imap": "https://outlook.office.com/IMAP.AccessAsUser.All",
                       "smtp": "https://outlook.office.com/SMTP.Send"}
GOOGLE_SCOPE = "https://mail.google.com/"
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
HTTP_TIMEOUT = 30.0
MAX_MARGIN = 300.0  # refresh at most five minutes early


class OAuth2Error(Exception):
    """No access token could be had; the message says what to fix."""


Fetch = Callable[[], tuple[str, float]]  # -> (access token, lifetime in seconds)


class CachedToken:
    """One access token, refreshed before expiry (a fifth of its lifetime early, at most 5 minutes)."""

    def __init__(self, fetch: Fetch, user: str, clock: Callable[[], float] = time.time) -> None:
        self._fetch = fetch
        self.user = user
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0
        self._refresh_at = 0.0
        self.fetches = 0

    def token(self) -> str:
        """A valid access token, fetched now when none is held or it is due for refresh."""
        with self._lock:
            if self._token is None or self._clock() >= self._refresh_at:
                token, lifetime = self._fetch()
                now = self._clock()
                self._token, self._expires_at = token, now + lifetime
                self._refresh_at = now + lifetime - min(MAX_MARGIN, lifetime / 5)
                self.fetches += 1
                logger.info("oauth2: new access token for %s, valid %.0fs", self.user, lifetime)
            return self._token

    def invalidate(self) -> None:
        """The server refused the token: the next `token()` fetches a new one."""
        with self._lock:
            self._token = None

    def seconds_to_refresh(self) -> float | None:
        """Seconds until the held token is due for refresh (None when none is held)."""
        with self._lock:
            return None if self._token is None else self._refresh_at - self._clock()


def xoauth2(user: str, token: str) -> str:
    """The SASL XOAUTH2 initial response, base64 (Google's and Microsoft's XOAUTH2 protocol)."""
    return base64.b64encode(f"user={user}\x01auth=Bearer {token}\x01\x01".encode()).decode("ascii")


def token_source(o: OAuth2, username: str, purpose: Purpose) -> CachedToken:
    """The cached token for one channel's login, from its `oauth2` settings."""
    user = o.user or username
    fetch = {"microsoft": _microsoft, "google": _google, "generic": _generic}[o.provider](o, user, purpose)
    return CachedToken(fetch, user)


def _need(env_name: str, what: str) -> str:
    value = secret(env_name)
    if value is None:
        raise OAuth2Error(f"{what} is missing: set the environment variable {env_name}")
    return value


def _scopes(o: OAuth2, default: list[str]) -> list[str]:
    return list(o.scopes) or default


def _http(o: OAuth2) -> Any:
    """A requests session that trusts `ca_file` when one is set.

    requests lets $REQUESTS_CA_BUNDLE override a session's own `verify`, so the CA goes on each
    request instead; proxies from the environment still apply.
    """
    import requests

    class Session(requests.Session):
        def request(self, method: str, url: Any, *args: Any, **kw: Any) -> Any:
            if o.ca_file and kw.get("verify") is None:
                kw["verify"] = o.ca_file
            kw.setdefault("timeout", HTTP_TIMEOUT)
            return super().request(method, url, *args, **kw)

    return Session()


def _microsoft(o: OAuth2, user: str, purpose: Purpose) -> Fetch:
    import msal

    authority = f"{o.authority.rstrip('/')}/{o.tenant}"
    state: dict[str, Any] = {"refresh_token": None}
    http = _http(o)

    def app() -> Any:
        """A new MSAL app each time: its own token cache would hand back a token the server just refused."""
        client_secret = secret(o.client_secret_env)
        if o.flow == "client_credentials" and client_secret is None:
            raise OAuth2Error(f"the app registration's client secret is missing: set {o.client_secret_env}")
        # No instance discovery: the tenant's own authority needs none, and it would call out to
        # Microsoft's global endpoint whatever `authority` says.
        kw: dict[str, Any] = {"authority": authority, "http_client": http, "instance_discovery": False}
        return (msal.ConfidentialClientApplication(o.client_id, client_credential=client_secret, **kw)
                if client_secret else msal.PublicClientApplication(o.client_id, **kw))

    def fetch() -> tuple[str, float]:
        try:
            if o.flow == "client_credentials":
                result = app().acquire_token_for_client(scopes=_scopes(o, [MICROSOFT_APP_SCOPE]))
            else:
                rt = state["refresh_token"] or _need(o.refresh_token_env, "the refresh token")
                result = app().acquire_token_by_refresh_token(rt, scopes=_scopes(o, [MICROSOFT_DELEGATED[purpose]]))
                state["refresh_token"] = result.get("refresh_token") or rt  # Entra rotates them
        except (ValueError, OSError) as exc:  # MSAL raises ValueError for a bad authority or answer
            raise OAuth2Error(f"Microsoft sign-in at {authority} failed: {exc}") from exc
        return _from_answer(result, f"Microsoft sign-in at {authority}")

    return fetch


def _google(o: OAuth2, user: str, purpose: Purpose) -> Fetch:
    import google.auth.exceptions
    from google.auth.transport.requests import Request

    session = _http(o)
    state: dict[str, Any] = {"creds": None}

    def creds() -> Any:
        if state["creds"] is None:
            scopes = _scopes(o, [GOOGLE_SCOPE])
            if o.flow == "service_account":
                from google.oauth2 import service_account

                try:
                    # google-auth's functions are untyped.
                    sa = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
                        o.service_account_file, scopes=scopes, subject=user)
                except (OSError, ValueError) as exc:
                    raise OAuth2Error(f"cannot read the service account key {o.service_account_file}: {exc}") \
                        from exc
                state["creds"] = sa.with_token_uri(o.token_url) if o.token_url else sa
            else:
                from google.oauth2.credentials import Credentials

                state["creds"] = Credentials(  # type: ignore[no-untyped-call]
                    None, refresh_token=_need(o.refresh_token_env, "the refresh token"),
                    token_uri=o.token_url or GOOGLE_TOKEN_URL, client_id=o.client_id,
                    client_secret=secret(o.client_secret_env), scopes=scopes)
        return state["creds"]

    def fetch() -> tuple[str, float]:
        c = creds()
        try:
            c.refresh(Request(session))
        except google.auth.exceptions.GoogleAuthError as exc:
            raise OAuth2Error(f"Google token request failed: {exc}") from exc
        expiry = c.expiry.replace(tzinfo=UTC).timestamp() if c.expiry else time.time() + 3600
        return str(c.token), max(1.0, expiry - time.time())

    return fetch


def _generic(o: OAuth2, user: str, purpose: Purpose) -> Fetch:
    import requests

    http = _http(o)

    def fetch() -> tuple[str, float]:
        form = {"grant_type": o.flow, "client_id": o.client_id}
        client_secret = secret(o.client_secret_env)
        if client_secret:
            form["client_secret"] = client_secret
        if o.flow == "refresh_token":
            form["refresh_token"] = _need(o.refresh_token_env, "the refresh token")
        if o.scopes:
            form["scope"] = " ".join(o.scopes)
        try:
            resp = http.post(o.token_url, data=form, headers={"Accept": "application/json"})
            answer = resp.json()
        except (requests.RequestException, ValueError) as exc:
            raise OAuth2Error(f"token endpoint {o.token_url} failed: {exc}") from exc
        return _from_answer(answer if isinstance(answer, dict) else {}, f"token endpoint {o.token_url}")

    return fetch


def _from_answer(answer: dict[str, Any], where: str) -> tuple[str, float]:
    """(token, lifetime) from an RFC 6749 token response, or a plain-words error."""
    token = answer.get("access_token")
    if not token:
        why = answer.get("error_description") or answer.get("error") or "no access_token in the answer"
        raise OAuth2Error(f"{where} refused: {str(why).splitlines()[0]}")
    try:
        lifetime = float(answer.get("expires_in", 3600))
    except (TypeError, ValueError):
        lifetime = 3600.0
    return str(token), max(1.0, lifetime)
