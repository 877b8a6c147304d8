"""Mail JSON <-> domain: folders, messages, attachments, drafts, flags."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from olk_tui.domain.ids import AttachmentId, FolderId, MessageId
from olk_tui.domain.mail import (
    Attachment,
    Draft,
    Flag,
    FlagStatus,
    Folder,
    Importance,
    InternetHeader,
    LastVerb,
    Message,
    MessageBody,
    MessageSummary,
)
from olk_tui.graph.mapping.common import (
    Warnings,
    boolean,
    date_time_tz,
    date_time_tz_to_json,
    integer,
    note,
    obj,
    objs,
    recipient,
    recipient_to_json,
    recipients,
    text,
    texts,
    timestamp,
)

_FLAG_STATUS = {s.value.lower(): s for s in FlagStatus}
_IMPORTANCE = {i.value: i for i in Importance}
#: MAPI PidTagLastVerbExecuted and PidTagLastVerbExecutionTime as Graph names them.
LAST_VERB_ID = "Integer 0x1081"
LAST_VERB_TIME_ID = "SystemTime 0x1082"
#: The ``$expand`` that brings both on list, get and delta (no extra request).
LAST_VERB_EXPAND = (f"singleValueExtendedProperties($filter=id eq '{LAST_VERB_ID}' "
                    f"or id eq '{LAST_VERB_TIME_ID}')")
#: NOTEIVERB_REPLYTOSENDER, NOTEIVERB_REPLYTOALL, NOTEIVERB_FORWARD (MS-OXOMSG).
_VERBS = {102: LastVerb.REPLIED, 103: LastVerb.REPLIED_ALL, 104: LastVerb.FORWARDED}
_ATTACHMENT_KINDS = {
    "microsoft.graph.fileattachment": "file",
    "microsoft.graph.itemattachment": "item",
    "microsoft.graph.referenceattachment": "reference",
}


def _id(data: Any, what: str, warnings: Warnings | None) -> str:
    value = text(obj(data).get("id"))
    if not value:
        note(warnings, f"{what}: no id")
    return value


def folder_from_json(data: Any, warnings: Warnings | None = None) -> Folder:
    """A mailFolder."""
    d = obj(data)
    parent = text(d.get("parentFolderId"))
    well_known = text(d.get("wellKnownName")) or None
    return Folder(
        id=FolderId(_id(d, "mailFolder", warnings)),
        display_name=text(d.get("displayName")),
        parent_id=FolderId(parent) if parent else None,
        well_known_name=well_known,
        child_folder_count=max(0, integer(d.get("childFolderCount"))),
        unread_count=max(0, integer(d.get("unreadItemCount"))),
        total_count=max(0, integer(d.get("totalItemCount"))),
        is_hidden=boolean(d.get("isHidden")),
    )


def flag_from_json(data: Any, warnings: Warnings | None = None) -> Flag:
    """A followupFlag; unknown statuses read as not flagged."""
    d = obj(data)
    raw = text(d.get("flagStatus"))
    status = _FLAG_STATUS.get(raw.lower())
    if status is None:
        if raw:
            note(warnings, f"flag: unknown flagStatus {raw[:30]!r}")
        status = FlagStatus.NOT_FLAGGED
    return Flag(
        status=status,
        start=date_time_tz(d.get("startDateTime"), "flag.startDateTime", warnings),
        due=date_time_tz(d.get("dueDateTime"), "flag.dueDateTime", warnings),
        completed=date_time_tz(d.get("completedDateTime"), "flag.completedDateTime", warnings),
    )


def _property_key(prop_id: str) -> tuple[str, int] | None:
    """("integer", 0x1081) for "Integer 0x1081" (any case, leading zeros), else None."""
    kind, _, tag = prop_id.strip().partition(" ")
    if not tag.lower().startswith("0x"):
        return None
    try:
        return kind.lower(), int(tag[2:], 16)
    except ValueError:
        return None


def _verb_code(value: Any) -> int:
    """The verb number Graph sends as a string ("102"); -1 when it is not one."""
    if isinstance(value, str):
        value = value.strip()
        return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else -1
    return integer(value, -1)


_VERB_KEY = _property_key(LAST_VERB_ID)
_VERB_TIME_KEY = _property_key(LAST_VERB_TIME_ID)


def last_verb_from_json(data: Any, warnings: Warnings | None = None
                        ) -> tuple[LastVerb, datetime | None]:
    """The reply/forward mark from ``singleValueExtendedProperties``; anything missing,
    malformed or unknown (other verbs: read receipts, meeting responses...) is no mark."""
    verb, when = LastVerb.NONE, None
    for prop in objs(obj(data).get("singleValueExtendedProperties")):
        key = _property_key(text(prop.get("id")))
        if key == _VERB_KEY:
            code = _verb_code(prop.get("value"))
            verb = _VERBS.get(code, LastVerb.NONE)
            if verb is LastVerb.NONE and code != -1:
                note(warnings, f"lastVerbExecuted: verb {code} is not a reply or forward")
        elif key == _VERB_TIME_KEY:
            when = timestamp(prop.get("value"), "lastVerbExecutionTime", warnings)
    return verb, when if verb is not LastVerb.NONE else None


def summary_from_json(data: Any, folder_id: str = "",
                      warnings: Warnings | None = None) -> MessageSummary:
    """A message (or eventMessage) as a list row. ``folder_id`` is used when Graph omits it."""
    d = obj(data)
    odata_type = text(d.get("@odata.type")).lstrip("#").removeprefix("microsoft.graph.")
    importance = _IMPORTANCE.get(text(d.get("importance")).lower(), Importance.NORMAL)
    verb, verb_time = last_verb_from_json(d, warnings)
    return MessageSummary(
        id=MessageId(_id(d, "message", warnings)),
        folder_id=FolderId(text(d.get("parentFolderId")) or folder_id),
        subject=text(d.get("subject")),
        sender=recipient(d.get("sender")),
        from_=recipient(d.get("from")),
        to=recipients(d.get("toRecipients")),
        cc=recipients(d.get("ccRecipients")),
        preview=text(d.get("bodyPreview")),
        received=timestamp(d.get("receivedDateTime"), "receivedDateTime", warnings),
        sent=timestamp(d.get("sentDateTime"), "sentDateTime", warnings),
        is_read=boolean(d.get("isRead"), True),
        is_draft=boolean(d.get("isDraft")),
        flag=flag_from_json(d.get("flag"), warnings),
        importance=importance,
        categories=texts(d.get("categories")),
        has_attachments=boolean(d.get("hasAttachments")),
        conversation_id=text(d.get("conversationId")),
        internet_message_id=text(d.get("internetMessageId")),
        web_link=text(d.get("webLink")),
        odata_type=odata_type if odata_type.startswith("eventMessage") else "",
        meeting_message_type=text(d.get("meetingMessageType")),
        change_key=text(d.get("changeKey")),
        last_verb=verb,
        last_verb_time=verb_time,
    )


def body_from_json(data: Any) -> MessageBody:
    """An itemBody; content type normalised to "html" or "text"."""
    d = obj(data)
    kind = text(d.get("contentType"), "text").lower()
    return MessageBody(content_type="html" if kind == "html" else "text",
                       content=text(d.get("content")))


def attachment_from_json(data: Any, warnings: Warnings | None = None) -> Attachment:
    """Attachment metadata; ``kind`` from @odata.type (content is never kept here)."""
    d = obj(data)
    kind = _ATTACHMENT_KINDS.get(text(d.get("@odata.type")).lower().lstrip("#"), "file")
    return Attachment(
        id=AttachmentId(_id(d, "attachment", warnings)),
        name=text(d.get("name")),
        content_type=text(d.get("contentType")) or "application/octet-stream",
        size=max(0, integer(d.get("size"))),
        is_inline=boolean(d.get("isInline")),
        kind=kind,
        content_id=text(d.get("contentId")),
        last_modified=timestamp(d.get("lastModifiedDateTime"), "attachment.lastModified",
                                warnings),
    )


def message_from_json(data: Any, folder_id: str = "",
                      warnings: Warnings | None = None) -> Message:
    """A full message: summary, body, bcc, reply-to, headers, expanded attachments."""
    d = obj(data)
    headers = tuple(
        InternetHeader(name=text(h.get("name")), value=text(h.get("value")))
        for h in objs(d.get("internetMessageHeaders"))
    )
    event = obj(d.get("event"))
    return Message(
        summary=summary_from_json(d, folder_id, warnings),
        body=body_from_json(d.get("body")),
        bcc=recipients(d.get("bccRecipients")),
        reply_to=recipients(d.get("replyTo")),
        attachments=tuple(attachment_from_json(a, warnings) for a in objs(d.get("attachments"))),
        headers=headers,
        event_id=text(event.get("id")),
    )


# ---------------------------------------------------------------- domain -> JSON


def flag_to_json(flag: Flag) -> dict[str, Any]:
    """A Flag as followupFlag (for PATCH)."""
    out: dict[str, Any] = {"flagStatus": flag.status.value}
    if flag.status is FlagStatus.FLAGGED:
        if flag.start is not None:
            out["startDateTime"] = date_time_tz_to_json(flag.start)
        if flag.due is not None:
            out["dueDateTime"] = date_time_tz_to_json(flag.due)
    if flag.status is FlagStatus.COMPLETE and flag.completed is not None:
        out["completedDateTime"] = date_time_tz_to_json(flag.completed)
    return out


def draft_to_json(draft: Draft) -> dict[str, Any]:
    """A Draft as a message resource for ``POST /me/messages`` or a PATCH of a draft."""
    out: dict[str, Any] = {
        "subject": draft.subject,
        "body": {"contentType": "HTML" if draft.body.content_type == "html" else "Text",
                 "content": draft.body.content},
        "toRecipients": [recipient_to_json(r) for r in draft.to],
        "ccRecipients": [recipient_to_json(r) for r in draft.cc],
        "bccRecipients": [recipient_to_json(r) for r in draft.bcc],
        "importance": draft.importance.value,
        "isReadReceiptRequested": draft.request_read_receipt,
    }
    if draft.from_ is not None:
        out["from"] = recipient_to_json(draft.from_)
    return out
