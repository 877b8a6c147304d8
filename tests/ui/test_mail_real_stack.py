"""Journeys over the real stack (emulator -> Graph client -> cache -> sync -> UI) that assert
the emulator's state, the way ``olk-tui --demo`` runs."""

from __future__ import annotations

import httpx

from olk_tui.commands.app import DEMO_BASE, demo_account
from olk_tui.config import Settings
from olk_tui.emulator import Emulator
from olk_tui.ui.app import make_app
from olk_tui.ui.mail.screen import MailScreen


def server_message(emu: Emulator, message_id: str) -> dict:
    with httpx.Client(transport=emu.sync_transport(), base_url=DEMO_BASE) as http:
        response = http.get(f"/v1.0/me/messages/{message_id}",
                            params={"$select": "isRead,flag,parentFolderId"})
        response.raise_for_status()
        return response.json()


async def wait_for(pilot, predicate, tries: int = 100) -> bool:
    for _ in range(tries):
        if predicate():
            return True
        await pilot.pause(0.05)
    return predicate()


async def test_demo_inbox_syncs_and_mark_read_reaches_the_server() -> None:
    emu = Emulator.demo(size=120)
    account, cleanup = demo_account(Settings(), emulator=emu)
    app = make_app(Settings(), account)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            assert isinstance(screen, MailScreen)
            assert account.is_demo
            assert await wait_for(pilot, lambda: screen.messages.count > 100)
            assert await wait_for(pilot, lambda: screen.messages.current is not None)
            # Find an unread row, mark it read, and see the server agree.
            for _ in range(screen.messages.count):
                row = screen.messages.current
                if row is not None and not row.is_read:
                    break
                await pilot.press("j")
            row = screen.messages.current
            assert row is not None and not row.is_read
            await pilot.press("U")
            assert await wait_for(pilot, lambda: server_message(emu, row.id)["isRead"] is True)
            assert await wait_for(
                pilot, lambda: screen.messages.row_at(screen.messages.cursor).is_read)
    finally:
        cleanup()


async def test_demo_open_marks_read_and_move_undo_on_the_server() -> None:
    emu = Emulator.demo(size=80)
    account, cleanup = demo_account(Settings(), emulator=emu)
    app = make_app(Settings(), account)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            assert await wait_for(pilot, lambda: screen.messages.count > 60)
            assert await wait_for(pilot, lambda: screen.messages.current is not None)
            for _ in range(screen.messages.count):
                row = screen.messages.current
                if row is not None and not row.is_read:
                    break
                await pilot.press("j")
            row = screen.messages.current
            assert row is not None and not row.is_read
            inbox = row.folder_id
            await pilot.press("enter")
            assert await wait_for(pilot, lambda: server_message(emu, row.id)["isRead"] is True)
            await pilot.press("q")
            await pilot.pause()
            archive = screen.commands.well_known("archive")
            assert archive is not None
            await pilot.press("m", *"archive", "enter")
            assert await wait_for(
                pilot, lambda: server_message(emu, row.id)["parentFolderId"] == archive)
            await pilot.press("u")
            assert await wait_for(
                pilot, lambda: server_message(emu, row.id)["parentFolderId"] == inbox)
    finally:
        cleanup()


async def test_demo_tag_five_delete_and_flag_reach_the_server() -> None:
    emu = Emulator.demo(size=80)
    account, cleanup = demo_account(Settings(), emulator=emu)
    app = make_app(Settings(), account)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            assert await wait_for(pilot, lambda: screen.messages.count > 60)
            assert await wait_for(pilot, lambda: screen.messages.current is not None)
            await pilot.press("s", "m")  # flag the first for tomorrow
            first = screen.messages.current
            assert await wait_for(
                pilot, lambda: server_message(emu, first.id)["flag"]["flagStatus"] == "flagged")
            await pilot.press(*"ttttt")
            tagged = set(screen.messages.tagged)
            assert len(tagged) == 5
            await pilot.press("d")
            deleted = screen.commands.well_known("deleteditems")
            assert await wait_for(pilot, lambda: all(
                server_message(emu, m)["parentFolderId"] == deleted for m in tagged))
    finally:
        cleanup()


async def test_demo_search_merges_server_results_and_actions_work_on_them() -> None:
    from olk_tui.ui.mail.sources import ResultsSource

    emu = Emulator.demo(size=120)
    account, cleanup = demo_account(Settings(), emulator=emu)
    app = make_app(Settings(), account)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            assert await wait_for(pilot, lambda: screen.messages.count > 100)
            await pilot.press("slash", "ctrl+t", *"from:adele")  # KQL, every folder
            await pilot.press("enter")
            assert await wait_for(pilot, lambda: isinstance(screen.messages.source,
                                                            ResultsSource))
            assert await wait_for(pilot, lambda: screen.messages.current is not None)
            rows = [screen.messages.row_at(i) for i in range(screen.messages.count)]
            # Local full-text results match "adele" anywhere (recipients, bodies); the
            # server's KQL results are from Adele and are merged in.
            server = {r.id for r in await account.mail.search_server("from:adele", None)}
            assert server and server <= {r.id for r in rows}
            row = screen.messages.current
            before = server_message(emu, row.id)["isRead"]
            await pilot.press("U")
            assert await wait_for(
                pilot, lambda: server_message(emu, row.id)["isRead"] is (not before))
    finally:
        cleanup()
