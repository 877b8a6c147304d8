"""Mail tables: folders, message summaries, bodies, attachments, windows and local search.

Every method runs on the store thread. Upserts are idempotent (keyed on Graph's immutable
ids). Window queries walk an index already ordered by received time, so a window costs the
same at 100 and 100,000 rows; counts come from ``folder_counts`` (kept by triggers).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from olk_tui.domain.ids import MessageId
from olk_tui.domain.mail import (
    Attachment,
    InternetHeader,
    Message,
    MessageBody,
    MessageSummary,
    Recipient,
)
from olk_tui.store import codec
from olk_tui.store.conversations import ConversationTables
from olk_tui.store.folders import FolderTables
from olk_tui.store.rows import (
    COLUMNS,
    LATER_DEFAULTS,
    SELECT_COLUMNS,
    TIEBREAK,
    base_key,
    from_row,
    fts_query,
    fts_values,
    preferred_key,
    to_row,
)


@dataclass(frozen=True, slots=True)
class MessageFilter:
    """Which rows a window shows (the store's form of ``sync.api.ListQuery``)."""

    folder_id: str | None = None
    newest_first: bool = True
    unread_only: bool = False
    flagged_only: bool = False
    with_attachments: bool = False
    from_address: str | None = None
    text: str | None = None

    @property
    def is_plain(self) -> bool:
        """No filter beyond the folder (the count comes straight from ``folder_counts``)."""
        return not (self.unread_only or self.flagged_only or self.with_attachments
                    or self.from_address or self.text)


# Column names come from constants, never from input.
_INSERT = (f"INSERT INTO messages (rk, {', '.join(COLUMNS)}) "  # noqa: S608
           f"VALUES ({', '.join('?' * (len(COLUMNS) + 1))})")
_UPDATE = f"UPDATE messages SET {', '.join(c + ' = ?' for c in COLUMNS[1:])} WHERE rk = ?"  # noqa: S608
_BY_ID = f"SELECT {SELECT_COLUMNS} FROM messages WHERE id = ?"  # noqa: S608


class MailStore(FolderTables, ConversationTables):
    """Folders, messages and conversations of one account."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._db = conn

    # ------------------------------------------------------------------ messages

    def upsert_messages(self, messages: Iterable[MessageSummary]) -> list[tuple[str, str | None]]:
        """Insert or update summaries by id; returns (id, previous folder or None) per row."""
        batch = list(messages)
        out: list[tuple[str, str | None]] = []
        for start in range(0, len(batch), 500):
            out += self._upsert_chunk(batch[start:start + 500])
        return out

    def _upsert_chunk(self, chunk: list[MessageSummary]) -> list[tuple[str, str | None]]:
        marks = ", ".join("?" * len(chunk))
        existing = {r[0]: (r[1], r[2]) for r in self._db.execute(
            f"SELECT id, rk, folder_id FROM messages WHERE id IN ({marks})",  # noqa: S608
            [m.id for m in chunk])}
        out: list[tuple[str, str | None]] = []
        fts_rows: list[tuple[Any, ...]] = []
        for m in chunk:
            row = to_row(m)
            old = existing.get(m.id)
            body = ""
            if old is not None and old[0] // TIEBREAK == base_key(m.received) // TIEBREAK:
                self._db.execute(_UPDATE, (*row[1:], old[0]))
                rk = old[0]
                found = self._db.execute("SELECT content FROM bodies WHERE message_id = ?",
                                         (m.id,)).fetchone()
                body = found[0] if found else ""
                self._db.execute("DELETE FROM messages_fts WHERE rowid = ?", (rk,))
            else:
                if old is not None:  # the received time changed: re-key the row
                    self._delete_rks([old[0]])
                rk = self._insert(preferred_key(m.id, m.received), row)
            existing[m.id] = (rk, m.folder_id)
            fts_rows.append((rk, *fts_values(m), body))
            out.append((m.id, old[1] if old else None))
        self._db.executemany(
            "INSERT INTO messages_fts (rowid, sender, recipients, subject, preview, body)"
            " VALUES (?,?,?,?,?,?)", fts_rows)
        return out

    def _insert(self, rk: int, row: tuple[Any, ...]) -> int:
        """Insert a new row at the first free key from ``rk`` (keys collide rarely)."""
        while True:
            try:
                self._db.execute(_INSERT, (rk, *row))
                return rk
            except sqlite3.IntegrityError:
                if self._db.execute("SELECT 1 FROM messages WHERE id = ?",
                                    (row[0],)).fetchone():
                    raise
                rk += 1

    def _free_key(self, rk: int) -> int:
        while self._db.execute("SELECT 1 FROM messages WHERE rk = ?", (rk,)).fetchone():
            rk += 1
        return rk

    def _delete_rks(self, rks: Sequence[int]) -> None:
        for rk in rks:
            self._db.execute("DELETE FROM messages_fts WHERE rowid = ?", (rk,))
            self._db.execute("DELETE FROM messages WHERE rk = ?", (rk,))

    def remove_messages(self, ids: Iterable[str],
                        folder_id: str | None = None) -> dict[str, str]:
        """Delete cached messages (and their bodies); returns {id: folder it was in}.

        With ``folder_id``, only rows still in that folder go (a message that delta reports
        removed from one folder may already be cached in the folder it moved to).
        """
        gone: dict[str, str] = {}
        for mid in ids:
            row = self._db.execute("SELECT rk, folder_id FROM messages WHERE id = ?",
                                   (mid,)).fetchone()
            if row is None or (folder_id is not None and row[1] != folder_id):
                continue
            self._delete_rks([row[0]])
            self._db.execute("DELETE FROM bodies WHERE message_id = ?", (mid,))
            self._db.execute("DELETE FROM attachments WHERE message_id = ?", (mid,))
            gone[mid] = row[1]
        return gone

    def summary(self, message_id: str) -> MessageSummary | None:
        """One cached summary, or None."""
        row = self._db.execute(_BY_ID, (message_id,)).fetchone()
        return from_row(row) if row else None

    def message_ids(self, folder_id: str) -> set[str]:
        """Ids of every cached message of a folder (resync bookkeeping)."""
        return {r[0] for r in self._db.execute("SELECT id FROM messages WHERE folder_id = ?",
                                               (folder_id,))}

    def raw_rows(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        """Whole rows as dicts (snapshots taken before an operation changes them)."""
        out = []
        for mid in ids:
            cur = self._db.execute(_BY_ID, (mid,))
            row = cur.fetchone()
            if row is not None:
                out.append(dict(zip(["rk", *COLUMNS], row, strict=True)))
        return out

    def set_last_verb(self, message_id: str, verb: str, when: datetime | None) -> bool:
        """Mark a cached message replied/forwarded (``verb`` a ``LastVerb`` value, "" for
        none); returns whether the message is cached."""
        stamp = None if when is None else (when if when.tzinfo else when.replace(
            tzinfo=UTC)).astimezone(UTC).isoformat()
        cur = self._db.execute("UPDATE messages SET last_verb = ?, last_verb_time = ? "
                               "WHERE id = ?", (verb, stamp, message_id))
        return cur.rowcount > 0

    def update_columns(self, message_id: str, values: dict[str, Any]) -> None:
        """Set some columns of one message (the names come from ``rows.MUTABLE_COLUMNS``)."""
        if not values:
            return
        assignments = ", ".join(f"{name} = ?" for name in values)
        self._db.execute(f"UPDATE messages SET {assignments} WHERE id = ?",  # noqa: S608
                         (*values.values(), message_id))

    def restore_row(self, row: dict[str, Any]) -> None:
        """Put back a whole row taken by ``raw_rows`` (reverting a failed delete)."""
        if self._db.execute("SELECT 1 FROM messages WHERE id = ?", (row["id"],)).fetchone():
            return
        self.upsert_messages([from_row(tuple(
            row[c] if c in row else LATER_DEFAULTS.get(c) for c in ("rk", *COLUMNS)))])

    # ------------------------------------------------------------------ windows

    def count(self, flt: MessageFilter) -> int:
        """How many cached rows match (stored counts where possible, never a folder scan)."""
        if flt.folder_id is not None and not (flt.with_attachments or flt.from_address
                                              or flt.text):
            row = self._db.execute("SELECT total, unread, flagged FROM folder_counts WHERE "
                                   "folder_id = ?", (flt.folder_id,)).fetchone()
            if row is None:
                return 0
            if flt.unread_only and flt.flagged_only:
                pass  # fall through to a real count
            elif flt.unread_only:
                return int(row[1])
            elif flt.flagged_only:
                return int(row[2])
            else:
                return int(row[0])
        where, params, source = self._where(flt)
        return int(self._db.execute(f"SELECT count(*) FROM {source} WHERE {where}",  # noqa: S608
                                    params).fetchone()[0])

    def _where(self, flt: MessageFilter) -> tuple[str, list[Any], str]:
        clauses: list[str] = []
        params: list[Any] = []
        source = "messages"
        if flt.text:
            query = fts_query(flt.text)
            if query:
                source = "messages_fts f CROSS JOIN messages ON messages.rk = f.rowid"
                clauses.append("messages_fts MATCH ?")
                params.append(query)
        if flt.folder_id is not None:
            clauses.append("messages.folder_id = ?")
            params.append(flt.folder_id)
        if flt.unread_only:
            clauses.append("messages.is_read = 0")
        if flt.flagged_only:
            clauses.append("messages.flag_status = 'flagged'")
        if flt.with_attachments:
            clauses.append("messages.has_attachments = 1")
        if flt.from_address:
            clauses.append("messages.from_address = ? COLLATE NOCASE")
            params.append(flt.from_address)
        return " AND ".join(clauses) or "1", params, source

    def window(self, flt: MessageFilter, offset: int, limit: int) -> list[MessageSummary]:
        """Rows ``offset .. offset+limit`` in received order (newest first by default)."""
        if limit <= 0:
            return []
        where, params, source = self._where(flt)
        order = "DESC" if flt.newest_first else "ASC"
        key = "f.rowid" if source != "messages" else "messages.rk"
        sql = (f"SELECT {_qualified()} FROM {source} WHERE {where} "  # noqa: S608
               f"ORDER BY {key} {order} LIMIT ? OFFSET ?")
        return [from_row(r) for r in self._db.execute(sql, (*params, limit, max(0, offset)))]

    def window_keys(self, flt: MessageFilter, after: int | None, limit: int,
                    *, newest_first: bool | None = None,
                    skip: int = 0) -> list[tuple[int, MessageSummary]]:
        """Keyset paging: ``limit`` rows after the row key ``after`` (None: from the top).

        ``newest_first`` overrides the filter's direction (reading backwards from a key);
        ``skip`` passes over that many rows first (short hops from a known key).
        Returns (key, summary) pairs; pass the last key back to continue.
        """
        if limit <= 0:
            return []
        desc = flt.newest_first if newest_first is None else newest_first
        where, params, source = self._where(flt)
        key = "f.rowid" if source != "messages" else "messages.rk"
        if after is not None:
            where += f" AND {key} {'<' if desc else '>'} ?"
            params.append(after)
        sql = (f"SELECT {_qualified()} FROM {source} WHERE {where} "  # noqa: S608
               f"ORDER BY {key} {'DESC' if desc else 'ASC'} LIMIT ? OFFSET ?")
        return [(r[0], from_row(r))
                for r in self._db.execute(sql, (*params, limit, max(0, skip)))]

    def key_of(self, message_id: str) -> int | None:
        """The row key of a message (for keyset paging from a known row)."""
        row = self._db.execute("SELECT rk FROM messages WHERE id = ?", (message_id,)).fetchone()
        return int(row[0]) if row else None

    def search(self, text: str, folder_id: str | None = None,
               limit: int = 50) -> list[MessageSummary]:
        """Newest ``limit`` local matches for ``text`` (sender, recipients, subject, preview,
        fetched bodies); empty when the text has no searchable word."""
        if not fts_query(text):
            return []
        return self.window(MessageFilter(folder_id=folder_id, text=text), 0, limit)

    # ------------------------------------------------------------------ bodies

    def save_message(self, message: Message, raw_json: str | None = None) -> None:
        """Keep a fetched full message: summary, body, headers, attachments (and raw JSON)."""
        self.upsert_messages([message.summary])
        extra = {"bcc": codec.to_data(message.bcc), "reply_to": codec.to_data(message.reply_to),
                 "headers": codec.to_data(message.headers), "event_id": message.event_id}
        now = datetime.now(UTC).isoformat()
        self._db.execute(
            "INSERT INTO bodies (message_id, content_type, content, extra_json, raw_json,"
            " fetched_at) VALUES (?,?,?,?,?,?) ON CONFLICT(message_id) DO UPDATE SET"
            " content_type=excluded.content_type, content=excluded.content,"
            " extra_json=excluded.extra_json, raw_json=excluded.raw_json,"
            " fetched_at=excluded.fetched_at",
            (message.id, message.body.content_type, message.body.content,
             json.dumps(extra, ensure_ascii=False), raw_json, now))
        self._db.execute("DELETE FROM attachments WHERE message_id = ?", (message.id,))
        self._db.executemany(
            "INSERT INTO attachments (message_id, id, position, data_json) VALUES (?,?,?,?)",
            [(message.id, a.id, i, codec.dumps(a)) for i, a in enumerate(message.attachments)])
        rk = self.key_of(message.id)
        if rk is not None:  # index the body text too
            self._db.execute("UPDATE messages_fts SET body = ? WHERE rowid = ?",
                             (message.body.content[:200_000], rk))

    def message(self, message_id: str) -> Message | None:
        """The full cached message, or None when its body was never fetched."""
        summary = self.summary(message_id)
        body = self._db.execute("SELECT content_type, content, extra_json FROM bodies WHERE "
                                "message_id = ?", (message_id,)).fetchone()
        if summary is None or body is None:
            return None
        extra = json.loads(body[2] or "{}")
        attachments = tuple(codec.loads(Attachment, r[0]) for r in self._db.execute(
            "SELECT data_json FROM attachments WHERE message_id = ? ORDER BY position",
            (message_id,)))
        return Message(
            summary=summary, body=MessageBody(body[0], body[1]),
            bcc=codec.from_data(tuple[Recipient, ...], extra.get("bcc", [])),
            reply_to=codec.from_data(tuple[Recipient, ...], extra.get("reply_to", [])),
            attachments=attachments,
            headers=codec.from_data(tuple[InternetHeader, ...], extra.get("headers", [])),
            event_id=extra.get("event_id", ""))

    def raw_json(self, message_id: str) -> str | None:
        """The JSON Graph returned for the full message ("view source"), when kept."""
        row = self._db.execute("SELECT raw_json FROM bodies WHERE message_id = ?",
                               (message_id,)).fetchone()
        return row[0] if row else None

    def attachment(self, message_id: str, attachment_id: str) -> Attachment | None:
        """One attachment's metadata."""
        row = self._db.execute("SELECT data_json FROM attachments WHERE message_id = ? AND "
                               "id = ?", (message_id, attachment_id)).fetchone()
        return codec.loads(Attachment, row[0]) if row else None

    def correspondents(self, prefix: str, limit: int = 10) -> list[tuple[Recipient, int]]:
        """Senders whose address or name starts with ``prefix``, most frequent first."""
        like = prefix.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._db.execute(
            "SELECT from_address, max(from_name), count(*) AS n FROM messages "
            "WHERE from_address LIKE ? ESCAPE '\\' OR from_name LIKE ? ESCAPE '\\' "
            "GROUP BY from_address COLLATE NOCASE ORDER BY n DESC LIMIT ?",
            (like + "%", like + "%", limit))
        return [(Recipient(r[0], r[1] or ""), int(r[2])) for r in rows if r[0]]

    def find_by_internet_id(self, internet_message_id: str,
                            folder_id: str | None = None) -> list[MessageId]:
        """Cached messages with this Internet Message-ID (optionally in one folder)."""
        sql = "SELECT id FROM messages WHERE internet_message_id = ?"
        params: list[Any] = [internet_message_id]
        if folder_id is not None:
            sql += " AND folder_id = ?"
            params.append(folder_id)
        return [MessageId(r[0]) for r in self._db.execute(sql, params)]


def _qualified() -> str:
    return ", ".join(f"messages.{c}" for c in SELECT_COLUMNS.split(", "))
