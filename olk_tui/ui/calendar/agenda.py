"""Agenda: the next days as a list, one line per event under a heading per day."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from olk_tui.domain.calendar import Event
from olk_tui.ui.calendar.layout import is_bar
from olk_tui.ui.text import inline


def agenda_rows(events: Sequence[Event], first: date, days: int, zone: tzinfo
                ) -> list[tuple[date, list[Event]]]:
    """Events grouped by the local days ``first .. first+days-1`` they touch, in time order."""
    out: list[tuple[date, list[Event]]] = []
    ordered = sorted(events, key=lambda e: (not is_bar(e), e.start.astimezone(UTC),
                                            e.subject))
    for i in range(days):
        day = first + timedelta(days=i)
        start = datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(),
                               tzinfo=zone).astimezone(UTC)
        todays = []
        for e in ordered:
            if e.is_all_day:
                hit = e.start.date() <= day < max(e.end.date(), e.start.date()
                                                  + timedelta(days=1))
            else:
                s, t = e.start.astimezone(UTC), e.end.astimezone(UTC)
                hit = (s < end and t > start) or (s == t and start <= s < end)
            if hit:
                todays.append(e)
        out.append((day, todays))
    return out


class AgendaList(OptionList):
    """The agenda; Enter posts ``EventChosen``."""

    DEFAULT_CSS = """
    AgendaList, AgendaList:focus { height: 1fr; border: none; padding: 0 1; }
    """
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="calendar.agenda.down"),
        Binding("k", "cursor_up", "Up", show=False, id="calendar.agenda.up"),
    ]

    class EventChosen(Message):
        """An agenda line was chosen."""

        def __init__(self, event: Event) -> None:
            super().__init__()
            self.event = event

    def __init__(self, *, zone: tzinfo, colour_of: Callable[[Event], str],
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.zone = zone
        self.colour_of = colour_of
        self._events: dict[str, Event] = {}

    def set_events(self, events: Sequence[Event], first: date, days: int, today: date) -> None:
        """Replace the list with ``days`` days from ``first``."""
        self.clear_options()
        self._events = {}
        options: list[Option] = []
        n = 0
        for day, todays in agenda_rows(events, first, days, self.zone):
            heading = Text(day.strftime("%A %d %B %Y"), style="bold")
            if day == today:
                heading.append("  today", style="bold #ff5f5f")
            options.append(Option(heading, disabled=True))
            if not todays:
                options.append(Option(Text("   nothing planned", style="dim"), disabled=True))
            for event in todays:
                key = f"e{n}"
                n += 1
                self._events[key] = event
                options.append(Option(self._line(event, day), id=key))
        self.add_options(options)
        first_event = next((i for i, o in enumerate(options) if not o.disabled), None)
        self.highlighted = first_event

    def _line(self, event: Event, day: date) -> Text:
        if is_bar(event):
            when = "all day".ljust(12)
        else:
            start = event.start.astimezone(self.zone)
            end = event.end.astimezone(self.zone)
            s = start.strftime("%H:%M") if start.date() == day else "…"
            t = end.strftime("%H:%M") if end.date() == day else "…"
            when = f"{s}-{t}".ljust(12)
        line = Text("   ")
        line.append("■ ", style=self.colour_of(event))
        line.append(when)
        subject_style = "strike dim" if event.is_cancelled else (
            "dim italic" if event.response == "declined" else "")
        line.append(inline(event.subject, 120, placeholder="(no subject)"), style=subject_style)
        if event.location:
            line.append(f"  @ {inline(event.location, 80)}", style="dim")
        if event.show_as in ("tentative", "free", "oof"):
            line.append(f"  [{event.show_as}]", style="italic dim")
        return line

    @property
    def current_event(self) -> Event | None:
        """The highlighted event."""
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self._events.get(option.id or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter: open the event."""
        event.stop()
        chosen = self._events.get(event.option.id or "")
        if chosen is not None:
            self.post_message(self.EventChosen(chosen))
