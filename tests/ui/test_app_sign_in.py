"""The app offers the device-code dialog when its account must sign in again, and syncs
again after signing in; the demo (no sign-in) never shows it."""

from __future__ import annotations

from olk_tui.config import Settings
from olk_tui.sync.api import SyncState, SyncStatus
from olk_tui.ui.app import make_app
from olk_tui.ui.testing import fake_account
from tests.ui.test_signin_prompter import Runner, dialogs, until

AUTH = SyncStatus(state=SyncState.AUTH_REQUIRED, last_error="Sign-in required")


def _announce(account, event) -> None:
    for listener in list(account.mail._listeners):  # type: ignore[attr-defined]
        listener(event)


async def test_auth_required_shows_the_code_and_sign_in_resumes_sync() -> None:
    account = fake_account(inbox_size=50, is_demo=False)
    runner = Runner()
    account.sign_in = runner
    app = make_app(Settings(), account)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.sign_in is not None)
        _announce(account, AUTH)
        await until(pilot, lambda: dialogs(app) and dialogs(app)[0].user_code)
        assert dialogs(app)[0].user_code == "ABC-123"
        before = len(account.mail.refreshed)  # type: ignore[attr-defined]
        runner.approved.set()
        await until(pilot, lambda: not dialogs(app))
        await until(pilot, lambda: len(account.mail.refreshed) > before)  # type: ignore[attr-defined]
        assert runner.calls == 1


async def test_an_account_without_sign_in_never_shows_the_dialog() -> None:
    account = fake_account(inbox_size=50)
    app = make_app(Settings(), account)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.sign_in is None
        _announce(account, AUTH)
        await pilot.pause()
        assert not dialogs(app)


def test_configured_device_code_accounts_get_a_sign_in_runner() -> None:
    from olk_tui.commands.app import _configured
    from olk_tui.config import AccountConfig

    device = _configured(Settings(), AccountConfig(name="work-signin", client_id="abc"))
    app_only = _configured(Settings(), AccountConfig(
        name="svc-signin", client_id="abc", auth_flow="client_credentials", user_id="u@x"))
    assert callable(device.sign_in)
    assert app_only.sign_in is None
