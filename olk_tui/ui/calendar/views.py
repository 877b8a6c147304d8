"""The calendar screen's data and drawing: which range the week/day/agenda view shows, reading
it from ``account.calendar`` and drawing it.

Reads go through an exclusive worker (``group="calendar"``) that posts ``EventsLoaded``; each
range is kept in a small in-memory cache so paging back and forth redraws at once while the
worker refreshes. Repository announcements (events changed, an operation failed) invalidate
the cache. The keys and actions live in :mod:`olk_tui.ui.calendar.screen`, which builds on
:class:`CalendarViews`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo

from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Static

from olk_tui.domain.calendar import Calendar, Event
from olk_tui.domain.errors import OlkError
from olk_tui.sync.api import Account, EventsChanged, OperationFailed, RepoEvent
from olk_tui.ui.calendar.agenda import AgendaList
from olk_tui.ui.calendar.grid import WeekGrid
from olk_tui.ui.calendar.layout import WEEKDAY_NAMES, make_day
from olk_tui.ui.calendar.period import (
    AGENDA_DAYS,
    RangeCache,
    period_title,
    shown_events,
    view_dates,
)
from olk_tui.ui.calendar.style import DEFAULT_COLOUR, calendar_colour
from olk_tui.ui.listening import subscribe

#: Operation kinds whose failure redraws the events / reloads the calendar list.
EVENT_OPERATIONS = ("save_event", "delete_event", "cancel_event", "rsvp")
CALENDAR_OPERATIONS = ("create_calendar", "update_calendar", "delete_calendar")


class CalendarViews(Screen[None]):
    """The week grid and agenda of one account, read through a range cache (see module)."""

    DEFAULT_CSS = """
    CalendarViews { layout: vertical; overflow: hidden; }
    CalendarViews #cal-title { height: 1; background: $primary-background; padding: 0 1; }
    CalendarViews #cal-views { height: 1fr; }
    CalendarViews #cal-status { height: 1; padding: 0 1; color: $text-muted; }
    """

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

    def __init__(self, account: Account, *, ui: object | None, clock: Callable[[], datetime],
                 zone: tzinfo, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.account = account
        self.zone = zone
        self._clock = clock
        self.week_start = str(getattr(ui, "week_start", "monday")).lower()
        self.work_week = bool(getattr(ui, "work_week", False))
        self.show_declined = bool(getattr(ui, "show_declined", False))
        self.view = "week"
        self.anchor = self.now().date()
        self.calendars: list[Calendar] = []
        self.hidden_calendars: set[str] = set()
        self._colours: dict[str, str] = {}
        self._default_colour = DEFAULT_COLOUR
        self._cache = RangeCache()
        self._unsubscribe: Callable[[], None] | None = None

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

    def start_loading(self) -> None:
        """Subscribe to repository announcements when offered, then read and draw."""
        self._unsubscribe = subscribe(self.account, self._announced, repo="calendar")
        self.load_calendars()
        self.refresh_view()

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

    # ------------------------------------------------------------------ announcements

    @on(Announced)
    def _on_announced(self, message: Announced) -> None:
        self.handle_repo_event(message.event)

    def handle_repo_event(self, event: RepoEvent) -> None:
        """React to a repository announcement (also called by the app when it forwards).

        A failed change is redrawn as it was; the toast that says so is the account's
        (``olk_tui.ui.notify``), which names the account when the app shows several.
        """
        if isinstance(event, EventsChanged):
            self.invalidate()
        elif isinstance(event, OperationFailed) and event.operation.kind in EVENT_OPERATIONS:
            self.invalidate()
        elif isinstance(event, OperationFailed) and event.operation.kind in CALENDAR_OPERATIONS:
            self.load_calendars()
