"""Mail: folders, message summaries (list rows), full messages, attachments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from olk_tui.domain.ids import AttachmentId, FolderId, MessageId


class WellKnownFolder(StrEnum):
    """Graph's well-known folder names, in Outlook's display order."""

    INBOX = "inbox"
    DRAFTS = "drafts"
    SENT_ITEMS = "sentitems"
    ARCHIVE = "archive"
    DELETED_ITEMS = "deleteditems"
    JUNK_EMAIL = "junkemail"
    OUTBOX = "outbox"


WELL_KNOWN_ORDER: tuple[WellKnownFolder, ...] = tuple(WellKnownFolder)


class FlagStatus(StrEnum):
    """followupFlag.flagStatus."""

    NOT_FLAGGED = "notFlagged"
    FLAGGED = "flagged"
    COMPLETE = "complete"


class Importance(StrEnum):
    """message.importance."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class LastVerb(StrEnum):
    """The last reply or forward sent from a message (Exchange's PidTagLastVerbExecuted).

    The values match ``Draft.reply_kind``; ``NONE`` (empty) means no reply or forward is known.
    """

    NONE = ""
    REPLIED = "reply"
    REPLIED_ALL = "replyAll"
    FORWARDED = "forward"

    @classmethod
    def from_reply_kind(cls, kind: str) -> LastVerb:
        """The verb a draft's ``reply_kind`` sets on its original ("" for others)."""
        return {"reply": cls.REPLIED, "replyall": cls.REPLIED_ALL,
                "forward": cls.FORWARDED}.get(kind.lower(), cls.NONE)


@dataclass(frozen=True, slots=True)
class Recipient:
    """An address with an optional display name (Graph's emailAddress)."""

    address: str
    name: str = ""

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address


@dataclass(frozen=True, slots=True)
class Flag:
    """Follow-up flag; dates are timezone-aware or None."""

    status: FlagStatus = FlagStatus.NOT_FLAGGED
    start: datetime | None = None
    due: datetime | None = None
    completed: datetime | None = None

    @property
    def is_flagged(self) -> bool:
        return self.status is FlagStatus.FLAGGED


@dataclass(frozen=True, slots=True)
class Folder:
    """A mail folder and its counts."""

    id: FolderId
    display_name: str
    parent_id: FolderId | None = None
    well_known_name: str | None = None
    child_folder_count: int = 0
    unread_count: int = 0
    total_count: int = 0
    is_hidden: bool = False


@dataclass(frozen=True, slots=True)
class MessageSummary:
    """What a message-list row needs; everything else is fetched when the message is opened."""

    id: MessageId
    folder_id: FolderId
    subject: str = ""
    sender: Recipient | None = None
    from_: Recipient | None = None
    to: tuple[Recipient, ...] = ()
    cc: tuple[Recipient, ...] = ()
    preview: str = ""
    received: datetime | None = None
    sent: datetime | None = None
    is_read: bool = True
    is_draft: bool = False
    flag: Flag = field(default_factory=Flag)
    importance: Importance = Importance.NORMAL
    categories: tuple[str, ...] = ()
    has_attachments: bool = False
    conversation_id: str = ""
    internet_message_id: str = ""
    web_link: str = ""
    #: "eventMessage" subtypes (meeting requests/responses) carry their @odata.type here.
    odata_type: str = ""
    meeting_message_type: str = ""
    change_key: str = ""
    #: Replied / replied all / forwarded (from the extended properties Graph expands), and
    #: when (aware UTC, or None when Graph did not say).
    last_verb: LastVerb = LastVerb.NONE
    last_verb_time: datetime | None = None


@dataclass(frozen=True, slots=True)
class MessageBody:
    """A body as Graph returned it: ``content_type`` is "html" or "text"; content is untrusted."""

    content_type: str = "text"
    content: str = ""


@dataclass(frozen=True, slots=True)
class InternetHeader:
    """One internetMessageHeaders entry."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """Attachment metadata (content is fetched on demand, never kept in memory here).

    ``kind`` is "file", "item" or "reference" (from @odata.type).
    """

    id: AttachmentId
    name: str
    content_type: str = "application/octet-stream"
    size: int = 0
    is_inline: bool = False
    kind: str = "file"
    content_id: str = ""
    last_modified: datetime | None = None


@dataclass(frozen=True, slots=True)
class Message:
    """A full message: its summary plus body, recipients, headers and attachments."""

    summary: MessageSummary
    body: MessageBody = field(default_factory=MessageBody)
    bcc: tuple[Recipient, ...] = ()
    reply_to: tuple[Recipient, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    headers: tuple[InternetHeader, ...] = ()
    #: For eventMessage: the id of the linked event, when Graph gave it.
    event_id: str = ""

    @property
    def id(self) -> MessageId:
        return self.summary.id


@dataclass(frozen=True, slots=True)
class Draft:
    """What the composer produces; the outbox turns it into Graph calls."""

    subject: str = ""
    to: tuple[Recipient, ...] = ()
    cc: tuple[Recipient, ...] = ()
    bcc: tuple[Recipient, ...] = ()
    body: MessageBody = field(default_factory=MessageBody)
    importance: Importance = Importance.NORMAL
    request_read_receipt: bool = False
    #: Local paths of files to attach.
    attachment_paths: tuple[str, ...] = ()
    #: Server draft id once created (createReply etc. or POST /messages).
    server_id: MessageId | None = None
    #: For replies/forwards: which message and which action ("reply", "replyAll", "forward").
    in_reply_to: MessageId | None = None
    reply_kind: str = ""
    from_: Recipient | None = None
