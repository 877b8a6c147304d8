"""The Textual app: screen modes, keymap, toasts, the central worker-error handler.

``make_app(settings, account)`` is the one factory the CLI, the tests and the screenshot
script use. The app owns no data access: screens talk to ``account`` repositories through
workers. Background sync (``account.start``) begins only after the first paint.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import weakref
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App
from textual.notifications import SeverityLevel
from textual.screen import Screen

from olk_tui.config import Settings
from olk_tui.domain.mail import MessageSummary
from olk_tui.paths import downloads_dir
from olk_tui.sync.api import Account, FoldersChanged, OperationFailed, OutboxChanged
from olk_tui.ui import wiring
from olk_tui.ui.accounts import Accounts, others_text
from olk_tui.ui.commands import BindingCommands
from olk_tui.ui.errors import ReportsWorkerErrors, WorkerFailed, friendly
from olk_tui.ui.help import HelpScreen
from olk_tui.ui.keymap import bindings, keymap_for
from olk_tui.ui.mail.ops import MailCommands
from olk_tui.ui.mail.reader import ReaderScreen
from olk_tui.ui.mail.screen import MailScreen
from olk_tui.ui.messages import (
    ComposeRequested,
    OthersCounted,
    RepositoryAnnounced,
    RsvpRequested,
)
from olk_tui.ui.status import StatusLine
from olk_tui.ui.text import inline, mailbox_zone


class OlkApp(ReportsWorkerErrors, App[None]):
    """olk-tui: mail, calendar and contacts modes over one account (or several, switched)."""

    CSS_PATH = "app.tcss"
    TITLE = "olk-tui"
    BINDINGS = bindings("app")
    COMMANDS = App.COMMANDS | {BindingCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self, settings: Settings, account: Account | None = None,
                 now: Callable[[], datetime] | None = None, mailto: str | None = None, *,
                 accounts: Sequence[Account] = ()) -> None:
        super().__init__()
        self.accounts = Accounts(list(accounts) or ([account] if account else []))
        self.settings, self.account, self.mailto = settings, self.accounts.current, mailto
        self.now = now or (lambda: datetime.now(UTC))
        self.tz = mailbox_zone(self.account.settings)
        self.key_set = settings.ui.keys
        self.keymap, self.keymap_problems = keymap_for(settings.ui.keys, settings.ui.keymap)
        self.download_dir = Path(settings.download_dir).expanduser() if \
            settings.download_dir else downloads_dir()
        self.commands = MailCommands(self, self.account, self.now, self.tz)
        self._commands = {0: self.commands}
        self._add_modes()
        self.notifier: object | None = None
        self.reminders: object | None = None
        self._zoned: weakref.WeakSet[Screen[Any]] = weakref.WeakSet()
        #: The other accounts' Inbox unread counts, shown in the status line.
        self.others_text = ""

    def _add_modes(self) -> None:
        """Register the current account's modes (its screens are made on first use)."""
        mode = self.accounts.mode
        self.add_mode(mode("mail"), self._mail_screen)
        self.add_mode(mode("calendar"), partial(wiring.calendar_screen, self))
        self.add_mode(mode("contacts"), partial(wiring.contacts_screen, self))

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every toast is plain text: data in a toast (a subject, an error) is never markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def _mail_screen(self) -> MailScreen:
        return self.zoned(MailScreen(self.account, self.commands, self.now, self.tz,
                                     self.open_reader))

    def on_mount(self) -> None:
        """Apply keymap and theme, show mail, start sync after the first paint."""
        self.set_keymap(self.keymap)
        if self.settings.ui.theme in self.available_themes:
            self.theme = self.settings.ui.theme
        else:
            self.notify(f"Unknown theme {inline(self.settings.ui.theme, 40)}; using the default",
                        severity="warning", markup=False)
        for problem in self.keymap_problems:
            self.notify(inline(problem, 120), severity="warning", markup=False)
        self._listen(self.account)
        self._on_signals(install=True)
        self.switch_mode("mail")
        self.call_after_refresh(self._start_background)

    def _on_signals(self, *, install: bool) -> None:
        """SIGHUP (the SSH session went away) and SIGTERM quit like ``ctrl+q``: screens are
        unmounted first, so an open composer saves what its quiet period had not yet."""
        loop = asyncio.get_running_loop()
        for sig in (getattr(signal, "SIGHUP", None), signal.SIGTERM):
            if sig is None:
                continue
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                if install:
                    loop.add_signal_handler(sig, self.exit)
                else:
                    loop.remove_signal_handler(sig)

    def _listen(self, account: Account) -> None:
        self.accounts.unsubscribe.append(account.mail.subscribe(
            lambda event: self.post_message(RepositoryAnnounced(event))))

    def _start_background(self) -> None:
        """After the first paint: sync, notifications, reminders, unsent drafts, mailto:."""
        self.accounts.start(self, 0)
        self.notifier = wiring.start_notifier(self)
        self.reminders = wiring.start_reminders(self)
        wiring.after_start(self, self.mailto)
        self._count_others()

    async def on_unmount(self) -> None:
        """Stop listening and close every account."""
        self._on_signals(install=False)
        if self.notifier is not None:
            self.notifier.detach()  # type: ignore[attr-defined]
        await self.accounts.close()

    # ------------------------------------------------------------------ accounts
    async def action_switch_mode(self, mode: str) -> None:
        """The mode keys mean the current account's mail, calendar or contacts."""
        await self.switch_mode(self.accounts.mode(mode))

    def action_next_account(self) -> None:
        """Show the next configured account (started the first time it is shown)."""
        if len(self.accounts.all) < 2:
            self.notify("Only one account is configured.", timeout=3)
            return
        if self.notifier is not None:
            self.notifier.detach()  # type: ignore[attr-defined]
        index = (self.accounts.index + 1) % len(self.accounts.all)
        self.accounts.index = index
        self.account = self.accounts.current
        self.tz = mailbox_zone(self.account.settings)
        if index not in self._commands:
            self._commands[index] = MailCommands(self, self.account, self.now, self.tz)
            self._add_modes()
        self.commands = self._commands[index]
        self.commands.tz = self.tz
        if self.accounts.start(self, index):
            self._listen(self.account)
            self.reminders = wiring.start_reminders(self)
        self.notifier = wiring.start_notifier(self)
        self.switch_mode(self.accounts.mode("mail"))
        self._count_others()
        self.notify(f"Account: {inline(self.account.name, 40)}", timeout=2)

    def _count_others(self) -> None:
        """Refresh the other accounts' unread counts in the status lines."""
        if len(self.accounts.all) < 2:
            return

        async def count() -> None:
            self.post_message(OthersCounted(others_text(await self.accounts.others_unread())))
        self.run_worker(count, group="accounts", exclusive=True, exit_on_error=False,
                        description="count unread mail of the other accounts")

    def on_others_counted(self, message: OthersCounted) -> None:
        """Show the other accounts' unread counts on every mail screen."""
        self.others_text = message.text
        for screen in list(self._zoned):
            if isinstance(screen, MailScreen) and screen.is_mounted:
                screen.query_one(StatusLine).show_others(message.text)

    def open_reader(self, row: MessageSummary) -> None:
        """Open a message in the reader over the mail screen."""
        screen = self.screen
        step = screen.step if isinstance(screen, MailScreen) else (lambda d: None)

        def peek(delta: int) -> MessageSummary | None:
            if not isinstance(screen, MailScreen):
                return None
            return screen.messages.row_at(screen.messages.cursor + delta)

        reader = ReaderScreen(self.account, self.commands, row, step=step, peek=peek,
                              now=self.now, tz=self.tz, mark_read=self.settings.ui.mark_read,
                              download_dir=self.download_dir,
                              ask_folder=self.settings.ui.download_folder_prompt)
        self.push_screen(self.zoned(reader))

    def action_help(self) -> None:
        """Show every key of the keymap in force."""
        self.push_screen(HelpScreen(self.keymap, self.key_set))

    def action_mailbox_settings(self) -> None:
        """Automatic replies, working hours, time zone."""
        self.push_screen(wiring.settings_screen(self))

    def action_outbox(self) -> None:
        """Messages waiting to be sent (edit or cancel them)."""
        self.push_screen(wiring.outbox_screen(self))

    # ------------------------------------------------------------------ app-wide messages
    def on_repository_announced(self, message: RepositoryAnnounced) -> None:
        """Toasts for things the user must know: reverts and failed sends."""
        event = message.event
        self._follow_time_zone()
        if isinstance(event, FoldersChanged):
            self._count_others()
        if isinstance(event, OperationFailed):
            self.notify(f"Could not {event.operation.describe()}: {inline(event.reason, 160)}"
                        " — the change was undone.", severity="error", timeout=8, markup=False)
        elif isinstance(event, OutboxChanged) and event.state == "failed":
            self.notify(f"Sending failed: {inline(event.error, 160)}", severity="error",
                        timeout=10, markup=False)

    def _follow_time_zone(self) -> None:
        """The mailbox time zone arrives with the first sync; dates follow it from then on,
        in every mode's screens (not only the current one) and in the reminders."""
        tz = mailbox_zone(self.account.settings)
        if str(tz) == str(self.tz):
            return
        self.tz = self.commands.tz = tz
        if self.reminders is not None:
            self.reminders.zone = tz  # type: ignore[attr-defined]
        for screen in list(self._zoned):
            if getattr(screen, "account", self.account) is not self.account:
                continue  # another account's screens keep that mailbox's zone
            if isinstance(screen, MailScreen | ReaderScreen):
                screen.tz = tz
            if isinstance(screen, MailScreen):
                screen.messages.tz = tz
                screen.messages.refresh()
            elif hasattr(screen, "set_zone"):
                screen.set_zone(tz)

    def zoned(self, screen: Screen[Any]) -> Screen[Any]:
        """Remember a screen that shows dates, so it follows the mailbox zone."""
        self._zoned.add(screen)
        return screen

    def on_worker_failed(self, message: WorkerFailed) -> None:
        """The central handler for worker errors: one readable toast, details in the log."""
        self.log.error(f"worker {message.doing!r} failed", message.error)
        self.notify(friendly(message.error, message.doing), severity="error", timeout=8,
                    markup=False)

    def on_compose_requested(self, message: ComposeRequested) -> None:
        """Open the composer (new mail, reply, reply all, forward)."""
        wiring.open_composer(self, message.kind, message.message_id, to=message.to)

    def on_rsvp_requested(self, message: RsvpRequested) -> None:
        """Answer an invitation: the calendar's RSVP dialog, then ``calendar.submit``."""
        if not message.event_id:
            self.notify("This invitation has no linked event to answer.", severity="warning")
            return
        wiring.answer_invitation(self, message.event_id, message.response)


def make_app(settings: Settings, account: Account | None = None, *,
             accounts: Sequence[Account] = (), now: Callable[[], datetime] | None = None,
             mailto: str | None = None) -> OlkApp:
    """Build the app for one account, or several (the first is shown and started).

    Args:
        settings: the configuration.
        account: repositories of the account (``sync.build_account`` or the fakes).
        accounts: several accounts instead (``app.account.next`` switches between them).
        now: the clock (tests freeze it).
        mailto: a ``mailto:`` URL to open in the composer once the app is up.
    """
    return OlkApp(settings, account, now, mailto, accounts=accounts)

