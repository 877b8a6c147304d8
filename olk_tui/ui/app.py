"""The Textual app: screen modes, keymap, toasts, the central worker-error handler.

``make_app(settings, account)`` is the one factory the CLI, the tests and the screenshot
script use. The app owns no data access: screens talk to ``account`` repositories through
workers. Background sync (``account.start``) begins only after the first paint. Its parts
with one job each live beside it: ``signals`` (quit on SIGHUP/SIGTERM), ``switching``
(several accounts), ``announcements`` (what repository events do app-wide) and ``wiring``
(the other screens).
"""

from __future__ import annotations

import importlib
import weakref
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.notifications import SeverityLevel
from textual.screen import Screen

from olk_tui import startup_gc
from olk_tui.config import Settings
from olk_tui.domain.mail import MessageSummary
from olk_tui.idle_gc import IdleCollector
from olk_tui.paths import downloads_dir
from olk_tui.sync.api import Account
from olk_tui.ui import announcements, switching, wiring
from olk_tui.ui.accounts import Accounts
from olk_tui.ui.commands import BindingCommands
from olk_tui.ui.errors import ReportsWorkerErrors, WorkerFailed, friendly
from olk_tui.ui.help import HelpScreen
from olk_tui.ui.keymap import bindings, keymap_for
from olk_tui.ui.mail.ops import MailCommands
from olk_tui.ui.mail.screen import MailScreen, MailShown
from olk_tui.ui.messages import (
    ComposeRequested,
    OthersCounted,
    RepositoryAnnounced,
    RsvpRequested,
)
from olk_tui.ui.signals import quit_on_hangup
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
        #: Each account's mail commands, by account index.
        self.account_commands = {0: self.commands}
        self.add_account_modes()
        self.notifier: object | None = None
        self.reminders: object | None = None
        #: Offers the device-code dialog when the account must sign in again.
        self.sign_in: object | None = None
        #: Screens that show dates (they follow the mailbox time zone).
        self.zoned_screens: weakref.WeakSet[Screen[Any]] = weakref.WeakSet()
        #: Converted messages the reader showed or prefetched (``ui.mail.reader_cache``),
        #: made on the first open so the first paint never imports it.
        self.reader_cache: object | None = None
        self._unhook_signals: Callable[[], None] = lambda: None
        #: The other accounts' Inbox unread counts, shown in the status line.
        self.others_text = ""
        self._background_started = False
        self.idle_gc = IdleCollector()

    def add_account_modes(self) -> None:
        """Register the current account's modes (its screens are made on first use)."""
        mode = self.accounts.mode
        self.add_mode(mode("mail"), self._mail_screen)
        self.add_mode(mode("calendar"), lambda: self.fresh(wiring.calendar_screen(self)))
        self.add_mode(mode("contacts"), lambda: self.fresh(wiring.contacts_screen(self)))

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every toast is plain text: data in a toast (a subject, an error) is never markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def _mail_screen(self) -> Screen[Any]:
        return self.fresh(self.zoned(MailScreen(self.account, self.commands, self.now, self.tz,
                                                self.open_reader,
                                                partial(wiring.reader_cache, self))))

    def fresh(self, screen: Screen[Any]) -> Screen[Any]:
        """Mark a new mode screen as styled with the current CSS.

        Textual re-parses every stylesheet (twice: in ``_init_mode`` and ``switch_mode``)
        when a mode's screen has not seen the app's latest CSS update; a screen made just now
        is styled from the current stylesheet when it mounts, so that is ~15 ms of the first
        paint for nothing. Theme changes still reach it (they refresh every screen).
        """
        screen._css_update_count = self._css_update_count  # type: ignore[attr-defined]
        return screen

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
        self.listen(self.account)
        self._unhook_signals = quit_on_hangup(self.exit)
        self.switch_mode("mail")
        # Background work starts once the first list is painted (MailShown), at the latest
        # after a second: importing the network stack meanwhile would hold up that paint.
        self.set_timer(1.0, self._start_background)

    def on_mail_shown(self, message: MailShown) -> None:
        """The mail screen shows its first rows: start the background after this paint."""
        message.stop()
        self.call_after_refresh(self._start_background)

    def listen(self, account: Account) -> None:
        """Route an account's mail announcements to the app (``RepositoryAnnounced``)."""
        self.accounts.unsubscribe.append(account.mail.subscribe(
            lambda event: self.post_message(RepositoryAnnounced(event))))

    def _start_background(self) -> None:
        """After the first paint: sync, notifications, reminders, unsent drafts, mailto:."""
        if self._background_started:
            return
        self._background_started = True
        if startup_gc.resume():  # this process is the UI's: full collections wait for a pause
            self.idle_gc.take_over()
            self.set_interval(0.5, self.idle_gc.tick, name="idle full collection")
        self.accounts.start(self, 0)
        self.notifier = wiring.start_notifier(self)
        self.reminders = wiring.start_reminders(self)
        self.sign_in = wiring.start_sign_in(self)
        wiring.after_start(self, self.mailto)
        switching.count_others(self)
        self.set_timer(1.0, self._preload_reader)

    def _preload_reader(self) -> None:
        """Import the reader and the HTML converter while the user is not typing (about 15 ms
        that the first ``enter`` of the session would otherwise pay), in a thread: an import
        reads files."""
        if not self.idle_gc.input_quiet():
            self.set_timer(0.5, self._preload_reader)
            return
        self.run_worker(self._import_reader, thread=True, group="preload",
                        exit_on_error=False, description="import the reader")

    @staticmethod
    def _import_reader() -> None:
        for module in ("olk_tui.render.html", "olk_tui.ui.mail.reader"):
            importlib.import_module(module)

    async def on_event(self, event: events.Event) -> None:
        """Note input for the idle collector, then handle the event as Textual does."""
        if isinstance(event, events.InputEvent):
            self.idle_gc.input_seen()
        await super().on_event(event)

    async def on_unmount(self) -> None:
        """Stop listening and close every account."""
        self.idle_gc.give_back()
        self._unhook_signals()
        if self.notifier is not None:
            self.notifier.detach()  # type: ignore[attr-defined]
        await self.accounts.close()

    # ------------------------------------------------------------------ accounts
    async def action_switch_mode(self, mode: str) -> None:
        """The mode keys mean the current account's mail, calendar or contacts."""
        await self.switch_mode(self.accounts.mode(mode))

    def action_next_account(self) -> None:
        """Show the next configured account (started the first time it is shown)."""
        switching.next_account(self)

    def action_sign_in(self) -> None:
        """Sign in to the account on screen (the device-code dialog)."""
        switching.sign_in(self)

    def on_others_counted(self, message: OthersCounted) -> None:
        """Show the other accounts' unread counts on every mail screen."""
        switching.show_others(self, message.text)

    def open_reader(self, row: MessageSummary) -> None:
        """Open a message in the reader over the mail screen."""
        self.push_screen(wiring.reader_screen(self, row))

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
        """Toasts for things the user must know (reverts, failed sends), the mailbox zone."""
        announcements.route(self, message.event)

    def zoned(self, screen: Screen[Any]) -> Screen[Any]:
        """Remember a screen that shows dates, so it follows the mailbox zone."""
        self.zoned_screens.add(screen)
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

