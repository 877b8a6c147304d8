"""Test harness for the calendar engineer's emulator modules.

``make_emulator()`` returns the real ``Emulator(require_auth=False)`` with a frozen clock when
the core can be built; otherwise a minimal stand-in that routes requests through the same
``Router`` and handlers (so the tests still run over httpx while the core lands).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from olk_tui.emulator.clock import Clock
from olk_tui.emulator.router import BadRequestBody, Request, Response, Router, graph_error
from olk_tui.emulator.router import parse_prefer as _parse_prefer
from olk_tui.emulator.state import IdFactory, Mailbox

BASE = "https://graph.emulator.test/v1.0"
FROZEN = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # a Monday, 08:00 Pacific


class _StandIn:
    """Just enough of ``Emulator`` for the calendar routes."""

    def __init__(self, clock: Clock) -> None:
        from olk_tui.emulator import calendar, contacts, schedule, settings

        self.clock = clock
        self.ids = IdFactory()
        self.mailboxes: dict[str, Mailbox] = {}
        self.delta_epoch = 0
        self.router = Router()
        for module in (calendar, schedule, contacts, settings):
            module.register(self.router)

    def add_mailbox(self, address: str, name: str) -> Mailbox:
        box = Mailbox(address, name, ids=self.ids)
        self.mailboxes[address.lower()] = box
        return box

    @property
    def default_mailbox(self) -> Mailbox:
        return next(iter(self.mailboxes.values()))

    def mailbox(self, key: str) -> Mailbox | None:
        return self.mailboxes.get(key.lower())

    def expire_delta_tokens(self) -> None:
        self.delta_epoch += 1

    def transport(self) -> httpx.AsyncBaseTransport:
        return _Transport(self)


class _Transport(httpx.AsyncBaseTransport):
    def __init__(self, emu: _StandIn) -> None:
        self.emu = emu

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        parts = urlsplit(str(request.url))
        path = "/" + parts.path.strip("/").split("/", 1)[1]
        found = self.emu.router.match(request.method, path)
        req = Request(method=request.method, path=path, params={},
                      query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                      headers=request.headers, body=body, mailbox=None,
                      prefer=_parse_prefer(request.headers.get_list("prefer")),
                      emulator=self.emu, base_url=BASE)
        if found is None or isinstance(found, str):
            resp: Response = graph_error(400 if found else 404, "BadRequest", "no route", req)
        else:
            req.params = found.params
            req.prefix = found.prefix
            user = found.params.get("user")
            req.mailbox = self.emu.mailbox(user) if user else self.emu.default_mailbox
            try:
                resp = found.handler(req)
            except BadRequestBody as exc:
                resp = graph_error(400, "BadRequest", str(exc), req)
        return httpx.Response(resp.status, headers=resp.all_headers(), content=resp.content())


def make_emulator() -> Any:
    """A fresh emulator (real when available) with Megan and Adele and a frozen clock."""
    clock = Clock(frozen=FROZEN)
    try:
        from olk_tui.emulator.core import Emulator

        emu: Any = Emulator(require_auth=False, clock=clock)
    except ImportError:
        emu = _StandIn(clock)
    emu.add_mailbox("megan@contoso.example", "Megan Bowen")
    emu.add_mailbox("adele@contoso.example", "Adele Vance")
    return emu


def client(emu: Any, user: str | None = None) -> httpx.AsyncClient:
    """An AsyncClient on ``emu``; ``user`` targets ``/users/{user}`` instead of ``/me``."""
    base = BASE + (f"/users/{user}" if user else "/me")
    return httpx.AsyncClient(transport=emu.transport(), base_url=base)
