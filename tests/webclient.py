"""Signing in to the dashboard through Starlette's TestClient, shared by the web tests."""

from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def token(client: TestClient, path: str = "/login") -> str:
    m = TOKEN.search(client.get(path).text)
    assert m, f"no CSRF token on {path}"
    return m.group(1)


def login(client: TestClient, name: str, password: str) -> Any:
    return client.post("/login", data={"name": name, "password": password, "next": "/",
                                       "csrf_token": token(client)}, follow_redirects=False)
