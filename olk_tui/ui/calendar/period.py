"""Which days a calendar view shows, its title, and which events it shows (pure helpers)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, timedelta, tzinfo

from olk_tui.domain.calendar import Event
from olk_tui.ui.calendar.layout import week_dates

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
