"""The ``Emulator``: mailboxes, the request pipeline (faults, auth, routing, throttling) and the
ways to reach it (in-process httpx transports and a loopback HTTP server).

Authentication: by default Graph requests need ``Authorization: Bearer <token>`` with a token the
emulator's identity endpoints issued (or ``emu.identity.issue_token(address)`` minted in a test);
``/me`` is the token's user. Built with ``require_auth=False`` (what ``Emulator.demo()`` does for
the in-process demo) any or no token is accepted and ``/me`` is the default (first) mailbox.
``/users/{id-or-address}`` reaches any mailbox of the emulator either way.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from olk_tui.emulator.budgets import BudgetLimits, Budgets, throttled_response
from olk_tui.emulator.clock import Clock
from olk_tui.emulator.faults import FaultAction, FaultInjector
from olk_tui.emulator.router import (
    BadRequestBody,
    GraphError,
    Match,
    Request,
    Response,
    Router,
    graph_error,
    parse_prefer,
)
from olk_tui.emulator.state import IdFactory, Mailbox

log = logging.getLogger(__name__)

#: Environment variable holding a fault spec applied by the CLI and the demo.
FAULTS_ENV = "OLK_TUI_EMULATOR_FAULTS"
#: Outlook's per-mailbox concurrency limit (FACTS #15).
MAILBOX_CONCURRENCY = 4
_VERSIONS = ("v1.0", "beta")


@dataclass
class Exchange:
    """One request on its way through the pipeline (between ``begin`` and ``finish``)."""

    request: Request
    match: Match | None = None
    fault: FaultAction | None = None
    slot: str | None = None
    early: Response | None = None

    @property
    def delay(self) -> float:
        """Seconds to hold the request (a ``slow`` fault) before answering."""
        return self.fault.delay if self.fault else 0.0


class Emulator:
    """A stateful Microsoft Graph (v1.0 mail, calendar, contacts) and identity stand-in."""

    def __init__(self, *, require_auth: bool = True, clock: Clock | None = None,
                 fault_seed: int = 0, id_seed: str | int | None = None,
                 limits: BudgetLimits | None = None) -> None:
        from olk_tui.emulator.app import build_router
        from olk_tui.emulator.identity import Identity
        from olk_tui.emulator.odata import TokenStore

        self.lock = threading.RLock()
        self.require_auth = require_auth
        self.clock = clock or Clock()
        self.ids = IdFactory(seed=id_seed)
        self.mailboxes: dict[str, Mailbox] = {}
        self.faults = FaultInjector(seed=fault_seed)
        #: Outlook's 10,000 requests / 10 min and 150 MB / 5 min per app + mailbox.
        self.budgets = Budgets(self.clock, limits)
        self.identity = Identity(self)
        self.router: Router = build_router()
        self.tokens = TokenStore()
        self.delta_epoch = 0
        #: when True, message/folder delta repeats the previous round's changes (replays).
        self.delta_replays = False
        self.uploads: dict[str, Any] = {}
        self._inflight: dict[str, int] = {}
        self._inflight_lock = threading.Lock()
        self._batch_seq = itertools.count(1)

    # ------------------------------------------------------------ construction
    @classmethod
    def demo(cls, size: int = 3000, seed: int = 0, *, require_auth: bool = False) -> Emulator:
        """The generated demo mailbox for ``megan@contoso.example`` (deterministic per seed)."""
        emu = cls(require_auth=require_auth)
        emu.identity.auto_approve = True
        try:
            from olk_tui.emulator import demo as demo_module  # calendar engineer's builder
        except ImportError:
            demo_module = None  # type: ignore[assignment]
        if demo_module is not None and hasattr(demo_module, "build"):
            demo_module.build(emu, size=size, seed=seed)
        else:
            from olk_tui.emulator.sample import build_mail_sample

            build_mail_sample(emu, size=size, seed=seed)
        return emu

    @classmethod
    def from_seed_dir(cls, path: str | Path, *, require_auth: bool = False) -> Emulator:
        """A mailbox loaded from a ``--seed DIR`` folder (layout in ``seed.py``)."""
        from olk_tui.emulator.seed import load_seed_dir

        emu = cls(require_auth=require_auth)
        emu.identity.auto_approve = True
        load_seed_dir(emu, Path(path))
        return emu

    def load_faults_from_env(self) -> None:
        """Apply ``$OLK_TUI_EMULATOR_FAULTS`` if set (raises FaultSpecError when invalid)."""
        spec = os.environ.get(FAULTS_ENV, "").strip()
        if spec:
            self.faults.load_spec(spec)

    def add_mailbox(self, address: str, name: str, *, user_id: str | None = None,
                    kind: str = "work") -> Mailbox:
        """Add a mailbox (the first one added is the default ``/me`` without auth);
        ``kind`` is "work" (Microsoft 365) or "personal" (outlook.com)."""
        with self.lock:
            if address.lower() in self.mailboxes:
                raise ValueError(f"mailbox {address!r} exists")
            box = Mailbox(address, name, ids=self.ids, user_id=user_id, kind=kind)
            self.mailboxes[address.lower()] = box
            return box

    @property
    def default_mailbox(self) -> Mailbox:
        """The first mailbox (created as Megan Bowen's if there is none yet)."""
        if not self.mailboxes:
            self.add_mailbox("megan@contoso.example", "Megan Bowen")
        return next(iter(self.mailboxes.values()))

    def mailbox(self, id_or_address: str) -> Mailbox | None:
        """A mailbox by SMTP address or user id (case-insensitive)."""
        key = id_or_address.lower()
        box = self.mailboxes.get(key)
        if box is not None:
            return box
        for box in self.mailboxes.values():
            if box.user_id.lower() == key or box.me.get("userPrincipalName", "").lower() == key:
                return box
        return None

    def grant_send_as(self, owner: str, as_address: str) -> None:
        """Let ``owner`` send mail with ``from`` set to ``as_address`` (otherwise 403
        ErrorSendAsDenied, as Exchange answers without the Send As permission)."""
        box = self.mailbox(owner)
        if box is None:
            raise KeyError(owner)
        with self.lock:
            box.extra.setdefault("send_as", set()).add(as_address.lower())

    def expire_delta_tokens(self) -> None:
        """Test hook: every delta/skip token issued so far now answers 410 SyncStateNotFound."""
        with self.lock:
            self.delta_epoch += 1

    # --------------------------------------------------------------- transports
    def transport(self, *, sleep: Any = None) -> httpx.AsyncBaseTransport:
        """An in-process async httpx transport (answers any host)."""
        from olk_tui.emulator.transport import AsyncEmulatorTransport

        return AsyncEmulatorTransport(self, sleep=sleep)

    def sync_transport(self, *, sleep: Any = None) -> httpx.BaseTransport:
        """An in-process sync httpx transport (``sleep`` is used for slow faults)."""
        from olk_tui.emulator.transport import SyncEmulatorTransport

        return SyncEmulatorTransport(self, sleep=sleep)

    def serve(self, port: int = 0, host: str = "127.0.0.1") -> Any:
        """Start a threaded loopback HTTP server; returns it (``.base_url``, ``.close()``,
        usable as a context manager)."""
        from olk_tui.emulator.server import LoopbackServer

        return LoopbackServer(self, host=host, port=port)

    # ----------------------------------------------------------------- pipeline
    def begin(self, method: str, url: str, headers: httpx.Headers | dict[str, str],
              body: bytes) -> Exchange:
        """Parse, inject faults, authenticate, route and take a mailbox slot."""
        parts = urlsplit(url)
        headers = httpx.Headers(headers)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        path = parts.path or "/"
        segs = path.strip("/").split("/", 1)
        version = segs[0] if segs and segs[0] in _VERSIONS else ""
        sub = "/" + segs[1] if version and len(segs) > 1 else ("/" if version else path)
        origin = f"{parts.scheme or 'http'}://{parts.netloc or 'localhost'}"
        req = Request(
            method=method.upper(), path=sub, params={}, query=query, headers=headers,
            body=body, mailbox=None, prefer=parse_prefer(headers.get_list("prefer")),
            emulator=self, base_url=f"{origin}/{version or 'v1.0'}")
        ex = Exchange(req)
        ex.fault = self.faults.decide(req.method, sub, graph=bool(version))
        early = self._fault_response(ex)
        if early is not None:
            ex.early = early
            return ex
        if not version:
            ex.early = self._non_graph(req, origin, path)
            return ex
        ex.early = self._authenticate(req) or self._route(ex)
        return ex

    def finish(self, ex: Exchange) -> Response:
        """Run the handler under the state lock; apply after-the-fact faults and headers."""
        if ex.early is not None:
            resp = ex.early
        else:
            resp = self.dispatch(ex.request, ex.match)
            if ex.fault is not None and ex.fault.kind == "504" and ex.fault.after:
                resp = graph_error(504, "GatewayTimeout",
                                   "The gateway did not receive a timely response.", ex.request)
        resp.headers.setdefault("request-id", ex.request.request_id)
        resp.headers.setdefault(
            "client-request-id", ex.request.headers.get("client-request-id",
                                                        ex.request.request_id))
        return resp

    def release(self, ex: Exchange) -> None:
        """Give back the mailbox slot taken in ``begin``."""
        if ex.slot is not None:
            with self._inflight_lock:
                self._inflight[ex.slot] -= 1
            ex.slot = None

    def handle(self, method: str, url: str, headers: httpx.Headers | dict[str, str],
               body: bytes = b"", *, sleep: Any = None) -> Response:
        """The whole pipeline, blocking (``sleep`` is called for slow faults)."""
        ex = self.begin(method, url, headers, body)
        try:
            if ex.delay:
                (sleep or _blocking_sleep)(ex.delay)
            return self.finish(ex)
        finally:
            self.release(ex)

    def dispatch(self, req: Request, match: Match | None) -> Response:
        """Call the matched handler under the lock, turning errors into Graph errors."""
        if match is None:
            return graph_error(400, "BadRequest", "Resource not found for the segment.", req)
        with self.lock:
            try:
                return match.handler(req)
            except GraphError as exc:
                return graph_error(exc.status, exc.code, exc.message, req, headers=exc.headers)
            except BadRequestBody as exc:
                return graph_error(400, "BadRequest", str(exc), req)
            except Exception:
                log.exception("emulator handler failed for %s %s", req.method, req.path)
                return graph_error(500, "InternalServerError",
                                   "An internal server error occurred.", req)

    def try_slot(self, mailbox: Mailbox) -> str | None:
        """Take one of the mailbox's 4 concurrency slots; ``None`` when all are busy."""
        key = mailbox.address.lower()
        with self._inflight_lock:
            if self._inflight.get(key, 0) >= MAILBOX_CONCURRENCY:
                return None
            self._inflight[key] = self._inflight.get(key, 0) + 1
        return key

    def release_slot(self, key: str) -> None:
        """Give back a slot taken with :meth:`try_slot`."""
        with self._inflight_lock:
            self._inflight[key] -= 1

    # ------------------------------------------------------------------ helpers
    def _fault_response(self, ex: Exchange) -> Response | None:
        fault, req = ex.fault, ex.request
        if fault is None:
            return None
        if fault.kind == "reset":
            return Response(0, reset=True)
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
        if fault.kind == "429":
            return graph_error(429, "TooManyRequests", "Please retry again later.", req,
                               headers=headers)
        if fault.kind == "503":
            return graph_error(503, "ServiceUnavailable",
                               "The service is temporarily unavailable.", req, headers=headers)
        if fault.kind == "401":
            return graph_error(401, "InvalidAuthenticationToken",
                               "Access token has expired or is not yet valid.", req,
                               headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if fault.kind == "504" and not fault.after:
            return graph_error(504, "GatewayTimeout",
                               "The gateway did not receive a timely response.", req)
        return None

    def _non_graph(self, req: Request, origin: str, path: str) -> Response:
        from olk_tui.emulator.attachments import handle_upload

        req.base_url = origin
        if path.lower().startswith("/upload/"):
            req.path = path
            with self.lock:
                return handle_upload(req)
        with self.lock:
            return self.identity.handle(req, origin, path)

    def _authenticate(self, req: Request) -> Response | None:
        auth = req.headers.get("authorization", "")
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        req.app = self.identity.app_for(token) if token else None
        if not self.require_auth:
            user = self.identity.user_for(token) if token else None
            req.user = user
            return None
        if not token:
            return graph_error(401, "InvalidAuthenticationToken",
                               "Access token is empty.", req,
                               headers={"WWW-Authenticate": 'Bearer realm=""'})
        user, problem = self.identity.validate(token)
        if problem:
            return graph_error(401, "InvalidAuthenticationToken", problem, req,
                               headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        req.user = user
        return None

    def _route(self, ex: Exchange) -> Response | None:
        req = ex.request
        found = self.router.match(req.method, req.path)
        if found is None:
            seg = req.path.rstrip("/").rsplit("/", 1)[-1]
            return graph_error(400, "BadRequest", f"Resource not found for the segment '{seg}'.",
                               req)
        if found == "method":
            return graph_error(405, "Request_BadRequest",
                               "Specified HTTP method is not allowed for the request target.", req)
        assert isinstance(found, Match)
        ex.match = found
        req.params = found.params
        req.prefix = found.prefix
        if not found.mailbox:
            return None
        if "user" in found.params:
            box = self.mailbox(found.params["user"])
            if box is None:
                return graph_error(404, "ErrorInvalidUser",
                                   f"The requested user '{found.params['user']}' is invalid.", req)
        else:
            if self.require_auth and req.user is None:
                return graph_error(400, "BadRequest", "/me request is only valid with "
                                   "delegated authentication flow.", req)
            address = req.user
            box = self.mailbox(address) if address else None
            box = box or self.default_mailbox
        req.mailbox = box
        throttle = self.budgets.charge(req.app, box.address, req.method, len(req.body))
        if throttle is not None:
            return throttled_response(throttle, req)
        slot = self.try_slot(box)
        if slot is None:
            return graph_error(429, "ApplicationThrottled",
                               "Application is over its MailboxConcurrency limit.", req,
                               headers={"Retry-After": "1"})
        ex.slot = slot
        return None

    @contextlib.contextmanager
    def locked(self) -> Iterator[Emulator]:
        """Hold the state lock (for tests or tools that inspect state while serving)."""
        with self.lock:
            yield self


def _blocking_sleep(seconds: float) -> None:
    import time

    time.sleep(seconds)
