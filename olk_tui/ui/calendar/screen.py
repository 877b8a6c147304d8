"""The calendar screen: week (default), day and agenda views over ``account.calendar``.

Reads go through an exclusive worker (``group="calendar"``) that posts ``EventsLoaded``; each
range is kept in a small in-memory cache so paging back and forth redraws at once while the
worker refreshes. Changes go through ``account.calendar.submit(op)`` (see ``flows.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Static

from olk_tui.domain.calendar import Calendar, Event
from olk_tui.domain.errors import OlkError
from olk_tui.sync.api import Account, EventsChanged, OperationFailed, RepoEvent
from olk_tui.ui.calendar import flows, pickers
from olk_tui.ui.calendar.agenda import AgendaList
from olk_tui.ui.calendar.grid import WeekGrid
from olk_tui.ui.calendar.layout import WEEKDAY_NAMES, make_day
from olk_tui.ui.calendar.period import (
    AGENDA_DAYS,
    RangeCache,
    event_line,
    period_title,
    shown_events,
    view_dates,
    view_step,
)
from olk_tui.ui.calendar.reminders import ReminderService
from olk_tui.ui.calendar.style import DEFAULT_COLOUR, calendar_colour
from olk_tui.ui.text import mailbox_zone

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)


class CalendarScreen(Screen[None]):
    """Week/day/agenda calendar over one account (see module docstring)."""

    DEFAULT_CSS = """
    CalendarScreen { layout: vertical; overflow: hidden; }
    CalendarScreen #cal-title { height: 1; background: $primary-background; padding: 0 1; }
    CalendarScreen #cal-views { height: 1fr; }
    CalendarScreen #cal-status { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("left_square_bracket,p", "page(-1)", "Prev", id="calendar.previous"),
        Binding("right_square_bracket,n", "page(1)", "Next", id="calendar.next"),
        Binding("t", "today", "Today", id="calendar.today"),
        Binding("g", "goto", "Go to", id="calendar.goto"),
        Binding("m", "month", "Month", id="calendar.month"),
        Binding("w", "view('week')", "Week", id="calendar.view.week"),
        Binding("D", "view('day')", "Day", id="calendar.view.day"),
        Binding("a", "view('agenda')", "Agenda", id="calendar.view.agenda"),
        Binding("c", "new", "New", id="calendar.new"),
        Binding("plus,Q", "quick_add", "Quick add", id="calendar.quick_add"),
        Binding("e", "edit", "Edit", show=False, id="calendar.edit"),
        Binding("d,delete", "delete", "Delete", show=False, id="calendar.delete"),
        Binding("r", "respond", "Respond", show=False, id="calendar.respond"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="calendar.reload"),
        Binding("v", "calendars", "Calendars", show=False, id="calendar.visibility"),
        Binding("C", "manage_calendars", "Calendars", show=False, id="calendar.calendars"),
    ]

    class EventsLoaded(Message):
        """The worker read a range from the repository."""

        def __init__(self, key: tuple[datetime, datetime], events: list[Event]) -> None:
            super().__init__()
            self.key = key
            self.events = events

    class CalendarsLoaded(Message):
        """The calendar list (for colours and the form's calendar choice)."""

        def __init__(self, calendars: list[Calendar]) -> None:
            super().__init__()
            self.calendars = calendars

    class Announced(Message):
        """A repository announcement delivered on the screen's message queue."""

        def __init__(self, event: RepoEvent) -> None:
            super().__init__()
            self.event = event

    class LoadFailed(Message):
        """A read failed; ``reason`` is fit to show."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, account: Account, *, ui: object | None = None,
                 clock: Callable[[], datetime] | None = None, zone: tzinfo | None = None,
                 reminders: bool = True, name: str | None = None,
                 id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.account = account
        self.zone = zone or mailbox_zone(account.settings)
        self._clock = clock or (lambda: datetime.now(UTC))
        self.week_start = str(getattr(ui, "week_start", "monday")).lower()
        self.work_week = bool(getattr(ui, "work_week", False))
        self.show_declined = bool(getattr(ui, "show_declined", False))
        self.bell = bool(getattr(ui, "bell", False))
        self.view = "week"
        self.anchor = self.now().date()
        self.calendars: list[Calendar] = []
        self.hidden_calendars: set[str] = set()
        self._colours: dict[str, str] = {}
        self._default_colour = DEFAULT_COLOUR
        self._cache = RangeCache()
        self._unsubscribe: Callable[[], None] | None = None
        self.reminders = ReminderService(self, account.calendar, self.zone, self.now,
                                         bell=self.bell,
                                         on_open=lambda event: flows.open_detail(self, event))
        self._reminders_on = reminders

    # ------------------------------------------------------------------ basics

    def set_zone(self, zone: tzinfo) -> None:
        """Follow the mailbox time zone (it arrives with the first sync): redraw in it."""
        self.zone = self.reminders.zone = zone
        if self.is_mounted:
            self.query_one(WeekGrid).zone = zone
            self.query_one(AgendaList).zone = zone
            self.refresh_view()

    def now(self) -> datetime:
        """The current moment in the mailbox zone (from the injected clock)."""
        return self._clock().astimezone(self.zone)

    def colour_of(self, event: Event) -> str:
        """The colour of the event's calendar."""
        return self._colours.get(event.calendar_id or "", self._default_colour)

    def compose(self) -> ComposeResult:
        """Title line, the views, footer."""
        hours = self.account.settings.working_hours
        days = frozenset(WEEKDAY_NAMES.index(d.lower()) for d in hours.days
                         if d.lower() in WEEKDAY_NAMES)
        yield Static("", id="cal-title")
        with ContentSwitcher(initial="cal-grid", id="cal-views"):
            yield WeekGrid(zone=self.zone, clock=self.now, colour_of=self.colour_of,
                           working_start=hours.start, working_end=hours.end,
                           working_days=days, id="cal-grid")
            yield AgendaList(zone=self.zone, colour_of=self.colour_of, id="cal-agenda")
        yield Static("", id="cal-status")
        yield Footer()

    def on_mount(self) -> None:
        """Subscribe to repository announcements when offered, then load."""
        # announcements come from the calendar repository when it offers them, else from
        # the account's shared announcer behind the mail repository
        subscribe = getattr(self.account.calendar, "subscribe", None)
        if not callable(subscribe):
            subscribe = getattr(self.account.mail, "subscribe", None)
        if callable(subscribe):
            self._unsubscribe = subscribe(self._announced)
        self.load_calendars()
        self.refresh_view()
        if self._reminders_on:
            self.reminders.start()
        # the now-line moves: redraw (cheap when the minute has not changed)
        self.set_interval(30, self.query_one(WeekGrid).refresh, name="calendar-now-line")
        self.query_one(WeekGrid).focus()

    def on_unmount(self) -> None:
        """Stop listening."""
        if self._unsubscribe is not None:
            self._unsubscribe()

    def _announced(self, event: RepoEvent) -> None:
        # called on the event loop by the repository: turn it into a message
        self.post_message(self.Announced(event))

    # ------------------------------------------------------------------ ranges

    def dates(self) -> list[date]:
        """The dates the current view shows."""
        return view_dates(self.view, self.anchor, week_start=self.week_start,
                          work_week=self.work_week,
                          working_days=self.account.settings.working_hours.days)

    def _key(self) -> tuple[datetime, datetime]:
        dates = self.dates()
        return make_day(dates[0], self.zone).start, make_day(dates[-1], self.zone).end

    def visible(self, events: list[Event]) -> list[Event]:
        """Without declined events (unless shown dimmed) and hidden calendars."""
        default = next((c.id for c in self.calendars if c.is_default), "")
        return shown_events(events, show_declined=self.show_declined,
                            hidden_calendars=self.hidden_calendars, default_calendar=default)

    def refresh_view(self, *, fetch: bool = True) -> None:
        """Draw the current range from the cache at once and (re)fetch it in a worker."""
        key = self._key()
        cached = self._cache.get(key)
        self._draw(cached or [])
        self._update_title(loading=cached is None)
        if fetch:
            self.fetch(key)

    def _draw(self, events: list[Event]) -> None:
        shown = self.visible(events)
        switcher = self.query_one(ContentSwitcher)
        if self.view == "agenda":
            switcher.current = "cal-agenda"
            self.query_one(AgendaList).set_events(shown, self.anchor, AGENDA_DAYS,
                                                  self.now().date())
            return
        switcher.current = "cal-grid"
        dates = self.dates()
        grid = self.query_one(WeekGrid)
        cursor: int | None = dates.index(self.anchor) if self.anchor in dates else 0
        if [d.date for d in grid.days] == dates:
            cursor = None  # same days: keep the user's cursor
        grid.set_events([make_day(d, self.zone) for d in dates], shown, cursor_day=cursor)

    def _update_title(self, *, loading: bool = False) -> None:
        self.query_one("#cal-title", Static).update(Content(period_title(
            self.view, self.dates(), self.zone, loading=loading,
            hidden=len(self.hidden_calendars))))

    @work(group="calendar", exclusive=True, exit_on_error=False,
          description="Read calendar events")
    async def fetch(self, key: tuple[datetime, datetime]) -> None:
        """Read the range (and the neighbouring ones, for instant paging)."""
        try:
            events = await self.account.calendar.events(*key)
        except OlkError as exc:
            self.post_message(self.LoadFailed(str(exc)))
            return
        self.post_message(self.EventsLoaded(key, events))
        span = key[1] - key[0]
        for other in ((key[0] - span, key[0]), (key[1], key[1] + span)):
            if other not in self._cache:
                try:
                    self.post_message(self.EventsLoaded(
                        other, await self.account.calendar.events(*other)))
                except OlkError:
                    return

    @work(group="calendar-list", exclusive=True, exit_on_error=False,
          description="Read calendars")
    async def load_calendars(self) -> None:
        """Read the calendar list once (colours, the form's choices)."""
        try:
            calendars = await self.account.calendar.calendars()
        except OlkError as exc:
            self.post_message(self.LoadFailed(str(exc)))
            return
        self.post_message(self.CalendarsLoaded(calendars))

    @on(EventsLoaded)
    def _loaded(self, message: EventsLoaded) -> None:
        self._cache.put(message.key, message.events)
        if message.key == self._key():
            self._draw(message.events)
            self._update_title()

    @on(CalendarsLoaded)
    def _calendars_loaded(self, message: CalendarsLoaded) -> None:
        self.calendars = message.calendars
        self._colours = {c.id: calendar_colour(c) for c in message.calendars}
        default = next((c for c in message.calendars if c.is_default), None)
        self._default_colour = calendar_colour(default)
        self.refresh_view(fetch=False)

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        self._update_title()
        self.notify(message.reason, title="Calendar", severity="error", markup=False)

    def cached_ranges(self) -> list[list[Event]]:
        """The events of every range read so far (the month overview marks them)."""
        return self._cache.values()

    def invalidate(self) -> None:
        """Forget cached ranges and read the current one again (after a change).

        The current range stays drawn (stale) until the new read lands, so nothing flickers
        and the selection survives.
        """
        self._cache.keep_only(self._key())
        self.refresh_view()

    # ------------------------------------------------------------------ navigation

    def action_page(self, direction: int) -> None:
        """Previous/next week, day or agenda page."""
        self.go_to(self.anchor + timedelta(days=view_step(self.view) * direction))

    def go_to(self, day: date) -> None:
        """Show the period holding ``day`` (years 1900-9998: past that dates overflow)."""
        if not FIRST_DAY <= day <= LAST_DAY:
            self.notify("That is as far as the calendar goes.", severity="warning", markup=False)
            return
        self.anchor = day
        self.refresh_view()

    def action_today(self) -> None:
        """Back to today."""
        self.go_to(self.now().date())

    def action_view(self, view: str) -> None:
        """Switch between week, day and agenda."""
        grid = self.query_one(WeekGrid)
        if self.view != "agenda" and grid.days:
            self.anchor = grid.days[grid.cursor_day].date
        self.view = view
        self.refresh_view()
        (self.query_one(AgendaList) if view == "agenda" else grid).focus()

    def action_goto(self) -> None:
        """Ask for a date typed naturally and jump there."""
        pickers.go_to_typed_date(self)

    def action_month(self) -> None:
        """Open the month overview and jump to the picked day."""
        pickers.month_overview(self)

    def action_calendars(self) -> None:
        """Show or hide one calendar."""
        pickers.toggle_calendar(self)

    def action_manage_calendars(self) -> None:
        """Create, rename, recolour, delete, show or hide calendars."""
        from olk_tui.ui.calendar.calendars import CalendarsDialog

        def closed(hidden: set[str] | None) -> None:
            if hidden is not None:
                self.hidden_calendars = hidden
            self.load_calendars()

        self.app.push_screen(CalendarsDialog(self.account.calendar, self.hidden_calendars),
                             closed)

    def action_reload(self) -> None:
        """Read the range again."""
        self.invalidate()

    @on(WeekGrid.SelectionChanged)
    def _selection(self, message: WeekGrid.SelectionChanged) -> None:
        self.query_one("#cal-status", Static).update(Content(event_line(message.event,
                                                                        self.zone)))

    @on(AgendaList.OptionHighlighted)
    def _agenda_highlight(self) -> None:
        self.query_one("#cal-status", Static).update(Content(event_line(
            self.query_one(AgendaList).current_event, self.zone)))

    @on(WeekGrid.EdgeReached)
    def _edge(self, message: WeekGrid.EdgeReached) -> None:
        grid = self.query_one(WeekGrid)
        if not grid.days:
            return
        if message.direction > 0:
            shown = [d.date for d in grid.days]
            target = shown[-1] + timedelta(days=1)
            self.anchor = target
            while self.dates() == shown or target not in self.dates():  # skip a weekend
                target += timedelta(days=1)
                self.anchor = target
            self.go_to(target)
        else:
            self.go_to(grid.days[0].date - timedelta(days=1))

    # ------------------------------------------------------------------ events

    def selected_event(self) -> Event | None:
        """The event under the cursor in the current view."""
        if self.view == "agenda":
            return self.query_one(AgendaList).current_event
        return self.query_one(WeekGrid).selected

    def cursor_date(self) -> date:
        """The day under the cursor (new events go there)."""
        grid = self.query_one(WeekGrid)
        if self.view != "agenda" and grid.days:
            return grid.days[grid.cursor_day].date
        return self.anchor

    @on(WeekGrid.EventChosen)
    @on(AgendaList.EventChosen)
    def _chosen(self, message: WeekGrid.EventChosen | AgendaList.EventChosen) -> None:
        flows.open_detail(self, message.event)

    def action_new(self) -> None:
        """New event on the cursor day."""
        flows.new_event(self, self.cursor_date())

    def action_quick_add(self) -> None:
        """Quick add from one line."""
        flows.quick_add(self)

    def action_edit(self) -> None:
        """Edit the selected event (asking occurrence or series)."""
        if (event := self.selected_event()) is not None:
            flows.edit_event(self, event)

    def action_delete(self) -> None:
        """Delete or cancel the selected event."""
        if (event := self.selected_event()) is not None:
            flows.delete_event(self, event)

    def action_respond(self) -> None:
        """Answer the selected invitation."""
        if (event := self.selected_event()) is not None:
            flows.respond(self, event)

    @on(Announced)
    def _on_announced(self, message: Announced) -> None:
        self.handle_repo_event(message.event)

    def handle_repo_event(self, event: RepoEvent) -> None:
        """React to a repository announcement (also called by the app when it forwards)."""
        if isinstance(event, EventsChanged):
            self.invalidate()
        elif isinstance(event, OperationFailed) and event.operation.kind in (
                "save_event", "delete_event", "cancel_event", "rsvp"):
            self.notify(f"{event.operation.describe()} failed: {event.reason}",
                        title="Calendar", severity="error", markup=False)
            self.invalidate()
        elif isinstance(event, OperationFailed) and event.operation.kind in (
                "create_calendar", "update_calendar", "delete_calendar"):
            self.notify(f"{event.operation.describe()} failed: {event.reason}",
                        title="Calendar", severity="error", markup=False)
            self.load_calendars()

