"""First sign-in from inside the app: a configured account that has never signed in opens on
its empty cache with the device-code dialog, against the emulator's identity service over
loopback HTTP (``emu.identity.approve``); signing in starts the sync and mail appears.
Cancelling leaves the app usable, says how to sign in later, and the sign-in key reopens it."""

from __future__ import annotations

from pathlib import Path

import pytest

from olk_tui.commands.app import accounts_for
from olk_tui.config import AccountConfig, Settings
from olk_tui.emulator import Emulator
from olk_tui.sync.api import SyncState
from olk_tui.ui import app as app_module
from olk_tui.ui.app import OlkApp
from olk_tui.ui.mail.screen import MailScreen
from olk_tui.ui.signin import DeviceCodeDialog
from olk_tui.ui.status import StatusLine
from tests.ui.test_app_command import args
from tests.ui.test_contacts_journeys import wait_for


@pytest.fixture
def served(tmp_path, monkeypatch):
    """A demo mailbox that requires sign-in, over loopback, and XDG folders in tmp."""
    for name in ("CONFIG", "STATE", "DATA", "CACHE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(tmp_path / name.lower()))
    emu = Emulator.demo(size=30, require_auth=True)
    emu.identity.device_interval = 1
    emu.identity.auto_approve = False  # the demo approves at once; a user takes a moment
    with emu.serve(port=0) as server:
        yield emu, server.base_url


class ToastApp(OlkApp):
    """The real app, remembering its toasts."""

    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.toasts: list[str] = []

    def notify(self, message: str, **kwargs) -> None:  # type: ignore[override]
        self.toasts.append(message)
        super().notify(message, **kwargs)


def app_for(url: str) -> tuple[ToastApp, list]:
    settings = Settings(accounts=(AccountConfig(name="work", emulator=url),))
    accounts, _ = accounts_for(settings, args())
    assert accounts[0].needs_sign_in
    return ToastApp(settings, accounts=accounts), accounts


def dialog(app: OlkApp) -> DeviceCodeDialog | None:
    return next((s for s in app.screen_stack if isinstance(s, DeviceCodeDialog)), None)


def mail_screen(app: OlkApp) -> MailScreen:
    return next(s for s in app.zoned_screens if isinstance(s, MailScreen))


async def approve_and_see_mail(pilot, app: ToastApp, emu: Emulator) -> None:
    assert await wait_for(pilot, lambda: dialog(app) is not None and dialog(app).user_code)
    code = dialog(app).user_code  # type: ignore[union-attr]
    emu.identity.approve(code)
    assert await wait_for(pilot, lambda: dialog(app) is None, tries=300)
    screen = mail_screen(app)
    assert await wait_for(pilot, lambda: screen.messages.count > 0, tries=300)
    assert not any(code in t for t in app.toasts)  # the code is in the dialog only


async def test_first_run_signs_in_from_the_dialog_and_mail_appears(served, tmp_path) -> None:
    emu, url = served
    app, accounts = app_for(url)
    async with app.run_test(size=(120, 36)) as pilot:
        # the dialog is up at once, over the (empty) mail screen; nothing syncs before
        assert await wait_for(pilot, lambda: dialog(app) is not None)
        assert app.accounts.started == set()
        await approve_and_see_mail(pilot, app, emu)
        assert not accounts[0].needs_sign_in and app.accounts.started == {0}
        assert any("Signed in to work" in t for t in app.toasts)
    # the token is stored (0600 file for emulator accounts), so the next start is silent
    assert list((tmp_path / "state").rglob("tokens-emulator-work.json"))
    again, _ = accounts_for(Settings(accounts=(AccountConfig(name="work", emulator=url),)),
                            args())
    assert not again[0].needs_sign_in
    for account in again:
        await account.close()  # type: ignore[misc]


async def test_cancel_keeps_the_app_usable_and_the_key_signs_in_later(served) -> None:
    emu, url = served
    app, accounts = app_for(url)
    async with app.run_test(size=(120, 36)) as pilot:
        assert await wait_for(pilot, lambda: dialog(app) is not None and dialog(app).user_code)
        code = dialog(app).user_code  # type: ignore[union-attr]
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: dialog(app) is None)
        assert await wait_for(pilot, lambda: any("Not signed in to work" in t
                                                 for t in app.toasts))
        told = next(t for t in app.toasts if "Not signed in to work" in t)
        assert "^g" in told and "olk-tui login --account work" in told and code not in told
        status = mail_screen(app).query_one(StatusLine)
        assert status.sync.state is SyncState.AUTH_REQUIRED
        assert "SIGN-IN NEEDED" in status.render().plain
        assert app.accounts.started == set() and accounts[0].needs_sign_in
        # still usable: the calendar opens, and back
        await pilot.press("2")
        await pilot.press("1")
        assert isinstance(app.screen, MailScreen)
        # the sign-in key opens the dialog again; this time the user approves
        await pilot.press("ctrl+g")
        await approve_and_see_mail(pilot, app, emu)
        assert app.accounts.started == {0}
        await pilot.press("ctrl+g")  # signed in now: nothing to do, and it says so
        await pilot.pause()
        assert dialog(app) is None and "Already signed in to work." in app.toasts


async def test_an_expired_code_is_a_message_not_a_crash(served) -> None:
    emu, url = served
    app, _ = app_for(url)
    async with app.run_test(size=(120, 36)) as pilot:
        assert await wait_for(pilot, lambda: dialog(app) is not None and dialog(app).user_code)
        emu.clock.advance(16 * 60)  # the code's 15 minutes are over
        shown = dialog(app)
        assert await wait_for(pilot, lambda: shown.problem, tries=300)  # type: ignore[union-attr]
        assert "Sign-in failed" in str(shown.query_one("#signin-status").render())
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: dialog(app) is None)
        assert any("Not signed in to work" in t for t in app.toasts)
        assert app.is_running and app.accounts.started == set()


async def test_a_token_store_that_cannot_save_is_a_message_not_a_crash(
        served, tmp_path, monkeypatch) -> None:
    emu, url = served
    blocked = tmp_path / "state-is-a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))  # the 0600 token file cannot be written
    app, accounts = app_for(url)
    async with app.run_test(size=(120, 36)) as pilot:
        assert await wait_for(pilot, lambda: dialog(app) is not None and dialog(app).user_code)
        shown = dialog(app)
        emu.identity.approve(shown.user_code)  # type: ignore[union-attr]
        assert await wait_for(pilot, lambda: shown.problem, tries=300)  # type: ignore[union-attr]
        status = str(shown.query_one("#signin-status").render())  # type: ignore[union-attr]
        assert status.startswith("Sign-in failed: signed in, but the tokens could not be saved")
        assert "Bearer" not in status and "eyJ" not in status  # no token in the message
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: dialog(app) is None)
        assert any("Not signed in to work" in t for t in app.toasts)
        assert app.is_running and accounts[0].needs_sign_in
