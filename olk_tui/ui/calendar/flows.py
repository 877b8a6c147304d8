"""What the calendar screen does when the user acts on an event: open the detail, create,
quick add, edit (this occurrence or the series), delete or cancel, respond.

Each flow pushes dialogs and finally calls ``account.calendar.submit(op)`` in a worker; the
screen redraws from the repository afterwards. Kept apart from ``screen.py`` so the screen
stays about navigation and drawing.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from textual.worker import Worker

from olk_tui.domain.calendar import Event
from olk_tui.domain.errors import OlkError
from olk_tui.domain.ids import EventId
from olk_tui.domain.operations import CancelEvent, DeleteEvent, Operation, SaveEvent
from olk_tui.render.dates import QuickEvent, parse_quick_add
from olk_tui.ui.calendar.detail import EventDetail, body_text
from olk_tui.ui.calendar.dialogs import ChoiceDialog, PromptDialog
from olk_tui.ui.calendar.fields import EventDraft, draft_of, to_graph
from olk_tui.ui.calendar.form import EventForm
from olk_tui.ui.calendar.rsvp import RsvpDialog
from olk_tui.ui.text import inline

if TYPE_CHECKING:
    from olk_tui.ui.calendar.screen import CalendarScreen


def _zone_name(screen: CalendarScreen) -> str:
    """The zone name Graph gets: the mailbox's own name when we show its zone."""
    return screen.account.settings.time_zone or str(screen.zone)


def submit(screen: CalendarScreen, op: Operation | None) -> Worker[None] | None:
    """Submit ``op`` in a worker, then redraw; errors become a notification."""
    if op is None:
        return None

    async def run() -> None:
        try:
            await screen.account.calendar.submit(op)
        except OlkError as exc:
            screen.notify(f"Could not {op.describe()}: {inline(str(exc), 200)}",
                          title="Calendar", severity="error", markup=False)
            return
        screen.invalidate()

    return screen.run_worker(run(), group="calendar-submit", exit_on_error=False,
                             description=f"Submit {op.kind}")


def open_detail(screen: CalendarScreen, event: Event) -> None:
    """Show the detail; its answer leads to edit, delete or respond."""
    def after(action: str | None) -> None:
        if action == "edit":
            edit_event(screen, event)
        elif action == "delete":
            delete_event(screen, event)
        elif action == "respond":
            respond(screen, event)

    screen.app.push_screen(EventDetail(event, screen.account.calendar, screen.zone), after)


def new_event(screen: CalendarScreen, day: object) -> None:
    """The form for a new event on ``day`` at the next full hour (9:00 on other days)."""
    now = screen.now()
    if day == now.date():
        start = (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    else:
        start = datetime.combine(day, time(9), tzinfo=screen.zone)  # type: ignore[arg-type]
    draft = EventDraft("", start, start + timedelta(hours=1), time_zone=_zone_name(screen))
    screen.app.push_screen(EventForm(screen.account, draft, zone=screen.zone, clock=screen.now,
                                     calendars=screen.calendars),
                           lambda op: submit(screen, op))


def quick_op(screen: CalendarScreen, quick: QuickEvent) -> SaveEvent:
    """The SaveEvent of a quick-add line."""
    draft = EventDraft(quick.subject, quick.start, quick.end, all_day=quick.all_day,
                       time_zone=_zone_name(screen), location=quick.location,
                       reminder_minutes=None if quick.all_day else 15,
                       show_as="free" if quick.all_day else "busy")
    return SaveEvent(event_id=None, fields=to_graph(draft),
                     local_id=EventId(f"local-{uuid.uuid4().hex}"))


def quick_add(screen: CalendarScreen) -> None:
    """One line like "Lunch with Ana fri 12:30 1h @Cafe" becomes an event."""
    now = screen.now()

    def parse(text: str) -> SaveEvent:
        return quick_op(screen, parse_quick_add(text, now))

    def done(op: SaveEvent | None) -> None:
        if op is not None:
            submit(screen, op)
            screen.notify(f"Added {op.fields['subject']!r}.", title="Calendar", markup=False)
            start = datetime.fromisoformat(op.fields["start"]["dateTime"]).date()
            screen.go_to(start)

    screen.app.push_screen(PromptDialog(
        "Quick add", parse, placeholder="Lunch with Ana fri 12:30 1h @Cafe",
        hint="what, when (fri 12:30, tomorrow 9-10, 12 dec), optional duration, @where"),
        done)


def _open_form(screen: CalendarScreen, event: Event, scope: str) -> None:
    draft = draft_of(event, screen.zone, _zone_name(screen), body_text(event))
    screen.app.push_screen(EventForm(screen.account, draft, zone=screen.zone,
                                     clock=screen.now, calendars=screen.calendars,
                                     event_id=event.id, scope=scope),
                           lambda op: submit(screen, op))


def edit_event(screen: CalendarScreen, event: Event) -> None:
    """Edit; for an occurrence ask whether this one or the whole series."""
    if not event.series_master_id or event.type == "seriesMaster":
        _open_form(screen, event, "series" if event.recurrence else "single")
        return

    async def open_series() -> None:
        try:
            master = await screen.account.calendar.event(EventId(event.series_master_id or ""))
        except OlkError as exc:
            screen.notify(f"Cannot read the series: {exc}", severity="error", markup=False)
            return
        _open_form(screen, master, "series")

    def chosen(scope: str | None) -> None:
        if scope == "occurrence":
            _open_form(screen, event, "occurrence")
        elif scope == "series":
            screen.run_worker(open_series(), group="calendar-series", exit_on_error=False,
                              description="Read the series")

    screen.app.push_screen(ChoiceDialog("Edit which?", [
        ("occurrence", "This occurrence"), ("series", "The whole series")]), chosen)


def delete_event(screen: CalendarScreen, event: Event) -> None:
    """Delete (this occurrence or the series); organizers of meetings may cancel with a note."""
    choices: list[tuple[str, str]] = []
    meeting = event.is_organizer and bool(event.attendees)
    target = EventId(event.series_master_id) if event.series_master_id else event.id
    if event.series_master_id:
        choices += [("one", "Delete this occurrence"), ("series", "Delete the whole series")]
    else:
        choices.append(("one", "Delete"))
    if meeting:
        choices.append(("cancel", "Cancel the meeting with a message to attendees"))
        if event.series_master_id:
            choices.append(("cancel-series", "Cancel the whole series with a message"))
    choices.append(("keep", "Keep it"))

    def ask_message(event_id: EventId) -> None:
        screen.app.push_screen(
            PromptDialog("Cancellation message", lambda text: CancelEvent(
                event_id=event_id, comment=text.strip()),
                placeholder="Sorry, we need to cancel this."),
            lambda op: submit(screen, op))

    def chosen(key: str | None) -> None:
        if key == "one":
            submit(screen, DeleteEvent(event_id=event.id))
        elif key == "series":
            submit(screen, DeleteEvent(event_id=target))
        elif key == "cancel":
            ask_message(event.id)
        elif key == "cancel-series":
            ask_message(target)

    subject = event.subject[:60] or "(no subject)"
    screen.app.push_screen(ChoiceDialog(f"Delete {subject!r}?", choices), chosen)


def respond(screen: CalendarScreen, event: Event) -> None:
    """Accept / tentative / decline an invitation (not one's own meeting)."""
    if event.is_organizer:
        screen.notify("You organise this meeting; there is nothing to answer.", markup=False)
        return
    screen.app.push_screen(RsvpDialog(event, zone=screen.zone, clock=screen.now),
                           lambda op: submit(screen, op))
