"""Navigation dialogs of the calendar screen: go to a typed date, the month overview, and
showing or hiding calendars."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from olk_tui.render.dates import parse_date
from olk_tui.ui.calendar.dialogs import ChoiceDialog, PromptDialog
from olk_tui.ui.calendar.month import MonthDialog
from olk_tui.ui.text import inline

if TYPE_CHECKING:
    from olk_tui.ui.calendar.screen import CalendarScreen


def go_to_typed_date(screen: CalendarScreen) -> None:
    """Ask for a date ("fri", "next tue", "2026-12-03", "3/12", "12 dec") and jump there."""
    now = screen.now()
    screen.app.push_screen(
        PromptDialog("Go to date", lambda text: parse_date(text, now),
                     placeholder="fri, next tue, 2026-12-03, 3/12, 12 dec"),
        lambda day: screen.go_to(day) if day else None)


def month_overview(screen: CalendarScreen) -> None:
    """The month grid (days with cached events marked); Enter jumps to the day."""
    busy: dict[date, int] = {}
    for events in screen.cached_ranges():
        for e in events:
            d = e.start.astimezone(screen.zone).date()
            busy[d] = busy.get(d, 0) + 1
    screen.app.push_screen(MonthDialog(screen.anchor, screen.now().date(), busy,
                                       screen.week_start),
                           lambda day: screen.go_to(day) if day else None)


def toggle_calendar(screen: CalendarScreen) -> None:
    """A list of calendars with their state; choosing one shows or hides it."""
    if not screen.calendars:
        screen.notify("No calendars are known yet.", markup=False)
        return
    choices = [(c.id, f"{'[ ]' if c.id in screen.hidden_calendars else '[x]'} "
                      f"{inline(c.name, 60)}") for c in screen.calendars]

    def toggle(calendar_id: str | None) -> None:
        if calendar_id is not None:
            screen.hidden_calendars ^= {calendar_id}
            screen.refresh_view(fetch=False)

    screen.app.push_screen(ChoiceDialog("Show or hide a calendar", choices), toggle)
