"""Sync against the emulator over loopback: first sync, incremental changes made behind the
client's back, no-change polls, token expiry and a network drop in the middle of paging."""

from __future__ import annotations

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.operations import MarkRead
from olk_tui.sync.api import FoldersChanged, ListQuery, MessagesChanged, NewMail

from .conftest import Harness


def server_ids(h: Harness, folder: str) -> set[str]:
    return {m for m, d in h.mb.messages.items() if d["parentFolderId"] == folder}


async def cached(h: Harness, folder: str) -> list:
    q = ListQuery(folder_id=FolderId(folder))
    return await h.account.mail.window(q, 0, 100_000)


async def test_first_sync_fills_folders_and_inbox_newest_first(h: Harness) -> None:
    h.svc.mail_sync.page_size = h.svc.mail_sync.backfill_page = 25  # several pages
    await h.svc.engine.run_pass()
    inbox = h.folder("inbox")
    folders = {f.id: f for f in await h.account.mail.folders()}
    assert folders[FolderId(inbox)].well_known_name == "inbox"
    server_folders = {fid for fid in h.mb.folders if fid != h.mb.root_id}
    assert set(folders) == server_folders
    nested = next(f for f in h.mb.folders.values() if f.get("parentFolderId") not in
                  (None, h.mb.root_id))
    assert folders[nested["id"]].parent_id == nested["parentFolderId"]
    rows = await cached(h, inbox)
    assert {r.id for r in rows} == server_ids(h, inbox)
    received = [r.received for r in rows]
    assert received == sorted(received, reverse=True)
    sample = h.mb.messages[rows[0].id]
    assert rows[0].subject == sample["subject"] and rows[0].is_read == sample["isRead"]
    assert h.of(FoldersChanged) and h.of(MessagesChanged)
    assert not h.of(NewMail)  # the first fill is history, not new mail


async def test_incremental_sync_sees_changes_made_elsewhere(h: Harness) -> None:
    await h.svc.engine.run_pass()
    inbox, archive = h.folder("inbox"), h.folder("archive")
    ids = sorted(server_ids(h, inbox))
    unread = next(m for m in ids[2:] if not h.mb.messages[m]["isRead"])
    moved, deleted = ids[0], ids[1]
    with h.emu.locked():
        h.mb.update_message(unread, {"isRead": True})
        h.mb.move_message(moved, archive, keep_id=True)
        h.mb.delete_message(deleted)
        new = h.mb.add_message({"subject": "Fresh news", "isRead": False,
                                "receivedDateTime": "2030-01-01T00:00:00Z",
                                "from": {"emailAddress": {"address": "x@y.example"}}}, inbox)
    h.events.clear()
    await h.svc.engine.run_pass()  # every 4th pass syncs all folders; force it:
    await h.svc.mail_sync.sync_folder(archive)
    rows = {r.id: r for r in await cached(h, inbox)}
    assert set(rows) == server_ids(h, inbox)
    assert rows[MessageId(unread)].is_read
    assert moved not in rows and deleted not in rows
    assert rows[MessageId(new["id"])].subject == "Fresh news"
    assert MessageId(moved) in {r.id for r in await cached(h, archive)}
    news = h.of(NewMail)
    assert news and [m.id for m in news[0].messages] == [new["id"]]
    changed = set().union(*(e.message_ids for e in h.of(MessagesChanged)))
    assert {unread, moved, deleted, new["id"]} <= changed


async def test_no_change_poll_is_one_request_per_folder(hi: Harness) -> None:
    h = hi
    await h.svc.engine.run_pass()
    inbox = h.folder("inbox")
    h.counter.reset()
    await h.svc.mail_sync.sync_folder(inbox)
    assert len(h.counter.requests) == 1
    assert "delta" in h.counter.requests[0][1]


async def test_expired_token_resyncs_and_keeps_pending_operations(h: Harness) -> None:
    await h.svc.engine.run_pass()
    inbox = h.folder("inbox")
    target = next(m for m in sorted(server_ids(h, inbox)) if not h.mb.messages[m]["isRead"])
    await h.account.mail.submit(MarkRead(message_ids=(MessageId(target),)))  # not sent yet
    with h.emu.locked():
        gone = sorted(server_ids(h, inbox))[-1]
        h.mb.delete_message(gone)
    h.emu.expire_delta_tokens()
    await h.svc.mail_sync.sync_folder(inbox)
    rows = {r.id: r for r in await cached(h, inbox)}
    assert set(rows) == server_ids(h, inbox)  # the deleted one went in the resync
    assert rows[MessageId(target)].is_read  # the pending change survived the resync
    assert await h.svc.store.run(lambda s: s.queue.pending_count()) == 1
    await h.svc.runner.run_once()
    assert h.mb.messages[target]["isRead"] is True


async def test_network_drop_mid_paging_resumes_without_loss(h: Harness) -> None:
    h.svc.mail_sync.page_size = h.svc.mail_sync.backfill_page = 20
    await h.svc.mail_sync.sync_folders()
    inbox = h.folder("inbox")
    # every delta page after the second one fails (reset) until the fault runs out
    h.emu.faults.add("reset", regex=r"/messages/delta", skip=2, times=8)
    try:
        await h.svc.mail_sync.sync_folder(inbox)
        raise AssertionError("the drop should have surfaced as an error")
    except Exception as exc:  # Offline / ServerError from the choke point
        assert type(exc).__name__ in {"Offline", "ServerError", "OutcomeUnknown"}
    partial = await cached(h, inbox)
    assert 0 < len(partial) < len(server_ids(h, inbox))
    h.emu.faults.clear()
    await h.svc.mail_sync.sync_folder(inbox)
    assert {r.id for r in await cached(h, inbox)} == server_ids(h, inbox)
