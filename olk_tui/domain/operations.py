"""Operations: every change the user makes is one of these objects.

``repo.submit(op)`` applies it to the cache and queues it durably in one transaction; a runner
sends it to Graph and confirms or reverts it. Operations are plain frozen data so the queue can
store them as JSON (``to_json``/``from_json``) and replay them after a crash.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from olk_tui.domain.ids import (
    CalendarId,
    ContactFolderId,
    ContactId,
    EventId,
    FolderId,
    MessageId,
)
from olk_tui.domain.mail import Flag, FlagStatus, Importance

#: What ``describe()`` says for operations without a description of their own.
_WORDS = {
    "save_event": "save the event", "delete_event": "delete the event",
    "cancel_event": "cancel the meeting", "rsvp": "answer the invitation",
    "save_contact": "save the contact", "delete_contact": "delete the contact",
    "mailbox_settings": "change the mailbox settings",
    "create_calendar": "create the calendar", "update_calendar": "change the calendar",
    "delete_calendar": "delete the calendar", "create_folder": "create the folder",
    "rename_folder": "rename the folder", "move_folder": "move the folder",
    "delete_folder": "delete the folder",
}


@dataclass(frozen=True, slots=True)
class Operation:
    """Base class; ``kind`` names the subclass in the queue."""

    kind: ClassVar[str] = "operation"

    def describe(self) -> str:
        """A short human description for toasts and the undo list ("delete the event")."""
        return _WORDS.get(self.kind, self.kind.replace("_", " "))


@dataclass(frozen=True, slots=True)
class MarkRead(Operation):
    """Mark messages read (or unread)."""

    kind: ClassVar[str] = "mark_read"
    message_ids: tuple[MessageId, ...] = ()
    is_read: bool = True

    def describe(self) -> str:
        state = "read" if self.is_read else "unread"
        return f"mark {len(self.message_ids)} {state}"


@dataclass(frozen=True, slots=True)
class SetFlag(Operation):
    """Flag (with optional start/due), complete or clear."""

    kind: ClassVar[str] = "set_flag"
    message_ids: tuple[MessageId, ...] = ()
    flag: Flag = field(default_factory=Flag)

    def describe(self) -> str:
        verbs = {FlagStatus.FLAGGED: "flag", FlagStatus.COMPLETE: "complete",
                 FlagStatus.NOT_FLAGGED: "clear flag on"}
        return f"{verbs[self.flag.status]} {len(self.message_ids)}"


@dataclass(frozen=True, slots=True)
class SetCategories(Operation):
    """Replace the categories of messages."""

    kind: ClassVar[str] = "set_categories"
    message_ids: tuple[MessageId, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SetImportance(Operation):
    """Change importance."""

    kind: ClassVar[str] = "set_importance"
    message_ids: tuple[MessageId, ...] = ()
    importance: Importance = Importance.NORMAL


@dataclass(frozen=True, slots=True)
class MoveMessages(Operation):
    """Move messages to a folder (archive and delete-to-trash are moves too)."""

    kind: ClassVar[str] = "move"
    message_ids: tuple[MessageId, ...] = ()
    destination_id: FolderId = FolderId("")
    #: Where they came from, so the move can be reverted or undone.
    source_id: FolderId | None = None

    def describe(self) -> str:
        return f"move {len(self.message_ids)}"


@dataclass(frozen=True, slots=True)
class CopyMessages(Operation):
    """Copy messages to a folder."""

    kind: ClassVar[str] = "copy"
    message_ids: tuple[MessageId, ...] = ()
    destination_id: FolderId = FolderId("")


@dataclass(frozen=True, slots=True)
class DeleteMessages(Operation):
    """Delete: to Deleted Items, or permanently when ``permanent``."""

    kind: ClassVar[str] = "delete"
    message_ids: tuple[MessageId, ...] = ()
    permanent: bool = False

    def describe(self) -> str:
        return f"delete {len(self.message_ids)}"


@dataclass(frozen=True, slots=True)
class CreateFolder(Operation):
    """Create a mail folder (under ``parent_id``, or at the top)."""

    kind: ClassVar[str] = "create_folder"
    display_name: str = ""
    parent_id: FolderId | None = None
    #: Local placeholder id until the server answers.
    local_id: FolderId = FolderId("")


@dataclass(frozen=True, slots=True)
class RenameFolder(Operation):
    """Rename a mail folder."""

    kind: ClassVar[str] = "rename_folder"
    folder_id: FolderId = FolderId("")
    display_name: str = ""


@dataclass(frozen=True, slots=True)
class MoveFolder(Operation):
    """Move a mail folder under another."""

    kind: ClassVar[str] = "move_folder"
    folder_id: FolderId = FolderId("")
    destination_id: FolderId = FolderId("")


@dataclass(frozen=True, slots=True)
class DeleteFolder(Operation):
    """Delete a mail folder."""

    kind: ClassVar[str] = "delete_folder"
    folder_id: FolderId = FolderId("")


@dataclass(frozen=True, slots=True)
class SaveEvent(Operation):
    """Create (``event_id`` None) or update an event; ``fields`` is Graph-shaped JSON."""

    kind: ClassVar[str] = "save_event"
    event_id: EventId | None = None
    calendar_id: CalendarId | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    local_id: EventId = EventId("")


@dataclass(frozen=True, slots=True)
class DeleteEvent(Operation):
    """Delete an event (or a whole series, given the master id)."""

    kind: ClassVar[str] = "delete_event"
    event_id: EventId = EventId("")


@dataclass(frozen=True, slots=True)
class CancelEvent(Operation):
    """Cancel a meeting the user organises, with a message to attendees."""

    kind: ClassVar[str] = "cancel_event"
    event_id: EventId = EventId("")
    comment: str = ""


@dataclass(frozen=True, slots=True)
class RespondToEvent(Operation):
    """accept / tentativelyAccept / decline, optionally proposing a new time."""

    kind: ClassVar[str] = "rsvp"
    event_id: EventId = EventId("")
    response: str = "accept"
    comment: str = ""
    send_response: bool = True
    proposed_start: datetime | None = None
    proposed_end: datetime | None = None


@dataclass(frozen=True, slots=True)
class SaveContact(Operation):
    """Create (``contact_id`` None) or update a contact; ``fields`` is Graph-shaped JSON."""

    kind: ClassVar[str] = "save_contact"
    contact_id: ContactId | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    local_id: ContactId = ContactId("")
    #: The contact folder a new contact goes to (None: the default Contacts folder).
    folder_id: ContactFolderId | None = None


@dataclass(frozen=True, slots=True)
class DeleteContact(Operation):
    """Delete a contact."""

    kind: ClassVar[str] = "delete_contact"
    contact_id: ContactId = ContactId("")


@dataclass(frozen=True, slots=True)
class UpdateMailboxSettings(Operation):
    """PATCH mailboxSettings with Graph-shaped ``fields``."""

    kind: ClassVar[str] = "mailbox_settings"
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CreateCalendar(Operation):
    """Create a calendar; ``color`` is Graph's named colour (auto, lightBlue, ...)."""

    kind: ClassVar[str] = "create_calendar"
    name: str = ""
    color: str = "auto"
    #: Local placeholder id until the server answers.
    local_id: CalendarId = CalendarId("")


@dataclass(frozen=True, slots=True)
class UpdateCalendar(Operation):
    """Rename and/or recolour a calendar (None leaves that property as it is)."""

    kind: ClassVar[str] = "update_calendar"
    calendar_id: CalendarId = CalendarId("")
    name: str | None = None
    color: str | None = None


@dataclass(frozen=True, slots=True)
class DeleteCalendar(Operation):
    """Delete a calendar and its events."""

    kind: ClassVar[str] = "delete_calendar"
    calendar_id: CalendarId = CalendarId("")


OPERATION_TYPES: dict[str, type[Operation]] = {
    cls.kind: cls
    for cls in (
        MarkRead, SetFlag, SetCategories, SetImportance, MoveMessages, CopyMessages,
        DeleteMessages, CreateFolder, RenameFolder, MoveFolder, DeleteFolder, SaveEvent,
        DeleteEvent, CancelEvent, RespondToEvent, SaveContact, DeleteContact,
        UpdateMailboxSettings, CreateCalendar, UpdateCalendar, DeleteCalendar,
    )
}


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$dt"}:
        return datetime.fromisoformat(value["$dt"])
    return value


def to_json(op: Operation) -> str:
    """Serialise an operation for the durable queue."""
    payload = {f.name: _encode(getattr(op, f.name)) for f in dataclasses.fields(op)}
    return json.dumps({"kind": op.kind, "data": payload}, separators=(",", ":"))


def from_json(text: str) -> Operation:
    """Rebuild an operation written by ``to_json``.

    Raises:
        ValueError: the text is not a known operation.
    """
    raw = json.loads(text)
    cls = OPERATION_TYPES.get(raw.get("kind", ""))
    if cls is None:
        raise ValueError(f"unknown operation kind {raw.get('kind')!r}")
    data = raw.get("data", {})
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name == "flag" and isinstance(value, dict):
            value = Flag(
                status=FlagStatus(value.get("status", "notFlagged")),
                start=_decode_value(value.get("start")),
                due=_decode_value(value.get("due")),
                completed=_decode_value(value.get("completed")),
            )
        elif f.name == "importance":
            value = Importance(value)
        elif isinstance(value, list):
            value = tuple(value)
        else:
            value = _decode_value(value)
        kwargs[f.name] = value
    return cls(**kwargs)
