"""The outbox (sends with explicit, durable states) and the composer's local drafts.

States move forward only: ``queued`` -> ``draft_created`` -> ``attachments_uploaded`` ->
``send_requested`` -> ``confirmed``; any of them may end in ``failed`` (the server draft is
kept). Each change is committed before the next network step, so a restart resumes exactly
where the process stopped.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from olk_tui.domain.mail import Draft
from olk_tui.store import codec

QUEUED = "queued"
DRAFT_CREATED = "draft_created"
ATTACHMENTS_UPLOADED = "attachments_uploaded"
SEND_REQUESTED = "send_requested"
CONFIRMED = "confirmed"
FAILED = "failed"
CANCELLED = "cancelled"

#: States in which the item still has work to do.
ACTIVE_STATES = (QUEUED, DRAFT_CREATED, ATTACHMENTS_UPLOADED, SEND_REQUESTED)


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One outbox row."""

    id: str
    state: str
    draft: Draft
    server_id: str | None = None
    internet_message_id: str | None = None
    uploaded: tuple[str, ...] = ()
    error: str = ""
    attempts: int = 0


def _now() -> str:
    return datetime.now(UTC).isoformat()


class OutboxStore:
    """Outbox rows and local drafts."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._db = conn

    def add(self, draft: Draft) -> str:
        """Queue a draft for sending; returns the new item id."""
        item_id = uuid.uuid4().hex
        self._db.execute(
            "INSERT INTO outbox (id, state, draft_json, server_id, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?)",
            (item_id, QUEUED, codec.dumps(draft), draft.server_id, _now(), _now()))
        return item_id

    def get(self, item_id: str) -> OutboxItem | None:
        """One item, or None."""
        row = self._db.execute(
            "SELECT id, state, draft_json, server_id, internet_message_id, uploaded_json, "
            "error, attempts FROM outbox WHERE id = ?", (item_id,)).fetchone()
        return _item(row) if row else None

    def items(self, states: tuple[str, ...] | None = None) -> list[OutboxItem]:
        """Items in creation order, optionally only in some states."""
        rows = self._db.execute(
            "SELECT id, state, draft_json, server_id, internet_message_id, uploaded_json, "
            "error, attempts FROM outbox ORDER BY created_at, rowid").fetchall()
        items = [_item(r) for r in rows]
        return [i for i in items if states is None or i.state in states]

    def update(self, item_id: str, *, state: str | None = None, server_id: str | None = None,
               internet_message_id: str | None = None, uploaded: tuple[str, ...] | None = None,
               error: str | None = None, draft: Draft | None = None,
               attempt: bool = False, expect_state: str | None = None) -> bool:
        """Change an item's fields (only those given); with ``expect_state``, only when the
        item is still in that state. Returns whether a row changed."""
        sets: list[str] = ["updated_at = ?"]
        params: list[object] = [_now()]
        for column, value in (("state", state), ("server_id", server_id),
                              ("internet_message_id", internet_message_id), ("error", error)):
            if value is not None:
                sets.append(f"{column} = ?")
                params.append(value)
        if uploaded is not None:
            sets.append("uploaded_json = ?")
            params.append(codec.dumps(uploaded))
        if draft is not None:
            sets.append("draft_json = ?")
            params.append(codec.dumps(draft))
        if attempt:
            sets.append("attempts = attempts + 1")
        where = "id = ?"
        params.append(item_id)
        if expect_state is not None:
            where += " AND state = ?"
            params.append(expect_state)
        cur = self._db.execute(f"UPDATE outbox SET {', '.join(sets)} WHERE {where}",  # noqa: S608
                               params)
        return cur.rowcount > 0

    def delete(self, item_id: str) -> None:
        """Forget an item."""
        self._db.execute("DELETE FROM outbox WHERE id = ?", (item_id,))

    # ------------------------------------------------------------------ local drafts

    def save_local_draft(self, key: str, draft: Draft) -> None:
        """Keep the composer's state (called often; one row per key)."""
        self._db.execute(
            "INSERT INTO local_drafts (key, draft_json, updated_at) VALUES (?,?,?) "
            "ON CONFLICT(key) DO UPDATE SET draft_json=excluded.draft_json, "
            "updated_at=excluded.updated_at", (key, codec.dumps(draft), _now()))

    def local_drafts(self) -> list[tuple[str, Draft]]:
        """Saved local drafts, newest first."""
        rows = self._db.execute("SELECT key, draft_json FROM local_drafts "
                                "ORDER BY updated_at DESC").fetchall()
        return [(k, codec.loads(Draft, d)) for k, d in rows]

    def discard_local_draft(self, key: str) -> None:
        """Forget a local draft."""
        self._db.execute("DELETE FROM local_drafts WHERE key = ?", (key,))


def _item(row: tuple[object, ...]) -> OutboxItem:
    uploaded = codec.from_data(tuple[str, ...], codec.json.loads(str(row[5] or "[]")))
    return OutboxItem(
        id=str(row[0]), state=str(row[1]), draft=codec.loads(Draft, str(row[2])),
        server_id=str(row[3]) if row[3] else None,
        internet_message_id=str(row[4]) if row[4] else None, uploaded=uploaded,
        error=str(row[6] or ""), attempts=int(str(row[7] or 0)))
