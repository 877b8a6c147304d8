"""The device-code sign-in dialog: shows the code the app just requested, its URL and expiry.

The dialog never talks to the identity service itself (the UI may not import ``graph``): the
wiring layer injects ``start_sign_in(on_code, cancel) -> bool`` (see
``olk_tui.commands.signin_ui``), which the dialog runs in a thread worker. ``on_code`` is
called from that thread with the user code, the verification URL and the expiry (epoch
seconds); only those three, sanitised, reach the screen (never the server's free-text
``message``). Escape sets ``cancel``, which stops the polling; the dialog returns True only
when sign-in succeeded. ``SignInPrompter`` opens the dialog when the sync reports that sign-in
is required.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Label, Static

from olk_tui.sync.api import SyncState, SyncStatus
from olk_tui.ui.text import inline

#: ``on_code(user_code, verification_url, expires_at_epoch_seconds)``.
OnCode = Callable[[str, str, float], None]
#: Runs a device-code sign-in (blocking, in a thread); True when signed in, False when
#: cancelled; raises with a showable message on failure.
StartSignIn = Callable[[OnCode, threading.Event], bool]


def safe_url(url: str) -> str:
    """The verification URL made safe to show, or "" when it is not an http(s) address."""
    shown = inline(url, 200)
    parts = urlsplit(shown)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in shown:
        return ""
    return shown


def countdown(seconds_left: float) -> str:
    """``"Expires in 14:59"``, or ``"Expired"``."""
    left = int(seconds_left)
    if left <= 0:
        return "Expired: press Escape and sign in again"
    return f"Expires in {left // 60}:{left % 60:02d}"


class DeviceCodeDialog(ModalScreen[bool]):
    """Device-code sign-in (see module docstring); ``c`` copies the code, Escape cancels.

    Args:
        start_sign_in: the injected sign-in runner.
        account: the account's name, shown in the title (sanitised).
        clock: seconds since the epoch (tests freeze it).
    """

    DEFAULT_CSS = """
    DeviceCodeDialog { align: center middle; }
    DeviceCodeDialog > Vertical { width: 64; height: auto; border: thick $primary;
                                  background: $surface; padding: 1 2; }
    DeviceCodeDialog #signin-code { text-style: bold; color: $accent; padding: 1 0; }
    DeviceCodeDialog .muted { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.signin.cancel"),
        Binding("c", "copy_code", "Copy code", id="dialog.signin.copy"),
    ]

    class CodeReceived(Message):
        """The identity service issued a code (posted from the worker thread)."""

        def __init__(self, user_code: str, url: str, expires_at: float) -> None:
            super().__init__()
            self.user_code, self.url, self.expires_at = user_code, url, expires_at

    class Finished(Message):
        """The sign-in runner returned (``ok``) or failed (``problem``)."""

        def __init__(self, ok: bool, problem: str = "") -> None:
            super().__init__()
            self.ok, self.problem = ok, problem

    def __init__(self, start_sign_in: StartSignIn, *, account: str = "",
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(classes="dialog")
        self._start = start_sign_in
        self._clock = clock
        self.account_name = inline(account, 40)
        self.cancel_event = threading.Event()
        #: Set when the runner has returned (polling has stopped).
        self.done = threading.Event()
        self.user_code = ""
        self.url = ""
        self.expires_at = 0.0
        self.problem = ""
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        title = "Sign in to Microsoft" + (f" ({self.account_name})" if self.account_name else "")
        with Vertical():
            yield Label(Text(title, style="bold"))
            yield Static(Text("Requesting a sign-in code..."), id="signin-status")
            yield Static(Text(""), id="signin-code")
            yield Static(Text(""), id="signin-url")
            yield Static(Text(""), id="signin-expiry")
            yield Static(Text("c: copy code   Escape: cancel"), classes="muted")

    def on_mount(self) -> None:
        """Start the sign-in in a thread (it blocks while it polls)."""
        self.run_worker(self._run, thread=True, exit_on_error=False, group="signin",
                        description="Device-code sign-in")

    def _run(self) -> None:
        def on_code(user_code: str, url: str, expires_at: float) -> None:
            self.post_message(self.CodeReceived(str(user_code), str(url), float(expires_at)))

        try:
            ok = bool(self._start(on_code, self.cancel_event))
        # The runner raises OlkError for expected failures; anything else is still a failed
        # sign-in the user must see here, not a crashed thread and a dialog that never closes.
        except Exception as exc:
            self.post_message(self.Finished(False, inline(str(exc), 200) or "Sign-in failed"))
        else:
            self.post_message(self.Finished(ok))  # a token that arrived as we cancelled counts
        finally:
            self.done.set()

    def on_unmount(self) -> None:
        """Stop the polling when the dialog goes away for any reason (the app quitting too):
        the runner's thread must not outlive the app for the code's 15 minutes."""
        self.cancel_event.set()

    # ------------------------------------------------------------------ messages

    @on(CodeReceived)
    def _code(self, message: CodeReceived) -> None:
        self.user_code = inline(message.user_code, 40)
        self.url = safe_url(message.url)
        self.expires_at = message.expires_at
        self._status("Open the address below in a browser and enter the code.")
        self.query_one("#signin-code", Static).update(Text(self.user_code))
        self.query_one("#signin-url", Static).update(
            Text(self.url or "(the sign-in service sent no usable address)"))
        self._tick()
        if self._timer is None:
            self._timer = self.set_interval(1, self._tick)

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        # The runner has returned once this arrives: mark it here too, not only in the
        # thread's ``finally`` (which may run later), or an Escape in between would wait
        # for a runner that is already gone and the dialog would never close.
        self.done.set()
        if self._timer is not None:
            self._timer.stop()
        if message.ok:
            self.dismiss(True)
        elif self.cancel_event.is_set():
            self.dismiss(False)
        else:
            self.problem = message.problem or "Sign-in failed"
            self._status(f"Sign-in failed: {self.problem}")
            self.query_one("#signin-expiry", Static).update(Text("Escape: close"))

    def _status(self, text: str) -> None:
        self.query_one("#signin-status", Static).update(Text(text))

    def _tick(self) -> None:
        if self.expires_at:
            self.query_one("#signin-expiry", Static).update(
                Text(countdown(self.expires_at - self._clock())))

    # ------------------------------------------------------------------ actions

    def action_copy_code(self) -> None:
        """Copy the user code to the clipboard (OSC 52)."""
        if self.user_code:
            self.app.copy_to_clipboard(self.user_code)
            self.notify("Code copied", timeout=2)

    def action_cancel(self) -> None:
        """Stop polling; close once the runner has returned (or at once when it already has,
        or on a second Escape)."""
        if self.done.is_set() or self.cancel_event.is_set():
            self.cancel_event.set()
            self.dismiss(False)
            return
        self.cancel_event.set()
        self._status("Cancelling...")


class SignInPrompter:
    """Offers the device-code dialog when the sync reports that sign-in is needed.

    Feed it the repositories' announcements (``handle``); on ``SyncStatus`` with
    ``AUTH_REQUIRED`` it pushes one ``DeviceCodeDialog`` (never two at once). After a cancel
    it does not ask again on its own (the next status would re-open it at once); ``offer()``
    (a key or palette command) asks again.

    Args:
        app: the running app.
        start_sign_in: the injected runner; None when the account cannot sign in from the UI.
        account: the account's name, shown in the dialog.
        on_signed_in: called on the event loop after a successful sign-in (the wiring makes
            the account's auth read the new token and the sync start again).
        on_declined: called when the dialog closed without signing in (cancelled, or a
            failure the dialog showed), so the app can say how to sign in later.
    """

    def __init__(self, app: App[object], start_sign_in: StartSignIn | None, *,
                 account: str = "", on_signed_in: Callable[[], object] | None = None,
                 on_declined: Callable[[], object] | None = None) -> None:
        self.app = app
        self.start_sign_in = start_sign_in
        self.account = account
        self.on_signed_in = on_signed_in
        self.on_declined = on_declined
        self.showing = False
        self.declined = False

    def handle(self, event: object) -> bool:
        """Offer sign-in when ``event`` says it is required; True when the dialog opened."""
        if isinstance(event, SyncStatus) and event.state == SyncState.AUTH_REQUIRED:
            return self.offer(again=False)
        return False

    def offer(self, *, again: bool = True) -> bool:
        """Open the dialog (``again``: also after the user cancelled one)."""
        if self.start_sign_in is None or self.showing or (self.declined and not again):
            return False
        self.showing = True
        self.app.push_screen(DeviceCodeDialog(self.start_sign_in, account=self.account),
                             self._closed)
        return True

    def _closed(self, signed_in: bool | None) -> None:
        self.showing = False
        self.declined = not signed_in
        if signed_in:
            if self.on_signed_in is not None:
                self.on_signed_in()  # it says what happens next
            else:
                self.app.notify("Signed in", timeout=3, markup=False)
        elif self.on_declined is not None:
            self.on_declined()
