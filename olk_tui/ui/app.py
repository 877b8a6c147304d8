"""The Textual app: screen modes, keymap, toasts, the central worker-error handler.

``make_app(settings, account)`` is the one factory the CLI, the tests and the screenshot
script use. The app owns no data access: screens talk to ``account`` repositories through
workers. Background sync (``account.start``) begins only after the first paint.
"""

from __future__ import annotations

import inspect
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from textual.app import App
from textual.screen import Screen

from olk_tui.config import Settings
from olk_tui.domain.mail import MessageSummary
from olk_tui.paths import downloads_dir
from olk_tui.sync.api import Account, NewMail, OperationFailed, OutboxChanged
from olk_tui.ui.commands import BindingCommands
from olk_tui.ui.errors import ReportsWorkerErrors, WorkerFailed, friendly
from olk_tui.ui.help import HelpScreen
from olk_tui.ui.keymap import bindings, keymap_for
from olk_tui.ui.mail.ops import MailCommands
from olk_tui.ui.mail.reader import ReaderScreen
from olk_tui.ui.mail.screen import MailScreen
from olk_tui.ui.messages import ComposeRequested, RepositoryAnnounced, RsvpRequested
from olk_tui.ui.placeholders import ContactsPlaceholder
from olk_tui.ui.text import inline, who, zone


class OlkApp(ReportsWorkerErrors, App[None]):
    """olk-tui: mail, calendar and contacts modes over one account."""

    CSS_PATH = "app.tcss"
    TITLE = "olk-tui"
    BINDINGS = bindings("app")
    COMMANDS = App.COMMANDS | {BindingCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self, settings: Settings, account: Account,
                 now: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.settings, self.account = settings, account
        self.now = now or (lambda: datetime.now(UTC))
        self.tz = zone(account.settings.time_zone)
        self.key_set = settings.ui.keys
        self.keymap, self.keymap_problems = keymap_for(settings.ui.keys, settings.ui.keymap)
        self.download_dir = Path(settings.download_dir).expanduser() if \
            settings.download_dir else downloads_dir()
        self.commands = MailCommands(self, account, self.now, self.tz)
        self.add_mode("mail", self._mail_screen)
        self.add_mode("calendar", self._calendar_screen)
        self.add_mode("contacts", ContactsPlaceholder)
        self._unsubscribe: Callable[[], None] | None = None

    def _calendar_screen(self) -> Screen[None]:
        # Imported on first use: the first paint of the mail screen must not wait for it.
        from olk_tui.ui.calendar.screen import CalendarScreen

        return CalendarScreen(self.account, ui=self.settings.ui, clock=self.now, zone=self.tz)

    def _mail_screen(self) -> MailScreen:
        return MailScreen(self.account, self.commands, self.now, self.tz, self.open_reader)

    def on_mount(self) -> None:
        """Apply keymap and theme, show mail, start sync after the first paint."""
        self.set_keymap(self.keymap)
        if self.settings.ui.theme in self.available_themes:
            self.theme = self.settings.ui.theme
        else:
            self.notify(f"Unknown theme {inline(self.settings.ui.theme, 40)}; using the default",
                        severity="warning")
        for problem in self.keymap_problems:
            self.notify(inline(problem, 120), severity="warning")
        self._unsubscribe = self.account.mail.subscribe(
            lambda event: self.post_message(RepositoryAnnounced(event)))
        self.switch_mode("mail")
        if self.account.start is not None:
            self.call_after_refresh(self._start_background)

    def _start_background(self) -> None:
        async def start() -> None:
            result = self.account.start()  # type: ignore[misc]
            if inspect.isawaitable(result):
                await result
        self.run_worker(start, group="sync-start", exit_on_error=False,
                        description="start sync")

    async def on_unmount(self) -> None:
        """Stop listening and close the account."""
        if self._unsubscribe:
            self._unsubscribe()
        if self.account.close is not None:
            result = self.account.close()
            if inspect.isawaitable(result):
                await result

    def open_reader(self, row: MessageSummary) -> None:
        """Open a message in the reader over the mail screen."""
        screen = self.screen
        step = screen.step if isinstance(screen, MailScreen) else (lambda d: None)

        def peek(delta: int) -> MessageSummary | None:
            if not isinstance(screen, MailScreen):
                return None
            return screen.messages.row_at(screen.messages.cursor + delta)

        self.push_screen(ReaderScreen(self.account, self.commands, row, step=step, peek=peek,
                                      now=self.now, tz=self.tz,
                                      mark_read=self.settings.ui.mark_read,
                                      download_dir=self.download_dir,
                                      ask_folder=self.settings.ui.download_folder_prompt))

    def action_help(self) -> None:
        """Show every key of the keymap in force."""
        self.push_screen(HelpScreen(self.keymap, self.key_set))

    # ------------------------------------------------------------------ app-wide messages
    def on_repository_announced(self, message: RepositoryAnnounced) -> None:
        """Toasts for things the user must know: reverts and failed sends."""
        event = message.event
        self._follow_time_zone()
        if isinstance(event, NewMail) and event.messages:
            self._new_mail(event)
        elif isinstance(event, OperationFailed):
            self.notify(f"Could not {event.operation.describe()}: {inline(event.reason, 160)}"
                        " — the change was undone.", severity="error", timeout=8)
        elif isinstance(event, OutboxChanged) and event.state == "failed":
            self.notify(f"Sending failed: {inline(event.error, 160)}", severity="error",
                        timeout=10)

    def _new_mail(self, event: NewMail) -> None:
        """Toast, bell and the user's hook command (argv, never a shell) for new mail."""
        first = event.messages[0]
        sender = who(first.from_ or first.sender)  # the real address beside the name
        subject = inline(first.subject, 120, placeholder="(no subject)")
        if self.settings.ui.notify_new_mail:
            more = f" and {len(event.messages) - 1} more" if len(event.messages) > 1 else ""
            self.notify(f"New mail from {sender}: {subject}{more}", timeout=6)
        if self.settings.ui.bell:
            self.bell()
        hook = self.settings.ui.new_mail_hook
        if hook:
            self.run_worker(partial(run_hook, [*hook, sender, subject]), thread=True,
                            group="hook", exit_on_error=False, description="run new_mail_hook")

    def _follow_time_zone(self) -> None:
        """The mailbox time zone arrives with the first sync; dates follow it from then on."""
        tz = zone(self.account.settings.time_zone)
        if str(tz) == str(self.tz):
            return
        self.tz = self.commands.tz = tz
        for screen in self.screen_stack:
            if isinstance(screen, MailScreen | ReaderScreen):
                screen.tz = tz
            if isinstance(screen, MailScreen):
                screen.messages.tz = tz
                screen.messages.refresh()

    def on_worker_failed(self, message: WorkerFailed) -> None:
        """The central handler for worker errors: one readable toast, details in the log."""
        self.log.error(f"worker {message.doing!r} failed", message.error)
        self.notify(friendly(message.error, message.doing), severity="error", timeout=8)

    def on_compose_requested(self, message: ComposeRequested) -> None:
        """Open the composer (new mail, reply, reply all, forward)."""
        from olk_tui.ui.compose.launch import compose_settings, open_composer

        self.run_worker(partial(open_composer, self, self.account,
                                compose_settings(self.settings), message.kind,
                                message.message_id, tz=self.tz),
                        group="compose", exit_on_error=False, description="open the composer")

    def on_rsvp_requested(self, message: RsvpRequested) -> None:
        """Answer an invitation: the calendar's RSVP dialog, then ``calendar.submit``."""
        from olk_tui.ui.calendar.rsvp import answer_invitation

        if not message.event_id:
            self.notify("This invitation has no linked event to answer.", severity="warning")
            return
        answer_invitation(self, self.account, message.event_id, message.response,
                          zone=self.tz, clock=self.now)


def run_hook(argv: list[str]) -> None:
    """Run the new-mail hook: no shell, no input, output discarded, 30 s at most."""
    subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,  # noqa: S603
                   stderr=subprocess.DEVNULL, timeout=30, check=False)


def make_app(settings: Settings, account: Account, *,
             now: Callable[[], datetime] | None = None) -> OlkApp:
    """Build the app for one account (``now`` is injectable so tests freeze the clock)."""
    return OlkApp(settings, account, now)

