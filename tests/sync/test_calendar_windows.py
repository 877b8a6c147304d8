"""calendarView delta per month window: a window's tombstone only takes the event out of that
window; the row goes when no fetched window still holds it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from olk_tui.emulator.core import Emulator
from olk_tui.graph.client import json_object

from .conftest import Harness, fast_sleep, open_harness

NOV = (datetime(2032, 11, 1, tzinfo=UTC), datetime(2032, 12, 1, tzinfo=UTC))
DEC = (datetime(2032, 12, 1, tzinfo=UTC), datetime(2033, 1, 1, tzinfo=UTC))


class TombstoneInjector(httpx.AsyncBaseTransport):
    """Adds ``@removed`` items for ``inject`` ids to the next calendarView delta answer (a
    server that reports events the window never held, as the emulator once did)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.inject: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if not self.inject or not request.url.path.endswith("/calendarView/delta"):
            return response
        body = json.loads(await response.aread())
        body["value"] = [*body.get("value", []), *(
            {"id": i, "@removed": {"reason": "deleted"}} for i in self.inject)]
        self.inject = []
        headers = {k: v for k, v in response.headers.items()
                   if k.lower() not in ("content-length", "content-encoding")}
        return httpx.Response(response.status_code, headers=headers, json=body,
                              request=request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
def emu() -> Emulator:
    """An empty mailbox: no demo series running into the test months."""
    emulator = Emulator(require_auth=False)
    emulator.default_mailbox  # noqa: B018 (creates it)
    return emulator


@pytest.fixture
async def hw(emu: Emulator, tmp_path: Path) -> AsyncIterator[tuple[Harness, TombstoneInjector]]:
    injector = TombstoneInjector(emu.transport(sleep=fast_sleep))
    harness = await open_harness(emu, "https://graph.emulator.test", tmp_path / "w.sqlite3",
                                 injector)
    try:
        yield harness, injector
    finally:
        await harness.account.close()  # type: ignore[misc]


def _when(day: datetime, hour: int) -> dict[str, str]:
    return {"dateTime": day.replace(hour=hour, tzinfo=None).isoformat(), "timeZone": "UTC"}


async def _create(h: Harness, subject: str, day: datetime) -> str:
    data = json_object(await h.svc.client.request("POST", "/me/events", json={
        "subject": subject, "start": _when(day, 9), "end": _when(day, 10)}))
    return str(data["id"])


async def _ids(h: Harness, window: tuple[datetime, datetime]) -> list[str]:
    return [e.id for e in await h.svc.store.run(lambda s: s.calendar.events(*window))]


async def test_a_december_tombstone_keeps_a_november_event(
        hw: tuple[Harness, TombstoneInjector]) -> None:
    h, injector = hw
    nov_id = await _create(h, "November review", datetime(2032, 11, 15, tzinfo=UTC))
    dec_id = await _create(h, "December party", datetime(2032, 12, 15, tzinfo=UTC))
    await h.svc.pim_sync.sync_window(*NOV)
    await h.svc.pim_sync.sync_window(*DEC)
    assert await _ids(h, NOV) == [nov_id]
    assert await _ids(h, DEC) == [dec_id]
    injector.inject = [nov_id]
    await h.svc.pim_sync.sync_window(*DEC)  # a delta round that tombstones the Nov event
    assert await _ids(h, NOV) == [nov_id]
    assert await _ids(h, DEC) == [dec_id]
    # a tombstone from the window that does hold it takes it away
    injector.inject = [nov_id]
    await h.svc.pim_sync.sync_window(*NOV)
    assert await _ids(h, NOV) == []


@pytest.mark.parametrize("order", ["nov-first", "dec-first"])
async def test_an_event_moved_to_december_shows_once_in_december(
        hw: tuple[Harness, TombstoneInjector], order: str) -> None:
    h, _ = hw
    moving = await _create(h, "Moving", datetime(2032, 11, 20, tzinfo=UTC))
    await h.svc.pim_sync.sync_window(*NOV)
    await h.svc.pim_sync.sync_window(*DEC)
    assert await _ids(h, NOV) == [moving]
    day = datetime(2032, 12, 3, tzinfo=UTC)
    await h.svc.client.request("PATCH", f"/me/events/{moving}",
                               json={"start": _when(day, 9), "end": _when(day, 10)})
    windows = [NOV, DEC] if order == "nov-first" else [DEC, NOV]
    for window in windows:
        await h.svc.pim_sync.sync_window(*window)
    assert await _ids(h, NOV) == []
    assert await _ids(h, DEC) == [moving]
    event = await h.svc.store.run(lambda s: s.calendar.event(moving))
    assert event is not None and event.start.day == 3


async def test_an_event_deleted_on_the_server_disappears(
        hw: tuple[Harness, TombstoneInjector]) -> None:
    h, _ = hw
    doomed = await _create(h, "Doomed", datetime(2032, 11, 30, tzinfo=UTC))
    await h.svc.pim_sync.sync_window(*NOV)
    await h.svc.pim_sync.sync_window(*DEC)
    await h.svc.client.request("DELETE", f"/me/events/{doomed}")
    await h.svc.pim_sync.sync_window(*DEC)
    await h.svc.pim_sync.sync_window(*NOV)
    assert await h.svc.store.run(lambda s: s.calendar.event(doomed)) is None


async def test_an_event_across_the_month_boundary_survives_one_windows_tombstone(
        hw: tuple[Harness, TombstoneInjector]) -> None:
    h, injector = hw
    data: dict[str, Any] = json_object(await h.svc.client.request("POST", "/me/events", json={
        "subject": "Overnight", "start": {"dateTime": "2032-11-30T22:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2032-12-01T02:00:00", "timeZone": "UTC"}}))
    both = str(data["id"])
    await h.svc.pim_sync.sync_window(*NOV)
    await h.svc.pim_sync.sync_window(*DEC)
    injector.inject = [both]
    await h.svc.pim_sync.sync_window(*NOV)  # Nov says it left; Dec still holds it
    assert await _ids(h, DEC) == [both]
