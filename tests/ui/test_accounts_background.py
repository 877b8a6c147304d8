"""Several accounts: the others sync in the background once the first account's first sync
has ended; new mail in any account's Inbox toasts once, naming the account, and runs the hook
once (with ``OLK_TUI_ACCOUNT``); an account that never signed in is named at start and
offered the dialog when switched to; a lapsed sign-in in the background is a toast."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import httpx

from olk_tui.commands.app import DEMO_BASE, demo_account
from olk_tui.config import Settings, UiConfig
from olk_tui.emulator import Emulator
from olk_tui.sync.api import ListQuery, SyncState, SyncStatus
from olk_tui.ui.accounts import Accounts
from olk_tui.ui.signin import DeviceCodeDialog
from olk_tui.ui.testing import fake_account
from tests.ui.test_contacts_journeys import wait_for
from tests.ui.test_signin_first_run import ToastApp
from tests.ui.test_signin_prompter import Runner

HOOK = """
import json, os, sys
with open(sys.argv[1], "a") as out:
    out.write(json.dumps([os.environ.get("OLK_TUI_ACCOUNT"), *sys.argv[2:]]) + "\\n")
"""


async def inbox_count(account) -> int:
    folders = await account.mail.folders()
    inbox = next((f.id for f in folders if f.well_known_name == "inbox"), None)
    return await account.mail.count(ListQuery(inbox)) if inbox else 0


async def test_new_mail_in_the_background_account_toasts_once_and_runs_the_hook_once(
        tmp_path: Path) -> None:
    work_emu, home_emu = Emulator.demo(size=20), Emulator.demo(size=25, seed=7)
    work, clean_work = demo_account(Settings(), emulator=work_emu)
    home, clean_home = demo_account(Settings(), emulator=home_emu)
    work.name, home.name = "work", "home"
    script, out = tmp_path / "hook.py", tmp_path / "argv.jsonl"
    script.write_text(HOOK)
    settings = Settings(ui=dataclasses.replace(
        UiConfig(), new_mail_hook=(sys.executable, str(script), str(out))))
    app = ToastApp(settings, accounts=[work, home])
    app.accounts.stagger = 0
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            # home starts by itself after work's first sync, while work stays on screen
            assert await wait_for(pilot, lambda: 1 in app.accounts.started, tries=300)
            counted = [0]

            async def home_synced() -> bool:
                counted[0] = await inbox_count(home)
                return counted[0] > 0
            for _ in range(300):
                if await home_synced():
                    break
                await pilot.pause(0.05)
            assert counted[0] > 0 and app.account is work
            async with httpx.AsyncClient(transport=home_emu.transport(),
                                         base_url=DEMO_BASE) as http:
                (await http.post("/v1.0/me/sendMail", json={"message": {
                    "subject": "Dinner on Friday?",
                    "body": {"contentType": "text", "content": "x"},
                    "toRecipients": [{"emailAddress": {"address": "megan@contoso.example"}}]},
                })).raise_for_status()
            await home.mail.refresh()

            def toasts() -> list[str]:
                return [t for t in app.toasts if "Dinner on Friday?" in t]
            assert await wait_for(pilot, lambda: toasts() and out.exists()
                                  and out.read_text().strip(), tries=300)
            await home.mail.refresh()  # another pass finds nothing new: no second toast
            for _ in range(10):
                await pilot.pause(0.05)
            assert len(toasts()) == 1 and toasts()[0].startswith("[home] ")
            assert "megan@contoso.example" in toasts()[0]
            runs = [json.loads(line) for line in out.read_text().splitlines()]
            assert len(runs) == 1 and runs[0][0] == "home"
            assert runs[0][2] == "Dinner on Friday?"
            assert app.account is work  # toasted without switching
    finally:
        clean_work()
        clean_home()


async def test_other_account_never_signed_in_is_named_and_offered_on_switch() -> None:
    work, home = fake_account(50, is_demo=False), fake_account(50, is_demo=False)
    work.name, home.name = "work", "home"
    home.needs_sign_in = True
    home.sign_in = runner = Runner()
    work_runner = Runner()
    work.sign_in = work_runner
    app = ToastApp(Settings(), accounts=[work, home])
    app.accounts.stagger = 0
    async with app.run_test(size=(120, 36)) as pilot:
        assert await wait_for(pilot, lambda: any(t.startswith("Not signed in yet: home")
                                                 for t in app.toasts))
        told = next(t for t in app.toasts if t.startswith("Not signed in yet"))
        assert "^n" in told and "work" not in told
        assert not [s for s in app.screen_stack if isinstance(s, DeviceCodeDialog)]
        assert 1 not in app.accounts.started  # not started before it signs in
        await pilot.press("ctrl+n")
        assert await wait_for(pilot, lambda: any(
            isinstance(s, DeviceCodeDialog) and s.user_code for s in app.screen_stack))
        dialog = next(s for s in app.screen_stack if isinstance(s, DeviceCodeDialog))
        assert dialog.account_name == "home"
        runner.approved.set()
        assert await wait_for(pilot, lambda: dialog not in app.screen_stack)
        assert not home.needs_sign_in and 1 in app.accounts.started
        assert runner.calls == 1 and work_runner.calls == 0
        # work, now in the background, loses its sign-in: a toast, not a dialog over home
        for listener in list(work.mail._listeners):  # type: ignore[attr-defined]
            listener(SyncStatus(state=SyncState.AUTH_REQUIRED))
        await pilot.pause()
        assert any(t.startswith("work must sign in again") for t in app.toasts)
        assert not [s for s in app.screen_stack if isinstance(s, DeviceCodeDialog)]
        await pilot.press("ctrl+n")  # back to work: ctrl+g offers its dialog
        await pilot.press("ctrl+g")
        assert await wait_for(pilot, lambda: any(
            isinstance(s, DeviceCodeDialog) and s.account_name == "work"
            for s in app.screen_stack))
        work_runner.approved.set()
        assert await wait_for(pilot, lambda: work_runner.calls == 1 and not [
            s for s in app.screen_stack if isinstance(s, DeviceCodeDialog)])


def test_an_account_that_never_signed_in_is_not_started() -> None:
    started: list[str] = []
    account = fake_account(5, is_demo=False)
    account.needs_sign_in = True
    account.start = lambda: started.append("x")

    class App:
        def run_worker(self, *args, **kwargs) -> None:
            started.append("worker")

    accounts = Accounts([account])
    assert accounts.start(App(), 0) is False and accounts.started == set()  # type: ignore[arg-type]
    account.needs_sign_in = False
    assert accounts.start(App(), 0) is True and started == ["worker"]  # type: ignore[arg-type]
    assert accounts.start(App(), 0) is False  # type: ignore[arg-type]


async def test_sign_in_key_in_the_demo_says_no_sign_in_is_needed() -> None:
    app = ToastApp(Settings(), accounts=[fake_account(20)])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "The demo mailbox needs no sign-in." in app.toasts
        assert not [s for s in app.screen_stack if isinstance(s, DeviceCodeDialog)]
