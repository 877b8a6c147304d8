"""Switching between configured accounts (``app.account.next``) and keeping the other
accounts' Inbox unread counts in every mail screen's status line."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    if app.notifier is not None:
        app.notifier.detach()  # type: ignore[attr-defined]
    index = (accounts.index + 1) % len(accounts.all)
    accounts.index = index
    app.account = accounts.current
    app.tz = mailbox_zone(app.account.settings)
    if index not in app.account_commands:
        app.account_commands[index] = MailCommands(app, app.account, app.now, app.tz)
        app.add_account_modes()
    app.commands = app.account_commands[index]
    app.commands.tz = app.tz
    if accounts.start(app, index):
        app.listen(app.account)
        app.reminders = wiring.start_reminders(app)
    app.notifier = wiring.start_notifier(app)
    app.switch_mode(accounts.mode("mail"))
    count_others(app)
    app.notify(f"Account: {inline(app.account.name, 40)}", timeout=2)


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
