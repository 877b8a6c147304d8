"""Several accounts: the first starts with the app, the other in the background after the
first's first sync (its unread count then shows in the status line without switching); the
account key shows the other mailbox's Inbox. Two demo accounts over two emulators, through
the real stack."""

from __future__ import annotations

from olk_tui.commands.app import demo_account
from olk_tui.config import Settings
from olk_tui.emulator import Emulator
from olk_tui.ui.app import make_app
from olk_tui.ui.keymap import keymap_for
from olk_tui.ui.mail.screen import MailScreen
from olk_tui.ui.status import StatusLine
from tests.ui.test_contacts_journeys import wait_for


async def test_switch_account_shows_the_other_inbox_and_counts() -> None:
    work_emu, home_emu = Emulator.demo(size=20), Emulator.demo(size=45, seed=7)
    work, clean_work = demo_account(Settings(), emulator=work_emu)
    home, clean_home = demo_account(Settings(), emulator=home_emu)
    work.name, home.name = "work", "home"
    home_started: list[bool] = []
    real_start = home.start

    async def start_home() -> None:
        home_started.append(True)
        await real_start()  # type: ignore[misc]

    home.start = start_home
    app = make_app(Settings(), accounts=[work, home])
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            first = app.screen
            assert isinstance(first, MailScreen) and first.account is work
            assert await wait_for(pilot, lambda: first.messages.count > 0)
            # home starts in the background once work's first sync is done; its Inbox
            # unread count reaches work's status line without switching
            assert await wait_for(pilot, lambda: home_started == [True], tries=300)
            home_unread = [0]

            async def home_counted() -> bool:
                inbox = next((f for f in await home.mail.folders()
                              if f.well_known_name == "inbox"), None)
                home_unread[0] = inbox.unread_count if inbox else 0
                return home_unread[0] > 0
            for _ in range(300):
                if await home_counted():
                    break
                await pilot.pause(0.05)
            assert await wait_for(pilot, lambda: f"home {home_unread[0]}"
                                  in first.query_one(StatusLine).render().plain)
            assert app.account is work
            await pilot.press("ctrl+n")
            assert await wait_for(pilot, lambda: isinstance(app.screen, MailScreen)
                                  and app.screen is not first)
            second = app.screen
            assert isinstance(second, MailScreen) and second.account is home
            assert app.account is home and home_started == [True]  # not started twice
            assert await wait_for(pilot, lambda: second.messages.count > 0
                                  and second.folder_id is not None)
            folder = second.commands.folders[second.folder_id]
            assert folder.well_known_name == "inbox"
            home_inbox = next(f for f in await home.mail.folders()
                              if f.well_known_name == "inbox")
            assert second.folder_id == home_inbox.id  # the other mailbox's own Inbox
            assert await wait_for(pilot, lambda: second.messages.count
                                  == home_inbox.total_count != first.messages.count)
            # the other (work) account's Inbox unread count is in the status line
            work_inbox = next(f for f in await work.mail.folders()
                              if f.well_known_name == "inbox")
            assert work_inbox.unread_count > 0
            status = second.query_one(StatusLine)
            assert await wait_for(pilot, lambda: f"work {work_inbox.unread_count}"
                                  in status.render().plain)
            await pilot.press("ctrl+n")  # and back to the first one's own screen
            assert await wait_for(pilot, lambda: app.screen is first)
            assert app.account is work
    finally:
        clean_work()
        clean_home()


def test_account_key_is_free_in_both_key_sets() -> None:
    for keys in ("vim", "mutt"):
        keymap, problems = keymap_for(keys, {})
        assert problems == []
        assert keymap.get("app.account.next", "ctrl+n") == "ctrl+n"
