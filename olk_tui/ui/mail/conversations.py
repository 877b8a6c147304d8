"""Conversation view: rows of a query grouped by ``conversationId``, collapsible.

The repository pages through the query's conversations in order (``conversations``) and
counts them, so the view costs what the plain list does at any folder size. A collapsed
conversation shows its first message in the list's order (the newest, newest first) with the
number of messages; an open one shows its other messages under it, and an action on a
collapsed row applies to the whole conversation.

Visible rows are conversation heads with the open conversations' other messages spliced in:
``count`` reads the number of conversations and, for each open one, its position and
messages; ``window`` maps a visible offset to a head position (and child) from those.
"""

from __future__ import annotations

from olk_tui.domain.ids import MessageId
from olk_tui.domain.mail import MessageSummary
from olk_tui.ui.mail.sources import QuerySource

#: Conversations whose size and members are remembered (those of the pages seen).
_REMEMBERED = 20_000


class ConversationSource:
    """Wraps a :class:`QuerySource`; ``expanded`` holds the conversations shown open."""

    def __init__(self, base: QuerySource, expanded: set[str] | None = None) -> None:
        self.base = base
        self.folder_id = base.folder_id
        self.expanded: set[str] = expanded if expanded is not None else set()
        #: Size and member ids (list order) of conversations whose heads were read.
        self.sizes: dict[str, int] = {}
        self.member_ids: dict[str, tuple[MessageId, ...]] = {}
        #: Open conversations: (position among conversations, key, messages after the head).
        self.open: list[tuple[int, str, list[MessageSummary]]] = []
        self.children: set[MessageId] = set()

    async def count(self) -> int:
        """Count the conversations and read the open ones; returns the visible rows."""
        repo, query = self.base.repo, self.base.query
        heads = await repo.conversation_count(query)
        opened: list[tuple[int, str, list[MessageSummary]]] = []
        for key in sorted(self.expanded):
            found = await repo.conversation(query, key)
            if found is None:
                continue
            position, members = found
            self._remember(key, tuple(m.id for m in members))
            if len(members) > 1:
                opened.append((position, key, members[1:]))
        opened.sort(key=lambda item: item[0])
        self.open = opened
        self.children = {m.id for _, _, kids in opened for m in kids}
        return heads + sum(len(kids) for _, _, kids in opened)

    def _locate(self, index: int) -> tuple[int, int]:
        """(conversation position, child index or -1 for its head) of visible row ``index``."""
        shift = 0
        for position, _, kids in self.open:
            head = position + shift
            if index <= head:
                break
            if index <= head + len(kids):
                return position, index - head - 1
            shift += len(kids)
        return index - shift, -1

    async def window(self, offset: int, limit: int) -> list[MessageSummary]:
        """Visible rows ``offset .. offset+limit``."""
        if limit <= 0:
            return []
        position, child = self._locate(max(0, offset))
        opened = {p: (key, kids) for p, key, kids in self.open}
        rows: list[MessageSummary] = []
        if child >= 0:
            rows += opened[position][1][child:child + limit]
            position += 1
        if len(rows) < limit:
            if len(self.sizes) > _REMEMBERED:
                self.sizes, self.member_ids = {}, {}
            found = await self.base.repo.conversations(self.base.query, position,
                                                       limit - len(rows))
            for i, conversation in enumerate(found):
                self._remember(conversation.key, conversation.member_ids)
                rows.append(conversation.head)
                key, kids = opened.get(position + i, ("", []))
                if key == conversation.key:
                    rows += kids
                if len(rows) >= limit:
                    break
        return rows[:limit]

    def _remember(self, key: str, members: tuple[MessageId, ...]) -> None:
        self.sizes[key] = len(members)
        self.member_ids[key] = members

    def key_of(self, row: MessageSummary) -> str:
        """The conversation key of a row."""
        return row.conversation_id or row.id

    def prefix(self, row: MessageSummary) -> str:
        """``▸3`` / ``▾3`` before a conversation head, ``└`` before its other messages."""
        if row.id in self.children:
            return "└ "
        key = self.key_of(row)
        size = self.sizes.get(key, 1)
        if size < 2:
            return ""
        return ("▾" if key in self.expanded else "▸") + f"{size} "

    def members(self, row: MessageSummary) -> list[MessageId]:
        """What an action on ``row`` covers: the whole conversation when it is collapsed."""
        key = self.key_of(row)
        if row.id in self.children or key in self.expanded:
            return [row.id]
        return list(self.member_ids.get(key, (row.id,)))

    def toggle(self, row: MessageSummary) -> None:
        """Open or close the conversation of ``row`` (the list reloads to show it)."""
        key = self.key_of(row)
        if self.sizes.get(key, 1) < 2:
            return
        self.expanded ^= {key}
