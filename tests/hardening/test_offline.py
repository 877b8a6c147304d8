"""Offline: with the emulator's server stopped, reading works from the cache; the sync loop
backs off 1, 2, 4 ... up to 60 s (fake clock) and says it is offline; queued work survives a
restart and is sent once the network is back."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import httpx

from olk_tui.domain.errors import Offline
from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.operations import MarkRead
from olk_tui.emulator.core import Emulator
from olk_tui.sync.account import build_account
from olk_tui.sync.announce import Announcer
from olk_tui.sync.api import ListQuery
from olk_tui.sync.loop import WakeLoop
from olk_tui.sync.status import StatusTracker
from tests.sync.conftest import make_client, open_harness


class Clock:
    """A fake sleep that records waits; ``stop_after`` waits end the test's loop."""

    def __init__(self, stop_after: int) -> None:
        self.waits: list[float] = []
        self.done = asyncio.Event()
        self._stop_after = stop_after

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        if len(self.waits) >= self._stop_after:
            self.done.set()
            await asyncio.Event().wait()  # park here until cancelled
        await asyncio.sleep(0)


async def test_reading_works_from_the_cache_with_the_server_gone(tmp_path: Path) -> None:
    emu = Emulator.demo(size=40, seed=3)
    db = tmp_path / "offline.sqlite3"
    with emu.serve() as server:
        h = await open_harness(emu, server.base_url, db)
        await h.svc.engine.run_pass()
        inbox = FolderId(h.folder("inbox"))
        rows = await h.account.mail.window(ListQuery(folder_id=inbox), 0, 20)
        opened = await h.account.mail.message(rows[0].id)   # read once while online
        await h.account.close()  # type: ignore[misc]
    # the server is gone: a fresh process with the same cache
    dead = server.base_url
    h2 = await open_harness(emu, dead, db)
    try:
        with_server_gone = await h2.account.mail.window(ListQuery(folder_id=inbox), 0, 20)
        assert [r.id for r in with_server_gone] == [r.id for r in rows]
        assert len(with_server_gone) == 20
        assert (await h2.account.mail.count(ListQuery(folder_id=inbox))) >= 20
        again = await h2.account.mail.message(rows[0].id)
        assert again.body.content == opened.body.content
        assert [f.id for f in await h2.account.mail.folders()]
        try:
            await h2.account.mail.refresh(inbox)
        except Offline:
            pass  # a refresh may say so; it must not break the cached reads above
    finally:
        await h2.account.close()  # type: ignore[misc]


async def test_sync_loop_backs_off_up_to_60s_while_offline(tmp_path: Path) -> None:
    clock = Clock(stop_after=12)
    emu = Emulator.demo(size=10, seed=4)
    with emu.serve() as server:
        url = server.base_url
    client = make_client(url, httpx.AsyncHTTPTransport())  # nothing listens there any more
    account = build_account("off", client, tmp_path / "c.sqlite3", sleep=clock, debounce=0)
    services = account.services  # type: ignore[attr-defined]
    try:
        services.engine.start()
        await asyncio.wait_for(clock.done.wait(), timeout=30)
        assert services.status.online is False
    finally:
        await account.close()  # type: ignore[misc]
    assert clock.waits[:7] == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0]
    assert all(w == 60.0 for w in clock.waits[6:]) and max(clock.waits) == 60.0


async def test_backoff_resets_after_the_network_returns() -> None:
    clock = Clock(stop_after=8)
    outcomes = [Offline("down")] * 4 + [None] + [Offline("down")] * 10

    async def work() -> None:
        outcome = outcomes.pop(0)
        if outcome is not None:
            raise outcome

    loop = WakeLoop("t", work, StatusTracker(Announcer()), sleep=clock)
    loop.start()
    try:
        await asyncio.sleep(0)
        for _ in range(200):
            if len(clock.waits) == 4 and outcomes[0] is not None:
                loop.wake()  # after its success the loop waits to be woken: wake it
            if clock.done.is_set():
                break
            await asyncio.sleep(0)
    finally:
        await loop.close()
    assert clock.waits[:4] == [1.0, 2.0, 4.0, 8.0]
    assert clock.waits[4] == 1.0  # back to the start after a success


async def test_queued_work_survives_a_restart_and_is_sent_when_back(tmp_path: Path) -> None:
    emu = Emulator.demo(size=30, seed=6)
    db = tmp_path / "queue.sqlite3"
    with emu.serve() as server:
        h = await open_harness(emu, server.base_url, db)
        await h.svc.engine.run_pass()
        inbox = h.folder("inbox")
        target = next(m for m, d in sorted(h.mb.messages.items())
                      if d["parentFolderId"] == inbox and not d.get("isRead"))
        await h.account.close()  # type: ignore[misc]
    offline = await open_harness(emu, server.base_url, db)  # server gone
    try:
        await offline.account.mail.submit(MarkRead(message_ids=(MessageId(target),),
                                                   is_read=True))
        with contextlib.suppress(Offline):
            await offline.svc.runner.run_once()  # tries, cannot reach the server, keeps it
        pending = await offline.svc.store.run(lambda s: s.queue.pending_count())
        assert pending == 1
    finally:
        await offline.account.close()  # type: ignore[misc]
    assert not emu.default_mailbox.messages[target].get("isRead")
    with emu.serve() as back:
        h3 = await open_harness(emu, back.base_url, db)
        try:
            h3.svc.runner.start()
            for _ in range(500):
                if await h3.svc.store.run(lambda s: s.queue.pending_count()) == 0:
                    break
                h3.svc.runner.wake()
                await asyncio.sleep(0.01)
            assert await h3.svc.store.run(lambda s: s.queue.pending_count()) == 0
        finally:
            await h3.account.close()  # type: ignore[misc]
    assert emu.default_mailbox.messages[target].get("isRead") is True
