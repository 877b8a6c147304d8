"""Contract: every message request that carries the replied/forwarded expand (delta, search,
get) uses query options Graph's OpenAPI lists for that path, expands a navigation property the
message entity has, and names the two MAPI properties by id."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx

from olk_tui.domain.ids import MessageId
from olk_tui.emulator.core import Emulator
from olk_tui.graph.mapping.mail import LAST_VERB_EXPAND
from tests.graph.openapi import load
from tests.graph.test_endpoints_contract import match_spec

from .conftest import fast_sleep, open_harness

SPEC = load()


class Recorder(httpx.AsyncBaseTransport):
    """Keeps every request URL on its way to the emulator."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.urls: list[tuple[str, httpx.URL]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append((request.method, request.url))
        return await self.inner.handle_async_request(request)


async def test_expand_requests_follow_the_spec(emu: Emulator, tmp_path: Path) -> None:
    rec = Recorder(emu.transport(sleep=fast_sleep))
    h = await open_harness(emu, "https://graph.emulator.test", tmp_path / "c.sqlite3", rec)
    try:
        await h.svc.engine.run_pass()
        inbox = h.folder("inbox")
        mid = MessageId(next(iter(h.mb.sorted_ids(inbox))))
        await h.svc.store.tx(lambda s: s.mail.remove_messages([mid]))  # not cached: fetched
        await h.account.mail.search_server("the", None)
        await h.account.mail.message(mid)
    finally:
        await h.account.close()  # type: ignore[misc]
    expanded = 0
    message = SPEC.properties("microsoft.graph.message")
    for method, url in rec.urls:
        params = dict(parse_qsl(urlsplit(str(url)).query))
        if "$expand" not in params:
            continue
        expanded += 1
        allowed = match_spec(method, str(url).replace("https://graph.emulator.test", ""))
        assert set(params) <= allowed, url
        for item in re.split(r",(?![^(]*\))", params["$expand"]):
            assert item.split("(")[0] in message, item
        assert LAST_VERB_EXPAND in params["$expand"], url
    paths = [urlsplit(str(u)).path for m, u in rec.urls if "%24expand" in str(u)
             or "$expand" in str(u)]
    assert any(p.endswith("/messages/delta") for p in paths)
    assert any(p.endswith("/me/messages") for p in paths)  # the server search
    assert any(p.endswith(f"/messages/{mid}") for p in paths)
    assert expanded >= 3
