"""The operation queue: local apply, coalescing, $batch, revert on permanent failure, undo."""

from __future__ import annotations

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import Flag, FlagStatus
from olk_tui.domain.operations import (
    CreateFolder,
    DeleteMessages,
    MarkRead,
    MoveMessages,
    RenameFolder,
    SetCategories,
    SetFlag,
)
from olk_tui.sync.api import ListQuery, OperationFailed

from .conftest import Harness


def inbox_ids(h: Harness) -> list[str]:
    inbox = h.folder("inbox")
    return sorted(m for m, d in h.mb.messages.items() if d["parentFolderId"] == inbox)


async def synced(h: Harness) -> None:
    await h.svc.engine.run_pass()
    h.counter.reset()


async def test_submit_applies_locally_at_once_and_queues(hi: Harness) -> None:
    h = hi
    await synced(h)
    mid = next(m for m in inbox_ids(h) if not h.mb.messages[m]["isRead"])
    q = ListQuery(folder_id=FolderId(h.folder("inbox")), unread_only=True)
    before = await h.account.mail.count(q)
    await h.account.mail.submit(MarkRead(message_ids=(MessageId(mid),)))
    assert await h.account.mail.count(q) == before - 1
    assert h.counter.requests == []  # nothing sent yet: the runner does that
    assert h.mb.messages[mid]["isRead"] is False
    assert await h.svc.runner.run_once() == 0
    assert h.mb.messages[mid]["isRead"] is True


async def test_hundred_mark_reads_take_at_most_five_requests(hi: Harness) -> None:
    h = hi
    await synced(h)
    ids = inbox_ids(h)[:100]
    for mid in ids:
        await h.account.mail.submit(MarkRead(message_ids=(MessageId(mid),), is_read=True))
    await h.svc.runner.run_once()
    assert len(h.counter.requests) <= 5
    assert all(p.endswith("$batch") for _, p in h.counter.requests)
    wanted = [m for m in ids]
    assert all(h.mb.messages[m]["isRead"] for m in wanted)


async def test_read_then_unread_sends_nothing(hi: Harness) -> None:
    h = hi
    await synced(h)
    mid = next(m for m in inbox_ids(h) if not h.mb.messages[m]["isRead"])
    await h.account.mail.submit(MarkRead(message_ids=(MessageId(mid),), is_read=True))
    await h.account.mail.submit(MarkRead(message_ids=(MessageId(mid),), is_read=False))
    await h.svc.runner.run_once()
    assert h.counter.requests == []
    assert await h.svc.store.run(lambda s: s.queue.pending_count()) == 0


async def test_changes_to_one_message_become_one_patch(hi: Harness) -> None:
    h = hi
    await synced(h)
    mid = MessageId(inbox_ids(h)[5])
    await h.account.mail.submit(MarkRead(message_ids=(mid,), is_read=False))
    await h.account.mail.submit(SetFlag(message_ids=(mid,), flag=Flag(FlagStatus.FLAGGED)))
    await h.account.mail.submit(SetCategories(message_ids=(mid,), categories=("Blue",)))
    await h.account.mail.submit(MoveMessages(message_ids=(mid,),
                                             destination_id=FolderId(h.folder("archive"))))
    await h.svc.runner.run_once()
    assert len(h.counter.requests) == 1  # one $batch: PATCH + dependent move
    msg = h.mb.messages[mid]
    assert (msg["isRead"], msg["flag"]["flagStatus"], msg["categories"],
            msg["parentFolderId"]) == (False, "flagged", ["Blue"], h.folder("archive"))


async def test_permanent_failure_reverts_and_announces(hi: Harness) -> None:
    h = hi
    await synced(h)
    mid = next(m for m in inbox_ids(h) if not h.mb.messages[m]["isRead"])
    with h.emu.locked():
        h.mb.delete_message(mid)  # deleted elsewhere; the cache does not know yet
    await h.account.mail.submit(MarkRead(message_ids=(MessageId(mid),)))
    assert (await h.svc.store.run(lambda s: s.mail.summary(mid))).is_read
    await h.svc.runner.run_once()
    failed = h.of(OperationFailed)
    assert len(failed) == 1 and "moved or deleted" in failed[0].reason
    assert not (await h.svc.store.run(lambda s: s.mail.summary(mid))).is_read
    assert await h.svc.store.run(lambda s: s.queue.pending_count()) == 0


async def test_undo_queues_the_inverse(hi: Harness) -> None:
    h = hi
    await synced(h)
    ids = tuple(MessageId(m) for m in inbox_ids(h)[:3])
    inbox, trash = h.folder("inbox"), h.folder("deleteditems")
    await h.account.mail.submit(DeleteMessages(message_ids=ids))
    await h.svc.runner.run_once()
    assert all(h.mb.messages[m]["parentFolderId"] == trash for m in ids)
    undone = await h.account.mail.undo()
    assert isinstance(undone, DeleteMessages)
    rows = await h.account.mail.window(ListQuery(folder_id=FolderId(inbox)), 0, 1000)
    assert set(ids) <= {r.id for r in rows}
    await h.svc.runner.run_once()
    assert all(h.mb.messages[m]["parentFolderId"] == inbox for m in ids)
    assert await h.account.mail.undo() is None


async def test_folder_created_then_used_before_it_exists(hi: Harness) -> None:
    h = hi
    await synced(h)
    mid = MessageId(inbox_ids(h)[0])
    local = FolderId("local-1")
    await h.account.mail.submit(CreateFolder(display_name="Later", local_id=local))
    await h.account.mail.submit(MoveMessages(message_ids=(mid,), destination_id=local))
    await h.account.mail.submit(RenameFolder(folder_id=local, display_name="Later 2"))
    names = {f.display_name for f in await h.account.mail.folders()}
    assert "Later 2" in names
    await h.svc.runner.run_once()
    server = [f for f in h.mb.folders.values() if f.get("displayName") == "Later 2"]
    assert len(server) == 1
    assert h.mb.messages[mid]["parentFolderId"] == server[0]["id"]
    cached = await h.svc.store.run(lambda s: s.mail.summary(mid))
    assert cached.folder_id == server[0]["id"]
    # replaying the creation (a crash before the queue row was removed) makes no second folder
    await h.account.mail.submit(CreateFolder(display_name="Later 2", local_id=FolderId("l2")))
    await h.svc.runner.run_once()
    assert len([f for f in h.mb.folders.values() if f.get("displayName") == "Later 2"]) == 1


async def test_background_runner_comes_back_for_throttled_items(hi: Harness) -> None:
    import asyncio

    h = hi
    await synced(h)
    ids = inbox_ids(h)[:30]
    # every $batch item is throttled for a while; the runner must retry by itself
    h.emu.faults.add("503", regex=r"^/me/messages/", times=60, retry_after=None)
    h.svc.runner.start()
    await h.account.mail.submit(MarkRead(message_ids=tuple(MessageId(m) for m in ids),
                                         is_read=False))
    await h.account.mail.submit(MarkRead(message_ids=tuple(MessageId(m) for m in ids)))
    for _ in range(1500):
        await asyncio.sleep(0.01)
        if await h.svc.store.run(lambda s: s.queue.pending_count()) == 0:
            break
    assert await h.svc.store.run(lambda s: s.queue.pending_count()) == 0
    assert all(h.mb.messages[m]["isRead"] for m in ids)
    assert len(h.emu.faults.log) >= 30  # the throttling really happened
    await h.svc.runner.close()


async def test_mailbox_settings_change_updates_the_account(hi: Harness) -> None:
    from olk_tui.domain.operations import UpdateMailboxSettings

    h = hi
    await h.account.mail.submit(UpdateMailboxSettings(fields={
        "automaticRepliesSetting": {"status": "alwaysEnabled",
                                    "internalReplyMessage": "Away until Monday"}}))
    await h.svc.runner.run_once()
    assert h.account.settings.automatic_replies.status == "alwaysEnabled"
    assert "Away until Monday" in h.account.settings.automatic_replies.internal_message


async def test_copy_replayed_after_a_crash_copies_once(hi: Harness) -> None:
    from olk_tui.domain.operations import CopyMessages

    h = hi
    await synced(h)
    ids = tuple(MessageId(m) for m in inbox_ids(h)[:3])
    archive = h.folder("archive")
    before = sum(1 for d in h.mb.messages.values() if d["parentFolderId"] == archive)
    # the first copy goes through, then the network drops: the op stays queued
    h.emu.faults.add("reset", regex=r"/copy$", skip=1, times=20)
    await h.account.mail.submit(CopyMessages(message_ids=ids, destination_id=FolderId(archive)))
    try:
        await h.svc.runner.run_once()
    except Exception as exc:
        assert type(exc).__name__ in {"Offline", "OutcomeUnknown"}
    h.emu.faults.clear()
    await h.svc.runner.run_once()
    after = sum(1 for d in h.mb.messages.values() if d["parentFolderId"] == archive)
    assert after - before == 3
    assert await h.svc.store.run(lambda s: s.queue.pending_count()) == 0
