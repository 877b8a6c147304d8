"""Where a message list gets its rows: a repository query, or a fixed set of search results.

Both answer ``count()`` and ``window(offset, limit)`` so the virtual list never needs to know
which it shows; every action works on the ids either way.
"""

from __future__ import annotations

import dataclasses
from typing import Protocol

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import MessageSummary
from olk_tui.domain.operations import (
    DeleteMessages,
    MarkRead,
    MoveMessages,
    Operation,
    SetCategories,
    SetFlag,
    SetImportance,
)
from olk_tui.sync.api import ListQuery, MailRepository


class RowSource(Protocol):
    """What the virtual list reads from."""

    folder_id: FolderId | None

    async def count(self) -> int:
        """Number of rows."""
        ...

    async def window(self, offset: int, limit: int) -> list[MessageSummary]:
        """Rows ``offset .. offset+limit``."""
        ...


class QuerySource:
    """Rows of a repository query (a folder, filtered or not, or local search)."""

    def __init__(self, repo: MailRepository, query: ListQuery) -> None:
        self.repo = repo
        self.query = query
        self.folder_id = query.folder_id

    async def count(self) -> int:
        """Count from the cache."""
        return await self.repo.count(self.query)

    async def window(self, offset: int, limit: int) -> list[MessageSummary]:
        """A window from the cache."""
        return await self.repo.window(self.query, offset, limit)


class ResultsSource:
    """A fixed, merged list of search results (local first, then the server's), newest first.

    The rows are patched when the user acts on them, so they show the change at once.
    """

    def __init__(self, rows: list[MessageSummary], folder_id: FolderId | None) -> None:
        self.folder_id = folder_id
        self.rows = sorted(_dedupe(rows), key=_newest, reverse=True)

    async def count(self) -> int:
        """Number of results."""
        return len(self.rows)

    async def window(self, offset: int, limit: int) -> list[MessageSummary]:
        """A slice of the results."""
        return self.rows[offset:offset + limit]

    def apply(self, op: Operation) -> None:
        """Show the effect of ``op`` on the results (removal for moves and deletes)."""
        ids: set[MessageId] = set(getattr(op, "message_ids", ()))
        if isinstance(op, MoveMessages | DeleteMessages):
            if isinstance(op, MoveMessages) and self.folder_id is None:
                self.rows = [dataclasses.replace(r, folder_id=op.destination_id)
                             if r.id in ids else r for r in self.rows]
            else:
                self.rows = [r for r in self.rows if r.id not in ids]
            return
        self.rows = [patched(r, op) if r.id in ids else r for r in self.rows]


def patched(row: MessageSummary, op: Operation) -> MessageSummary:
    """``row`` as it looks after a read/flag/categories/importance operation."""
    change = {MarkRead: "is_read", SetFlag: "flag", SetCategories: "categories",
              SetImportance: "importance"}.get(type(op))
    if change is None or row.id not in getattr(op, "message_ids", ()):
        return row
    return dataclasses.replace(row, **{change: getattr(op, change)})


def _newest(row: MessageSummary) -> float:
    when = row.received or row.sent
    return when.timestamp() if when else 0.0


def _dedupe(rows: list[MessageSummary]) -> list[MessageSummary]:
    seen: dict[MessageId, MessageSummary] = {}
    for r in rows:
        seen.setdefault(r.id, r)
    return list(seen.values())
