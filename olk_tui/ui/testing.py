"""In-memory repositories that satisfy ``olk_tui.sync.api`` (UI tests, screenshots, demo fallback).

``FakeMail`` keeps each folder as a list of ids, newest first, and generates rows on demand
(``demo_data``), so a 100,000-message folder is cheap. Operations are applied at once, recorded
in ``submitted`` for tests, announced to subscribers, and can be made to fail
(``fail_next``) to exercise the revert path.
"""

from __future__ import annotations

import asyncio
import bisect
import dataclasses
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from olk_tui.domain.errors import NotFound
from olk_tui.domain.ids import AttachmentId, FolderId, MessageId
from olk_tui.domain.mail import Folder, Message, MessageSummary
from olk_tui.domain.operations import (
    CreateFolder,
    DeleteFolder,
    DeleteMessages,
    MarkRead,
    MoveFolder,
    MoveMessages,
    Operation,
    RenameFolder,
    SetCategories,
    SetFlag,
    SetImportance,
)
from olk_tui.domain.settings import MailboxSettings, User
from olk_tui.sync.api import (
    Account,
    Conversation,
    FoldersChanged,
    Listener,
    ListQuery,
    MessagesChanged,
    OperationFailed,
    RepoEvent,
)
from olk_tui.ui import demo_data
from olk_tui.ui.demo_data import FolderSpec
from olk_tui.ui.testing_pim import FakeCalendar, FakeContacts, FakeOutbox

__all__ = ["FakeCalendar", "FakeContacts", "FakeMail", "FakeOutbox", "fake_account"]


class FakeMail:
    """A mail repository held in memory (see module docstring)."""

    def __init__(self, now: datetime | None = None, inbox_size: int = 400,
                 folders: list[FolderSpec] | None = None) -> None:
        self.now = now or demo_data.fixed_now()
        self.specs = {s.id: s for s in (folders or demo_data.default_folders(inbox_size))}
        self.names = {s.id: s.name for s in self.specs.values()}
        self.parents: dict[str, str | None] = {s.id: s.parent for s in self.specs.values()}
        self.ids: dict[str, list[MessageId]] = {
            s.id: [MessageId(f"{s.id}:{i}") for i in range(s.size)] for s in self.specs.values()}
        self.unread = {s.id: (0 if s.well_known in {"sentitems", "drafts"}
                              else demo_data.unread_in(s.size)) for s in self.specs.values()}
        self.rows: dict[MessageId, MessageSummary] = {}
        self.submitted: list[Operation] = []
        self.server_searches: list[tuple[str, FolderId | None]] = []
        self.saved: list[Path] = []
        self.refreshed: list[FolderId | None] = []
        self.opened: list[MessageId] = []
        #: Messages read from the "cache" only (``cached_message``), no request.
        self.peeked: list[MessageId] = []
        self.fail_next: str | None = None
        self._undo: list[Operation] = []
        self._listeners: list[Listener] = []
        self._threads: dict[ListQuery, list[Conversation]] = {}

    # ------------------------------------------------------------------ rows
    def row(self, mid: MessageId) -> MessageSummary:
        """The current row for an id (generated unless changed)."""
        found = self.rows.get(mid)
        if found is not None:
            return found
        folder, _, index = mid.rpartition(":")
        spec = self.specs.get(folder)
        if spec is None or not index.isdigit():
            raise NotFound(f"no message {mid}")
        return demo_data.summary(self.now, spec, int(index))

    def _key(self, mid: MessageId) -> float:
        received = self.row(mid).received
        return -(received.timestamp() if received else 0.0)

    def _replace(self, new: MessageSummary) -> None:
        old = self.row(new.id)
        if old.folder_id != new.folder_id:
            self.ids[old.folder_id].remove(old.id)
            bisect.insort(self.ids[new.folder_id], new.id, key=self._key)
        self.unread[old.folder_id] -= not old.is_read
        self.unread[new.folder_id] += not new.is_read
        self.rows[new.id] = new

    def _matches(self, q: ListQuery, r: MessageSummary) -> bool:
        if (q.unread_only and r.is_read) or (q.flagged_only and not r.flag.is_flagged):
            return False
        if q.with_attachments and not r.has_attachments:
            return False
        if q.from_address and (r.from_ is None or r.from_.address != q.from_address):
            return False
        if q.text:
            hay = " ".join((r.subject, r.preview, str(r.from_ or ""))).lower()
            return all(word in hay for word in q.text.lower().split())
        return True

    def _select(self, q: ListQuery) -> list[MessageId] | None:
        """The ids a filtered query matches, or None when the plain folder list applies."""
        plain = not (q.unread_only or q.flagged_only or q.with_attachments or q.from_address
                     or q.text)
        if plain and q.folder_id is not None:
            return None
        pool = self.ids[q.folder_id] if q.folder_id else sorted(
            (m for ids in self.ids.values() for m in ids), key=self._key)
        return [m for m in pool if self._matches(q, self.row(m))]

    def deliver(self, row: MessageSummary) -> None:
        """Simulate sync bringing a new message (tests): store it and announce it."""
        self.rows[row.id] = row
        bisect.insort(self.ids[row.folder_id], row.id, key=self._key)
        self.unread[row.folder_id] += not row.is_read
        self.announce(MessagesChanged(frozenset({row.folder_id}), frozenset({row.id})))
        self.announce(FoldersChanged(frozenset({row.folder_id})))

    # ------------------------------------------------------------------ protocol
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Register a listener; returns a function that unregisters it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def announce(self, event: RepoEvent) -> None:
        """Call every listener (tests use it to simulate background sync)."""
        self._threads.clear()  # every change is announced
        for listener in list(self._listeners):
            listener(event)

    async def folders(self) -> list[Folder]:
        """Every folder with live counts."""
        return [Folder(FolderId(fid), self.names[fid], FolderId(p) if (p := self.parents[fid])
                       else None, self.specs[fid].well_known,
                       sum(1 for c in self.parents.values() if c == fid),
                       self.unread[fid], len(self.ids[fid])) for fid in self.specs]

    async def count(self, query: ListQuery) -> int:
        """How many rows the query matches."""
        selected = self._select(query)
        return len(self.ids[query.folder_id or ""]) if selected is None else len(selected)

    async def window(self, query: ListQuery, offset: int, limit: int) -> list[MessageSummary]:
        """Rows ``offset .. offset+limit``."""
        selected = self._select(query)
        ids = self.ids[query.folder_id or ""] if selected is None else selected
        if not query.newest_first:
            n = len(ids)
            picked = [ids[n - 1 - i] for i in range(offset, min(n, offset + limit))]
        else:
            picked = ids[offset:offset + limit]
        return [self.row(m) for m in picked]

    def _conversations(self, q: ListQuery) -> list[Conversation]:
        """A query's conversations, grouped in memory once per change."""
        if q not in self._threads:
            selected = self._select(q)
            ids = self.ids[q.folder_id or ""] if selected is None else selected
            groups: dict[str, list[MessageSummary]] = {}
            for mid in ids if q.newest_first else reversed(ids):
                row = self.row(mid)
                groups.setdefault(row.conversation_id or row.id, []).append(row)
            self._threads[q] = [Conversation(k, g[0], len(g), tuple(r.id for r in g))
                                for k, g in groups.items()]
        return self._threads[q]

    async def conversation_count(self, query: ListQuery) -> int:
        """How many conversations the query's rows form."""
        return len(self._conversations(query))

    async def conversations(self, query: ListQuery, offset: int,
                            limit: int) -> list[Conversation]:
        """Conversations ``offset .. offset+limit``."""
        return self._conversations(query)[max(0, offset):max(0, offset) + limit]

    async def conversation(self, query: ListQuery,
                           key: str) -> tuple[int, list[MessageSummary]] | None:
        """A conversation's index and its rows."""
        found = [(i, c) for i, c in enumerate(self._conversations(query)) if c.key == key]
        return (found[0][0], [self.row(m) for m in found[0][1].member_ids]) if found else None

    async def cached_message(self, message_id: MessageId) -> Message | None:
        """The message if it was fetched before (a real cache keeps what it fetched)."""
        if message_id not in self.opened:
            return None
        self.peeked.append(message_id)
        return self._full(message_id)

    async def message(self, message_id: MessageId) -> Message:
        """The full message (each request is recorded in ``opened``)."""
        self.opened.append(message_id)
        return self._full(message_id)

    def _full(self, message_id: MessageId) -> Message:
        row = self.row(message_id)
        folder, _, index = message_id.rpartition(":")
        spec = self.specs.get(folder) or next(iter(self.specs.values()))
        return demo_data.message(self.now, spec, int(index), row)

    async def search_server(self, text: str, folder_id: FolderId | None) -> list[MessageSummary]:
        """Pretend server search: subject word match, newest 25."""
        self.server_searches.append((text, folder_id))
        words = [w for w in text.lower().split() if ":" not in w]
        pool = self.ids[folder_id] if folder_id else [m for v in self.ids.values() for m in v]
        found = [self.row(m) for m in pool[:5000]]
        return [r for r in found if all(w in r.subject.lower() for w in words)][:25]

    async def attachment_bytes(self, message_id: MessageId, attachment_id: AttachmentId) -> bytes:
        """Deterministic bytes."""
        return f"attachment {attachment_id}\n".encode()

    async def save_attachment(self, message_id: MessageId, attachment_id: AttachmentId,
                              directory: Path) -> Path:
        """Write the attachment under a free name in ``directory``."""
        msg = await self.message(message_id)
        att = next(a for a in msg.attachments if a.id == attachment_id)
        name = Path(att.name).name or "attachment"
        target, n = directory / name, 1
        while target.exists():
            target = directory / f"{Path(name).stem} ({n}){Path(name).suffix}"
            n += 1
        data = await self.attachment_bytes(message_id, attachment_id)
        directory.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - tiny, test-only
        target.write_bytes(data)
        self.saved.append(target)
        return target

    async def submit(self, op: Operation) -> None:
        """Apply at once, remember the inverse, announce; optionally fail later."""
        self.submitted.append(op)
        inverse = self._apply(op)
        if inverse is not None:
            self._undo.append(inverse)
        if self.fail_next is not None:
            reason, self.fail_next = self.fail_next, None
            asyncio.get_running_loop().call_soon(self._revert, op, inverse, reason)

    def _revert(self, op: Operation, inverse: Operation | None, reason: str) -> None:
        if inverse is not None:
            self._apply(inverse)
            if self._undo and self._undo[-1] is inverse:
                self._undo.pop()
        self.announce(OperationFailed(op, reason))

    async def undo(self) -> Operation | None:
        """Apply the inverse of the last operation."""
        if not self._undo:
            return None
        inverse = self._undo.pop()
        self.submitted.append(inverse)
        self._apply(inverse)
        return inverse

    async def refresh(self, folder_id: FolderId | None = None) -> None:
        """Nothing to refresh in memory; the request is recorded."""
        self.refreshed.append(folder_id)

    # ------------------------------------------------------------------ operations
    def _apply(self, op: Operation) -> Operation | None:
        """Apply ``op``; returns its inverse (for undo/revert)."""
        inverse: Operation | None = None
        changed: set[FolderId] = set()
        ids: tuple[MessageId, ...] = getattr(op, "message_ids", ())
        olds = [self.row(m) for m in ids]
        if isinstance(op, MarkRead | SetFlag | SetCategories | SetImportance):
            field, value = {MarkRead: ("is_read", "is_read"), SetFlag: ("flag", "flag"),
                            SetCategories: ("categories", "categories"),
                            SetImportance: ("importance", "importance")}[type(op)]
            for old in olds:
                self._replace(dataclasses.replace(old, **{field: getattr(op, value)}))
            if olds:
                first = getattr(olds[0], field)
                inverse = dataclasses.replace(op, **{value: first})
        elif isinstance(op, MoveMessages | DeleteMessages):
            dest = op.destination_id if isinstance(op, MoveMessages) else self._well("deleteditems")
            for old in olds:
                if isinstance(op, DeleteMessages) and (op.permanent or old.folder_id == dest):
                    self.ids[old.folder_id].remove(old.id)
                    self.unread[old.folder_id] -= not old.is_read
                    self.rows.pop(old.id, None)
                    continue
                self._replace(dataclasses.replace(old, folder_id=dest))
            if olds and not getattr(op, "permanent", False):
                inverse = MoveMessages(ids, olds[0].folder_id, dest)
            changed.add(dest)
        else:
            return self._apply_folder(op)
        changed.update(o.folder_id for o in olds)
        self.announce(MessagesChanged(frozenset(changed), frozenset(ids)))
        self.announce(FoldersChanged(frozenset(changed)))
        return inverse

    def _apply_folder(self, op: Operation) -> Operation | None:
        inverse: Operation | None = None
        if isinstance(op, CreateFolder):
            fid = op.local_id or FolderId(f"f-new-{len(self.specs)}")
            self.specs[fid] = FolderSpec(fid, op.display_name, 0, op.parent_id)
            self.names[fid], self.parents[fid] = op.display_name, op.parent_id
            self.ids[fid], self.unread[fid] = [], 0
            inverse = DeleteFolder(FolderId(fid))
        elif isinstance(op, RenameFolder):
            inverse = RenameFolder(op.folder_id, self.names[op.folder_id])
            self.names[op.folder_id] = op.display_name
        elif isinstance(op, MoveFolder):
            inverse = MoveFolder(op.folder_id, FolderId(self.parents[op.folder_id] or ""))
            self.parents[op.folder_id] = op.destination_id or None
        elif isinstance(op, DeleteFolder):
            for fid in [op.folder_id, *[f for f, p in self.parents.items() if p == op.folder_id]]:
                for table in (self.specs, self.names, self.parents, self.ids, self.unread):
                    table.pop(fid, None)
        self.announce(FoldersChanged())
        return inverse

    def _well(self, name: str) -> FolderId:
        return FolderId(next(s.id for s in self.specs.values() if s.well_known == name))


def fake_account(inbox_size: int = 400, now: datetime | None = None,
                 is_demo: bool = True) -> Account:
    """An ``Account`` over the in-memory fakes."""
    return Account(
        name="demo",
        user=User("megan-id", demo_data.ME.name, demo_data.ME.address, demo_data.ME.address),
        mail=FakeMail(now, inbox_size),
        calendar=FakeCalendar(),
        contacts=FakeContacts(),
        outbox=FakeOutbox(),
        settings=MailboxSettings(time_zone="UTC"),
        is_demo=is_demo,
    )
