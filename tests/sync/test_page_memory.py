"""A first sync holds one page of rows at a time: a written page is gone before the next one
is fetched (Graph's 1000-row pages are several MiB once parsed)."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from olk_tui.domain.ids import FolderId
from olk_tui.domain.mail import Folder
from olk_tui.graph.client import GraphClient
from olk_tui.store import AsyncStore
from olk_tui.sync.announce import Announcer
from olk_tui.sync.mailsync import MailSync
from olk_tui.sync.status import StatusTracker


class _Row(dict):  # type: ignore[type-arg]
    """A dict that can be weakly referenced, to see when the sync lets go of a row."""


class _PagedClient:
    """Three delta pages; records how many rows of earlier pages are alive at each fetch."""

    def __init__(self) -> None:
        self.refs: list[weakref.ref[_Row]] = []
        self.alive_at_fetch: list[int] = []

    def url_for(self, url: str) -> str:
        return url

    async def get_json(self, url: str, *, params: Any = None, headers: Any = None
                       ) -> dict[str, Any]:
        gc.collect()
        self.alive_at_fetch.append(sum(ref() is not None for ref in self.refs))
        page = len(self.alive_at_fetch) - 1
        rows = [_Row(id=f"m{page}-{i}", subject="s", isRead=True,
                     receivedDateTime=f"2024-01-0{page + 1}T00:00:0{i}Z") for i in range(3)]
        self.refs += [weakref.ref(r) for r in rows]
        body: dict[str, Any] = {"value": rows}
        if page < 2:
            body["@odata.nextLink"] = f"https://graph.example/v1.0/next/{page}"
        else:
            body["@odata.deltaLink"] = "https://graph.example/v1.0/delta"
        return body


async def test_mail_delta_drops_each_page_before_fetching_the_next(tmp_path: Path) -> None:
    store = AsyncStore(tmp_path / "c.sqlite3")
    try:
        await store.tx(lambda s: s.mail.upsert_folders([Folder(FolderId("f"), "Inbox")]))
        client = _PagedClient()
        announcer = Announcer()
        sync = MailSync(store, client, announcer, StatusTracker(announcer))  # type: ignore[arg-type]
        assert await sync.sync_folder("f") == 9
        assert client.alive_at_fetch == [0, 0, 0]
        assert await store.run(lambda s: s.queue.delta_link("messages:f")) == \
            "https://graph.example/v1.0/delta"
    finally:
        await asyncio.to_thread(store.close)


async def test_client_pages_keep_no_rows_of_a_page_the_caller_let_go() -> None:
    refs: list[weakref.ref[_Row]] = []
    alive: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        gc.collect()
        alive.append(sum(ref() is not None for ref in refs))
        page = len(alive)
        more = {"@odata.nextLink": f"https://graph.example/v1.0/p/{page}"} if page < 3 else {}
        return httpx.Response(200, json={"value": [{"id": f"{page}-{i}"} for i in range(3)],
                                         **more})

    client = GraphClient("https://graph.example", None,
                         transport=httpx.MockTransport(answer))

    async def consume(pages: AsyncIterator[Any]) -> int:
        seen = 0
        async for page in pages:
            tracked = [_Row(item) for item in page.items]
            page.items[:] = tracked  # the caller holds these rows only through the page
            refs.extend(weakref.ref(r) for r in tracked)
            seen += len(tracked)
            del page, tracked
        return seen

    assert await consume(client.pages("/me/mailFolders/delta")) == 9
    assert alive == [0, 0, 0]
    await client.aclose()
