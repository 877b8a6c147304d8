"""``OutboxRepository``: local drafts (composer crash safety), server drafts and the outbox."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import quote

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import Draft
from olk_tui.graph.bodies import json_object
from olk_tui.graph.mapping import draft_to_json
from olk_tui.store import AsyncStore, Store
from olk_tui.store import outbox as st
from olk_tui.sync import replymarks
from olk_tui.sync.announce import Announcer
from olk_tui.sync.api import MessagesChanged, OutboxChanged
from olk_tui.sync.mailrepo import Waker

if TYPE_CHECKING:
    from olk_tui.graph.client import GraphClient  # made after the first paint (see sync.account)


class OutboxRepo:
    """The account's drafts and outbox (see ``sync.api.OutboxRepository``)."""

    def __init__(self, store: AsyncStore, client: GraphClient, announcer: Announcer,
                 sender: Waker) -> None:
        self._store = store
        self._client = client
        self._announce = announcer
        self._sender = sender

    async def save_local_draft(self, key: str, draft: Draft) -> None:
        """Persist the composer's state (cheap; call on every change)."""
        await self._store.tx(lambda s: s.outbox.save_local_draft(key, draft))

    async def local_drafts(self) -> list[tuple[str, Draft]]:
        """Local drafts not yet sent or discarded, newest first."""
        return await self._store.run(lambda s: s.outbox.local_drafts())

    async def discard_local_draft(self, key: str) -> None:
        """Forget a local draft."""
        await self._store.tx(lambda s: s.outbox.discard_local_draft(key))

    async def save_server_draft(self, draft: Draft) -> Draft:
        """Create or update the draft in the server's Drafts folder."""
        body = draft_to_json(draft)
        if draft.server_id:
            await self._client.request(
                "PATCH", f"/me/messages/{quote(draft.server_id, safe='=-_')}", json=body)
            return draft
        if draft.in_reply_to and draft.reply_kind.lower() in ("reply", "replyall", "forward"):
            action = {"reply": "createReply", "replyall": "createReplyAll",
                      "forward": "createForward"}[draft.reply_kind.lower()]
            created = json_object(await self._client.request(
                "POST", f"/me/messages/{quote(draft.in_reply_to, safe='=-_')}/{action}",
                json={}))
            mid = str(created.get("id", ""))
            await self._client.request("PATCH", f"/me/messages/{quote(mid, safe='=-_')}",
                                       json=body)
        else:
            created = json_object(await self._client.request("POST", "/me/messages",
                                                             json=body))
            mid = str(created.get("id", ""))
        return replace(draft, server_id=MessageId(mid))

    async def send(self, draft: Draft) -> str:
        """Queue ``draft`` for sending; returns the outbox item id."""
        def tx(s: Store) -> tuple[str, tuple[str, str] | None]:
            item_id = s.outbox.add(draft)
            return item_id, replymarks.mark_queued(s, item_id, draft)  # replied at once

        item_id, marked = await self._store.tx(tx)
        self._announce.emit(OutboxChanged(item_id=item_id, state=st.QUEUED))
        self._marks_changed(marked)
        self._sender.wake()
        return item_id

    async def outbox(self) -> list[tuple[str, str, Draft]]:
        """Items waiting or failed."""
        items = await self._store.run(
            lambda s: s.outbox.items((*st.ACTIVE_STATES, st.FAILED)))
        return [(i.id, i.state, replace(i.draft, server_id=MessageId(i.server_id))
                 if i.server_id else i.draft) for i in items]

    async def cancel(self, item_id: str) -> Draft | None:
        """Take an item out of the outbox before its send was requested; returns its draft."""

        def tx(s: Store) -> tuple[Draft | None, tuple[str, str] | None]:
            item = s.outbox.get(item_id)
            if item is None or item.state in (st.SEND_REQUESTED, st.CONFIRMED):
                return None, None
            s.outbox.update(item_id, state=st.CANCELLED)
            unmarked = replymarks.settle(s, item_id, sent=False)
            draft = item.draft
            return (replace(draft, server_id=MessageId(item.server_id)) if item.server_id
                    else draft), unmarked

        draft, unmarked = await self._store.tx(tx)
        if draft is not None:
            self._announce.emit(OutboxChanged(item_id=item_id, state=st.CANCELLED))
        self._marks_changed(unmarked)
        return draft

    def _marks_changed(self, changed: tuple[str, str] | None) -> None:
        """Repaint the original whose replied/forwarded mark changed."""
        if changed is not None:
            self._announce.emit(MessagesChanged(folder_ids=frozenset({FolderId(changed[1])}),
                                                message_ids=frozenset({MessageId(changed[0])})))
