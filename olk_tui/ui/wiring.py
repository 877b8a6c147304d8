"""How the app shell reaches the other screens: calendar, contacts, settings, composer, RSVP.

Each is imported on first use, so the first paint of the mail screen never waits for them.
Kept out of ``app.py`` so the shell stays small; every function takes the running app.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.screen import Screen

from olk_tui.domain.ids import MessageId
from olk_tui.domain.mail import MessageSummary, Recipient

if TYPE_CHECKING:
    from olk_tui.ui.app import OlkApp
    from olk_tui.ui.mail.reader_cache import ReaderCache


def calendar_screen(app: OlkApp) -> Screen[None]:
    """The calendar mode's screen."""
    from olk_tui.ui.calendar.screen import CalendarScreen

    # reminders run app-wide (``start_reminders``), not only while the calendar is open
    return app.zoned(CalendarScreen(app.account, ui=app.settings.ui, clock=app.now,
                                    zone=app.tz, reminders=False))


def reader_cache(app: OlkApp) -> ReaderCache:
    """The app's reader cache, made on first use (the first paint never imports it)."""
    from olk_tui.ui.mail.reader_cache import ReaderCache

    if not isinstance(app.reader_cache, ReaderCache):
        app.reader_cache = ReaderCache()
    return app.reader_cache


def reader_screen(app: OlkApp, row: MessageSummary) -> Screen[None]:
    """The reader for ``row``, stepping through the mail screen's list under it.

    One reader is installed per account and reused: re-opening skips building a screen.
    """
    from olk_tui.ui.mail.reader import ReaderScreen
    from olk_tui.ui.mail.screen import MailScreen

    screen = app.screen
    step = screen.step if isinstance(screen, MailScreen) else (lambda d: None)

    def peek(delta: int) -> MessageSummary | None:
        if not isinstance(screen, MailScreen):
            return None
        return screen.messages.row_at(screen.messages.cursor + delta)

    name = f"reader:{app.account.name}"
    if app.is_screen_installed(name):
        reader = app.get_screen(name)
        assert isinstance(reader, ReaderScreen)
        reader.reopen(row, step=step, peek=peek)
        return reader
    reader = ReaderScreen(app.account, app.commands, row, step=step, peek=peek, now=app.now,
                          tz=app.tz, mark_read=app.settings.ui.mark_read,
                          download_dir=app.download_dir,
                          ask_folder=app.settings.ui.download_folder_prompt,
                          cache=reader_cache(app))
    app.install_screen(reader, name)
    return app.zoned(reader)


def contacts_screen(app: OlkApp) -> Screen[None]:
    """The contacts mode's screen ("write mail to" posts ``ComposeRequested``)."""
    from olk_tui.ui.contacts.screen import ContactsScreen

    return ContactsScreen(app.account)


def settings_screen(app: OlkApp) -> Screen[None]:
    """The mailbox settings screen (pushed over the current one)."""
    from olk_tui.ui.settings.screen import SettingsScreen

    return SettingsScreen(app.account)


def outbox_screen(app: OlkApp) -> Screen[None]:
    """The Outbox (pushed over the current screen)."""
    from olk_tui.ui.compose.launch import compose_settings
    from olk_tui.ui.compose.outbox import OutboxScreen

    return OutboxScreen(app.account, compose_settings(app.settings))


def open_composer(app: OlkApp, kind: str, message_id: MessageId | None, *,
                  to: tuple[Recipient, ...] = ()) -> None:
    """New mail (optionally to ``to``), reply, reply all, forward or a draft, in a worker
    (the original is read first)."""
    from olk_tui.ui.compose.launch import compose_settings
    from olk_tui.ui.compose.launch import open_composer as launch

    app.run_worker(partial(launch, app, app.account, compose_settings(app.settings), kind,
                           message_id, tz=app.tz, to=to),
                   group="compose", exit_on_error=False, description="open the composer")


def answer_invitation(app: OlkApp, event_id: str, response: str) -> None:
    """The calendar's RSVP dialog for an invitation, then ``calendar.submit``."""
    from olk_tui.ui.calendar.rsvp import answer_invitation as answer

    answer(app, app.account, event_id, response, zone=app.tz, clock=app.now)


def after_start(app: OlkApp, mailto: str | None) -> None:
    """Once the mail screen is up: offer drafts left by a crash, open a ``mailto:`` URL.

    The reader is loaded here too (not before the first paint), so the first Enter on a
    message does not pay its import.
    """
    import olk_tui.ui.mail.reader  # noqa: F401
    from olk_tui.ui.compose.launch import compose_settings, offer_local_drafts, open_mailto

    settings = compose_settings(app.settings)
    if mailto:
        app.run_worker(partial(open_mailto, app, app.account, settings, mailto),
                       group="mailto", exit_on_error=False, description="open the mailto link")
    app.run_worker(partial(offer_local_drafts, app, app.account, settings),
                   group="drafts", exit_on_error=False, description="look for unsent drafts")
    from olk_tui.ui.switching import start_others_later

    start_others_later(app)


def start_notifier(app: OlkApp) -> object:
    """New-mail toasts, bell and hook; follow-up due toasts; events changed by others: for
    the first account now, for the others as they start (``Notifiers.add``); with several
    accounts every toast names its account."""
    from olk_tui.ui.notify import Notifiers

    notifiers = Notifiers(app, app.settings, clock=app.now,
                          label_accounts=len(app.accounts.all) > 1)
    notifiers.add(app.accounts.all[0])
    return notifiers


def start_reminders(app: OlkApp) -> object:
    """Event reminders for the whole app: notices pop up in mail or contacts too.

    "Open" on a notice switches to the calendar and shows the event there.
    """
    from olk_tui.ui.calendar.reminders import ReminderService

    def open_event(event: object) -> None:
        from olk_tui.ui.calendar import flows
        from olk_tui.ui.calendar.screen import CalendarScreen

        def show() -> None:
            if isinstance(app.screen, CalendarScreen):
                flows.open_detail(app.screen, event)  # type: ignore[arg-type]
        app.switch_mode("calendar")
        app.call_after_refresh(show)

    service = ReminderService(app, app.account.calendar, app.tz, app.now,
                              bell=app.settings.ui.bell, on_open=open_event)
    service.start()
    return service


def start_sign_in(app: OlkApp) -> object | None:
    """Sign-in from the app (``olk_tui.ui.signins``): the device-code dialog at once for an
    account that has never signed in, and when one on screen must sign in again (a revoked
    or expired refresh token: the queue and drafts wait, and sync resumes after signing in).
    None when no account can sign in or needs to (the demo)."""
    if all(a.sign_in is None and not a.needs_sign_in for a in app.accounts.all):
        return None
    from olk_tui.ui.signins import SignIns

    return SignIns(app).start()
