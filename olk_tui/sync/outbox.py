"""The outbox sender: drafts become sent mail exactly once.

Every step is recorded in the store before the next network call (``store.outbox`` states):
``queued`` -> ``draft_created`` (the server draft's immutable id is known) ->
``attachments_uploaded`` -> ``send_requested`` -> ``confirmed``. After a crash, a timeout or a
5xx on ``send`` the item is in ``send_requested`` and its outcome is unknown, so the sender
first looks at the draft by its immutable id (it keeps that id when sent): still a draft means
not sent (send again); sent, or found in Sent Items by ``internetMessageId``, means confirmed.
A message is therefore never sent twice and never dropped. Permanent errors (403 SendAs denied,
400 rejected, 413 too large) put the item in ``failed`` with a readable error; the server draft
is kept in Drafts. While a large attachment goes up in ranges, each range is announced as
``OutboxChanged(state="uploading", progress=..., detail=...)`` (not a stored state).
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from olk_tui.domain.errors import BadRequest, Conflict, Forbidden, GraphError, NotFound
from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import Draft
from olk_tui.graph.bodies import json_object
from olk_tui.graph.mapping import draft_to_json
from olk_tui.store import AsyncStore, OutboxItem
from olk_tui.store import outbox as st
from olk_tui.sync import replymarks
from olk_tui.sync.announce import Announcer
from olk_tui.sync.api import MessagesChanged, OutboxChanged

if TYPE_CHECKING:
    from olk_tui.graph.client import GraphClient  # made after the first paint (see sync.account)

log = logging.getLogger(__name__)

INLINE_LIMIT = 3 * 1024 * 1024
UPLOAD_LIMIT = 150 * 1024 * 1024
CHUNK = 4 * 1024 * 1024 - (4 * 1024 * 1024) % 327_680  # multiple of 320 KiB, under 4 MiB
UPLOADING = "uploading"  # announced (never stored) while an upload session's ranges go up
_MB = 1024 * 1024
_CREATE = {"reply": "createReply", "replyall": "createReplyAll", "forward": "createForward"}


class SendFailed(Exception):
    """A permanent failure of one item, with a message for the user."""


def _q(value: str) -> str:
    return quote(value, safe="=-_")


def _readable(exc: GraphError) -> str:
    if isinstance(exc, Forbidden):
        if "sendas" in exc.code.lower():
            return "You may not send as this address (SendAs denied)."
        return f"Sending was refused: {exc.message or exc.code}"
    if exc.status == 413:
        return "The message is too large to send."
    return f"The server rejected the message: {exc}"


class OutboxSender:
    """Moves outbox items through their states; ``run_once`` sends everything it can."""

    def __init__(self, store: AsyncStore, client: GraphClient, announcer: Announcer) -> None:
        self._store = store
        self._client = client
        self._announce = announcer
        self._own: dict[str, Any] | None = None

    def _emit(self, item_id: str, state: str, error: str = "") -> None:
        self._announce.emit(OutboxChanged(item_id=item_id, state=state, error=error))

    def _progress(self, item_id: str, name: str, sent: int, total: int) -> None:
        """Announce how much of one attachment has gone up (once per uploaded range)."""
        self._announce.emit(OutboxChanged(
            item_id=item_id, state=UPLOADING, progress=min(1.0, sent / total) if total else 1.0,
            detail=f"{name}: {sent / _MB:.1f} of {total / _MB:.1f} MB"))

    async def run_once(self) -> int:
        """Advance every active item; returns how many are still active.

        Raises:
            GraphError: a transient failure; the item stays in its state for the next try.
        """
        items = await self._store.run(lambda s: s.outbox.items(st.ACTIVE_STATES))
        for item in items:
            try:
                await self._advance(item)
            except (SendFailed, Forbidden, BadRequest, Conflict) as exc:
                text = str(exc) if isinstance(exc, SendFailed) else _readable(exc)

                def failed(s: Any, i: str = item.id, t: str = text) -> tuple[str, str] | None:
                    s.outbox.update(i, state=st.FAILED, error=t)
                    return replymarks.settle(s, i, sent=False)  # the original not replied

                unmarked = await self._store.tx(failed)
                self._emit(item.id, st.FAILED, text)
                if unmarked is not None:
                    self._announce.emit(MessagesChanged(
                        folder_ids=frozenset({FolderId(unmarked[1])}),
                        message_ids=frozenset({MessageId(unmarked[0])})))
        left = await self._store.run(lambda s: s.outbox.items(st.ACTIVE_STATES))
        return len(left)

    async def _advance(self, item: OutboxItem) -> None:
        current: OutboxItem | None = item
        while current is not None and current.state in st.ACTIVE_STATES:
            if current.state == st.QUEUED:
                await self._create_draft(current)
            elif current.state == st.DRAFT_CREATED:
                await self._upload(current)
            elif current.state == st.ATTACHMENTS_UPLOADED:
                await self._send(current)
            elif current.state == st.SEND_REQUESTED:
                await self._resolve_unknown(current)
            item_id = current.id
            current = await self._store.run(lambda s, i=item_id: s.outbox.get(i))
            if current is not None:
                self._emit(current.id, current.state, current.error)

    async def _confirm(self, item_id: str) -> None:
        """Sent: the original's replied/forwarded mark is now the server's to report."""

        def tx(s: Any) -> None:
            s.outbox.update(item_id, state=st.CONFIRMED, error="")
            replymarks.settle(s, item_id, sent=True)

        await self._store.tx(tx)

    async def _set(self, item_id: str, **fields: Any) -> None:
        """Update an item; with ``expect_state`` only if nobody (cancel) changed it meanwhile."""
        await self._store.tx(lambda s: s.outbox.update(item_id, **fields))

    async def _own_address(self) -> dict[str, Any]:
        """The mailbox's own address as a Graph recipient (asked once, then kept)."""
        if self._own is None:
            me = json_object(await self._client.request(
                "GET", "/me", params={"$select": "displayName,mail,userPrincipalName"}))
            address = str(me.get("mail") or me.get("userPrincipalName") or "")
            self._own = {"emailAddress": {"address": address,
                                          "name": str(me.get("displayName") or "")}}
        return self._own

    # ------------------------------------------------------------------ steps

    async def _create_draft(self, item: OutboxItem) -> None:
        draft = item.draft
        body = draft_to_json(draft)
        existing = item.server_id or draft.server_id
        if existing:
            if draft.from_ is None:
                # Back to sending as the mailbox itself: an earlier try may have set another
                # From (refused Send As); leaving it out of the PATCH would keep that one.
                body["from"] = await self._own_address()
            await self._client.request("PATCH", f"/me/messages/{_q(existing)}", json=body)
            data = json_object(await self._client.request(
                "GET", f"/me/messages/{_q(existing)}",
                params={"$select": "id,internetMessageId"}))
        elif draft.in_reply_to and draft.reply_kind.lower() in _CREATE:
            action = _CREATE[draft.reply_kind.lower()]
            created = json_object(await self._client.request(
                "POST", f"/me/messages/{_q(draft.in_reply_to)}/{action}", json={}))
            mid = str(created.get("id", ""))
            # Record the id before anything else can fail, then fill in the composer's text.
            await self._set(item.id, server_id=mid)
            await self._client.request("PATCH", f"/me/messages/{_q(mid)}", json=body)
            data = created
        else:
            # Our own Message-ID (writable on drafts) makes the POST safe to repeat: after a
            # lost answer, the draft is looked up by it instead of being created twice.
            imid = item.internet_message_id or _message_id(item.id, draft)
            found = await self._find_draft(imid) if item.internet_message_id else None
            if found is None:
                await self._set(item.id, internet_message_id=imid)
                found = json_object(await self._client.request(
                    "POST", "/me/messages", json={**body, "internetMessageId": imid}))
            data = found
        mid = str(data.get("id", "")) or (existing or "")
        if not mid:
            raise SendFailed("The server did not return the draft's id.")
        await self._set(item.id, server_id=mid,
                        internet_message_id=str(data.get("internetMessageId") or "") or None)
        await self._set(item.id, expect_state=st.QUEUED, state=st.DRAFT_CREATED)

    async def _find_draft(self, internet_message_id: str) -> dict[str, Any] | None:
        escaped = internet_message_id.replace("'", "''")
        data = await self._client.get_json("/me/mailFolders/drafts/messages", params={
            "$filter": f"internetMessageId eq '{escaped}'",
            "$select": "id,internetMessageId", "$top": "1"})
        value = data.get("value")
        return value[0] if isinstance(value, list) and value and isinstance(value[0], dict) \
            else None

    async def _upload(self, item: OutboxItem) -> None:
        mid = item.server_id or ""
        done = list(item.uploaded)
        existing: set[tuple[str, int]] | None = None
        for path_text in item.draft.attachment_paths:
            if path_text in done:
                continue
            path = Path(path_text)
            try:
                size = (await asyncio.to_thread(_stat, path_text)).st_size
            except OSError as exc:
                raise SendFailed(f"Cannot read the attachment {path.name}: "
                                 f"{exc.strerror}") from None
            if size > UPLOAD_LIMIT:
                raise SendFailed(f"{path.name} is larger than 150 MB; Outlook cannot send it.")
            if existing is None:  # an earlier attempt may have uploaded it already
                existing = await self._attachments(mid)
            if (path.name, size) not in existing:
                if size < INLINE_LIMIT:
                    await self._client.request(
                        "POST", f"/me/messages/{_q(mid)}/attachments", idempotent=True, json={
                            "@odata.type": "#microsoft.graph.fileAttachment",
                            "name": path.name,
                            "contentBytes": base64.b64encode(await asyncio.to_thread(
                                _read, path_text)).decode()})
                else:
                    await self._upload_session(item.id, mid, path, size)
            done.append(path_text)
            await self._set(item.id, uploaded=tuple(done))
        await self._set(item.id, expect_state=st.DRAFT_CREATED, state=st.ATTACHMENTS_UPLOADED)

    async def _attachments(self, mid: str) -> set[tuple[str, int]]:
        out: set[tuple[str, int]] = set()
        async for a in self._client.items(f"/me/messages/{_q(mid)}/attachments",
                                          params={"$select": "id,name,size"}):
            out.add((str(a.get("name", "")), int(a.get("size", 0) or 0)))
        return out

    async def _upload_session(self, item_id: str, mid: str, path: Path, size: int) -> None:
        """Upload one file in ranges, announcing the progress after each range."""
        session = json_object(await self._client.request(
            "POST", f"/me/messages/{_q(mid)}/attachments/createUploadSession", idempotent=True,
            json={"AttachmentItem": {"attachmentType": "file", "name": path.name,
                                     "size": size}}))
        url = str(session.get("uploadUrl", ""))
        if not url:
            raise SendFailed("The server did not open an upload session.")
        fd = await asyncio.to_thread(_open, str(path))
        try:
            start = 0
            while start < size:
                chunk = await asyncio.to_thread(os.pread, fd, CHUNK, start)
                if not chunk:
                    raise SendFailed(f"{path.name} changed while it was being uploaded.")
                end = start + len(chunk) - 1
                await self._client.request(
                    "PUT", url, content=chunk, authenticated=False, headers={
                        "Content-Range": f"bytes {start}-{end}/{size}",
                        "Content-Type": "application/octet-stream"})
                start = end + 1
                self._progress(item_id, path.name, start, size)
        finally:
            os.close(fd)

    async def _send(self, item: OutboxItem) -> None:
        moved = await self._store.tx(lambda s: s.outbox.update(
            item.id, state=st.SEND_REQUESTED, attempt=True,
            expect_state=st.ATTACHMENTS_UPLOADED))
        if not moved:  # cancelled meanwhile
            return
        try:
            await self._client.request("POST", f"/me/messages/{_q(item.server_id or '')}/send",
                                       idempotent=False)
        except (Forbidden, BadRequest, Conflict):
            raise
        except NotFound:
            await self._resolve_unknown(item)
            return
        except GraphError:
            return  # outcome unknown (or not sent): _resolve_unknown decides on the next pass
        await self._confirm(item.id)

    async def _resolve_unknown(self, item: OutboxItem) -> None:
        """Decide whether a send whose answer was lost happened."""
        mid = item.server_id or ""
        try:
            data = json_object(await self._client.request(
                "GET", f"/me/messages/{_q(mid)}",
                params={"$select": "id,isDraft,internetMessageId,parentFolderId"}))
        except NotFound:
            data = None
        if data is not None and data.get("isDraft") is True:
            # not sent: send it
            await self._set(item.id, expect_state=st.SEND_REQUESTED,
                            state=st.ATTACHMENTS_UPLOADED)
            return
        if data is not None or await self._in_sent_items(item.internet_message_id):
            await self._confirm(item.id)
            return
        # The draft is gone and no copy is visible: the send consumed it (Sent Items can lag).
        await self._confirm(item.id)

    async def _in_sent_items(self, internet_message_id: str | None) -> bool:
        if not internet_message_id:
            return False
        escaped = internet_message_id.replace("'", "''")
        data = await self._client.get_json("/me/mailFolders/sentitems/messages", params={
            "$filter": f"internetMessageId eq '{escaped}'", "$select": "id", "$top": "1"})
        value = data.get("value")
        return isinstance(value, list) and bool(value)


def _message_id(item_id: str, draft: Draft) -> str:
    """An RFC 5322 Message-ID for an outbox item, on the sender's domain when known."""
    domain = "olk-tui.invalid"
    if draft.from_ is not None and "@" in draft.from_.address:
        candidate = draft.from_.address.rsplit("@", 1)[1]
        if candidate and all(c.isalnum() or c in ".-" for c in candidate):
            domain = candidate
    return f"<olk.{item_id}@{domain}>"


def _stat(path: str) -> os.stat_result:
    return os.stat(os.path.expanduser(path))


def _open(path: str) -> int:
    return os.open(os.path.expanduser(path), os.O_RDONLY)


def _read(path: str) -> bytes:
    with open(os.path.expanduser(path), "rb") as fh:
        return fh.read()


def draft_key(draft: Draft) -> str:
    """A short description for logs (never the body)."""
    return f"{draft.subject[:40]!r} to {len(draft.to) + len(draft.cc) + len(draft.bcc)}"
