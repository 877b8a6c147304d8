"""Mail JSON <-> domain: folders, messages, attachments, drafts, flags."""

from __future__ import annotations

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


def summary_from_json(data: Any, folder_id: str = "",
                      warnings: Warnings | None = None) -> MessageSummary:
    """A message (or eventMessage) as a list row. ``folder_id`` is used when Graph omits it."""
    d = obj(data)
    odata_type = text(d.get("@odata.type")).lstrip("#").removeprefix("microsoft.graph.")
    importance = _IMPORTANCE.get(text(d.get("importance")).lower(), Importance.NORMAL)
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
