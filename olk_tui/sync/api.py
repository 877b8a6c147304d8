"""The contract between the UI and the repositories.

The UI imports only these protocols, the announcement types and ``olk_tui.domain``; the
concrete repositories (cache + Graph) and the in-process fakes used in some UI tests both
satisfy it. Every read answers from the local cache without waiting on the network; refreshes
run in the background and are announced through ``subscribe``. Listeners are called on the
event loop that owns the repository, never from another thread.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from olk_tui.domain.calendar import Calendar, Event, MeetingSuggestion, ScheduleInfo
from olk_tui.domain.contacts import Contact, ContactFolder
from olk_tui.domain.ids import AttachmentId, EventId, FolderId, MessageId
from olk_tui.domain.mail import Draft, Folder, Message, MessageSummary, Recipient
from olk_tui.domain.operations import Operation
from olk_tui.domain.settings import MailboxSettings, User

# --------------------------------------------------------------------------- queries


@dataclass(frozen=True, slots=True)
class ListQuery:
    """Which messages a list shows. ``folder_id`` None means every folder (search results)."""

    folder_id: FolderId | None
    newest_first: bool = True
    unread_only: bool = False
    flagged_only: bool = False
    with_attachments: bool = False
    from_address: str | None = None
    #: Local full-text query (FTS5 over sender, recipients, subject, preview, bodies).
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Conversation:
    """One conversation of a list (conversation view): messages of the query that share a
    ``conversationId`` (a message without one is alone).

    ``head`` is its first message in the list's order (the newest when the list is newest
    first); conversations are ordered by their heads. ``member_ids`` lists every message of
    it that the query matches, in the list's order, head first.
    """

    key: str
    head: MessageSummary
    size: int
    member_ids: tuple[MessageId, ...]


# --------------------------------------------------------------------------- announcements


class SyncState(StrEnum):
    """What the background sync is doing."""

    IDLE = "idle"
    SYNCING = "syncing"
    OFFLINE = "offline"
    AUTH_REQUIRED = "auth_required"


@dataclass(frozen=True, slots=True)
class RepoEvent:
    """Base of everything a repository announces."""


@dataclass(frozen=True, slots=True)
class FoldersChanged(RepoEvent):
    """Folder tree or counts changed."""

    folder_ids: frozenset[FolderId] = frozenset()


@dataclass(frozen=True, slots=True)
class MessagesChanged(RepoEvent):
    """Rows in these folders changed (added, updated, removed)."""

    folder_ids: frozenset[FolderId] = frozenset()
    message_ids: frozenset[MessageId] = frozenset()


@dataclass(frozen=True, slots=True)
class NewMail(RepoEvent):
    """Unread messages that arrived in the Inbox since the last sync (for notifications)."""

    messages: tuple[MessageSummary, ...] = ()


@dataclass(frozen=True, slots=True)
class EventsChanged(RepoEvent):
    """Events in this range changed."""

    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True, slots=True)
class ContactsChanged(RepoEvent):
    """Contacts changed."""


@dataclass(frozen=True, slots=True)
class SettingsChanged(RepoEvent):
    """The mailbox settings changed (a local change applied, confirmed or reverted, or a
    fresh copy from Graph); ``settings`` is the new value (``Account.settings`` already
    holds it)."""

    settings: MailboxSettings = field(default_factory=MailboxSettings)


@dataclass(frozen=True, slots=True)
class IdentityChanged(RepoEvent):
    """The signed-in user became known or changed (``/me`` answered); ``Account.user``
    already holds it."""

    user: User = field(default_factory=lambda: User(id=""))


@dataclass(frozen=True, slots=True)
class OperationFailed(RepoEvent):
    """An operation failed for good and its local change was reverted."""

    operation: Operation
    reason: str


@dataclass(frozen=True, slots=True)
class OutboxChanged(RepoEvent):
    """An outbox item changed state (queued, sending, sent, failed).

    While a large attachment goes up, ``state`` is ``"uploading"``, ``progress`` is the part
    of that file sent (0..1, one announcement per uploaded range) and ``detail`` says which
    file and how much ("report.zip: 4.0 of 10.8 MB"); otherwise ``progress`` is None.
    """

    item_id: str = ""
    state: str = ""
    error: str = ""
    progress: float | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class SyncStatus(RepoEvent):
    """Sync progress and connectivity; ``progress`` is 0..1 while history loads, else None."""

    state: SyncState = SyncState.IDLE
    pending_operations: int = 0
    progress: float | None = None
    detail: str = ""
    last_error: str = ""


Listener = Callable[[RepoEvent], None]


# --------------------------------------------------------------------------- protocols


class MailRepository(Protocol):
    """Mail folders and messages."""

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Register a listener; returns a function that unregisters it."""
        ...

    async def folders(self) -> list[Folder]:
        """The folder tree (flat, with parent ids), from the cache."""
        ...

    async def count(self, query: ListQuery) -> int:
        """How many messages the query matches, from the cache."""
        ...

    async def window(self, query: ListQuery, offset: int, limit: int) -> list[MessageSummary]:
        """Rows ``offset .. offset+limit`` of the query, from the cache (cost independent of
        the folder size)."""
        ...

    async def conversation_count(self, query: ListQuery) -> int:
        """How many conversations the query's messages form, from the cache."""
        ...

    async def conversations(self, query: ListQuery, offset: int,
                            limit: int) -> list[Conversation]:
        """Conversations ``offset .. offset+limit`` of the query in the list's order, from the
        cache (cost independent of the folder size for an unfiltered folder)."""
        ...

    async def conversation(self, query: ListQuery,
                           key: str) -> tuple[int, list[MessageSummary]] | None:
        """Conversation ``key`` of the query: its index among the query's conversations and
        its messages in the list's order; None when no message of it matches."""
        ...

    async def message(self, message_id: MessageId) -> Message:
        """The full message: from the cache when its body is there, else fetched and kept.

        Raises:
            NotFound, Offline, AuthRequired: as the domain errors say.
        """
        ...

    async def cached_message(self, message_id: MessageId) -> Message | None:
        """The full message if its body is in the cache, else None; never fetches (for
        preparing a message the user may open next without spending a request)."""
        ...

    async def search_server(self, text: str, folder_id: FolderId | None) -> list[MessageSummary]:
        """Graph ``$search`` (KQL); results are stored in the cache and returned."""
        ...

    async def attachment_bytes(self, message_id: MessageId, attachment_id: AttachmentId) -> bytes:
        """The raw content of a file attachment (fetched on demand)."""
        ...

    async def submit(self, op: Operation) -> None:
        """Apply ``op`` to the cache and queue it durably; returns at once."""
        ...

    async def undo(self) -> Operation | None:
        """Queue the inverse of the last undoable operation; returns what was undone."""
        ...

    async def refresh(self, folder_id: FolderId | None = None) -> None:
        """Ask for a background refresh (this folder first); returns without waiting."""
        ...


class OutboxRepository(Protocol):
    """Local drafts and the outbox (sends that never duplicate and never drop)."""

    async def save_local_draft(self, key: str, draft: Draft) -> None:
        """Persist the composer's state locally (crash safety); cheap, call often."""
        ...

    async def local_drafts(self) -> list[tuple[str, Draft]]:
        """Drafts saved locally and not yet sent or discarded (offered on the next start)."""
        ...

    async def discard_local_draft(self, key: str) -> None:
        """Forget a local draft."""
        ...

    async def save_server_draft(self, draft: Draft) -> Draft:
        """Create or update the draft in the server's Drafts folder; returns it with its id."""
        ...

    async def send(self, draft: Draft) -> str:
        """Put ``draft`` in the outbox; returns the outbox item id. Sending happens in the
        background and is announced with ``OutboxChanged``."""
        ...

    async def outbox(self) -> list[tuple[str, str, Draft]]:
        """Items waiting or failed: (item id, state, draft)."""
        ...

    async def cancel(self, item_id: str) -> Draft | None:
        """Take an item out of the outbox before it is sent; returns its draft."""
        ...


class CalendarRepository(Protocol):
    """Calendars, events, free/busy."""

    async def calendars(self) -> list[Calendar]:
        ...

    async def events(self, start: datetime, end: datetime) -> list[Event]:
        """Occurrences overlapping ``[start, end)`` from the cache (a refresh of the window is
        started in the background)."""
        ...

    async def event(self, event_id: EventId) -> Event:
        ...

    async def schedule(self, addresses: list[str], start: datetime, end: datetime,
                       interval_minutes: int = 30) -> list[ScheduleInfo]:
        ...

    async def find_meeting_times(self, attendees: list[str], start: datetime, end: datetime,
                                 duration_minutes: int) -> tuple[list[MeetingSuggestion], str]:
        """Suggestions and Graph's ``emptySuggestionsReason`` ("" when there are some)."""
        ...

    async def supported_time_zones(self) -> list[tuple[str, str]]:
        """The mailbox's supportedTimeZones as (name Graph accepts, display name); fetched
        from Graph (an empty list when the server gives none).

        Raises:
            Offline, AuthRequired: as the domain errors say.
        """
        ...

    async def submit(self, op: Operation) -> None:
        ...


class ContactsRepository(Protocol):
    """Contacts and address completion."""

    async def folders(self) -> list[ContactFolder]:
        ...

    async def contacts(self, text: str = "", limit: int = 500) -> list[Contact]:
        ...

    async def complete(self, prefix: str, limit: int = 10) -> list[Recipient]:
        """Addresses ranked from contacts, people and recent correspondents."""
        ...

    async def submit(self, op: Operation) -> None:
        ...


@dataclass
class Account:
    """Everything the UI needs for one account, built by the CLI and by tests."""

    name: str
    user: User
    mail: MailRepository
    calendar: CalendarRepository
    contacts: ContactsRepository
    outbox: OutboxRepository
    settings: MailboxSettings = field(default_factory=MailboxSettings)
    is_demo: bool = False
    #: Starts background sync and the operation runner; returns when they are running.
    start: Callable[[], object] | None = None
    #: Stops them and closes network and cache.
    close: Callable[[], object] | None = None
    #: An interactive device-code sign-in for this account, run in a worker thread: it calls
    #: ``on_code(user_code, verification_url, expires_at_epoch)`` and polls until approved,
    #: expired or ``cancel`` (a ``threading.Event``) is set; returns whether it signed in. The
    #: app shows the code in a dialog when the account needs signing in again. None: no
    #: sign-in (demo).
    sign_in: Callable[[Callable[[str, str, int], None], Any], bool] | None = None
    #: Awaits the signed-in user: at once when known (cached from an earlier run, or
    #: fetched), else until ``/me`` answers (announced as ``IdentityChanged``). Use it
    #: before anything that must exclude the user's own address (reply-all).
    identity: Callable[[], Awaitable[User]] | None = None
    #: The account has never signed in (no token stored): the app does not start its sync,
    #: offers ``sign_in`` as soon as it is up (or says how to sign in when it is None) and
    #: starts the sync once signed in. The app sets it back to False then.
    needs_sign_in: bool = False


async def aiter_pages(pages: AsyncIterator[list[MessageSummary]]) -> list[MessageSummary]:
    """Collect every page of an async page iterator (helper for tests and the CLI)."""
    out: list[MessageSummary] = []
    async for page in pages:
        out.extend(page)
    return out
