"""Typed mail endpoints: folders, messages, sending, replies, delta and attachments."""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from olk_tui.domain.errors import BadRequest, ServerError
from olk_tui.domain.mail import Attachment, Draft, Folder, Message, MessageSummary, Recipient
from olk_tui.graph import mapping
from olk_tui.graph.api_base import ApiCore, DeltaPage, max_page_size
from olk_tui.graph.endpoints import path, select

#: FACTS #35/#36: up to 3 MB as one POST; above, an upload session in <= 4 MB ranges.
SMALL_ATTACHMENT_LIMIT = 3 * 1024 * 1024
UPLOAD_CHUNK = 4 * 1024 * 1024 - 64 * 1024  # a multiple of 320 KiB, under 4 MB


@dataclass(frozen=True, slots=True)
class UploadSession:
    """A large-attachment upload session (its URL is pre-authenticated: never log it)."""

    upload_url: str
    expiration: str = ""
    next_expected_ranges: tuple[str, ...] = ()


def _message_body(value: Draft | dict[str, Any]) -> dict[str, Any]:
    return mapping.draft_to_json(value) if isinstance(value, Draft) else dict(value)


class MailApi(ApiCore):
    """Mail endpoints, returning domain objects."""

    # ---------------------------------------------------------------- folders

    async def mail_folders(self, *, include_hidden: bool = False) -> list[Folder]:
        """Top-level mail folders."""
        params: dict[str, Any] = {"$select": select("mail_folders"), "$top": 250}
        if include_hidden:
            params["includeHiddenFolders"] = "true"
        return await self._all(path("mail_folders"), mapping.folder_from_json, params)

    async def child_folders(self, folder_id: str) -> list[Folder]:
        """Direct children of a folder."""
        return await self._all(path("child_folders", folder_id=folder_id),
                               mapping.folder_from_json,
                               {"$select": select("child_folders"), "$top": 250})

    async def all_mail_folders(self, *, max_folders: int = 5000) -> list[Folder]:
        """Every folder, top-level first then children breadth-first (bounded)."""
        result = await self.mail_folders()
        queue = [f for f in result if f.child_folder_count > 0]
        seen = {f.id for f in result}
        while queue and len(result) < max_folders:
            parent = queue.pop(0)
            for child in await self.child_folders(parent.id):
                if child.id in seen:
                    continue
                seen.add(child.id)
                result.append(child)
                if child.child_folder_count > 0:
                    queue.append(child)
        return result

    async def create_folder(self, display_name: str, parent_id: str | None = None) -> Folder:
        """Create a folder at the top or under ``parent_id``."""
        body = {"displayName": display_name, "isHidden": False}
        if parent_id:
            data = await self._call_json("create_child_folder", json=body, folder_id=parent_id)
        else:
            data = await self._call_json("create_folder", json=body)
        return mapping.folder_from_json(data)

    async def rename_folder(self, folder_id: str, display_name: str) -> Folder:
        """Rename a folder."""
        data = await self._call_json("update_folder", json={"displayName": display_name},
                                     folder_id=folder_id)
        return mapping.folder_from_json(data)

    async def move_folder(self, folder_id: str, destination_id: str) -> Folder:
        """Move a folder under another."""
        data = await self._call_json("move_folder", json={"destinationId": destination_id},
                                     folder_id=folder_id)
        return mapping.folder_from_json(data)

    async def delete_folder(self, folder_id: str) -> None:
        """Delete a folder (and what it holds)."""
        await self._call("delete_folder", folder_id=folder_id)

    def folder_delta(self, delta_link: str | None = None) -> AsyncIterator[DeltaPage[Folder]]:
        """Folder changes since ``delta_link`` (everything when None)."""
        if delta_link:
            return self._delta(delta_link, mapping.folder_from_json)
        return self._delta(path("folder_delta"), mapping.folder_from_json,
                           {"$select": select("folder_delta")})

    # ---------------------------------------------------------------- messages

    async def list_messages(
        self,
        folder_id: str | None = None,
        *,
        top: int = 50,
        filter: str | None = None,
        orderby: str | None = None,
        search: str | None = None,
    ) -> AsyncIterator[list[MessageSummary]]:
        """Message rows page by page (``folder_id`` None: the whole mailbox, e.g. search).

        FACTS #24/#25: ``$search`` cannot be combined with ``$orderby`` or ``$filter``.
        """
        if search and (filter or orderby):
            raise BadRequest("$search cannot be combined with $filter or $orderby",
                             code="InvalidQuery")
        params: dict[str, Any] = {"$select": select("messages"), "$top": max(1, min(top, 1000))}
        if filter:
            params["$filter"] = filter
        if orderby:
            params["$orderby"] = orderby
        if search:
            params["$search"] = f'"{search.replace(chr(34), " ")}"'
        url = path("folder_messages", folder_id=folder_id) if folder_id else path("messages")
        warnings: list[str] = []
        async for page in self.pages(url, params):
            yield [mapping.summary_from_json(i, folder_id or "", warnings) for i in page.items]

    async def get_message(self, message_id: str, *, body_type: str | None = None,
                          with_attachments: bool = True) -> Message:
        """A full message; ``body_type`` "text" asks Graph to convert the body (FACTS #23).

        Attachment metadata is fetched with a second, ``$select``-ed call only when the
        message has attachments, so their bytes are never downloaded here.
        """
        headers = {"Prefer": f'outlook.body-content-type="{body_type}"'} if body_type else None
        data = await self._call_json("get_message", params={"$select": select("get_message")},
                                     headers=headers, message_id=message_id)
        message = mapping.message_from_json(data)
        if with_attachments and message.summary.has_attachments:
            attachments = await self.list_attachments(message_id)
            message = dataclasses.replace(message, attachments=tuple(attachments))
        return message

    async def get_message_mime(self, message_id: str) -> bytes:
        """The raw MIME of a message."""
        return (await self._call("message_mime", message_id=message_id)).content

    async def create_draft(self, draft: Draft | dict[str, Any]) -> Message:
        """Create a draft in Drafts (201 with its id); not idempotent."""
        data = await self._call_json("create_draft", json=_message_body(draft))
        return mapping.message_from_json(data)

    async def update_message(self, message_id: str, fields: dict[str, Any]) -> Message:
        """PATCH a message (isRead, flag, categories, importance, or a draft's content)."""
        data = await self._call_json("update_message", json=fields, message_id=message_id)
        return mapping.message_from_json(data)

    async def delete_message(self, message_id: str) -> None:
        """Delete permanently (a move to Deleted Items is ``move_message``)."""
        await self._call("delete_message", message_id=message_id)

    async def move_message(self, message_id: str, destination_id: str) -> MessageSummary:
        """Move; with immutable ids the id stays the same. Retried safely (idempotent)."""
        data = await self._call_json("move_message", json={"destinationId": destination_id},
                                     idempotent=True, message_id=message_id)
        return mapping.summary_from_json(data, destination_id)

    async def copy_message(self, message_id: str, destination_id: str) -> MessageSummary:
        """Copy; the copy has a new id."""
        data = await self._call_json("copy_message", json={"destinationId": destination_id},
                                     message_id=message_id)
        return mapping.summary_from_json(data, destination_id)

    async def send_draft(self, message_id: str) -> None:
        """Send a draft (202, no body)."""
        await self._call("send_draft", message_id=message_id)

    async def send_mail(self, message: Draft | dict[str, Any], *,
                        save_to_sent_items: bool = True) -> None:
        """Send at once (202, no id: use the draft flow when the id matters)."""
        await self._call("send_mail", json={"message": _message_body(message),
                                            "saveToSentItems": save_to_sent_items})

    async def reply(self, message_id: str, comment: str = "", *, reply_all: bool = False,
                    message: dict[str, Any] | None = None) -> None:
        """reply / replyAll, sent at once."""
        body: dict[str, Any] = {"comment": comment}
        if message:
            body["message"] = message
        await self._call("reply_all" if reply_all else "reply", json=body,
                         message_id=message_id)

    async def forward(self, message_id: str, to: Iterable[Recipient], comment: str = "") -> None:
        """Forward at once."""
        await self._call("forward", json={
            "comment": comment, "toRecipients": [mapping.recipient_to_json(r) for r in to]},
            message_id=message_id)

    async def create_reply(self, message_id: str, *, reply_all: bool = False,
                           comment: str = "") -> Message:
        """A reply draft to edit then send."""
        data = await self._call_json("create_reply_all" if reply_all else "create_reply",
                                     json={"comment": comment} if comment else {},
                                     message_id=message_id)
        return mapping.message_from_json(data)

    async def create_forward(self, message_id: str, to: Iterable[Recipient] = (),
                             comment: str = "") -> Message:
        """A forward draft."""
        body: dict[str, Any] = {}
        recipients = [mapping.recipient_to_json(r) for r in to]
        if recipients:
            body["toRecipients"] = recipients
        if comment:
            body["comment"] = comment
        data = await self._call_json("create_forward", json=body, message_id=message_id)
        return mapping.message_from_json(data)

    def message_delta(self, folder_id: str, delta_link: str | None = None, *,
                      page_size: int | None = None) -> AsyncIterator[DeltaPage[MessageSummary]]:
        """Message changes in a folder since ``delta_link`` (FACTS #3/#4: maxpagesize)."""
        def mapper(item: Any, warnings: list[str]) -> MessageSummary:
            return mapping.summary_from_json(item, folder_id, warnings)

        headers = max_page_size(page_size)
        if delta_link:
            return self._delta(delta_link, mapper, None, headers)
        return self._delta(path("message_delta", folder_id=folder_id), mapper,
                           {"$select": select("message_delta")}, headers)

    # ---------------------------------------------------------------- attachments

    async def list_attachments(self, message_id: str) -> list[Attachment]:
        """Attachment metadata of a message."""
        return await self._all(path("attachments", message_id=message_id),
                               mapping.attachment_from_json, {"$select": select("attachments")})

    async def get_attachment(self, message_id: str, attachment_id: str) -> Attachment:
        """One attachment's metadata (its bytes are left out with ``$select``)."""
        data = await self._call_json("get_attachment", message_id=message_id,
                                     attachment_id=attachment_id,
                                     params={"$select": select("attachments")})
        return mapping.attachment_from_json(data)

    async def attachment_content(self, message_id: str, attachment_id: str) -> bytes:
        """The raw bytes of a file attachment (``$value``)."""
        response = await self._call("attachment_content", message_id=message_id,
                                    attachment_id=attachment_id)
        return response.content

    async def add_attachment(self, message_id: str, name: str, content: bytes,
                             content_type: str = "application/octet-stream",
                             *, is_inline: bool = False) -> Attachment:
        """Attach a small file (< 3 MB) in one POST."""
        if len(content) > SMALL_ATTACHMENT_LIMIT:
            raise BadRequest("attachment too large for one request; use upload_attachment",
                             code="AttachmentTooLarge")
        data = await self._call_json("add_attachment", json={
            "@odata.type": "#microsoft.graph.fileAttachment", "name": name,
            "contentType": content_type, "isInline": is_inline,
            "contentBytes": base64.b64encode(content).decode("ascii")}, message_id=message_id)
        return mapping.attachment_from_json(data)

    async def create_upload_session(self, message_id: str, name: str, size: int,
                                    content_type: str = "application/octet-stream",
                                    ) -> UploadSession:
        """Start a large-attachment upload (3-150 MB)."""
        data = await self._call_json("create_upload_session", json={"AttachmentItem": {
            "attachmentType": "file", "name": name, "size": size,
            "contentType": content_type}}, message_id=message_id)
        url = data.get("uploadUrl")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise ServerError("upload session without a usable uploadUrl", code="NoUploadUrl")
        ranges = data.get("nextExpectedRanges")
        return UploadSession(url, str(data.get("expirationDateTime") or ""),
                             tuple(r for r in ranges if isinstance(r, str))
                             if isinstance(ranges, list) else ())

    async def upload_attachment(
        self, message_id: str, name: str, content: bytes,
        content_type: str = "application/octet-stream", *, chunk_size: int = UPLOAD_CHUNK,
        progress: Callable[[int, int], Awaitable[None] | None] | None = None,
    ) -> str:
        """Attach any size: one POST under 3 MB, else an upload session of ranged PUTs.

        The PUTs carry no Authorization header (the URL is pre-authenticated, FACTS #36).
        Returns the attachment id (from the final ``Location`` when Graph sends one).
        """
        if len(content) <= SMALL_ATTACHMENT_LIMIT:
            return (await self.add_attachment(message_id, name, content, content_type)).id
        session = await self.create_upload_session(message_id, name, len(content),
                                                   content_type)
        total = len(content)
        start = 0
        location = ""
        while start < total:
            end = min(start + chunk_size, total) - 1
            response = await self.request(
                "PUT", session.upload_url, content=content[start:end + 1], authenticated=False,
                headers={"Content-Type": "application/octet-stream",
                         "Content-Range": f"bytes {start}-{end}/{total}"})
            location = response.headers.get("location", location)
            start = end + 1
            if progress is not None:
                maybe = progress(start, total)
                if maybe is not None:
                    await maybe
        attachment_id = location.rstrip("/").rsplit("/", 1)[-1] if location else ""
        if "('" in attachment_id:
            attachment_id = attachment_id.split("('", 1)[1].rstrip("')")
        return attachment_id
