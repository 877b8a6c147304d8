"""Conversation view: rows of a query grouped by ``conversationId``, collapsible.

Grouping needs the whole list, so the view reads every row of the query (newest first) when it
(re)loads and refuses folders above :data:`MAX_ROWS`; a collapsed conversation shows its newest
message with the number of messages, and an action on it applies to the whole conversation.
"""

from __future__ import annotations

from olk_tui.domain.ids import MessageId
from olk_tui.domain.mail import MessageSummary
from olk_tui.ui.mail.sources import QuerySource

#: Larger folders are not grouped (the whole list is read to group it).
MAX_ROWS = 20_000
_CHUNK = 2_000


class TooLarge(Exception):
    """The folder has more than :data:`MAX_ROWS` messages."""


class ConversationSource:
    """Wraps a :class:`QuerySource`; ``expanded`` holds the conversations shown open."""

    def __init__(self, base: QuerySource, expanded: set[str] | None = None) -> None:
        self.base = base
        self.folder_id = base.folder_id
        self.expanded: set[str] = expanded if expanded is not None else set()
        self.groups: dict[str, list[MessageSummary]] = {}
        self.rows: list[MessageSummary] = []
        self.depth: dict[MessageId, int] = {}

    async def count(self) -> int:
        """Read every row, group them and lay out the visible rows."""
        total = await self.base.count()
        if total > MAX_ROWS:
            raise TooLarge(f"conversation view needs at most {MAX_ROWS:,} messages; this "
                           f"list has {total:,}")
        rows: list[MessageSummary] = []
        for offset in range(0, total, _CHUNK):
            rows += await self.base.window(offset, _CHUNK)
        self.groups = {}
        for row in rows:  # newest first: the first of each group is its head
            self.groups.setdefault(row.conversation_id or row.id, []).append(row)
        self.layout()
        return len(self.rows)

    def layout(self) -> None:
        """Flatten the groups into rows, opening the expanded ones."""
        self.rows, self.depth = [], {}
        for key, members in self.groups.items():
            self.rows.append(members[0])
            self.depth[members[0].id] = 0
            if key in self.expanded:
                for child in members[1:]:
                    self.rows.append(child)
                    self.depth[child.id] = 1

    async def window(self, offset: int, limit: int) -> list[MessageSummary]:
        """Visible rows ``offset .. offset+limit``."""
        return self.rows[offset:offset + limit]

    def key_of(self, row: MessageSummary) -> str:
        """The conversation key of a row."""
        return row.conversation_id or row.id

    def prefix(self, row: MessageSummary) -> str:
        """``▸3`` / ``▾3`` before a conversation head, ``└`` before its other messages."""
        if self.depth.get(row.id, 0):
            return "└ "
        size = len(self.groups.get(self.key_of(row), ()))
        if size < 2:
            return ""
        return ("▾" if self.key_of(row) in self.expanded else "▸") + f"{size} "

    def members(self, row: MessageSummary) -> list[MessageId]:
        """What an action on ``row`` covers: the whole conversation when it is collapsed."""
        key = self.key_of(row)
        if self.depth.get(row.id, 0) or key in self.expanded:
            return [row.id]
        return [m.id for m in self.groups.get(key, [row])]

    def toggle(self, row: MessageSummary) -> None:
        """Open or close the conversation of ``row``."""
        key = self.key_of(row)
        if len(self.groups.get(key, ())) < 2:
            return
        self.expanded ^= {key}
        self.layout()
