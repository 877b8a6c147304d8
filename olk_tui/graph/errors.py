"""Translate Graph responses and httpx transport failures into ``olk_tui.domain.errors``.

Graph's error envelope is ``{"error": {"code", "message", "innerError": {"request-id", ...}}}``
(``innerError``/``innererror`` may nest, ``requestId`` appears in some docs). Bodies are
untrusted: they may be HTML from a proxy, truncated JSON or empty, and none of that may raise
anything but a domain error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from olk_tui.domain.errors import (
    AuthRequired,
    BadRequest,
    Conflict,
    Forbidden,
    GraphError,
    NotFound,
    Offline,
    OutcomeUnknown,
    ServerError,
    SyncReset,
    Throttled,
)

#: Error codes that mean "the delta token is dead, start over" (compared case-insensitively).
SYNC_RESET_CODES = frozenset({"syncstatenotfound", "resyncrequired", "syncstateinvalid"})

_MAX_MESSAGE = 500


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """What could be read from an error body."""

    code: str = ""
    message: str = ""
    request_id: str = ""


def _clean(text: Any, limit: int = _MAX_MESSAGE) -> str:
    """Untrusted text to one bounded line (control characters dropped)."""
    if not isinstance(text, str):
        return ""
    out = "".join(ch if ch.isprintable() else " " for ch in text[: limit * 2])
    return " ".join(out.split())[:limit]


def _find_request_id(inner: Any, depth: int = 0) -> str:
    if not isinstance(inner, Mapping) or depth > 5:
        return ""
    for key in ("request-id", "requestId", "request_id"):
        if isinstance(inner.get(key), str):
            return inner[key]
    for key in ("innerError", "innererror", "InnerError"):
        found = _find_request_id(inner.get(key), depth + 1)
        if found:
            return found
    return ""


def parse_error_body(body: bytes | str | Any) -> ErrorInfo:
    """Read code, message and request-id from an error body of any shape; never raises."""
    data: Any = body
    if isinstance(body, bytes | str):
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return ErrorInfo()
    if not isinstance(data, Mapping):
        return ErrorInfo()
    err = data.get("error")
    if isinstance(err, str):
        # OAuth-style {"error": "invalid_grant", "error_description": "..."}
        return ErrorInfo(code=_clean(err, 100), message=_clean(data.get("error_description")))
    if not isinstance(err, Mapping):
        return ErrorInfo()
    inner = err.get("innerError", err.get("innererror"))
    return ErrorInfo(
        code=_clean(err.get("code"), 100),
        message=_clean(err.get("message")),
        request_id=_clean(_find_request_id(inner), 100),
    )


def parse_retry_after_header(headers: Mapping[str, str]) -> str | None:
    """The raw Retry-After value, if any (parsing lives in ``olk_tui.graph.retry``)."""
    value = headers.get("retry-after")
    return value if isinstance(value, str) else None


def _reason(status: int) -> str:
    return {
        400: "Bad request", 401: "Not signed in", 403: "Access denied", 404: "Not found",
        409: "Conflict", 410: "Gone", 412: "Changed on the server", 413: "Too large",
        429: "Too many requests", 500: "Server error", 502: "Bad gateway",
        503: "Service unavailable", 504: "Gateway timeout",
    }.get(status, f"HTTP {status}")


def error_for(
    status: int,
    headers: Mapping[str, str] | None = None,
    body: bytes | str | Any = b"",
    *,
    retry_after: float | None = None,
) -> GraphError:
    """The domain error for an HTTP error response.

    Args:
        status: HTTP status (>= 400, or a 2xx whose body was unusable).
        headers: response headers (case-insensitive mapping, e.g. ``httpx.Headers``).
        body: raw body bytes, text or already-parsed JSON.
        retry_after: parsed Retry-After seconds, for ``Throttled``.
    """
    headers = headers or {}
    info = parse_error_body(body)
    request_id = info.request_id or _clean(headers.get("request-id", ""), 100)
    message = info.message or _reason(status)
    kw: dict[str, Any] = {"status": status, "code": info.code, "request_id": request_id}
    code = info.code.lower()
    if status == 410 or code in SYNC_RESET_CODES:
        location = headers.get("location")
        return SyncReset(message, location=location if isinstance(location, str) else None, **kw)
    if status == 401:
        return AuthRequired(message, hint="Run 'olk-tui login' to sign in again.", **kw)
    if status == 403:
        return Forbidden(message, **kw)
    if status == 404:
        return NotFound(message, **kw)
    if status in (409, 412):
        return Conflict(message, **kw)
    if status == 503 and retry_after is not None:
        return Throttled(message, retry_after=retry_after, **kw)
    if status == 429 or code in {"toomanyrequests", "applicationthrottled",
                                 "activitylimitreached"}:
        return Throttled(message, retry_after=retry_after, **kw)
    if 400 <= status < 500:
        return BadRequest(message, **kw)
    return ServerError(message, **kw)


def error_for_response(response: Any, *, retry_after: float | None = None) -> GraphError:
    """``error_for`` applied to an ``httpx.Response`` whose body has been read."""
    try:
        content = response.content
    except Exception:  # a stream that was never read is still an error to map
        content = b""
    return error_for(response.status_code, response.headers, content, retry_after=retry_after)


def transport_error(exc: Exception, *, outcome_unknown: bool = False) -> GraphError:
    """The domain error for an httpx transport failure (no response at all).

    Args:
        exc: the httpx exception.
        outcome_unknown: the request may have reached the server (a non-idempotent POST that
            timed out while reading), so the caller must check before trying again.
    """
    kind = type(exc).__name__
    if outcome_unknown:
        return OutcomeUnknown(f"No answer from Microsoft Graph ({kind}); the request may "
                              "or may not have been carried out", code=kind)
    return Offline(f"Cannot reach Microsoft Graph ({kind})", code=kind)


class UnsafeUrl(GraphError):
    """A URL (usually a server-sent nextLink) points somewhere the token must not go."""
