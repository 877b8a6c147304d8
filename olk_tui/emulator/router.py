"""Routing table, request/response objects and Graph's error envelope for the emulator.

How a feature module plugs in (the calendar engineer's ``calendar.py``, ``contacts.py``...):

.. code-block:: python

    from olk_tui.emulator.router import Request, Response, Router, graph_error

    def register(router: Router) -> None:
        router.add("GET", "/me/events/{id}", get_event)

    def get_event(req: Request) -> Response:
        event = req.mailbox.events.get(req.params["id"])
        if event is None:
            return graph_error(404, "ErrorItemNotFound",
                               "The specified object was not found in the store.", req)
        return Response.ok(event | {"@odata.context": req.context_url("events/$entity")})

``olk_tui.emulator.app.build_router`` imports every feature module it knows and calls its
``register(router)``; a module that does not exist yet is skipped. Patterns are written with
``/me/...`` and also match ``/users/{user}/...``; the router resolves ``req.mailbox`` for both.
Literal segments match case-insensitively (Graph does), ``{name}`` matches one segment, and the
OData key form ``mailFolders('id')`` is read as ``mailFolders/id``. Where two patterns match,
the one with literals earlier wins (``/me/messages/delta`` beats ``/me/messages/{id}``).

Handlers run under the emulator's state lock, so they may read and mutate ``req.mailbox``
freely; they must not block (no sleeps, no I/O).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import httpx

if TYPE_CHECKING:
    from olk_tui.emulator.state import Mailbox

Handler = Callable[["Request"], "Response"]

_PREFER_RE = re.compile(r'\s*([A-Za-z][\w.\-]*)\s*(?:=\s*("([^"]*)"|[^,;\s]*))?\s*[,;]?')
_KEY_SEGMENT = re.compile(r"^([^(]+)\('?(.*?)'?\)$")


def parse_prefer(values: list[str]) -> dict[str, str]:
    """``Prefer`` headers as a dict with lower-cased names: ``{"idtype": "ImmutableId"}``."""
    prefs: dict[str, str] = {}
    for value in values:
        for m in _PREFER_RE.finditer(value):
            name = m.group(1).lower()
            prefs[name] = m.group(3) if m.group(3) is not None else (m.group(2) or "")
    return prefs


class BadRequestBody(Exception):
    """The request body is not the JSON the handler needs (becomes a Graph 400)."""


class GraphError(Exception):
    """Raise from a handler (or a helper it calls) to answer with Graph's error envelope."""

    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


@dataclass
class Request:
    """One Graph request as a handler sees it.

    Attributes:
        method: upper-case HTTP method.
        path: the path after the version prefix, e.g. ``/me/messages/AAMk...``.
        params: path parameters from the pattern (``{"id": ...}``; ``user`` for /users/...).
        query: query parameters (last value wins; names kept as sent, e.g. ``$top``).
        headers: request headers (case-insensitive).
        body: raw body bytes.
        mailbox: the mailbox the path addresses (``None`` for non-mailbox routes).
        prefer: parsed ``Prefer`` header (lower-cased names).
        emulator: the owning ``Emulator`` (for cross-mailbox work such as delivery).
        base_url: scheme+host+version, e.g. ``https://graph.emulator.test/v1.0``.
        request_id: the server's request id (goes into errors and ``request-id``).
    """

    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    headers: httpx.Headers
    body: bytes
    mailbox: Mailbox | None
    prefer: dict[str, str]
    emulator: Any = None
    base_url: str = "https://graph.microsoft.com/v1.0"
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    prefix: str = "/me"
    #: the signed-in user's address from the bearer token (None without auth).
    user: str | None = None
    #: the token's client id (the app the budgets charge; None: no known token).
    app: str | None = None
    _json: Any = None

    @property
    def json(self) -> Any:
        """The body parsed as JSON (``None`` if empty); raises :class:`BadRequestBody`."""
        if self._json is None and self.body.strip():
            try:
                self._json = json.loads(self.body)
            except ValueError as exc:
                raise BadRequestBody("Unable to read JSON request payload.") from exc
        return self._json

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object (empty dict when no body); 400 otherwise."""
        data = self.json
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise BadRequestBody("Unable to read JSON request payload. Expected an object.")
        return data

    @property
    def immutable_ids(self) -> bool:
        """True when the request carries ``Prefer: IdType="ImmutableId"``."""
        return self.prefer.get("idtype", "").lower() == "immutableid"

    def context_url(self, fragment: str) -> str:
        """An ``@odata.context`` value: ``{base}/$metadata#{fragment}``."""
        return f"{self.base_url}/$metadata#{fragment}"

    def mailbox_url(self, rest: str) -> str:
        """An absolute URL for ``rest`` under the same mailbox prefix (``/me`` or ``/users/x``)."""
        return f"{self.base_url}{self.prefix}{rest}"


@dataclass
class Response:
    """What a handler returns: status, a JSON body or raw bytes, and headers."""

    status: int
    json: Any = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: internal: drop the connection instead of answering (fault injection).
    reset: bool = False

    @classmethod
    def ok(cls, payload: Any, status: int = 200, headers: dict[str, str] | None = None
           ) -> Response:
        """A JSON response."""
        return cls(status, json=payload, headers=dict(headers or {}))

    @classmethod
    def empty(cls, status: int = 204, headers: dict[str, str] | None = None) -> Response:
        """A response without a body (202 for sends, 204 for deletes)."""
        return cls(status, body=b"", headers=dict(headers or {}))

    def content(self) -> bytes:
        """The encoded body."""
        if self.body is not None:
            return self.body
        if self.json is None:
            return b""
        text = json.dumps(self.json, ensure_ascii=False, separators=(",", ":"))
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates (odd seed data) cannot be UTF-8: send them as JSON escapes.
            return json.dumps(self.json, separators=(",", ":")).encode("ascii")

    def all_headers(self) -> dict[str, str]:
        """Headers including Content-Type for JSON bodies."""
        headers = dict(self.headers)
        if self.json is not None and not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = (
                "application/json;odata.metadata=minimal;odata.streaming=true;"
                "IEEE754Compatible=false;charset=utf-8")
        return headers


def graph_error(status: int, code: str, message: str, request: Request | None = None, *,
                headers: dict[str, str] | None = None) -> Response:
    """Graph's error envelope: ``{"error": {"code", "message", "innerError": {...}}}``."""
    request_id = request.request_id if request else str(uuid.uuid4())
    client_id = request.headers.get("client-request-id", request_id) if request else request_id
    body = {"error": {
        "code": code,
        "message": message,
        "innerError": {
            "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "request-id": request_id,
            "client-request-id": client_id,
        },
    }}
    return Response(status, json=body, headers=dict(headers or {}))


def not_found(request: Request | None = None) -> Response:
    """Graph's 404 for a missing item."""
    return graph_error(404, "ErrorItemNotFound",
                       "The specified object was not found in the store.", request)


def bad_request(message: str, request: Request | None = None,
                code: str = "BadRequest") -> Response:
    """Graph's 400 (``BadRequest`` unless another code is given)."""
    return graph_error(400, code, message, request)


@dataclass
class _Route:
    method: str
    segments: list[str]
    handler: Handler
    mailbox: bool

    def score(self) -> tuple[int, ...]:
        return tuple(0 if s.startswith("{") else 1 for s in self.segments)


def split_path(path: str) -> list[str]:
    """Path segments, percent-decoded, with ``name('key')`` read as ``name``, ``key``."""
    out: list[str] = []
    for raw in path.strip("/").split("/"):
        if not raw:
            continue
        seg = unquote(raw)
        m = _KEY_SEGMENT.match(seg)
        if m:
            out.extend([m.group(1), m.group(2)])
        else:
            out.append(seg)
    return out


@dataclass
class Match:
    """A resolved route: handler, path params, and mailbox-ness of the route."""

    handler: Handler
    params: dict[str, str]
    mailbox: bool
    prefix: str


class Router:
    """Maps (method, path) to handlers; ``/me/...`` patterns also match ``/users/{user}/...``."""

    def __init__(self) -> None:
        self._routes: list[_Route] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        """Register ``handler`` for ``method`` on ``pattern`` (``/me/...`` or a literal path)."""
        segments = split_path(pattern)
        mailbox = bool(segments) and segments[0].lower() == "me"
        self._routes.append(_Route(method.upper(), segments, handler, mailbox))
        if mailbox:
            self._routes.append(
                _Route(method.upper(), ["users", "{user}", *segments[1:]], handler, True))

    def routes(self) -> list[tuple[str, str]]:
        """(method, pattern) pairs, for documentation and tests."""
        return [(r.method, "/" + "/".join(r.segments)) for r in self._routes]

    def match(self, method: str, path: str) -> Match | str | None:
        """The best route for ``method`` and ``path``; ``"method"`` if only the method
        is wrong; ``None`` if nothing matches the path."""
        segs = split_path(path)
        best: tuple[tuple[int, ...], _Route, dict[str, str]] | None = None
        path_matched = False
        for route in self._routes:
            params = _match_segments(route.segments, segs)
            if params is None:
                continue
            path_matched = True
            if route.method != method.upper():
                continue
            score = route.score()
            if best is None or score > best[0]:
                best = (score, route, params)
        if best is None:
            return "method" if path_matched else None
        route, params = best[1], best[2]
        prefix = "/me" if segs[0].lower() == "me" else f"/users/{params.get('user', '')}"
        return Match(route.handler, params, route.mailbox, prefix)


def _match_segments(pattern: list[str], segs: list[str]) -> dict[str, str] | None:
    if len(pattern) != len(segs):
        return None
    params: dict[str, str] = {}
    for p, s in zip(pattern, segs, strict=True):
        if p.startswith("{") and p.endswith("}"):
            params[p[1:-1]] = s
        elif p.lower() != s.lower():
            return None
    return params
