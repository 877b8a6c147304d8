"""The device-code dialog against the emulator's identity service over loopback HTTP.

The dialog shows the code the emulator issued, returns True once ``emu.identity.approve``
approves it (and the token is stored), returns False on Escape with the polling stopped, and
shows nothing of the server's free-text ``message``.
"""

from __future__ import annotations

import json
import threading

import httpx
import pytest
from textual.app import App
from textual.widgets import Static

from olk_tui.commands.signin_ui import device_code_runner
from olk_tui.config import AccountConfig, Settings
from olk_tui.emulator import Emulator
from olk_tui.graph.account import open_session
from olk_tui.ui.signin import DeviceCodeDialog, countdown, safe_url

HOSTILE = "\x1b]52;c;ZXZpbA==\x07[bold red]PWNED[/] visit http://evil.example \u202e"


class Host(App[None]):
    """A bare app that pushes the dialog and keeps its result."""

    def __init__(self, dialog: DeviceCodeDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.result: bool | None = None
        self.closed = threading.Event()

    def on_mount(self) -> None:
        def done(result: bool | None) -> None:
            self.result = result
            self.closed.set()

        self.push_screen(self.dialog, done)


class Counting(httpx.BaseTransport):
    """Real HTTP that counts token polls and can rewrite the device-code answer."""

    def __init__(self, rewrite: dict[str, str] | None = None) -> None:
        self.inner = httpx.HTTPTransport()
        self.rewrite = rewrite or {}
        self.polls = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        path = request.url.path
        if path.endswith("/oauth2/v2.0/token"):
            self.polls += 1
        if path.endswith("/devicecode") and self.rewrite:
            response.read()
            body = json.loads(response.content) | self.rewrite
            return httpx.Response(response.status_code, json=body)
        return response

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def served():
    emu = Emulator()
    emu.identity.device_interval = 1
    with emu.serve(port=0) as server:
        yield emu, server.base_url


def runner(url: str, tmp_path, transport: Counting):
    account = AccountConfig(name="signin-test", emulator=url)
    return account, device_code_runner(Settings(), account, transport=transport,
                                       state=tmp_path, keyring_backend=None)


async def wait_for(pilot, predicate, limit: float = 10.0) -> None:
    """Let the app run until ``predicate`` holds (the thread worker talks to a server)."""
    import asyncio

    loop = asyncio.get_running_loop()
    end = loop.time() + limit
    while not predicate():
        assert loop.time() < end, "timed out"
        await pilot.pause(0.05)


def text_of(app: App, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def pending_codes(emu: Emulator) -> list[str]:
    return [d.user_code for d in emu.identity._devices.values()]


async def test_approved_code_signs_in_and_stores_the_token(served, tmp_path) -> None:
    emu, url = served
    transport = Counting()
    account, start = runner(url, tmp_path, transport)
    app = Host(DeviceCodeDialog(start, account="work", clock=lambda: 0.0))
    async with app.run_test() as pilot:
        dialog = app.dialog
        await wait_for(pilot, lambda: dialog.user_code)
        assert [dialog.user_code] == pending_codes(emu)
        assert text_of(app, "#signin-code") == dialog.user_code
        assert text_of(app, "#signin-url") == f"{url}/devicelogin"
        assert "Expires in" in text_of(app, "#signin-expiry")
        emu.identity.approve(dialog.user_code)
        await wait_for(pilot, app.closed.is_set)
        assert app.result is True
    session = open_session(account, tmp_path, keyring_backend=None)
    try:
        assert session.signed_in() is not None
    finally:
        session.close()


async def test_cancel_returns_false_and_stops_polling(served, tmp_path) -> None:
    emu, url = served
    transport = Counting()
    account, start = runner(url, tmp_path, transport)
    app = Host(DeviceCodeDialog(start))
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: app.dialog.user_code)
        await pilot.press("escape")
        await wait_for(pilot, app.closed.is_set)
        assert app.result is False
        assert app.dialog.done.wait(5)
        # The runner returned (done), so nothing polls any more: approving now signs no one in.
        polls = transport.polls
        emu.identity.approve(app.dialog.user_code)
        await pilot.pause()
        assert transport.polls == polls
    session = open_session(account, tmp_path, keyring_backend=None)
    try:
        assert session.signed_in() is None
    finally:
        session.close()


async def test_hostile_server_message_never_reaches_the_screen(served, tmp_path) -> None:
    _emu, url = served
    transport = Counting({"message": HOSTILE,
                          "verification_uri": "javascript:alert(1)"})
    _account, start = runner(url, tmp_path, transport)
    app = Host(DeviceCodeDialog(start))
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: app.dialog.user_code)
        shown = "\n".join(str(w.render()) for w in app.screen.query(Static))
        assert "PWNED" not in shown and "evil" not in shown and "\x1b" not in shown
        assert app.dialog.user_code in shown
        assert "javascript" not in shown and "no usable address" in shown
        await pilot.press("escape")
        await wait_for(pilot, app.closed.is_set)
        assert app.result is False


async def test_failure_is_shown_and_escape_closes_false() -> None:
    def failing(on_code, cancel) -> bool:
        raise RuntimeError("AADSTS50076 \x1b[31mneeds MFA")

    app = Host(DeviceCodeDialog(failing))
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: app.dialog.problem)
        status = text_of(app, "#signin-status")
        assert "needs MFA" in status and "\x1b" not in status
        await pilot.press("escape")
        await wait_for(pilot, app.closed.is_set)
        assert app.result is False


async def test_copy_puts_the_code_on_the_clipboard() -> None:
    def fake(on_code, cancel: threading.Event) -> bool:
        on_code("ABCD-1234", "https://microsoft.com/devicelogin", 900.0)
        cancel.wait(10)
        return False

    app = Host(DeviceCodeDialog(fake, clock=lambda: 0.0))
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: app.dialog.user_code)
        assert text_of(app, "#signin-expiry") == "Expires in 15:00"
        await pilot.press("c")
        assert app.clipboard == "ABCD-1234"
        await pilot.press("escape")
        await wait_for(pilot, app.closed.is_set)
        assert app.result is False


def test_countdown_and_url_rules() -> None:
    assert countdown(61) == "Expires in 1:01"
    assert countdown(0).startswith("Expired")
    assert safe_url("https://login.example/device") == "https://login.example/device"
    assert safe_url("javascript:alert(1)") == ""
    assert safe_url("file:///etc/passwd") == ""


async def test_escape_after_a_failure_closes_even_before_the_thread_finishes() -> None:
    # The failure message can be handled before the worker thread's ``finally`` runs; one
    # Escape must still close the dialog (it used to wait for the runner forever).
    release = threading.Event()

    class SlowFinally(DeviceCodeDialog):
        def _run(self) -> None:
            self.post_message(self.Finished(False, "AADSTS50076 needs MFA"))
            release.wait(5)  # the thread has not reached ``done.set()`` yet

    app = Host(SlowFinally(lambda on_code, cancel: False))
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: app.dialog.problem)
        await pilot.press("escape")
        await wait_for(pilot, app.closed.is_set, limit=3)
        assert app.result is False
    release.set()
