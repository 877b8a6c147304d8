"""SignInPrompter: the device-code dialog opens when the sync says sign-in is required."""

from __future__ import annotations

import threading

from textual.app import App

from olk_tui.sync.api import SyncState, SyncStatus
from olk_tui.ui.signin import DeviceCodeDialog, SignInPrompter

AUTH = SyncStatus(state=SyncState.AUTH_REQUIRED)


class Runner:
    """A sign-in runner that shows a code and waits for the test to approve or the user to
    cancel."""

    def __init__(self) -> None:
        self.approved = threading.Event()
        self.calls = 0

    def __call__(self, on_code, cancel: threading.Event) -> bool:
        self.calls += 1
        on_code("ABC-123", "https://microsoft.com/devicelogin", 10**10)
        while not cancel.is_set():
            if self.approved.wait(0.02):
                return True
        return False


class Host(App[None]):
    def __init__(self, runner: Runner | None) -> None:
        super().__init__()
        self.signed_in = 0
        self.prompter = SignInPrompter(self, runner, account="work",
                                       on_signed_in=self._signed_in)

    def _signed_in(self) -> None:
        self.signed_in += 1


async def until(pilot, predicate) -> None:
    for _ in range(200):
        if predicate():
            return
        await pilot.pause(0.02)
    raise AssertionError("timed out")


def dialogs(app: App) -> list[DeviceCodeDialog]:
    return [s for s in app.screen_stack if isinstance(s, DeviceCodeDialog)]


async def test_auth_required_opens_one_dialog_and_success_calls_back() -> None:
    runner = Runner()
    app = Host(runner)
    async with app.run_test() as pilot:
        assert app.prompter.handle(SyncStatus(state=SyncState.SYNCING)) is False
        assert app.prompter.handle(AUTH) is True
        assert app.prompter.handle(AUTH) is False  # never two at once
        await pilot.pause()
        assert len(dialogs(app)) == 1
        await until(pilot, lambda: dialogs(app) and dialogs(app)[0].user_code)
        runner.approved.set()
        await until(pilot, lambda: not dialogs(app))
        assert app.signed_in == 1 and runner.calls == 1
        assert not app.prompter.declined


async def test_after_cancel_it_waits_to_be_asked_again() -> None:
    runner = Runner()
    app = Host(runner)
    async with app.run_test() as pilot:
        app.prompter.handle(AUTH)
        await until(pilot, lambda: dialogs(app) and dialogs(app)[0].user_code)
        await pilot.press("escape")
        await until(pilot, lambda: not dialogs(app))
        assert app.signed_in == 0 and app.prompter.declined
        assert app.prompter.handle(AUTH) is False
        assert app.prompter.offer() is True
        await pilot.pause()
        assert len(dialogs(app)) == 1
        await pilot.press("escape")
        await until(pilot, lambda: not dialogs(app))


async def test_without_a_runner_nothing_opens() -> None:
    app = Host(None)
    async with app.run_test() as pilot:
        assert app.prompter.handle(AUTH) is False and app.prompter.offer() is False
        await pilot.pause()
        assert not dialogs(app)


async def test_quitting_the_app_stops_the_polling() -> None:
    runner = Runner()
    app = Host(runner)
    async with app.run_test() as pilot:
        app.prompter.handle(AUTH)
        await until(pilot, lambda: dialogs(app) and dialogs(app)[0].user_code)
        dialog = dialogs(app)[0]
    assert dialog.cancel_event.is_set()
    assert dialog.done.wait(5)
