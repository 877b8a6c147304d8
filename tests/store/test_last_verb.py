"""The replied/forwarded columns: migration 5 from a version-4 cache (cheap on big caches,
rows kept), round trips, and older queued snapshots that lack the columns."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from olk_tui.domain.mail import LastVerb
from olk_tui.store import Store
from olk_tui.store.db import connect, migrate
from olk_tui.store.rows import COLUMNS

from .conftest import summary

WHEN = datetime(2026, 3, 12, 14, 2, tzinfo=UTC)


def _v4_cache(path: Path, rows: int) -> None:
    """A version-4 cache holding ``rows`` messages, written by the version-4 schema."""
    conn = connect(path, target_version=4)
    v4_columns = [c for c in COLUMNS if c not in ("last_verb", "last_verb_time")]
    conn.execute("BEGIN")
    conn.executemany(
        f"INSERT INTO messages (rk, {', '.join(v4_columns)}) "
        f"VALUES ({', '.join('?' * (len(v4_columns) + 1))})",
        [(i, f"m{i}", "inbox", f"Subject {i}", None, None, None, None, "[]", "[]", "p" * 200,
          None, None, 1, 0, "notFlagged", None, None, None, "normal", "[]", 0, "", "", "", "",
          "", "") for i in range(rows)])
    conn.execute("COMMIT")
    conn.close()


def test_migration_from_v4_keeps_rows_and_reads_no_mark(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _v4_cache(path, 3)
    store = Store(path)
    try:
        row = store.mail.summary("m1")
        assert row is not None and row.subject == "Subject 1"
        assert row.last_verb is LastVerb.NONE and row.last_verb_time is None
        assert store.mail.set_last_verb("m1", LastVerb.FORWARDED.value, WHEN)
        again = store.mail.summary("m1")
        assert again is not None and again.last_verb is LastVerb.FORWARDED
        assert again.last_verb_time == WHEN
    finally:
        store.close()


def test_migration_rewrites_no_row(tmp_path: Path) -> None:
    """ADD COLUMN touches the schema page only: the WAL after migrating 20,000 rows holds a
    handful of pages, not the table (the same as for 10 rows)."""
    sizes = []
    for rows in (10, 20_000):
        path = tmp_path / f"c{rows}.sqlite3"
        _v4_cache(path, rows)
        conn = connect(path, target_version=4)
        try:
            wal = Path(str(path) + "-wal")
            before = wal.stat().st_size if wal.exists() else 0
            assert migrate(conn, 5) == 5
            sizes.append(os.stat(wal).st_size - before)
        finally:
            conn.close()
    page = 4096
    assert sizes[1] <= sizes[0] + page
    assert sizes[1] < 10 * (page + 24) + 32


def test_round_trip_and_clear(store: Store) -> None:
    store.mail.upsert_messages([summary(1, last_verb=LastVerb.REPLIED_ALL, last_verb_time=WHEN),
                                summary(2)])
    one, two = store.mail.summary("m1"), store.mail.summary("m2")
    assert one is not None and one.last_verb is LastVerb.REPLIED_ALL
    assert one.last_verb_time == WHEN
    assert two is not None and two.last_verb is LastVerb.NONE
    window = store.mail.window(_flt(), 0, 10)
    assert {r.id: r.last_verb for r in window}["m1"] is LastVerb.REPLIED_ALL
    assert store.mail.set_last_verb("m1", "", None)
    cleared = store.mail.summary("m1")
    assert cleared is not None and cleared.last_verb is LastVerb.NONE
    assert not store.mail.set_last_verb("nope", "reply", WHEN)


def test_unknown_stored_verb_reads_as_none(store: Store) -> None:
    store.mail.upsert_messages([summary(1)])
    store.conn.execute("UPDATE messages SET last_verb = 'teleport' WHERE id = 'm1'")
    row = store.mail.summary("m1")
    assert row is not None and row.last_verb is LastVerb.NONE


def test_restore_row_from_an_older_snapshot(store: Store) -> None:
    """A delete queued by version 4 kept a snapshot without the new columns; reverting it
    still restores the message."""
    store.mail.upsert_messages([summary(1)])
    snap = store.mail.raw_rows(["m1"])[0]
    del snap["last_verb"], snap["last_verb_time"]
    store.mail.remove_messages(["m1"])
    store.mail.restore_row(snap)
    row = store.mail.summary("m1")
    assert row is not None and row.last_verb is LastVerb.NONE


def _flt():
    from olk_tui.store import MessageFilter

    return MessageFilter(folder_id="inbox")
