"""A revoked sign-in (the refresh token no longer works) in the middle of work: queued
operations and local drafts are kept, the cache keeps the user's change, and the status asks the
user to sign in again; after signing in, the queue is sent."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from olk_tui.domain.errors import AuthRequired
from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import Draft, MessageBody, Recipient
from olk_tui.domain.operations import MarkRead
from olk_tui.emulator import Emulator
from olk_tui.graph.auth import AccessToken, GraphAuth
from olk_tui.graph.client import GraphClient
from olk_tui.sync.account import build_account
from olk_tui.sync.api import ListQuery, SyncState


class RevocableProvider:
    """Hands out emulator tokens until revoked; then refreshing fails as MSAL's would."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.revoked = False

    def acquire(self, *, force_refresh: bool = False) -> AccessToken:
        if self.revoked:
            raise AuthRequired("The sign-in expired or was revoked", code="AADSTS70008")
        return AccessToken(self.emu.identity.issue_token(), expires_at=10**10)


async def _fast(seconds: float) -> None:
    await asyncio.sleep(0)


async def test_revoked_refresh_token_keeps_queue_and_drafts_and_asks_to_sign_in(
        tmp_path: Path) -> None:
    emu = Emulator.demo(size=20, seed=8, require_auth=True)
    provider = RevocableProvider(emu)
    client = GraphClient("https://graph.emulator.test", GraphAuth(provider),
                         transport=emu.transport(), sleep=_fast)
    account = build_account("rev", client, tmp_path / "c.sqlite3", sleep=_fast, debounce=0)
    services = account.services  # type: ignore[attr-defined]
    try:
        await services.engine.run_pass()
        inbox = FolderId(emu.default_mailbox.well_known["inbox"])
        unread = [r for r in await account.mail.window(ListQuery(folder_id=inbox), 0, 20)
                  if not r.is_read]
        target = unread[0].id
        emu.clock.advance(emu.identity.token_lifetime + 60)   # the access token expires
        provider.revoked = True                              # and cannot be refreshed
        draft = Draft(subject="kept", to=(Recipient("adele@contoso.example"),),
                      body=MessageBody("text", "typed before the sign-in was revoked"))
        await account.outbox.save_local_draft("k1", draft)
        await account.mail.submit(MarkRead(message_ids=(MessageId(target),), is_read=True))
        services.runner.start()
        for _ in range(200):
            if services.status.current.state == SyncState.AUTH_REQUIRED:
                break
            services.runner.wake()
            await asyncio.sleep(0.005)
        assert services.status.current.state == SyncState.AUTH_REQUIRED
        assert await services.store.run(lambda s: s.queue.pending_count()) == 1
        assert [k for k, _ in await account.outbox.local_drafts()] == ["k1"]
        row = next(r for r in await account.mail.window(ListQuery(folder_id=inbox), 0, 20)
                   if r.id == target)
        assert row.is_read, "the local change must not be reverted for an auth problem"
        assert not emu.default_mailbox.messages[target].get("isRead")

        provider.revoked = False                              # the user signs in again
        for _ in range(400):
            services.runner.wake()
            await asyncio.sleep(0.005)
            if await services.store.run(lambda s: s.queue.pending_count()) == 0:
                break
        assert emu.default_mailbox.messages[target].get("isRead") is True
    finally:
        with contextlib.suppress(Exception):
            await account.close()  # type: ignore[misc]
