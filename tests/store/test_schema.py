"""Migrations from empty and from every earlier version; newer versions are refused."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from olk_tui.domain.errors import StoreError
from olk_tui.store import Store
from olk_tui.store.db import connect
from olk_tui.store.schema import SCHEMA_VERSION

from .conftest import summary


def test_fresh_database_is_current_private_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "a.sqlite3"
    store = Store(path)
    try:
        conn = store.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        store.close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


@pytest.mark.parametrize("start", range(SCHEMA_VERSION))
def test_migrates_from_every_earlier_version(tmp_path: Path, start: int) -> None:
    path = tmp_path / "old.sqlite3"
    old = connect(path, target_version=start)
    if start >= 1:
        old.execute("INSERT INTO folders (id, display_name) VALUES ('f1', 'Keep me')")
    old.close()
    store = Store(path)
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        store.mail.upsert_messages([summary(1)])
        store.queue.set_delta_link("x", "y")
        assert store.queue.delta_link("x") == "y"
        if start >= 1:
            assert store.mail.folder("f1") is not None
    finally:
        store.close()


def test_newer_version_is_refused_without_damage(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    conn = connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer olk-tui"):
        Store(path)
    assert path.read_bytes() == before


def test_garbage_file_gives_store_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        Store(path)
