"""``MailRepository`` over the cache and Graph: reads from the store at once, changes through
the durable queue, refreshes through the sync engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote

from olk_tui.domain.errors import BadRequest
from olk_tui.domain.ids import AttachmentId, FolderId, MessageId
from olk_tui.domain.mail import Folder, Message, MessageSummary
from olk_tui.domain.operations import (
    CancelEvent,
    CreateFolder,
    DeleteContact,
    DeleteEvent,
    DeleteFolder,
    Operation,
    RenameFolder,
    RespondToEvent,
    SaveContact,
    SaveEvent,
    UpdateMailboxSettings,
)
from olk_tui.graph.bodies import json_object
from olk_tui.graph.mapping import mailbox_settings_from_json, message_from_json, summary_from_json
from olk_tui.store import AsyncStore, MessageFilter, Store
from olk_tui.sync.announce import Announcer
from olk_tui.sync.api import (
    ContactsChanged,
    Conversation,
    EventsChanged,
    FoldersChanged,
    Listener,
    ListQuery,
    MessagesChanged,
    SettingsChanged,
)
from olk_tui.sync.calendarops import CALENDAR_OPS
from olk_tui.sync.localops import (
    apply_local,
    cached_settings,
    inverse,
    message_ids_of,
    overlay_pending,
)
from olk_tui.sync.mailsync import SUMMARY_EXPAND, SUMMARY_SELECT
from olk_tui.sync.windows import WindowCache

if TYPE_CHECKING:
    from olk_tui.graph.client import GraphClient  # made after the first paint (see sync.account)

FULL_SELECT = SUMMARY_SELECT + ",body,bccRecipients,replyTo,internetMessageHeaders"
ATTACHMENT_SELECT = ("id", "name", "contentType", "size", "isInline", "lastModifiedDateTime")
#: Attachment metadata with the message, never their bytes (and the replied/forwarded mark).
ATTACHMENTS_EXPAND = ("attachments($select=" + ",".join(ATTACHMENT_SELECT) + "),"
                      + SUMMARY_EXPAND)


class Waker(Protocol):
    """Something that can be told there is work (the runner, the sync engine)."""

    def wake(self) -> None: ...


class Refresher(Protocol):
    """The sync engine as the repository sees it."""

    def request(self, folder_id: str | None = None) -> None: ...


def to_filter(query: ListQuery) -> MessageFilter:
    """The store's filter for a UI query."""
    return MessageFilter(folder_id=query.folder_id, newest_first=query.newest_first,
                         unread_only=query.unread_only, flagged_only=query.flagged_only,
                         with_attachments=query.with_attachments,
                         from_address=query.from_address, text=query.text or None)


class Submitter:
    """Shared ``submit``/``undo`` for every repository of an account."""

    def __init__(self, store: AsyncStore, announcer: Announcer, runner: Waker) -> None:
        self._store = store
        self._announce = announcer
        self._runner = runner

    async def submit(self, op: Operation, *, undoable: bool = True) -> None:
        """Apply ``op`` to the cache and queue it, in one transaction; returns at once."""

        def tx(s: Store) -> set[str]:
            ids = message_ids_of(op)
            before = {r["id"]: r["folder_id"] for r in s.mail.raw_rows(ids)}
            snapshot = apply_local(s, op)
            s.queue.append(op, snapshot)
            if undoable:
                inv = inverse(op, snapshot)
                if inv:
                    s.queue.push_undo(op, inv)
            after = {r["id"]: r["folder_id"] for r in s.mail.raw_rows(ids)}
            return set(before.values()) | set(after.values())

        folders = await self._store.tx(tx)
        ids = message_ids_of(op)
        if ids:
            self._announce.emit(MessagesChanged(folder_ids=frozenset(FolderId(f)
                                                                     for f in folders),
                                                message_ids=frozenset(ids)))
        if ids or isinstance(op, CreateFolder | RenameFolder | DeleteFolder):
            self._announce.emit(FoldersChanged(folder_ids=frozenset(FolderId(f)
                                                                    for f in folders)))
        elif isinstance(op, (SaveEvent, DeleteEvent, CancelEvent, RespondToEvent,
                                  *CALENDAR_OPS)):
            self._announce.emit(EventsChanged())
        elif isinstance(op, SaveContact | DeleteContact):
            self._announce.emit(ContactsChanged())
        elif isinstance(op, UpdateMailboxSettings):
            data = await self._store.run(cached_settings)
            self._announce.emit(SettingsChanged(settings=mailbox_settings_from_json(data)))
        self._runner.wake()

    async def undo(self) -> Operation | None:
        """Queue the inverse of the newest undoable operation; returns that operation."""
        entry = await self._store.tx(lambda s: s.queue.pop_undo())
        if entry is None:
            return None
        op, inverses = entry
        for inv in inverses:
            await self.submit(inv, undoable=False)
        return op


class MailRepo:
    """The account's mail, as the UI sees it (see ``sync.api.MailRepository``)."""

    def __init__(self, store: AsyncStore, client: GraphClient, announcer: Announcer,
                 submitter: Submitter, engine: Refresher) -> None:
        self._store = store
        self._client = client
        self._announce = announcer
        self._submitter = submitter
        self._engine = engine
        self._windows = WindowCache()
        announcer.subscribe(self._on_event)

    def _on_event(self, event: object) -> None:
        if isinstance(event, MessagesChanged):
            self._windows.clear()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Register a listener for this account's announcements."""
        return self._announce.subscribe(listener)

    async def folders(self) -> list[Folder]:
        """The cached folder tree (flat)."""
        return await self._store.run(lambda s: s.mail.folders())

    async def count(self, query: ListQuery) -> int:
        """Cached rows matching ``query``."""
        flt = to_filter(query)
        return await self._store.run(lambda s: s.mail.count(flt))

    async def window(self, query: ListQuery, offset: int, limit: int) -> list[MessageSummary]:
        """Rows ``offset .. offset+limit`` of the query, from the cache."""
        flt = to_filter(query)
        return await self._store.run(lambda s: self._windows.window(s, flt, offset, limit))

    async def conversation_count(self, query: ListQuery) -> int:
        """How many conversations the query's cached rows form."""
        flt = to_filter(query)
        return await self._store.run(lambda s: s.mail.conversation_count(flt))

    async def conversations(self, query: ListQuery, offset: int,
                            limit: int) -> list[Conversation]:
        """Conversations ``offset .. offset+limit`` of the query, from the cache."""
        flt = to_filter(query)
        heads = await self._store.run(lambda s: s.mail.conversation_heads(flt, offset, limit))
        return [Conversation(h.key, h.head, h.size, tuple(MessageId(m) for m in h.member_ids))
                for h in heads]

    async def conversation(self, query: ListQuery,
                           key: str) -> tuple[int, list[MessageSummary]] | None:
        """Conversation ``key`` of the query: its index and its messages, from the cache."""
        flt = to_filter(query)

        def read(s: Store) -> tuple[int, list[MessageSummary]] | None:
            members = s.mail.conversation_members(flt, key)
            position = s.mail.conversation_position(flt, key, members)
            return None if position is None else (position, members)

        return await self._store.run(read)

    async def cached_message(self, message_id: MessageId) -> Message | None:
        """The full message if its body is cached, else None (no request)."""
        return await self._store.run(lambda s: s.mail.message(message_id))

    async def message(self, message_id: MessageId) -> Message:
        """The full message: cached, else fetched (with attachments' metadata) and kept."""
        cached = await self._store.run(lambda s: s.mail.message(message_id))
        if cached is not None:
            return cached
        summary = await self._store.run(lambda s: s.mail.summary(message_id))
        path = f"/me/messages/{_q(message_id)}"
        try:
            response = await self._client.request(
                "GET", path, params={"$select": FULL_SELECT, "$expand": ATTACHMENTS_EXPAND})
            data = json_object(response)
        except BadRequest:
            # A server that cannot $select inside $expand: metadata in a second request.
            try:
                response = await self._client.request("GET", path, params={
                    "$select": FULL_SELECT, "$expand": SUMMARY_EXPAND})
            except BadRequest:  # nor a $filter inside it: no replied/forwarded mark
                response = await self._client.request("GET", path,
                                                      params={"$select": FULL_SELECT})
            data = json_object(response)
            data["attachments"] = [a async for a in self._client.items(
                path + "/attachments", params={"$select": ",".join(ATTACHMENT_SELECT)})]
        message = message_from_json(data, summary.folder_id if summary else "")
        raw = response.text[:2_000_000]
        await self._store.tx(lambda s: s.mail.save_message(message, raw))
        return message

    async def source(self, message_id: MessageId) -> str | None:
        """The JSON Graph sent for the message ("view source"), once it was opened."""
        return await self._store.run(lambda s: s.mail.raw_json(message_id))

    async def search_server(self, text: str, folder_id: FolderId | None) -> list[MessageSummary]:
        """Graph ``$search``; results are cached and returned (sent-date order, max 250)."""
        phrase = text.replace('"', " ").replace("\\", " ").strip()
        if not phrase:
            return []
        path = (f"/me/mailFolders/{_q(folder_id)}/messages" if folder_id else "/me/messages")
        data = await self._client.get_json(path, params={
            "$search": f'"{phrase}"', "$select": SUMMARY_SELECT, "$expand": SUMMARY_EXPAND,
            "$top": "250"})
        raw = data.get("value")
        rows = [summary_from_json(i, folder_id or "") for i in raw if isinstance(i, dict)] \
            if isinstance(raw, list) else []
        rows = [r for r in rows if r.id]

        def write(s: Store) -> list[MessageSummary]:
            # As a sync page does: queued changes (read, flag, move, delete, a reply mark)
            # are laid back on the server's rows, and the results show them too.
            s.mail.upsert_messages(rows)
            overlay_pending(s, {r.id for r in rows})
            return [m for r in rows if (m := s.mail.summary(r.id)) is not None]

        return await self._store.tx(write)

    async def attachment_bytes(self, message_id: MessageId, attachment_id: AttachmentId) -> bytes:
        """The raw content of an attachment."""
        response = await self._client.request(
            "GET", f"/me/messages/{_q(message_id)}/attachments/{_q(attachment_id)}/$value")
        return response.content

    async def submit(self, op: Operation) -> None:
        """Apply ``op`` locally and queue it."""
        await self._submitter.submit(op)

    async def undo(self) -> Operation | None:
        """Undo the newest undoable operation."""
        return await self._submitter.undo()

    async def refresh(self, folder_id: FolderId | None = None) -> None:
        """Ask the sync engine for a pass (this folder first)."""
        self._engine.request(folder_id)


def _q(value: str) -> str:
    return quote(value, safe="=-_")

