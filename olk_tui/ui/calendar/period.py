"""Which days a calendar view shows, its title, and which events it shows (pure helpers)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo

from olk_tui.domain.calendar import Event
from olk_tui.ui.calendar.layout import week_dates
from olk_tui.ui.text import inline

AGENDA_DAYS = 14


def view_dates(view: str, anchor: date, *, week_start: str = "monday",
               work_week: bool = False, working_days: Iterable[str] = ()) -> list[date]:
    """The dates the view ("week", "day" or "agenda") shows around ``anchor``."""
    if view == "day":
        return [anchor]
    if view == "agenda":
        return [anchor + timedelta(days=i) for i in range(AGENDA_DAYS)]
    return week_dates(anchor, week_start=week_start, work_week=work_week,
                      working_days=working_days or ("monday", "tuesday", "wednesday",
                                                    "thursday", "friday"))


def view_step(view: str) -> int:
    """Days one page moves."""
    return {"day": 1, "agenda": AGENDA_DAYS}.get(view, 7)


def period_title(view: str, dates: Sequence[date], zone: tzinfo, *, loading: bool = False,
                 hidden: int = 0) -> str:
    """"23 Nov – 29 Nov 2026 · week 48 · Europe/Berlin" and the like."""
    if view == "day":
        span = dates[0].strftime("%A %d %B %Y")
    elif view == "agenda":
        span = f"Agenda from {dates[0].strftime('%a %d %b %Y')}"
    else:
        span = (f"{dates[0].strftime('%d %b')} – {dates[-1].strftime('%d %b %Y')} · "
                f"week {dates[0].isocalendar().week}")
    extra = f" · {hidden} calendar{'s' if hidden != 1 else ''} hidden" if hidden else ""
    return f"{span} · {zone}{extra}{'  (loading…)' if loading else ''}"


def shown_events(events: Iterable[Event], *, show_declined: bool,
                 hidden_calendars: Collection[str] = (), default_calendar: str = ""
                 ) -> list[Event]:
    """Drop declined events (unless shown dimmed) and events of hidden calendars; events
    without a calendar id belong to the default calendar."""
    out = []
    for e in events:
        if not show_declined and e.response == "declined" and not e.is_organizer:
            continue
        if (e.calendar_id or default_calendar) in hidden_calendars:
            continue
        out.append(e)
    return out


def when_text(event: Event, zone: tzinfo) -> str:
    """"Tue 24 Nov 2026 14:00–15:00" in ``zone``, or the dates of an all-day event."""
    if event.is_all_day:
        first, after = event.start.date(), event.end.date()
        if (after - first).days <= 1:
            return f"{first.strftime('%a %d %b %Y')}, all day"
        last = after.fromordinal(after.toordinal() - 1)
        return f"{first.strftime('%a %d %b')} – {last.strftime('%a %d %b %Y')}, all day"
    start, end = event.start.astimezone(zone), event.end.astimezone(zone)
    if start.date() == end.date():
        return f"{start.strftime('%a %d %b %Y %H:%M')}–{end.strftime('%H:%M')}"
    return f"{start.strftime('%a %d %b %Y %H:%M')} – {end.strftime('%a %d %b %Y %H:%M')}"


def event_line(event: Event | None, zone: tzinfo) -> str:
    """One line about an event for the status line (plain, sanitised text)."""
    if event is None:
        return ""
    parts = [when_text(event, zone), inline(event.subject, 120, placeholder="(no subject)")]
    if event.location:
        parts.append(f"@ {inline(event.location, 60)}")
    parts.append(event.show_as)
    if event.attendees:
        parts.append(f"{len(event.attendees)} attendee{'s' if len(event.attendees) > 1 else ''}")
    if event.is_cancelled:
        parts.append("cancelled")
    elif not event.is_organizer and event.response not in ("", "none", "organizer"):
        parts.append(f"you: {event.response}")
    return " · ".join(parts)


Range = tuple[datetime, datetime]


class RangeCache:
    """The last few ranges read, newest last; a range inside a cached one is served from it."""

    def __init__(self, size: int = 12) -> None:
        self.size = size
        self._ranges: OrderedDict[Range, list[Event]] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._ranges

    def get(self, key: Range) -> list[Event] | None:
        """The events of ``key``: exactly cached, or cut from a cached range holding it."""
        found = self._ranges.get(key)
        if found is not None:
            return found
        start, end = key
        for (s, e), events in self._ranges.items():
            if s <= start and end <= e:
                return [x for x in events
                        if x.start < end and (x.end > start or x.start == x.end >= start)]
        return None

    def put(self, key: Range, events: list[Event]) -> None:
        """Remember a range (dropping the oldest beyond ``size``)."""
        self._ranges[key] = events
        self._ranges.move_to_end(key)
        while len(self._ranges) > self.size:
            self._ranges.popitem(last=False)

    def keep_only(self, key: Range) -> None:
        """Forget every range but ``key`` (kept, stale, until it is read again)."""
        current = self._ranges.get(key)
        self._ranges.clear()
        if current is not None:
            self._ranges[key] = current

    def values(self) -> list[list[Event]]:
        """Every cached range's events."""
        return list(self._ranges.values())
