"""Conversation queries: the heads of a filter's conversations in order, their sizes, counts
and the members of one conversation, without reading every row.

A conversation is keyed by ``conversationId`` (a message without one is its own
conversation). Its *head* in a list is its first message in the list's order: the newest when
the list is newest first, the oldest otherwise; conversations are ordered by their heads.
An unfiltered folder reads the ``conversations`` table (kept by triggers, indexed by head and
tail key), so a window or a count costs about what it does for plain rows; a filtered list
(unread, flagged, ...) groups the matching rows in SQL, a cost that grows with the matches.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from olk_tui.domain.mail import MessageSummary
from olk_tui.store.rows import SELECT_COLUMNS, from_row

if TYPE_CHECKING:
    from olk_tui.store.mail import MessageFilter

#: The conversation key of a ``messages`` row, in SQL.
KEY_SQL = ("CASE WHEN messages.conversation_id = '' THEN messages.id "
           "ELSE messages.conversation_id END")
_COLUMNS = ", ".join(f"messages.{c}" for c in SELECT_COLUMNS.split(", "))


@dataclass(frozen=True, slots=True)
class ConversationHead:
    """One conversation of a list: its key, head row, size and members' ids in list order."""

    key: str
    head: MessageSummary
    size: int
    member_ids: tuple[str, ...]


def conversation_key(message: MessageSummary) -> str:
    """The key the store groups ``message`` by."""
    return message.conversation_id or message.id


class ConversationTables:
    """Conversation methods of ``MailStore`` (which provides ``_db`` and ``_where``)."""

    _db: sqlite3.Connection
    _groups_cache: tuple[MessageFilter, tuple[int, int], list[tuple[int, int]]] | None = None

    def _where(self, flt: MessageFilter) -> tuple[str, list[Any], str]:
        raise NotImplementedError

    @staticmethod
    def _indexed(flt: MessageFilter) -> bool:
        return flt.folder_id is not None and flt.is_plain

    def conversation_count(self, flt: MessageFilter) -> int:
        """How many conversations have a message matching ``flt``."""
        if self._indexed(flt):
            return int(self._db.execute("SELECT count(*) FROM conversations WHERE "
                                        "folder_id = ?", (flt.folder_id,)).fetchone()[0])
        return len(self._groups(flt))

    def conversation_heads(self, flt: MessageFilter, offset: int,
                           limit: int) -> list[ConversationHead]:
        """Conversations ``offset .. offset+limit`` of ``flt`` in the list's order."""
        if limit <= 0:
            return []
        offset = max(0, offset)
        if self._indexed(flt):
            column = "head_rk" if flt.newest_first else "tail_rk"
            order = "DESC" if flt.newest_first else "ASC"
            found = [(int(rk), int(n)) for rk, n in self._db.execute(
                f"SELECT {column}, size FROM conversations WHERE folder_id = ? "  # noqa: S608
                f"ORDER BY {column} {order} LIMIT ? OFFSET ?",
                (flt.folder_id, limit, offset))]
        else:
            found = self._groups(flt)[offset:offset + limit]
        heads = self._rows_by_key([rk for rk, _ in found])
        pairs = [(heads[rk], n) for rk, n in found if rk in heads]
        members = self._member_ids(flt, [conversation_key(r) for r, n in pairs if n > 1])
        return [ConversationHead(conversation_key(r), r, n,
                                 members.get(conversation_key(r), (r.id,)))
                for r, n in pairs]

    def conversation_members(self, flt: MessageFilter, key: str) -> list[MessageSummary]:
        """Every message of conversation ``key`` matching ``flt``, in the list's order."""
        where, params, source = self._where(flt)
        order = "DESC" if flt.newest_first else "ASC"
        # ``rk IN (...)`` makes SQLite start from the conversation, not from the folder.
        by = ("messages.rk IN (SELECT rk FROM messages WHERE conversation_id = ?)"
              if self._has_conversation(key) else "messages.id = ?")
        sql = (f"SELECT {_COLUMNS} FROM {source} WHERE {where} AND {by} "  # noqa: S608
               f"ORDER BY messages.rk {order}")
        return [from_row(r) for r in self._db.execute(sql, (*params, key))]

    def conversation_position(self, flt: MessageFilter, key: str,
                              members: list[MessageSummary] | None = None) -> int | None:
        """The index of conversation ``key`` among the conversations of ``flt``, or None
        (``members``: its ``conversation_members`` when the caller has them already)."""
        if members is None:
            members = self.conversation_members(flt, key)
        if not members:
            return None
        head = int(self._db.execute("SELECT rk FROM messages WHERE id = ?",
                                    (members[0].id,)).fetchone()[0])
        if self._indexed(flt):
            column = "head_rk" if flt.newest_first else "tail_rk"
            return int(self._db.execute(
                f"SELECT count(*) FROM conversations WHERE folder_id = ? "  # noqa: S608
                f"AND {column} {'>' if flt.newest_first else '<'} ?",
                (flt.folder_id, head)).fetchone()[0])
        groups = self._groups(flt)
        return next((i for i, (rk, _) in enumerate(groups) if rk == head), None)

    def _groups(self, flt: MessageFilter) -> list[tuple[int, int]]:
        """(head row key, size) of every conversation of a filtered list, in order.

        Grouping reads every matching row, so the result of the last filter is kept until
        the database changes (this connection's change counter, or another connection's
        commit); never inside a transaction, which could still roll back.
        """
        stamp = (self._db.total_changes,
                 self._db.execute("PRAGMA data_version").fetchone()[0])
        cached = self._groups_cache
        if cached is not None and cached[0] == flt and cached[1] == stamp:
            return cached[2]
        where, params, source = self._where(flt)
        pick, order = ("max", "DESC") if flt.newest_first else ("min", "ASC")
        groups = [(int(rk), int(n)) for rk, n in self._db.execute(
            f"SELECT {pick}(messages.rk) AS h, count(*) FROM {source} "  # noqa: S608
            f"WHERE {where} GROUP BY {KEY_SQL} ORDER BY h {order}", params)]
        if not self._db.in_transaction:
            self._groups_cache = (flt, stamp, groups)
        return groups

    # ------------------------------------------------------------------ helpers

    def _has_conversation(self, key: str) -> bool:
        """Whether ``key`` names a conversation (else it is the id of a lone message)."""
        return self._db.execute("SELECT 1 FROM messages WHERE conversation_id = ? LIMIT 1",
                                (key,)).fetchone() is not None

    def _rows_by_key(self, rks: Sequence[int]) -> dict[int, MessageSummary]:
        if not rks:
            return {}
        marks = ", ".join("?" * len(rks))
        return {int(r[0]): from_row(r) for r in self._db.execute(
            f"SELECT {SELECT_COLUMNS} FROM messages WHERE rk IN ({marks})",  # noqa: S608
            list(rks))}

    def _member_ids(self, flt: MessageFilter,
                    keys: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Member ids (list order) of conversations that have more than one message."""
        if not keys:
            return {}
        where, params, source = self._where(flt)
        order = "DESC" if flt.newest_first else "ASC"
        marks = ", ".join("?" * len(keys))
        out: dict[str, list[str]] = {}
        for conv, mid in self._db.execute(
                f"SELECT messages.conversation_id, messages.id FROM {source} "  # noqa: S608
                f"WHERE {where} AND messages.rk IN "
                f"(SELECT rk FROM messages WHERE conversation_id IN ({marks})) "
                f"ORDER BY messages.rk {order}", (*params, *keys)):
            out.setdefault(conv, []).append(mid)
        return {k: tuple(v) for k, v in out.items()}
