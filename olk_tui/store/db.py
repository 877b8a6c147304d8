"""Open an account's SQLite database safely and bring its schema up to date.

The file is created 0600, runs in WAL mode with ``synchronous=FULL`` (the operation queue and
outbox must survive a power cut), foreign keys on. A database written by a newer olk-tui is
refused with a clear ``StoreError`` and left untouched.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from olk_tui.domain.errors import StoreError
from olk_tui.store.schema import MIGRATIONS, SCHEMA_VERSION


def _create_private(path: Path) -> None:
    """Make sure the file exists with mode 0600 before SQLite opens it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)


def connect(path: Path | str, *, target_version: int = SCHEMA_VERSION) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at ``path``.

    Args:
        path: the database file, or ":memory:".
        target_version: migrate only up to this version (tests of old schemas use it).

    Raises:
        StoreError: the file is not a database, is from a newer version, or cannot be written.
    """
    name = str(path)
    if name != ":memory:":
        try:
            _create_private(Path(name))
        except OSError as exc:
            raise StoreError(f"cannot create the cache at {name}: {exc.strerror}") from None
    try:
        conn = sqlite3.connect(name, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the cache at {name}: {exc}") from None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the cache at {name} was written by a newer olk-tui (schema {version}, this "
                f"version knows up to {SCHEMA_VERSION}); upgrade olk-tui or use another "
                "data directory")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("PRAGMA cache_size=-16000")
        migrate(conn, target_version)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"the cache at {name} is not usable: {exc}") from None
    except StoreError:
        conn.close()
        raise
    return conn


def migrate(conn: sqlite3.Connection, target_version: int = SCHEMA_VERSION) -> int:
    """Apply the missing migrations, each in its own transaction; returns the new version."""
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    while version < target_version:
        script = MIGRATIONS[version]
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version += 1
    return version


def _statements(script: str) -> list[str]:
    """Split a migration into complete statements (triggers contain semicolons)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
