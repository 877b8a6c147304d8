"""Account state kept beside the repositories: mailbox settings (applied to the cache at
submit, reverted on failure, announced) and the signed-in identity."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from olk_tui.domain.errors import GraphError
from olk_tui.domain.operations import UpdateMailboxSettings
from olk_tui.emulator.core import Emulator
from olk_tui.sync.account import build_account
from olk_tui.sync.api import (
    Account,
    FoldersChanged,
    IdentityChanged,
    OperationFailed,
    RepoEvent,
    SettingsChanged,
)

from .conftest import Harness, fast_sleep, make_client, open_harness

EUROPE = {"timeZone": "W. Europe Standard Time"}


class OfflineTransport(httpx.AsyncBaseTransport):
    """Every request fails to connect."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("offline", request=request)


async def test_settings_change_survives_a_restart_before_it_was_sent(
        emu: Emulator, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    base = "https://graph.emulator.test"
    h = await open_harness(emu, base, db, emu.transport(sleep=fast_sleep))
    assert h.account.settings.time_zone != "W. Europe Standard Time"
    await h.account.mail.submit(UpdateMailboxSettings(fields=EUROPE))
    assert h.account.settings.time_zone == "W. Europe Standard Time"
    assert h.of(SettingsChanged)[-1].settings.time_zone == "W. Europe Standard Time"
    await h.account.close()  # type: ignore[misc]
    # offline restart: the cache has the new value
    h = await open_harness(emu, base, db, OfflineTransport())
    assert h.account.settings.time_zone == "W. Europe Standard Time"
    await h.account.close()  # type: ignore[misc]
    # online restart: the server's (older) settings do not hide the queued change
    h = await open_harness(emu, base, db, emu.transport(sleep=fast_sleep))
    assert h.account.settings.time_zone == "W. Europe Standard Time"
    await h.svc.runner.run_once()
    assert emu.default_mailbox.mailbox_settings["timeZone"] == "W. Europe Standard Time"
    assert h.account.settings.time_zone == "W. Europe Standard Time"
    assert h.of(SettingsChanged) and not h.of(FoldersChanged)
    await h.account.close()  # type: ignore[misc]


async def test_refused_settings_change_is_reverted_in_the_cache(hi: Harness) -> None:
    h = hi
    before = h.account.settings.time_zone
    await h.account.mail.submit(UpdateMailboxSettings(fields={"timeZone": "Mars/Olympus"}))
    assert h.account.settings.time_zone == "Mars/Olympus"
    await h.svc.runner.run_once()
    assert h.of(OperationFailed)
    assert h.account.settings.time_zone == before
    assert h.of(SettingsChanged)[-1].settings.time_zone == before
    cached = await h.svc.store.run(lambda s: s.queue.get("settings"))
    assert cached is not None and "Mars" not in cached


async def _fresh_start(emu: Emulator, db: Path) -> tuple[Account, list[RepoEvent]]:
    client = make_client("https://graph.emulator.test", emu.transport(sleep=fast_sleep))
    account = build_account("test", client, db, sleep=fast_sleep, debounce=0)
    events: list[RepoEvent] = []
    account.mail.subscribe(events.append)
    await account.start()  # type: ignore[misc]
    return account, events


async def test_identity_arrives_on_the_first_start(emu: Emulator, tmp_path: Path) -> None:
    account, events = await _fresh_start(emu, tmp_path / "first.sqlite3")
    try:
        assert account.identity is not None
        user = await asyncio.wait_for(account.identity(), 10)
        assert user.mail == "megan@contoso.example"
        assert account.user == user
        assert [e.user for e in events if isinstance(e, IdentityChanged)] == [user]
    finally:
        await account.close()  # type: ignore[misc]


async def test_identity_is_fetched_again_after_a_failed_first_try(
        emu: Emulator, tmp_path: Path) -> None:
    emu.faults.add("reset", regex=r"^/me$", times=6)
    account, _ = await _fresh_start(emu, tmp_path / "retry.sqlite3")
    try:
        assert account.identity is not None
        user = await asyncio.wait_for(account.identity(), 10)
        assert user.mail == "megan@contoso.example"
    finally:
        await account.close()  # type: ignore[misc]


async def test_a_refused_settings_change_keeps_a_later_queued_one(hi: Harness) -> None:
    h = hi
    h.emu.faults.add("503", path="/me/mailboxSettings", method="PATCH", skip=1, times=100)
    await h.account.mail.submit(UpdateMailboxSettings(fields={"timeZone": "Mars/Olympus"}))
    await h.account.mail.submit(UpdateMailboxSettings(fields={
        "automaticRepliesSetting": {"status": "alwaysEnabled"}}))
    with pytest.raises(GraphError):  # the second PATCH is throttled: it stays queued
        await h.svc.runner.run_once()
    assert h.of(OperationFailed)
    assert await h.svc.store.run(lambda s: s.queue.pending_count()) == 1
    assert h.account.settings.time_zone != "Mars/Olympus"
    assert h.account.settings.automatic_replies.status == "alwaysEnabled"


async def test_cached_settings_and_user_are_there_before_start(
        emu: Emulator, tmp_path: Path) -> None:
    """The UI's first frame draws dates in the mailbox's zone: build_account gives the
    account its cached settings at once, before ``start()`` (which runs after that paint)."""
    db = tmp_path / "early.sqlite3"
    emu.default_mailbox.mailbox_settings["timeZone"] = "W. Europe Standard Time"
    account, _ = await _fresh_start(emu, db)
    assert account.identity is not None
    await asyncio.wait_for(account.identity(), 10)
    await account.close()  # type: ignore[misc]
    client = make_client("https://graph.emulator.test", OfflineTransport())
    again = build_account("test", client, db, sleep=fast_sleep, debounce=0)
    try:
        assert again.settings.time_zone == "W. Europe Standard Time"
        assert again.user.mail == "megan@contoso.example"
    finally:
        await again.close()  # type: ignore[misc]
