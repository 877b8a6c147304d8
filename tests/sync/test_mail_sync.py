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


async def test_access_token_expiring_mid_paging_is_refreshed(tmp_path) -> None:
    import time

    import httpx

    from olk_tui.emulator.core import Emulator
    from olk_tui.graph.auth import AccessToken, GraphAuth
    from olk_tui.graph.client import GraphClient
    from olk_tui.sync.account import build_account

    from .conftest import fast_sleep

    emu = Emulator.demo(size=120, seed=2, require_auth=True)
    issued: list[bool] = []

    class Provider:
        def acquire(self, *, force_refresh: bool = False) -> AccessToken:
            issued.append(force_refresh)
            return AccessToken(emu.identity.issue_token(), time.time() + 3600)

    class ExpireAfterFirstPage(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self.inner = emu.transport(sleep=fast_sleep)
            self.pages = 0

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            response = await self.inner.handle_async_request(request)
            if "/messages/delta" in request.url.path and response.status_code == 200:
                self.pages += 1
                if self.pages == 1:  # every token issued so far is now expired
                    emu.clock.advance(emu.identity.token_lifetime + 1)
            return response

    client = GraphClient("https://graph.emulator.test", GraphAuth(Provider()),
                         transport=ExpireAfterFirstPage(), sleep=fast_sleep)
    account = build_account("auth", client, tmp_path / "a.sqlite3", sleep=fast_sleep)
    svc = account.services  # type: ignore[attr-defined]
    try:
        svc.mail_sync.page_size = svc.mail_sync.backfill_page = 30
        await svc.mail_sync.sync_folders()
        folder = emu.default_mailbox.well_known["inbox"]
        await svc.mail_sync.sync_folder(folder)
        rows = await account.mail.window(ListQuery(folder_id=FolderId(folder)), 0, 1000)
        expected = {m for m, d in emu.default_mailbox.messages.items()
                    if d["parentFolderId"] == folder}
        assert {r.id for r in rows} == expected
        assert True in issued  # the 401 made the auth refresh its token
    finally:
        await account.close()  # type: ignore[misc]


async def test_one_failing_folder_does_not_stop_the_pass(hi: Harness) -> None:
    from olk_tui.sync.api import SyncState

    h = hi
    inbox = h.folder("inbox")
    h.emu.faults.add("503", path=f"/me/mailFolders/{inbox}/messages/delta", retry_after=None)
    await h.svc.engine.run_pass()  # does not raise
    assert await cached(h, inbox) == []
    contacts = await h.account.contacts.contacts()
    assert contacts, "the contacts after the failing folder were synced"
    status = h.svc.status.current
    assert status.state is not SyncState.OFFLINE and status.last_error
