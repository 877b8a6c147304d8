"""Calendar window membership: which fetched window holds which occurrence, and what a
window's tombstone removes (also for a cache upgraded from before membership was kept)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from olk_tui.domain.calendar import Event
from olk_tui.domain.ids import EventId
from olk_tui.store import Store
from olk_tui.store.db import connect

NOV = (datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
DEC = (datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


def event(eid: str, day: int, month: int = 11) -> Event:
    return Event(id=EventId(eid), subject=eid, start=datetime(2026, month, day, 9, tzinfo=UTC),
                 end=datetime(2026, month, day, 10, tzinfo=UTC))


def test_a_tombstone_removes_only_from_its_window(store: Store) -> None:
    with store.transaction():
        store.calendar.upsert_events([event("a", 10), event("b", 10, 12)])
        store.calendar.add_to_window(*NOV, ["a"])
        store.calendar.add_to_window(*DEC, ["b"])
        assert store.calendar.drop_from_window(*DEC, ["a"]) == set()
    assert store.calendar.event("a") is not None
    with store.transaction():
        assert store.calendar.drop_from_window(*NOV, ["a"]) == {"a"}
    assert store.calendar.event("a") is None
    assert store.calendar.window_members(*NOV) == set()


def test_an_upgraded_cache_knows_its_windows(tmp_path: Path) -> None:
    path = tmp_path / "v3.sqlite3"
    old = connect(path, target_version=3)
    old.execute("INSERT INTO events (id, start_utc, end_utc, data_json) VALUES "
                "('a', '2026-11-10T09:00:00+00:00', '2026-11-10T10:00:00+00:00', '{}')")
    old.execute("INSERT INTO event_windows (start_utc, end_utc) VALUES "
                "('2026-11-01T00:00:00+00:00', '2026-12-01T00:00:00+00:00')")
    old.close()
    store = Store(path)
    try:
        assert store.calendar.window_members(*NOV) == {"a"}
        with store.transaction():
            store.calendar.drop_from_window(*DEC, ["a"])
        assert store.calendar.window_members(*NOV) == {"a"}
    finally:
        store.close()
