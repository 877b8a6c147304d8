"""The calendar screen: week (default), day and agenda views over ``account.calendar``.

What it shows and how it reads it is :class:`~olk_tui.ui.calendar.views.CalendarViews`; this
module adds the keys: paging and jumping between periods and views, and acting on the event
under the cursor. Changes go through ``account.calendar.submit(op)`` (see ``flows.py``); the
navigation dialogs are in ``pickers.py``. It also owns the reminder service.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from olk_tui.domain.calendar import Event
from olk_tui.sync.api import Account
from olk_tui.ui.calendar import flows, pickers
from olk_tui.ui.calendar.agenda import AgendaList
from olk_tui.ui.calendar.grid import WeekGrid
from olk_tui.ui.calendar.period import event_line, view_step
from olk_tui.ui.calendar.reminders import ReminderService
from olk_tui.ui.calendar.views import CalendarViews
from olk_tui.ui.text import mailbox_zone

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)


class CalendarScreen(CalendarViews):
    """Week/day/agenda calendar over one account (see module docstring)."""

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

    def __init__(self, account: Account, *, ui: object | None = None,
                 clock: Callable[[], datetime] | None = None, zone: tzinfo | None = None,
                 reminders: bool = True, name: str | None = None,
                 id: str | None = None) -> None:
        super().__init__(account, ui=ui, clock=clock or (lambda: datetime.now(UTC)),
                         zone=zone or mailbox_zone(account.settings), name=name, id=id)
        self.bell = bool(getattr(ui, "bell", False))
        self.reminders = ReminderService(self, account.calendar, self.zone, self.now,
                                         bell=self.bell,
                                         on_open=lambda event: flows.open_detail(self, event))
        self._reminders_on = reminders

    def set_zone(self, zone: tzinfo) -> None:
        """Follow the mailbox time zone (it arrives with the first sync): redraw in it."""
        self.zone = self.reminders.zone = zone
        if self.is_mounted:
            self.query_one(WeekGrid).zone = zone
            self.query_one(AgendaList).zone = zone
            self.refresh_view()

    def on_mount(self) -> None:
        """Read and draw, start the reminders, keep the now-line moving."""
        self.start_loading()
        if self._reminders_on:
            self.reminders.start()
        # the now-line moves: redraw (cheap when the minute has not changed)
        self.set_interval(30, self.query_one(WeekGrid).refresh, name="calendar-now-line")
        self.query_one(WeekGrid).focus()

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
