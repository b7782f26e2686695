"""A small client for Superset's REST API (standard library only, local servers only).

It logs in with a user name and password (POST /api/v1/security/login), fetches a CSRF token
(GET /api/v1/security/csrf_token/, which also sets the session cookie the token belongs to) and
sends both the bearer token and the CSRF token on every later request. Every request has a
timeout; the client refuses any host other than 127.0.0.1 / localhost.
"""

from __future__ import annotations

import http.cookiejar
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


class SupersetError(Exception):
    """A request that Superset answered with an error, or did not answer."""

    def __init__(self, message: str, status: int | None = None, body: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


def rison(value: Any) -> str:
    """Encode dicts, lists, strings, numbers, booleans and None as Rison (the API's `q=` format)."""
    if value is None:
        return "!n"
    if value is True:
        return "!t"
    if value is False:
        return "!f"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        if value and all(c.isalnum() or c in "-_./~" for c in value) and not value[0].isdigit() \
                and value[0] not in "-":
            return value
        return "'" + value.replace("!", "!!").replace("'", "!'") + "'"
    if isinstance(value, (list, tuple)):
        return "!(" + ",".join(rison(v) for v in value) + ")"
    if isinstance(value, dict):
        return "(" + ",".join(f"{rison(str(k))}:{rison(v)}" for k, v in value.items()) + ")"
    raise TypeError(f"cannot encode {type(value).__name__} as rison")


class SupersetClient:
    """One logged-in session against a Superset server on this machine."""

    def __init__(self, base_url: str, timeout: float = 60.0) -> None:
        host = urllib.parse.urlsplit(base_url).hostname
        if host not in LOCAL_HOSTS:
            raise ValueError(f"refusing to talk to {base_url}: only 127.0.0.1 is allowed")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self._cookies))
        self._access_token: str | None = None
        self._csrf_token: str | None = None

    # -- plumbing ---------------------------------------------------------------------------

    def request(self, method: str, path: str, payload: Any = None, *, q: Any = None,
                params: dict[str, str] | None = None, expect: tuple[int, ...] = (200, 201)) -> Any:
        """Send one request; return the decoded JSON body, or raise SupersetError."""
        query = dict(params or {})
        if q is not None:
            query["q"] = rison(q)
        url = self.base_url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        headers = {"Accept": "application/json", "Referer": self.base_url + "/"}
        data = None
        if payload is not None:
            data = json.dumps(payload).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if self._access_token:
            headers["Authorization"] = f"Bearer {self._access_token}"
        if self._csrf_token:
            headers["X-CSRFToken"] = self._csrf_token
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with self._opener.open(req, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        except (urllib.error.URLError, socket.timeout, ConnectionError) as exc:
            raise SupersetError(f"{method} {path}: no answer from {self.base_url} ({exc})") from None
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        if status not in expect:
            raise SupersetError(f"{method} {path} answered {status}: {_short(body)}", status, body)
        return body

    def login(self, username: str, password: str) -> None:
        body = self.request("POST", "/api/v1/security/login",
                            {"username": username, "password": password, "provider": "db",
                             "refresh": False}, expect=(200,))
        self._access_token = body["access_token"]
        self._csrf_token = self.request("GET", "/api/v1/security/csrf_token/")["result"]

    # -- helpers ----------------------------------------------------------------------------

    def find(self, resource: str, column: str, value: Any) -> list[dict[str, Any]]:
        """Rows of /api/v1/<resource>/ whose ``column`` equals ``value``."""
        body = self.request("GET", f"/api/v1/{resource}/",
                            q={"filters": [{"col": column, "opr": "eq", "value": value}],
                               "page_size": 100})
        return list(body.get("result", []))

    def sql(self, database_id: int, sql: str, schema: str | None = None) -> list[dict[str, Any]]:
        """Run one statement in SQL Lab (synchronously) and return its rows."""
        body = self.request("POST", "/api/v1/sqllab/execute/", {
            "database_id": database_id,
            "sql": sql,
            "schema": schema,
            "runAsync": False,
            "select_as_cta": False,
            "queryLimit": 10_000,
            "client_id": _client_id(),
            "tab": "news-warehouse",
            "expand_data": True,
        })
        if body.get("status") not in ("success", None):
            raise SupersetError(f"SQL Lab query failed: {_short(body)}", body=body)
        return list(body.get("data") or [])


def _client_id() -> str:
    import secrets
    return secrets.token_hex(5)  # SQL Lab keeps at most 11 characters


def _short(body: Any) -> str:
    text = body if isinstance(body, str) else json.dumps(body)
    return text if len(text) <= 500 else text[:500] + "..."
