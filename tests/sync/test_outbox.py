"""The outbox: drafts become exactly one sent message through crashes and unknown outcomes."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from olk_tui.domain.mail import Draft, MessageBody, Recipient
from olk_tui.emulator.core import Emulator
from olk_tui.store import outbox as st
from olk_tui.sync.api import OutboxChanged

from .conftest import Harness, fast_sleep, open_harness

ADELE = "adele@contoso.example"


def draft(subject: str, **kw: object) -> Draft:
    return Draft(subject=subject, to=(Recipient(ADELE, "Adele Vance"),),
                 body=MessageBody("text", "Hello Adele"), **kw)  # type: ignore[arg-type]


def copies(h: Harness, box: str, folder: str, subject: str) -> int:
    mb = h.emu.mailbox(box)
    fid = mb.well_known[folder]
    return sum(1 for m in mb.messages.values()
               if m["parentFolderId"] == fid and m.get("subject") == subject)


def add_adele(h: Harness) -> None:
    if h.emu.mailbox(ADELE) is None:
        h.emu.add_mailbox(ADELE, "Adele Vance")


async def test_send_delivers_once(hi: Harness) -> None:
    h = hi
    add_adele(h)
    item = await h.account.outbox.send(draft("Plain send"))
    assert [i for i, _, _ in await h.account.outbox.outbox()] == [item]
    assert await h.svc.sender.run_once() == 0
    assert copies(h, h.mb.address, "sentitems", "Plain send") == 1
    assert copies(h, ADELE, "inbox", "Plain send") == 1
    states = [e.state for e in h.of(OutboxChanged) if e.item_id == item]
    assert states[0] == st.QUEUED and states[-1] == st.CONFIRMED
    assert await h.account.outbox.outbox() == []


async def test_unknown_outcome_is_checked_before_sending_again(hi: Harness) -> None:
    h = hi
    add_adele(h)
    # the server sends the mail, then the gateway answers 504: the client cannot know
    h.emu.faults.add("504", regex=r"/messages/[^/]+/send$", times=1, after=True)
    item = await h.account.outbox.send(draft("Timed out"))
    await h.svc.sender.run_once()
    got = await h.svc.store.run(lambda s: s.outbox.get(item))
    assert got.state in (st.SEND_REQUESTED, st.CONFIRMED)
    await h.svc.sender.run_once()
    assert (await h.svc.store.run(lambda s: s.outbox.get(item))).state == st.CONFIRMED
    assert copies(h, h.mb.address, "sentitems", "Timed out") == 1
    assert copies(h, ADELE, "inbox", "Timed out") == 1


async def test_restart_in_every_state_sends_exactly_once(hi: Harness, tmp_path: Path) -> None:
    h = hi
    add_adele(h)
    for stop_after in (st.QUEUED, st.DRAFT_CREATED, st.ATTACHMENTS_UPLOADED, st.SEND_REQUESTED):
        subject = f"Crash after {stop_after}"
        item = await h.account.outbox.send(draft(subject))
        sender = h.svc.sender
        if stop_after != st.QUEUED:
            current = await h.svc.store.run(lambda s, i=item: s.outbox.get(i))
            await sender._create_draft(current)
        if stop_after in (st.ATTACHMENTS_UPLOADED, st.SEND_REQUESTED):
            current = await h.svc.store.run(lambda s, i=item: s.outbox.get(i))
            await sender._upload(current)
        if stop_after == st.SEND_REQUESTED:  # the send went out, the answer was lost
            current = await h.svc.store.run(lambda s, i=item: s.outbox.get(i))
            await h.svc.store.tx(lambda s, i=item: s.outbox.update(i, state=st.SEND_REQUESTED))
            await h.svc.client.request("POST", f"/me/messages/{current.server_id}/send")
        # "restart": a new account on the same database replays the outbox
        other = await open_harness(h.emu, "https://graph.emulator.test",
                                   Path(h.svc.store.path), h.emu.transport(sleep=fast_sleep))
        try:
            await other.svc.sender.run_once()
        finally:
            await other.account.close()  # type: ignore[misc]
        assert copies(h, h.mb.address, "sentitems", subject) == 1, stop_after
        assert copies(h, ADELE, "inbox", subject) == 1, stop_after


async def test_large_attachment_goes_through_an_upload_session(hi: Harness,
                                                              tmp_path: Path) -> None:
    h = hi
    add_adele(h)
    small, big = tmp_path / "note.txt", tmp_path / "video.bin"
    small.write_bytes(b"small file")
    big.write_bytes(bytes(range(256)) * (4 * 1024 * 4 + 7))  # ~4 MB
    await h.account.outbox.send(draft("With files", attachment_paths=(str(small), str(big))))
    assert await h.svc.sender.run_once() == 0
    paths = [p for _, p in h.counter.requests]
    assert any(p.endswith("createUploadSession") for p in paths)
    mb = h.emu.mailbox(ADELE)
    got = next(m for m in mb.messages.values() if m.get("subject") == "With files")
    names = sorted((a["name"], a["size"]) for a in mb.attachments.get(got["id"], {}).values())
    assert names == [("note.txt", 10), ("video.bin", big.stat().st_size)]


async def test_send_as_denied_fails_readably_and_keeps_the_draft(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/messages"):
            return httpx.Response(201, json={"id": "d1", "internetMessageId": "<x@y>"})
        if request.url.path.endswith("/send"):
            return httpx.Response(403, json={"error": {
                "code": "ErrorSendAsDenied",
                "message": "The user account which was used to submit this request does not "
                           "have the right to send mail on behalf of the specified sending "
                           "account."}})
        return httpx.Response(200, json={})

    h = await open_harness(Emulator(), "https://graph.emulator.test", tmp_path / "x.sqlite3",
                           httpx.MockTransport(handler))
    try:
        item = await h.account.outbox.send(draft("Denied", from_=Recipient("boss@x.example")))
        await h.svc.sender.run_once()
        got = await h.svc.store.run(lambda s: s.outbox.get(item))
        assert got.state == st.FAILED and "SendAs" in got.error and got.server_id == "d1"
        listed = await h.account.outbox.outbox()
        assert listed[0][1] == st.FAILED and listed[0][2].server_id == "d1"
        assert [e.error for e in h.of(OutboxChanged) if e.state == st.FAILED]
    finally:
        await h.account.close()  # type: ignore[misc]


async def test_local_drafts_and_cancel(hi: Harness) -> None:
    h = hi
    d = draft("Keep me")
    await h.account.outbox.save_local_draft("k1", d)
    assert await h.account.outbox.local_drafts() == [("k1", d)]
    item = await h.account.outbox.send(d)
    assert await h.account.outbox.cancel(item) == d
    assert await h.svc.sender.run_once() == 0
    assert copies(h, h.mb.address, "sentitems", "Keep me") == 0
    assert json.dumps(await h.account.outbox.outbox()) == "[]"


async def test_lost_answer_to_draft_creation_makes_no_second_draft(hi: Harness) -> None:
    h = hi
    add_adele(h)
    h.emu.faults.add("504", method="POST", path="/me/messages", times=1, after=True)
    await h.account.outbox.send(draft("Lost answer"))
    try:
        await h.svc.sender.run_once()
    except Exception as exc:
        assert type(exc).__name__ == "OutcomeUnknown"
    assert copies(h, h.mb.address, "drafts", "Lost answer") == 1  # it was created
    assert await h.svc.sender.run_once() == 0
    assert copies(h, h.mb.address, "drafts", "Lost answer") == 0
    assert copies(h, h.mb.address, "sentitems", "Lost answer") == 1
    assert copies(h, ADELE, "inbox", "Lost answer") == 1


async def test_cancel_while_the_draft_is_being_created_is_not_sent(hi: Harness) -> None:
    h = hi
    add_adele(h)
    item = await h.account.outbox.send(draft("Changed my mind"))
    original = h.svc.client.request

    async def cancel_during_post(method: str, url: str, **kw: object):  # type: ignore[no-untyped-def]
        response = await original(method, url, **kw)
        if method == "POST" and url == "/me/messages":
            got = await h.account.outbox.cancel(item)
            assert got is not None
        return response

    h.svc.client.request = cancel_during_post  # type: ignore[method-assign]
    try:
        await h.svc.sender.run_once()
    finally:
        h.svc.client.request = original  # type: ignore[method-assign]
    await h.svc.sender.run_once()
    assert (await h.svc.store.run(lambda s: s.outbox.get(item))).state == st.CANCELLED
    assert copies(h, h.mb.address, "sentitems", "Changed my mind") == 0
    assert copies(h, ADELE, "inbox", "Changed my mind") == 0
