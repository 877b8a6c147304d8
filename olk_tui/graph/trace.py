"""HTTP trace for bug reports: one JSON line per Graph exchange, secrets redacted.

Enabled with ``OLK_TUI_HTTP_TRACE=FILE`` or ``Settings.http_trace``. A line holds the method,
the URL (sensitive query values replaced), status, duration, request-id, the Prefer headers
and the *keys* of a JSON request body (never values). Authorization headers, tokens, codes,
client secrets and pre-authenticated upload URLs never reach the file.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Query parameters whose values are secrets (compared case-insensitively).
SECRET_PARAMS = frozenset({
    "code", "access_token", "refresh_token", "id_token", "client_secret", "client_assertion",
    "password", "token", "authtoken", "sig", "signature", "secret", "key", "device_code",
    "assertion", "state", "code_verifier", "session_state",
})

REDACTED = "REDACTED"


def redact_url(url: str) -> str:
    """The URL with secret query values replaced by ``REDACTED`` (and no user:password)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable url>"
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = parse_qsl(parts.query, keep_blank_values=True)
    safe = [(k, REDACTED if k.lower() in SECRET_PARAMS else v) for k, v in query]
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(safe, safe="$,'()/:@"),
                       parts.fragment and REDACTED))


def body_keys(content: bytes) -> list[str]:
    """Top-level keys of a JSON object body (values are never recorded)."""
    if not content or len(content) > 5_000_000:
        return []
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return []
    if isinstance(data, dict):
        return sorted(str(k) for k in data)[:50]
    return []


class HttpTrace:
    """Appends trace lines to a file; failures to write never break a request."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    @classmethod
    def from_env(cls, configured: str = "") -> HttpTrace | None:
        """The trace the environment (``OLK_TUI_HTTP_TRACE``) or config asks for, if any."""
        target = os.environ.get("OLK_TUI_HTTP_TRACE") or configured
        return cls(target) if target else None

    def record(
        self,
        *,
        method: str,
        url: str,
        status: int,
        started: float,
        request_headers: Any,
        request_body: bytes = b"",
        response_headers: Any = None,
        error: str = "",
    ) -> None:
        """Write one line; ``started`` is a ``time.monotonic()`` value."""
        prefer = [v for k, v in request_headers.multi_items() if k.lower() == "prefer"] \
            if hasattr(request_headers, "multi_items") else []
        line: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "method": method,
            "url": redact_url(url),
            "status": status,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
            "request_id": (response_headers or {}).get("request-id", "") if response_headers
            is not None else "",
            "prefer": prefer,
            "body_keys": body_keys(request_body),
        }
        if error:
            line["error"] = error
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(line, separators=(",", ":")) + "\n")
        except OSError:
            pass
