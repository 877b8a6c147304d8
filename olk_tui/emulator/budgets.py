"""Outlook's request and upload budgets per app id + mailbox pair (FACTS #15).

Graph allows one app **10,000 requests per 10 minutes** and **150 MB of upload (PATCH, POST
and PUT bodies) per 5 minutes** against one mailbox; going over on one mailbox (or with another
app) does not affect the others. Both are sliding windows on the emulator clock, so tests move
``emu.clock`` instead of sleeping. The app id is the bearer token's client id; a request without
a known token (the no-auth demo) belongs to one implicit app, :data:`IMPLICIT_APP`.

Every request that reaches a mailbox counts once, throttled ones included ("throttled requests
still count against usage", FACTS #18), so a client that retries before ``Retry-After`` stays
throttled. A request's body counts against the upload budget only when it is accepted.
``Retry-After`` is the whole number of seconds (rounded up, at least 1) until the window has
room again for this request.

429 bodies: over the request budget, the documented generic shape (sample ``throttling.1``:
``TooManyRequests`` with ``innerError.code`` "429"); over the upload budget,
``ApplicationThrottled`` "Application is over its IncomingBytes limit." as the service answers
it (observed in O365/python-o365#500; same shape as sample ``observed-errors.1``).
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from olk_tui.emulator.router import Request, Response, graph_error

if TYPE_CHECKING:
    from olk_tui.emulator.clock import Clock

MB = 1024 * 1024
#: The app of requests that carry no known token (``require_auth=False``).
IMPLICIT_APP = "implicit-app"
#: Methods whose bodies count as upload.
UPLOAD_METHODS = frozenset({"PATCH", "POST", "PUT"})


@dataclass
class BudgetLimits:
    """The limits (Graph's by default); tests build small ones.

    Attributes:
        requests: requests allowed per app + mailbox in ``request_window`` seconds.
        request_window: seconds of the sliding request window.
        upload_bytes: PATCH/POST/PUT body bytes allowed in ``upload_window`` seconds.
        upload_window: seconds of the sliding upload window.
    """

    requests: int = 10_000
    request_window: float = 600.0
    upload_bytes: int = 150 * MB
    upload_window: float = 300.0


@dataclass(frozen=True)
class Throttle:
    """Why a request was refused and how long to wait."""

    kind: str  # "requests" | "upload"
    retry_after: float

    @property
    def retry_after_header(self) -> str:
        """``Retry-After`` value: whole seconds, rounded up, at least 1."""
        return str(max(1, math.ceil(self.retry_after - 1e-9)))


@dataclass
class _Usage:
    requests: deque[float] = field(default_factory=deque)
    uploads: deque[tuple[float, int]] = field(default_factory=deque)
    upload_total: int = 0


class Budgets:
    """Sliding-window usage per (app id, mailbox address); thread-safe."""

    def __init__(self, clock: Clock, limits: BudgetLimits | None = None) -> None:
        self.clock = clock
        self.limits = limits or BudgetLimits()
        self._usage: dict[tuple[str, str], _Usage] = {}
        self._lock = threading.Lock()

    def charge(self, app: str | None, mailbox: str, method: str, size: int) -> Throttle | None:
        """Count one request (and its body if it uploads); a :class:`Throttle` when it is over.

        Args:
            app: the token's client id (``None``: the implicit app).
            mailbox: the mailbox address the request reaches.
            method: the HTTP method (PATCH/POST/PUT bodies are upload).
            size: body length in bytes.
        """
        now = self.clock.timestamp()
        limits = self.limits
        uploads = size if method.upper() in UPLOAD_METHODS else 0
        with self._lock:
            usage = self._usage.setdefault((app or IMPLICIT_APP, mailbox.lower()), _Usage())
            self._prune(usage, now)
            usage.requests.append(now)
            count = len(usage.requests)
            if count > limits.requests:
                # Room again once all but ``requests - 1`` of these (this one too) are out.
                oldest = usage.requests[count - limits.requests]
                return Throttle("requests", oldest + limits.request_window - now)
            if uploads and usage.upload_total + uploads > limits.upload_bytes:
                return Throttle("upload", self._upload_wait(usage, uploads, now))
            if uploads:
                usage.uploads.append((now, uploads))
                usage.upload_total += uploads
        return None

    def usage(self, app: str | None, mailbox: str) -> tuple[int, int]:
        """(requests, upload bytes) counted now in the windows of this app + mailbox."""
        with self._lock:
            usage = self._usage.get((app or IMPLICIT_APP, mailbox.lower()))
            if usage is None:
                return 0, 0
            self._prune(usage, self.clock.timestamp())
            return len(usage.requests), usage.upload_total

    def reset(self) -> None:
        """Forget all usage (a test or tool starting over)."""
        with self._lock:
            self._usage.clear()

    def _prune(self, usage: _Usage, now: float) -> None:
        limits = self.limits
        while usage.requests and usage.requests[0] <= now - limits.request_window:
            usage.requests.popleft()
        while usage.uploads and usage.uploads[0][0] <= now - limits.upload_window:
            usage.upload_total -= usage.uploads.popleft()[1]

    def _upload_wait(self, usage: _Usage, size: int, now: float) -> float:
        """Seconds until enough earlier uploads leave the window for ``size`` more bytes."""
        limit = self.limits.upload_bytes
        total = usage.upload_total
        for stamp, amount in usage.uploads:
            total -= amount
            if total + size <= limit:
                return stamp + self.limits.upload_window - now
        return self.limits.upload_window  # bigger than the whole budget: never fits


def throttled_response(throttle: Throttle, req: Request) -> Response:
    """Graph's 429 for a spent budget, with ``Retry-After``."""
    headers = {"Retry-After": throttle.retry_after_header}
    if throttle.kind == "upload":
        return graph_error(429, "ApplicationThrottled",
                           "Application is over its IncomingBytes limit.", req, headers=headers)
    resp = graph_error(429, "TooManyRequests", "Please retry again later.", req, headers=headers)
    assert resp.json is not None
    resp.json["error"]["innerError"].update(
        {"code": "429", "message": "Please retry after", "status": "429"})
    return resp
