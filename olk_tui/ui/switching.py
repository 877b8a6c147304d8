"""Switching between configured accounts (``app.account.next``), starting the other accounts
in the background, and keeping their Inbox unread counts in every mail screen's status line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from olk_tui.sync.api import RepoEvent, SyncState, SyncStatus
from olk_tui.ui import wiring
from olk_tui.ui.accounts import others_text
from olk_tui.ui.mail.ops import MailCommands
from olk_tui.ui.mail.screen import MailScreen
from olk_tui.ui.messages import OthersCounted
from olk_tui.ui.status import StatusLine
from olk_tui.ui.text import inline, mailbox_zone

if TYPE_CHECKING:
    from olk_tui.ui.app import OlkApp


def next_account(app: OlkApp) -> None:
    """Show the next configured account (its modes and sync started the first time)."""
    accounts = app.accounts
    if len(accounts.all) < 2:
        app.notify("Only one account is configured.", timeout=3)
        return
    index = (accounts.index + 1) % len(accounts.all)
    accounts.index = index
    app.account = accounts.current
    app.tz = mailbox_zone(app.account.settings)
    if index not in app.account_commands:
        app.account_commands[index] = MailCommands(app, app.account, app.now, app.tz)
        app.add_account_modes()
    app.commands = app.account_commands[index]
    app.commands.tz = app.tz
    activate(app, index)
    if index not in accounts.reminded:
        accounts.reminded.add(index)
        app.reminders = wiring.start_reminders(app)
    app.switch_mode(accounts.mode("mail"))
    count_others(app)
    app.notify(f"Account: {inline(app.account.name, 40)}", timeout=2)
    if app.sign_in is not None:  # never signed in: offer the dialog over its screen
        app.call_after_refresh(app.sign_in.shown, index)  # type: ignore[attr-defined]


def activate(app: OlkApp, index: int) -> None:
    """Follow another account (once: its announcements, new-mail toasts and sign-in state)
    and start its sync (unless it has never signed in)."""
    accounts = app.accounts
    if index not in accounts.activated:
        accounts.activated.add(index)
        account = accounts.all[index]
        app.listen(account)
        add = getattr(app.notifier, "add", None)
        if add is not None:
            add(account)
        if app.sign_in is not None:
            app.sign_in.watch(index)  # type: ignore[attr-defined]
    accounts.start(app, index)


def start_others_later(app: OlkApp) -> None:
    """Start the other accounts once the first account's first sync pass has ended (at once
    when it is not going to sync: it must sign in first), one every ``accounts.stagger``
    seconds, so the first paint and the first Inbox never wait for them. They start anyway
    after ``accounts.others_deadline`` seconds."""
    accounts = app.accounts
    if len(accounts.all) < 2:
        return
    first = accounts.all[0]
    begun = False
    seen_syncing = False
    stops: list[object] = []

    def begin() -> None:
        nonlocal begun
        if begun:
            return
        begun = True
        for stop in stops:
            stop()  # type: ignore[operator]
        for n, index in enumerate(range(1, len(accounts.all))):
            delay = n * accounts.stagger
            if delay <= 0:
                activate(app, index)
            else:
                app.set_timer(delay, lambda index=index: activate(app, index),
                              name=f"start account {index}")

    def on_event(event: RepoEvent) -> None:
        nonlocal seen_syncing
        if not isinstance(event, SyncStatus):
            return
        if event.state is SyncState.SYNCING:
            seen_syncing = True
        elif seen_syncing:
            begin()

    if first.needs_sign_in or first.start is None:
        begin()
        return
    stops.append(first.mail.subscribe(on_event))
    timer = app.set_timer(accounts.others_deadline, begin, name="start the other accounts")
    stops.append(timer.stop)


def sign_in(app: OlkApp) -> None:
    """The sign-in key and palette command: the device-code dialog for the account on
    screen (or why it is not needed or not possible)."""
    if app.sign_in is None:  # no account here signs in from the app
        name = inline(app.account.name, 40)
        app.notify("The demo mailbox needs no sign-in." if app.account.is_demo else
                   f"{name} cannot sign in inside the app: run 'olk-tui login --account "
                   f"{name}'.", timeout=5)
        return
    app.sign_in.offer()  # type: ignore[attr-defined]


def count_others(app: OlkApp) -> None:
    """Count the other accounts' unread mail in a worker (posts ``OthersCounted``)."""
    if len(app.accounts.all) < 2:
        return

    async def count() -> None:
        app.post_message(OthersCounted(others_text(await app.accounts.others_unread())))
    app.run_worker(count, group="accounts", exclusive=True, exit_on_error=False,
                   description="count unread mail of the other accounts")


def show_others(app: OlkApp, text: str) -> None:
    """Show the other accounts' unread counts on every mounted mail screen."""
    app.others_text = text
    for screen in list(app.zoned_screens):
        if isinstance(screen, MailScreen) and screen.is_mounted:
            screen.query_one(StatusLine).show_others(text)
