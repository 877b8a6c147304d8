"""The event form: create or edit an event, an occurrence or a whole series.

Times are typed naturally ("tue 14:00", "1h30", "15:30"); attendees complete from
``account.contacts.complete``; the scheduling panel shows free/busy and finds times. Save
returns a ``SaveEvent`` with Graph-shaped ``fields`` (only the changed ones on an edit), or
None on cancel. Bad input shows a message and keeps the form open.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from olk_tui.domain.calendar import Calendar
from olk_tui.domain.ids import CalendarId, EventId
from olk_tui.domain.mail import Recipient
from olk_tui.domain.operations import SaveEvent
from olk_tui.render.addresses import parse_addresses
from olk_tui.render.dates import parse_date
from olk_tui.sync.api import Account
from olk_tui.ui.calendar.fields import (
    SHOW_AS,
    EventDraft,
    Repeat,
    changed_fields,
    check_zone,
    resolve_when,
    to_graph,
)
from olk_tui.ui.calendar.scheduling import SchedulePanel
from olk_tui.ui.text import editable_addresses

REMINDERS = ((None, "none"), (0, "at start"), (5, "5 min"), (15, "15 min"), (30, "30 min"),
             (60, "1 hour"), (1440, "1 day"))
REPEATS = (("none", "Does not repeat"), ("daily", "Daily"), ("weekly", "Weekly"),
           ("monthly_date", "Monthly on this date"),
           ("monthly_weekday", "Monthly on this weekday"), ("yearly", "Yearly"))
_DAY_WORDS = {"mo": "monday", "tu": "tuesday", "we": "wednesday", "th": "thursday",
              "fr": "friday", "sa": "saturday", "su": "sunday"}


def _input(value: str, ident: str, placeholder: str = "") -> Input:
    """A one-line, border-less input (the form must fit 80x24)."""
    return Input(value, placeholder=placeholder, id=ident, compact=True)


class AttendeeSuggester(Suggester):
    """Completes the last address in a comma-separated list from the contacts repository."""

    def __init__(self, complete: Callable[[str, int], object]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._complete = complete

    async def get_suggestion(self, value: str) -> str | None:
        """The value with its last part completed to an address."""
        head, _, last = value.rpartition(",")
        prefix = last.strip()
        if len(prefix) < 2:
            return None
        found = await self._complete(prefix, 1)  # type: ignore[misc]
        if not found:
            return None
        r: Recipient = found[0]
        done = f"{r.name} <{r.address}>" if r.name else r.address
        return f"{head}, {done}" if head else done


def parse_days(text: str) -> tuple[str, ...]:
    """"mon wed fri" -> ("monday", "wednesday", "friday")."""
    out: list[str] = []
    for word in text.replace(",", " ").split():
        day = _DAY_WORDS.get(word.lower()[:2])
        if day is None:
            raise ValueError(f"Repeat on: {word!r} is not a weekday")
        out.append(day)
    return tuple(dict.fromkeys(out))


def parse_repeat_end(text: str, now: datetime) -> tuple[object, int]:
    """"" / "never" -> (None, 0); "10", "10x", "10 times" -> (None, 10); a date -> (date, 0)."""
    word = text.strip().lower()
    if word in ("", "never", "no end"):
        return None, 0
    count = word.removesuffix("times").removesuffix("x").strip()
    if count.isdigit():
        if int(count) < 1:
            raise ValueError("Repeat ends: give at least 1 time")
        return None, int(count)
    try:
        return parse_date(text, now), 0
    except ValueError as exc:
        raise ValueError(f"Repeat ends: {exc} (or 'never', or '10 times')") from None


class EventForm(ModalScreen[SaveEvent | None]):
    """Create/edit form (see module docstring).

    Args:
        account: for contacts completion, free/busy and the user's address.
        draft: the starting values.
        zone: the mailbox zone (times are typed in it).
        clock: the injected clock.
        calendars: calendars the event can go to (editable ones are offered).
        event_id: None to create; the occurrence, exception or master id to edit.
        scope: "single", "occurrence" (recurrence not editable) or "series".
    """

    DEFAULT_CSS = """
    EventForm { align: center middle; }
    EventForm > Vertical { width: 110; max-width: 100%; height: 100%; max-height: 100%;
        background: $panel; border: round $accent; }
    EventForm .row { height: auto; }
    EventForm .inline { width: auto; padding: 0 1; }
    EventForm .row Label { width: 12; padding: 0 1 0 0; text-align: right; }
    EventForm .row Input, EventForm .row Select { width: 1fr; }
    EventForm .row Checkbox { width: auto; margin-left: 1; }
    EventForm .section { color: $text-muted; }
    EventForm TextArea { height: 5; }
    EventForm #form-error { color: $error; height: auto; }
    EventForm #form-buttons { height: auto; dock: bottom; align-horizontal: right; }
    EventForm #form-buttons Button { margin-left: 2; }
    EventForm #f-interval { width: 6; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="calendar.form.cancel"),
        Binding("ctrl+s", "save", "Save", id="calendar.form.save"),
        Binding("ctrl+f", "find_time", "Find a time", id="calendar.form.find"),
    ]

    def __init__(self, account: Account, draft: EventDraft, *, zone: tzinfo,
                 clock: Callable[[], datetime], calendars: Sequence[Calendar] = (),
                 event_id: EventId | None = None, scope: str = "single") -> None:
        super().__init__()
        self.account = account
        self.draft = draft
        self.zone = zone
        self.clock = clock
        self.calendars = [c for c in calendars if c.can_edit]
        self.event_id = event_id
        self.scope = scope

    # ------------------------------------------------------------------ layout

    def _row(self, label: str, *widgets: object) -> Horizontal:
        return Horizontal(Label(label), *widgets, classes="row")  # type: ignore[arg-type]

    def compose(self) -> ComposeResult:
        """All the fields, the scheduling panel and the buttons."""
        d = self.draft
        title = {"occurrence": "Edit this occurrence", "series": "Edit the series"}.get(
            self.scope, "Edit event" if self.event_id else "New event")
        fmt = "%a %d %b %Y" if d.all_day else "%a %d %b %Y %H:%M"
        end_text = d.end.strftime("%H:%M") if d.end.date() == d.start.date() else \
            d.end.strftime(fmt)
        if d.all_day:  # the last day, inclusive; empty for a one-day event
            last = (d.end - timedelta(days=1)).date()
            end_text = last.strftime(fmt) if last > d.start.date() else ""
        with Vertical():
            yield Label(Content(title), classes="title")
            with VerticalScroll():
                yield self._row("Subject", _input(d.subject, "f-subject"))
                yield self._row("Starts", _input(d.start.strftime(fmt), "f-start", "tue 14:00"),
                                Checkbox("All day", d.all_day, id="f-allday", compact=True))
                yield self._row("Ends", _input(end_text, "f-end", "15:00, 1h30 or fri 17:00"))
                yield self._row("Time zone", _input(d.time_zone, "f-tz"))
                yield self._row("Location", _input(d.location, "f-location"))
                attendees = _input(editable_addresses(d.attendees), "f-attendees",
                                   "name or address, comma separated")
                attendees.suggester = AttendeeSuggester(self.account.contacts.complete)
                yield self._row("Attendees", attendees)
                yield self._row("Reminder", Select(
                    [(label, value if value is not None else -1) for value, label in REMINDERS],
                    value=d.reminder_minutes if d.reminder_minutes is not None else -1,
                    allow_blank=False, id="f-reminder", compact=True),
                    Checkbox("Online meeting", d.online, id="f-online", compact=True))
                yield self._row("Show as", Select([(s, s) for s in SHOW_AS], value=d.show_as,
                                                  allow_blank=False, id="f-showas",
                                                  compact=True))
                yield self._row("Categories", _input(", ".join(d.categories), "f-categories"))
                if self.scope != "occurrence":
                    yield self._row("Repeat", Select([(label, key) for key, label in REPEATS],
                                                     value=d.repeat.kind, allow_blank=False,
                                                     id="f-repeat", compact=True),
                                    Static("every", classes="inline"),
                                    _input(str(d.repeat.interval), "f-interval", "N"))
                    yield self._row("Repeat on", _input(" ".join(x[:3] for x in d.repeat.days),
                                                        "f-days", "weekly: mon wed fri"))
                    until = d.repeat.until.isoformat() if d.repeat.until else (
                        f"{d.repeat.count} times" if d.repeat.count else "")
                    yield self._row("Repeat ends", _input(until, "f-until",
                                                          "never, 2027-03-01, 10 times"))
                if self.calendars and self.event_id is None:
                    default = d.calendar_id or next(
                        (c.id for c in self.calendars if c.is_default), self.calendars[0].id)
                    yield self._row("Calendar", Select(
                        [(c.name, c.id) for c in self.calendars], value=default,
                        allow_blank=False, id="f-calendar", compact=True))
                yield Label("Notes", classes="section")
                yield TextArea(d.body, id="f-body", compact=True)
                yield SchedulePanel(self.account.calendar, self.zone,
                                    self.account.user.mail, working_hours=(
                                        self.account.settings.working_hours.start,
                                        self.account.settings.working_hours.end),
                                    id="f-schedule")
            yield Static("", id="form-error")
            with Horizontal(id="form-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="form-save", compact=True)
                yield Button("Cancel (esc)", id="form-cancel", compact=True)

    def on_mount(self) -> None:
        """Focus the subject; show free/busy when there are attendees."""
        self.query_one("#f-subject", Input).focus()
        if self.draft.attendees:
            self._refresh_schedule()

    # ------------------------------------------------------------------ values

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def _attendees(self) -> tuple[Recipient, ...]:
        text = self._value("#f-attendees")
        if not text.strip():
            return ()
        parsed = parse_addresses(text)
        if parsed.errors:
            raise ValueError(f"Attendees: {parsed.errors[0]}")
        return parsed.recipients

    def read_draft(self) -> EventDraft:
        """The form's values as a draft.

        Raises:
            ValueError: a field cannot be read (the message names it).
        """
        now = self.clock().astimezone(self.zone)
        start, end, all_day = resolve_when(self._value("#f-start"), self._value("#f-end"),
                                           self.query_one("#f-allday", Checkbox).value, now)
        reminder = self.query_one("#f-reminder", Select).value
        repeat = Repeat()
        if self.scope != "occurrence":
            kind = str(self.query_one("#f-repeat", Select).value)
            interval_text = self._value("#f-interval").strip() or "1"
            if not interval_text.isdigit() or int(interval_text) < 1:
                raise ValueError("Repeat: 'every N' must be a whole number of 1 or more")
            until, count = parse_repeat_end(self._value("#f-until"), now)
            repeat = Repeat(kind, int(interval_text), parse_days(self._value("#f-days")),
                            until, count)  # type: ignore[arg-type]
        calendar_id = self.draft.calendar_id
        if self.query("#f-calendar"):
            calendar_id = CalendarId(str(self.query_one("#f-calendar", Select).value))
        categories = tuple(c.strip() for c in self._value("#f-categories").split(",")
                           if c.strip())
        return replace(
            self.draft, subject=self._value("#f-subject").strip(), start=start, end=end,
            all_day=all_day, time_zone=check_zone(self._value("#f-tz"), self.draft.time_zone),
            location=self._value("#f-location").strip(), attendees=self._attendees(),
            body=self.query_one("#f-body", TextArea).text,
            reminder_minutes=None if reminder in (-1, Select.BLANK) else int(reminder),  # type: ignore[arg-type]
            show_as=str(self.query_one("#f-showas", Select).value), categories=categories,
            online=self.query_one("#f-online", Checkbox).value, repeat=repeat,
            calendar_id=calendar_id)

    def build(self) -> SaveEvent:
        """The operation for the current values.

        Raises:
            ValueError: bad input.
        """
        draft = self.read_draft()
        with_recurrence = self.scope != "occurrence"
        if self.event_id is None:
            return SaveEvent(event_id=None, calendar_id=draft.calendar_id,
                             fields=to_graph(draft),
                             local_id=EventId(f"local-{uuid.uuid4().hex}"))
        fields = changed_fields(self.draft, draft, include_recurrence=with_recurrence)
        return SaveEvent(event_id=self.event_id, calendar_id=draft.calendar_id, fields=fields)

    # ------------------------------------------------------------------ actions

    def _error(self, text: str) -> None:
        self.query_one("#form-error", Static).update(Content(text))

    def action_save(self) -> None:
        """Validate and return the operation."""
        try:
            op = self.build()
        except ValueError as exc:
            self._error(str(exc))
            return
        if self.event_id is not None and not op.fields:
            self.dismiss(None)
            return
        self.dismiss(op)

    def action_find_time(self) -> None:
        """Find a time with the attendees."""
        self._refresh_schedule()
        self.query_one(SchedulePanel).query_one("#schedule-find", Button).press()

    def _refresh_schedule(self) -> None:
        try:
            start, end, _ = resolve_when(self._value("#f-start"), self._value("#f-end"),
                                         self.query_one("#f-allday", Checkbox).value,
                                         self.clock().astimezone(self.zone))
            people = self._attendees()
        except ValueError as exc:
            self._error(str(exc))
            return
        self._error("")
        self.query_one(SchedulePanel).show_for(
            [r.address for r in people], start, end,
            {r.address.lower(): r.name for r in people if r.name})

    @on(Input.Changed, "#f-attendees, #f-start, #f-end")
    def _times_or_people_changed(self) -> None:
        if self.query_one("#f-attendees", Input).value.strip():
            self._refresh_schedule()

    @on(SchedulePanel.TimePicked)
    def _picked(self, message: SchedulePanel.TimePicked) -> None:
        self.query_one("#f-start", Input).value = message.start.strftime("%a %d %b %Y %H:%M")
        self.query_one("#f-end", Input).value = message.end.strftime("%H:%M")
        self.query_one("#f-allday", Checkbox).value = False
        self.notify("Time picked: save with ctrl+s.", markup=False)

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)
