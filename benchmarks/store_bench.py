"""Cache and sync figures: windows and FTS over a 100,000-message folder, request and byte
counts of a first sync, a no-change sync and 100 mark-read operations against the emulator.

``run()`` returns (metric, value, unit) rows; ``python -m benchmarks.store_bench`` prints them.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import MessageSummary, Recipient
from olk_tui.domain.operations import MarkRead
from olk_tui.store import MessageFilter, Store
from olk_tui.sync.windows import WindowCache

Row = tuple[str, float, str]
NAMES = ("Adele Vance", "Alex Wilber", "Diego Siciliani", "Grady Archie", "Isaiah Langer",
         "Johanna Lorenz", "Lee Gu", "Lidia Holloway", "Lynne Robbins", "Miriam Graham")
TOPICS = ("Quarterly report", "Lunch on Friday?", "Apollo milestone", "Invoice 4411",
          "Weekly digest", "Build failed on main", "Contract draft", "Team offsite plan")


def build(path: Path, count: int) -> None:
    """A cache with ``count`` messages in one folder (deterministic)."""
    base = datetime(2020, 1, 1, tzinfo=UTC)
    store = Store(path)
    try:
        with store.transaction():
            for start in range(0, count, 2000):
                rows = []
                for i in range(start, min(count, start + 2000)):
                    name = NAMES[i % len(NAMES)]
                    rows.append(MessageSummary(
                        id=MessageId(f"bench-{i}"), folder_id=FolderId("inbox"),
                        subject=f"{TOPICS[i % len(TOPICS)]} #{i}",
                        from_=Recipient(f"{name.split()[0].lower()}@contoso.example", name),
                        to=(Recipient("megan@contoso.example", "Megan Bowen"),),
                        preview=f"Hello Megan, message number {i} about "
                                f"{TOPICS[(i * 7) % len(TOPICS)].lower()}.",
                        received=base + timedelta(minutes=7 * i), is_read=i % 3 != 0,
                        # About four messages a conversation, two of them far apart.
                        conversation_id=f"conv-{(i // 2) % max(1, count // 4)}"))
                store.mail.upsert_messages(rows)
    finally:
        store.close()


def _median_us(fn: Callable[[], object], repeat: int = 25) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e6


def store_rows(count: int, label: str, directory: Path) -> list[Row]:
    """Window, count and FTS timings on a ``count``-message folder."""
    path = directory / f"bench-{count}.sqlite3"
    build(path, count)
    t = time.perf_counter()
    store = Store(path)
    inbox = MessageFilter(folder_id="inbox")
    first = store.mail.window(inbox, 0, 50)
    cold = (time.perf_counter() - t) * 1000
    assert len(first) == 50
    rows: list[Row] = [(f"cache {label}: open + first 50-row window", cold, "ms")]
    rows.append((f"cache {label}: first 50-row window (warm)",
                 _median_us(lambda: store.mail.window(inbox, 0, 50)), "µs"))
    cache = WindowCache()
    rows.append((f"cache {label}: last 50-row window (offset {count - 50})",
                 _median_us(lambda: (cache.clear(), cache.window(store, inbox, count - 50,
                                                                 50))), "µs"))
    mid = count // 2
    cache.window(store, inbox, mid, 50)
    rows.append((f"cache {label}: next window while scrolling at {mid}",
                 _median_us(lambda: cache.window(store, inbox, mid + 50, 50)), "µs"))
    rows.append((f"cache {label}: count (stored)",
                 _median_us(lambda: store.mail.count(inbox)), "µs"))
    rows.append((f"cache {label}: FTS newest 50 matches ('digest')",
                 _median_us(lambda: store.mail.search("digest", "inbox", 50), 10) / 1000, "ms"))
    rows.append((f"cache {label}: FTS rare word ('number 4242')",
                 _median_us(lambda: store.mail.search("number 4242", None, 50), 10) / 1000,
                 "ms"))
    rows += conversation_rows(store, label, count)
    store.close()
    return rows


def conversation_rows(store: Store, label: str, count: int) -> list[Row]:
    """Conversation view figures: windows of 50 heads at the top, middle and bottom, the count
    of conversations, one conversation's members and its position, unfiltered and unread."""
    inbox = MessageFilter(folder_id="inbox")
    unread = MessageFilter(folder_id="inbox", unread_only=True)
    total = store.mail.conversation_count(inbox)
    rows: list[Row] = [(f"conversations {label}: count ({total:,} conversations)",
                        _median_us(lambda: store.mail.conversation_count(inbox)), "µs")]
    for where, offset in (("top", 0), ("middle", total // 2), ("bottom", total - 50)):
        rows.append((f"conversations {label}: 50-head window at the {where}",
                     _median_us(lambda o=offset: store.mail.conversation_heads(inbox, o, 50)),
                     "µs"))
    key = store.mail.conversation_heads(inbox, total // 2, 1)[0].key
    rows.append((f"conversations {label}: members + position of one (middle)",
                 _median_us(lambda: (store.mail.conversation_members(inbox, key),
                                     store.mail.conversation_position(inbox, key))), "µs"))
    def grouped() -> int:
        store.mail._groups_cache = None  # measure the grouping pass, not the kept result
        return store.mail.conversation_count(unread)

    rows.append((f"conversations {label}: unread only, count (groups the matches)",
                 _median_us(grouped, 5) / 1000, "ms"))
    middle = store.mail.conversation_count(unread) // 2
    rows.append((f"conversations {label}: unread only, 50-head window in the middle "
                 "(after grouping)",
                 _median_us(lambda: store.mail.conversation_heads(unread, middle, 50)), "µs"))
    return rows


class _Counter(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests = 0
        self.bytes = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        response = await self.inner.handle_async_request(request)
        # Count what crosses the wire (compressed when the emulator gzips) and hand the raw
        # bytes on with their headers, so httpx decodes them exactly once.
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
        await response.aclose()
        self.bytes += len(raw) + len(request.content)
        return httpx.Response(response.status_code, headers=response.headers, content=raw,
                              request=request)


async def _sync_rows(count: int, directory: Path) -> list[Row]:
    from olk_tui.emulator.core import Emulator
    from olk_tui.graph.client import GraphClient
    from olk_tui.sync.account import build_account

    emu = Emulator.demo(size=count, seed=3)
    counter = _Counter(emu.transport())
    client = GraphClient("https://graph.emulator.test", transport=counter)
    account = build_account("bench", client, directory / "sync.sqlite3", debounce=0)
    svc = account.services  # type: ignore[attr-defined]
    try:
        await svc.start(account, background=False)
        counter.requests = counter.bytes = 0
        await svc.mail_sync.sync_folders()
        inbox = await svc.store.run(lambda s: s.mail.folder_id_by_well_known("inbox"))
        t = time.perf_counter()
        await svc.mail_sync.sync_folder(inbox)
        took = time.perf_counter() - t
        rows: list[Row] = [
            (f"sync: first sync of a {count:,}-message Inbox (with folder tree)",
             counter.requests, "requests"),
            (f"sync: first sync of a {count:,}-message Inbox, bytes", counter.bytes / 1e6, "MB"),
            (f"sync: first sync of a {count:,}-message Inbox, time (in-process)", took, "s")]
        counter.requests = counter.bytes = 0
        await svc.mail_sync.sync_folder(inbox)
        rows.append(("sync: no-change refresh of one folder", counter.requests, "requests"))
        rows.append(("sync: no-change refresh of one folder, bytes", counter.bytes / 1e3, "KB"))
        ids = await svc.store.run(lambda s: [m.id for m in s.mail.window(
            MessageFilter(folder_id=inbox, unread_only=True), 0, 100)])
        for mid in ids:
            await account.mail.submit(MarkRead(message_ids=(mid,)))
        counter.requests = 0
        await svc.runner.run_once()
        rows.append((f"sync: {len(ids)} mark-read operations", counter.requests, "requests"))
    finally:
        await account.close()  # type: ignore[misc]
    return rows


def run() -> list[Row]:
    """Every figure of this module."""
    with tempfile.TemporaryDirectory(prefix="olk-store-bench-") as tmp:
        directory = Path(tmp)
        rows = store_rows(10_000, "10k", directory)
        rows += store_rows(100_000, "100k", directory)
        rows += asyncio.run(_sync_rows(10_000, directory))
    return rows


if __name__ == "__main__":
    for metric, value, unit in run():
        print(f"{metric:<70} {value:>12.3f} {unit}")
