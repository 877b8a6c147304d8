"""Replied/forwarded marks end to end against the emulator: sync brings the server's mark in
the same requests (no extra call, small rows), a queued reply marks its original at once, the
mark survives syncs until the send is confirmed, and a cancelled or refused send takes it back.
"""

from __future__ import annotations

from typing import Any

import httpx

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import Draft, LastVerb, MessageBody, Recipient
from olk_tui.sync.api import ListQuery, MessagesChanged
from olk_tui.sync.mailsync import SUMMARY_SELECT
from olk_tui.sync.replymarks import PREFIX

from .conftest import Harness

TO_ALEX = [{"emailAddress": {"address": "alex@contoso.example"}}]


def inbox_ids(h: Harness) -> list[str]:
    return list(h.mb.sorted_ids(h.folder("inbox")))


async def row(h: Harness, mid: str):
    return await h.svc.store.run(lambda s: s.mail.summary(mid))


def reply_draft(mid: str, kind: str = "reply", **kw: object) -> Draft:
    return Draft(subject="RE: x", to=(Recipient("alex@contoso.example"),),
                 body=MessageBody("text", "Thanks"), in_reply_to=MessageId(mid),
                 reply_kind=kind, **kw)  # type: ignore[arg-type]


def server_verb(h: Harness, mid: str) -> str | None:
    return (h.mb.messages[mid].get("_svep") or {}).get("Integer 0x1081")


async def test_sync_reads_marks_without_extra_requests(hi: Harness) -> None:
    h = hi
    inbox = h.folder("inbox")
    replied, forwarded = inbox_ids(h)[:2]
    with h.emu.locked():
        from olk_tui.emulator.extended_props import mark_original

        now = h.emu.clock.now()
        mark_original(h.mb, replied, "replyAll", now)
        mark_original(h.mb, forwarded, "forward", now)
    await h.svc.engine.run_pass()
    assert (await row(h, replied)).last_verb is LastVerb.REPLIED_ALL
    assert (await row(h, forwarded)).last_verb is LastVerb.FORWARDED
    assert (await row(h, forwarded)).last_verb_time is not None
    # A reply made elsewhere arrives with the next poll: still one request.
    other = inbox_ids(h)[2]
    with h.emu.locked():
        mark_original(h.mb, other, "reply", h.emu.clock.now())
    h.counter.reset()
    await h.svc.mail_sync.sync_folder(inbox)
    assert len(h.counter.requests) == 1
    assert (await row(h, other)).last_verb is LastVerb.REPLIED


async def test_rows_stay_small(hi: Harness) -> None:
    """The expand adds nothing to an unmarked row and ~100 bytes to a marked one."""
    h = hi
    await h.svc.engine.run_pass()
    inbox = h.folder("inbox")
    count = len(inbox_ids(h))
    h.emu.expire_delta_tokens()
    h.counter.reset()
    await h.svc.mail_sync.sync_folder(inbox)
    plain = h.counter.bytes_in
    assert plain / count < 1100
    with h.emu.locked():
        from olk_tui.emulator.extended_props import mark_original

        for mid in inbox_ids(h):
            mark_original(h.mb, mid, "reply", h.emu.clock.now())
    h.emu.expire_delta_tokens()
    h.counter.reset()
    await h.svc.mail_sync.sync_folder(inbox)
    assert (h.counter.bytes_in - plain) / count < 150


async def test_queued_reply_marks_at_once_and_sync_confirms(hi: Harness) -> None:
    h = hi
    await h.svc.engine.run_pass()
    mid = inbox_ids(h)[0]
    h.events.clear()
    item = await h.account.outbox.send(reply_draft(mid))
    got = await row(h, mid)
    assert got.last_verb is LastVerb.REPLIED and got.last_verb_time is not None
    assert any(mid in e.message_ids for e in h.of(MessagesChanged))
    window = await h.account.mail.window(ListQuery(folder_id=FolderId(h.folder("inbox"))), 0, 5)
    assert next(r for r in window if r.id == mid).last_verb is LastVerb.REPLIED
    # A sync before the send (the server has no mark yet) keeps the local one.
    with h.emu.locked():
        h.mb.update_message(mid, {"isRead": not h.mb.messages[mid]["isRead"]})
    await h.svc.mail_sync.sync_folder(h.folder("inbox"))
    assert (await row(h, mid)).last_verb is LastVerb.REPLIED
    assert server_verb(h, mid) is None
    assert await h.svc.sender.run_once() == 0
    assert server_verb(h, mid) == "102"
    assert await h.svc.store.run(lambda s: s.queue.values(PREFIX)) == {}
    await h.svc.mail_sync.sync_folder(h.folder("inbox"))
    synced = await row(h, mid)
    assert synced.last_verb is LastVerb.REPLIED
    assert synced.last_verb_time is not None
    assert item


async def test_cancelled_forward_takes_the_mark_back(hi: Harness) -> None:
    h = hi
    await h.svc.engine.run_pass()
    mid = inbox_ids(h)[1]
    with h.emu.locked():
        from olk_tui.emulator.extended_props import mark_original

        mark_original(h.mb, mid, "reply", h.emu.clock.now())
    await h.svc.mail_sync.sync_folder(h.folder("inbox"))
    before = await row(h, mid)
    assert before.last_verb is LastVerb.REPLIED
    item = await h.account.outbox.send(reply_draft(mid, "forward"))
    assert (await row(h, mid)).last_verb is LastVerb.FORWARDED
    h.events.clear()
    assert await h.account.outbox.cancel(item) is not None
    after = await row(h, mid)
    assert after.last_verb is LastVerb.REPLIED
    assert after.last_verb_time == before.last_verb_time
    assert any(mid in e.message_ids for e in h.of(MessagesChanged))
    await h.svc.sender.run_once()
    assert server_verb(h, mid) == "102"  # the forward never went


async def test_refused_send_takes_the_mark_back(hi: Harness) -> None:
    h = hi
    await h.svc.engine.run_pass()
    mid = inbox_ids(h)[2]
    await h.account.outbox.send(reply_draft(
        mid, "replyAll", from_=Recipient("ceo@contoso.example", "The CEO")))
    assert (await row(h, mid)).last_verb is LastVerb.REPLIED_ALL
    h.events.clear()
    await h.svc.sender.run_once()
    assert [s for _, s, _ in await h.account.outbox.outbox()] == ["failed"]
    assert (await row(h, mid)).last_verb is LastVerb.NONE
    assert server_verb(h, mid) is None
    assert any(mid in e.message_ids for e in h.of(MessagesChanged))


async def test_reply_to_an_uncached_message_marks_nothing_locally(hi: Harness) -> None:
    h = hi
    mid = inbox_ids(h)[0]  # no sync yet: nothing cached
    await h.account.outbox.send(reply_draft(mid))
    assert await h.svc.store.run(lambda s: s.queue.values(PREFIX)) == {}
    assert await h.svc.sender.run_once() == 0
    assert server_verb(h, mid) == "102"


async def test_links_saved_before_the_marks_resync_the_folder_once(hi: Harness) -> None:
    """A cache synced by a version without the expand: Graph's delta link keeps its old query
    and would never bring marks, so the folder is resynced once (stale rows dropped, pending
    changes kept), then polls are single requests again."""
    h = hi
    await h.svc.engine.run_pass()
    inbox = h.folder("inbox")
    old = inbox_ids(h)[-1]
    # What version 4 left: a delta link whose query has no $expand, and no query marker.
    async with httpx.AsyncClient(transport=h.emu.transport(),
                                 base_url="https://graph.emulator.test/v1.0") as http:
        page = (await http.get(f"/me/mailFolders/{inbox}/messages/delta", params={
            "$select": SUMMARY_SELECT}, headers={"Prefer": "odata.maxpagesize=1000"})).json()
        while "@odata.nextLink" in page:
            page = (await http.get(page["@odata.nextLink"])).json()
    link = page["@odata.deltaLink"]

    def as_v4(s: Any) -> None:
        s.queue.set_delta_link(f"messages:{inbox}", link)
        s.queue.put(f"messages-query:{inbox}", None)

    await h.svc.store.tx(as_v4)
    with h.emu.locked():
        from olk_tui.emulator.extended_props import mark_original

        mark_original(h.mb, old, "forward", h.emu.clock.now())
        gone = inbox_ids(h)[-2]
        h.mb.delete_message(gone)
    h.counter.reset()
    await h.svc.mail_sync.sync_folder(inbox)
    assert (await row(h, old)).last_verb is LastVerb.FORWARDED
    assert await row(h, gone) is None
    h.counter.reset()
    await h.svc.mail_sync.sync_folder(inbox)
    assert len(h.counter.requests) == 1


class RefusesExpandOnDelta(httpx.AsyncBaseTransport):
    """A server that answers 400 to a message delta request asking for ``$expand``."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner, self.refused = inner, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if "/messages/delta" in url and "expand" in url:
            self.refused += 1
            return httpx.Response(400, json={"error": {
                "code": "BadRequest", "message": "Parsing OData Select and Expand failed"}})
        return await self.inner.handle_async_request(request)


async def test_a_server_refusing_the_expand_still_syncs(emu: Any, server: Any,
                                                         tmp_path: Any) -> None:
    """Marks are a nicety: when Graph refuses the expand on delta, the folder syncs without
    it, once, and later starts keep the plain delta link instead of resyncing."""
    from .conftest import open_harness

    refusing = RefusesExpandOnDelta(httpx.AsyncHTTPTransport())
    db = tmp_path / "plain.sqlite3"
    h = await open_harness(emu, server.base_url, db, refusing)
    try:
        inbox = h.folder("inbox")
        await h.svc.mail_sync.sync_folder(inbox)
        assert refusing.refused == 1
        ids = await h.svc.store.run(lambda s: s.mail.message_ids(inbox))
        assert ids == set(inbox_ids(h))
    finally:
        await h.account.close()  # type: ignore[misc]
    h = await open_harness(emu, server.base_url, db, refusing)
    try:
        h.counter.reset()
        await h.svc.mail_sync.sync_folder(h.folder("inbox"))
        assert refusing.refused == 1  # the saved plain delta link is used, no resync
        assert len(h.counter.requests) == 1
    finally:
        await h.account.close()  # type: ignore[misc]
