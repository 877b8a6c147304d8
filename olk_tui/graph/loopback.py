"""A one-shot loopback HTTP listener that catches the browser's OAuth redirect.

It binds ``127.0.0.1`` on a free port, answers the first request that carries ``code`` or
``error`` with a short page, and hands its query parameters to the waiting sign-in. Other
requests (``/favicon.ico``) get 404. Nothing is logged: the query holds the auth code.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

_PAGE = (b"<!doctype html><title>olk-tui</title><p>Sign-in finished. You can close this "
         b"window and go back to the terminal.</p>")


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        query = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        if "code" not in query and "error" not in query:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(_PAGE)))
        self.end_headers()
        self.wfile.write(_PAGE)
        self.server.deliver(query)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the request line holds the authorization code."""


class _Server(HTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.result: dict[str, str] | None = None
        self.done = threading.Event()

    def deliver(self, query: dict[str, str]) -> None:
        if self.result is None:
            self.result = query
            self.done.set()


class LoopbackRedirect:
    """Context manager: ``.port`` to build the redirect URI, ``.wait(timeout)`` for the reply."""

    def __init__(self) -> None:
        self._server = _Server()
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="olk-oauth-redirect")

    def __enter__(self) -> LoopbackRedirect:
        self._thread.start()
        return self

    def wait(self, timeout: float) -> dict[str, str] | None:
        """The redirect's query parameters, or None after ``timeout`` seconds."""
        self._server.done.wait(timeout)
        return self._server.result

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
