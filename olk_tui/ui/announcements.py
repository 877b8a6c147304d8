"""What the app does with the repositories' announcements: the mailbox time zone followed by
every screen, fresh unread counts of the other accounts when folders change, and, until the
notifiers start, the toasts for what the user must know (a reverted operation, a failed send).

Once the notifiers run (``olk_tui.ui.notify``, one per account), each account's notifier says
those toasts itself: it knows which account announced them, so with several accounts every
toast names its account (``[home] Could not move 3 ...``), as the new-mail toasts do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from olk_tui.sync.api import FoldersChanged, OperationFailed, OutboxChanged, RepoEvent
from olk_tui.ui.mail.screen import MailScreen
from olk_tui.ui.switching import count_others
from olk_tui.ui.text import mailbox_zone

if TYPE_CHECKING:
    from olk_tui.ui.app import OlkApp


def route(app: OlkApp, event: RepoEvent) -> None:
    """Handle one announcement of an account the app follows."""
    follow_time_zone(app)  # (sign-in offers follow each account itself: ui/signins.py)
    if isinstance(event, FoldersChanged):
        count_others(app)
    if app.notifier is None and isinstance(event, OperationFailed | OutboxChanged):
        # Until the notifiers run (they say these, naming the account); imported here: the
        # notifiers load after the first paint.
        from olk_tui.ui.notify import account_toast

        toast = account_toast(event)
        if toast is not None:
            text, severity, timeout = toast
            app.notify(text, severity=severity, timeout=timeout,  # type: ignore[arg-type]
                       markup=False)


def follow_time_zone(app: OlkApp) -> None:
    """The mailbox time zone arrives with the first sync; dates follow it from then on, in
    every mode's screens (not only the current one) and in the reminders."""
    tz = mailbox_zone(app.account.settings)
    if str(tz) == str(app.tz):
        return
    # Imported here: the reader (and what it brings) loads after the first paint.
    from olk_tui.ui.mail.reader import ReaderScreen

    app.tz = app.commands.tz = tz
    if app.reminders is not None:
        app.reminders.zone = tz  # type: ignore[attr-defined]
    for screen in list(app.zoned_screens):
        if getattr(screen, "account", app.account) is not app.account:
            continue  # another account's screens keep that mailbox's zone
        if isinstance(screen, MailScreen | ReaderScreen):
            screen.tz = tz
        if isinstance(screen, MailScreen):
            screen.messages.tz = tz
            screen.messages.refresh()
        elif hasattr(screen, "set_zone"):
            screen.set_zone(tz)
