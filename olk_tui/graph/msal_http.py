"""MSAL's ``http_client`` hook implemented over httpx.

MSAL wants a requests-like object with ``get``/``post`` returning ``status_code``, ``text``,
``headers`` and ``raise_for_status()``. Going through httpx lets tests and ``--demo`` hand MSAL
the emulator's in-process transport, and lets the loopback emulator (plain http) be used
although MSAL insists on https authorities: with ``loopback_http`` the client sends MSAL's
``https://127.0.0.1:PORT`` requests over http and shows MSAL https endpoint URLs back. That
rewrite is refused for any host that is not a loopback address.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class MsalHttpError(Exception):
    """An identity endpoint answered with an HTTP error MSAL asked us to raise."""

    def __init__(self, status: int, url: str) -> None:
        super().__init__(f"identity endpoint answered HTTP {status}")
        self.status_code = status
        self.url = url


class _Response:
    """The slice of a requests.Response that MSAL reads."""

    def __init__(self, status_code: int, text: str, headers: Mapping[str, str],
                 url: str) -> None:
        self.status_code = status_code
        self.text = text
        self.headers = dict(headers)
        self.url = url

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise MsalHttpError(self.status_code, self.url)


class MsalHttpClient:
    """A requests-like HTTP client for MSAL, backed by one ``httpx.Client``.

    Args:
        transport: an httpx sync transport (the emulator's in tests and demo).
        loopback_http: talk plain http to a loopback emulator presented to MSAL as https.
        timeout: seconds per request.
    """

    def __init__(self, transport: httpx.BaseTransport | None = None, *,
                 loopback_http: bool = False, timeout: float = 30.0) -> None:
        self.loopback_http = loopback_http
        self._http = httpx.Client(transport=transport, timeout=timeout, follow_redirects=False,
                                  headers={"User-Agent": "olk-tui"})

    def _real_url(self, url: str) -> str:
        if not self.loopback_http:
            return url
        parts = urlsplit(url)
        if parts.scheme == "https" and (parts.hostname or "") in LOOPBACK_HOSTS:
            return urlunsplit(("http", *parts[1:]))
        return url

    def _present(self, text: str, url: str) -> str:
        """Rewrite http endpoint URLs of a loopback OpenID configuration to https for MSAL."""
        if not self.loopback_http or not url.endswith("/.well-known/openid-configuration"):
            return text
        try:
            data = json.loads(text)
        except ValueError:
            return text
        if not isinstance(data, dict):
            return text
        for key, value in list(data.items()):
            if (key.endswith("_endpoint") or key == "jwks_uri") and isinstance(value, str):
                parts = urlsplit(value)
                if parts.scheme == "http" and (parts.hostname or "") in LOOPBACK_HOSTS:
                    data[key] = urlunsplit(("https", *parts[1:]))
        return json.dumps(data)

    def _wrap(self, response: httpx.Response, url: str) -> _Response:
        return _Response(response.status_code, self._present(response.text, url),
                         response.headers, url)

    def get(self, url: str, params: Any = None, headers: Any = None, **kwargs: Any) -> _Response:
        """GET for MSAL (extra keyword arguments such as ``timeout`` are ignored)."""
        response = self._http.get(self._real_url(url), params=params, headers=headers)
        return self._wrap(response, url)

    def post(self, url: str, params: Any = None, data: Any = None, headers: Any = None,
             **kwargs: Any) -> _Response:
        """POST a form (or raw data) for MSAL."""
        kw: dict[str, Any] = {"params": params, "headers": headers}
        if isinstance(data, dict):
            kw["data"] = data
        elif data is not None:
            kw["content"] = data if isinstance(data, bytes) else str(data).encode()
        response = self._http.post(self._real_url(url), **kw)
        return self._wrap(response, url)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()
