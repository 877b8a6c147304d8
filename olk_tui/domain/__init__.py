"""Domain model: frozen dataclasses, typed ids and the error hierarchy (stdlib only).

Everything above this layer (graph, store, sync, ui) speaks in these types; only
``olk_tui.graph.mapping`` knows Graph's JSON shapes.
"""

from olk_tui.domain.calendar import (
    Attendee,
    Calendar,
    Event,
    MeetingSuggestion,
    Recurrence,
    RecurrencePattern,
    RecurrenceRange,
    ScheduleInfo,
    ScheduleItem,
)
from olk_tui.domain.contacts import Contact, ContactFolder, PhysicalAddress
from olk_tui.domain.errors import (
    AuthRequired,
    BadRequest,
    Conflict,
    Forbidden,
    GraphError,
    NotFound,
    Offline,
    OlkError,
    ServerError,
    SyncReset,
    Throttled,
)
from olk_tui.domain.ids import (
    AttachmentId,
    CalendarId,
    ContactFolderId,
    ContactId,
    EventId,
    FolderId,
    MessageId,
)
from olk_tui.domain.mail import (
    Attachment,
    Flag,
    Folder,
    InternetHeader,
    Message,
    MessageBody,
    MessageSummary,
    Recipient,
)
from olk_tui.domain.settings import AutomaticReplies, MailboxSettings, User, WorkingHours

__all__ = [
    "Attachment", "AttachmentId", "Attendee", "AuthRequired", "AutomaticReplies", "BadRequest",
    "Calendar", "CalendarId", "Conflict", "Contact", "ContactFolder", "ContactFolderId",
    "ContactId", "Event", "EventId", "Flag", "Folder", "FolderId", "Forbidden", "GraphError",
    "InternetHeader", "MailboxSettings", "MeetingSuggestion", "Message", "MessageBody",
    "MessageId", "MessageSummary", "NotFound", "Offline", "OlkError", "PhysicalAddress",
    "Recipient", "Recurrence", "RecurrencePattern", "RecurrenceRange", "ScheduleInfo",
    "ScheduleItem", "ServerError", "SyncReset", "Throttled", "User", "WorkingHours",
]
