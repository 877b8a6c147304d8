"""The durable operation queue, the undo log, delta links and small key/value state.

Queue rows hold the operation (``domain.operations.to_json``) and a snapshot of the rows it
changed, so the runner can coalesce (compare the end state with the state before the first
pending change) and revert a permanent failure exactly.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from olk_tui.domain.operations import Operation, from_json, to_json

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class QueuedOp:
    """One pending operation as stored."""

    seq: int
    op: Operation
    snapshot: list[dict[str, Any]]
    attempts: int = 0
    last_error: str = ""


def _now() -> str:
    return datetime.now(UTC).isoformat()


class QueueStore:
    """Operation queue, undo log, delta links, key/value state."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._db = conn

    # ------------------------------------------------------------------ queue

    def append(self, op: Operation, snapshot: list[dict[str, Any]]) -> int:
        """Add an operation to the end of the queue; returns its sequence number."""
        cur = self._db.execute(
            "INSERT INTO op_queue (op_json, snapshot_json, created_at) VALUES (?,?,?)",
            (to_json(op), json.dumps(snapshot, ensure_ascii=False), _now()))
        return int(cur.lastrowid or 0)

    def pending(self, limit: int = 1000) -> list[QueuedOp]:
        """The oldest pending operations, in order. Rows that no longer parse are dropped."""
        out: list[QueuedOp] = []
        for seq, op_json, snap, attempts, err in self._db.execute(
                "SELECT seq, op_json, snapshot_json, attempts, last_error FROM op_queue "
                "ORDER BY seq LIMIT ?", (limit,)).fetchall():
            try:
                op = from_json(op_json)
            except (ValueError, TypeError, KeyError):
                # Unreadable (corrupt, or written by a newer olk-tui): it cannot be sent, and
                # keeping it would block every operation behind it.
                log.warning("dropping unreadable queued operation %d", seq)
                self._db.execute("DELETE FROM op_queue WHERE seq = ?", (seq,))
                continue
            out.append(QueuedOp(seq, op, json.loads(snap or "[]"), attempts, err))
        return out

    def pending_count(self) -> int:
        """How many operations wait to be sent."""
        return int(self._db.execute("SELECT count(*) FROM op_queue").fetchone()[0])

    def remove(self, seqs: list[int]) -> None:
        """Drop finished (sent or reverted) operations."""
        self._db.executemany("DELETE FROM op_queue WHERE seq = ?", [(s,) for s in seqs])

    def replace(self, seq: int, op: Operation, snapshot: list[dict[str, Any]],
                attempts: int) -> None:
        """Rewrite a queued row in place (keeps its position in the queue)."""
        self._db.execute("UPDATE op_queue SET op_json = ?, snapshot_json = ?, attempts = ? "
                         "WHERE seq = ?", (to_json(op), json.dumps(snapshot, ensure_ascii=False),
                                           attempts, seq))

    def note_attempt(self, seqs: list[int], error: str) -> None:
        """Count a failed attempt."""
        self._db.executemany("UPDATE op_queue SET attempts = attempts + 1, last_error = ? "
                             "WHERE seq = ?", [(error[:500], s) for s in seqs])

    # ------------------------------------------------------------------ undo

    def push_undo(self, op: Operation, inverse: list[Operation], keep: int = 50) -> None:
        """Remember how to undo ``op`` (the newest ``keep`` entries are kept)."""
        self._db.execute(
            "INSERT INTO undo_log (op_json, inverse_json, created_at) VALUES (?,?,?)",
            (to_json(op), json.dumps([to_json(i) for i in inverse]), _now()))
        self._db.execute("DELETE FROM undo_log WHERE seq <= (SELECT max(seq) FROM undo_log) - ?",
                         (keep,))

    def pop_undo(self) -> tuple[Operation, list[Operation]] | None:
        """Take the newest undo entry: (the operation, its inverse operations)."""
        row = self._db.execute("SELECT seq, op_json, inverse_json FROM undo_log "
                               "ORDER BY seq DESC LIMIT 1").fetchone()
        if row is None:
            return None
        self._db.execute("DELETE FROM undo_log WHERE seq = ?", (row[0],))
        try:
            return from_json(row[1]), [from_json(t) for t in json.loads(row[2])]
        except (ValueError, TypeError, KeyError):
            return None

    # ------------------------------------------------------------------ delta links, kv

    def delta_link(self, scope: str) -> str | None:
        """The saved delta (or next) link of a sync scope, e.g. ``messages:<folder id>``."""
        row = self._db.execute("SELECT link FROM delta_links WHERE scope = ?",
                               (scope,)).fetchone()
        return row[0] if row else None

    def set_delta_link(self, scope: str, link: str | None) -> None:
        """Save (or with None forget) a scope's link."""
        if link is None:
            self._db.execute("DELETE FROM delta_links WHERE scope = ?", (scope,))
        else:
            self._db.execute(
                "INSERT INTO delta_links (scope, link, updated_at) VALUES (?,?,?) "
                "ON CONFLICT(scope) DO UPDATE SET link=excluded.link, "
                "updated_at=excluded.updated_at", (scope, link, _now()))

    def scopes(self, prefix: str) -> list[str]:
        """Saved scopes starting with ``prefix``."""
        return [r[0] for r in self._db.execute(
            "SELECT scope FROM delta_links WHERE substr(scope, 1, ?) = ?", (len(prefix), prefix))]

    def get(self, key: str) -> str | None:
        """A small saved value."""
        row = self._db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, value: str | None) -> None:
        """Save (or with None forget) a small value."""
        if value is None:
            self._db.execute("DELETE FROM kv WHERE key = ?", (key,))
        else:
            self._db.execute("INSERT INTO kv (key, value) VALUES (?,?) ON CONFLICT(key) "
                             "DO UPDATE SET value=excluded.value", (key, value))

    def values(self, prefix: str) -> dict[str, str]:
        """Every small value whose key starts with ``prefix`` (a range scan of the key)."""
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else "\U0010ffff"
        return dict(self._db.execute("SELECT key, value FROM kv WHERE key >= ? AND key < ?",
                                     (prefix, upper)).fetchall())

    def drop_prefix(self, prefix: str) -> None:
        """Forget every small value whose key starts with ``prefix``."""
        self._db.execute("DELETE FROM kv WHERE substr(key, 1, ?) = ?", (len(prefix), prefix))
