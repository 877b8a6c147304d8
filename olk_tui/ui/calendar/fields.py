"""Event form values <-> Graph-shaped JSON for ``SaveEvent.fields`` (pure, no Textual).

The form edits an ``EventDraft``; ``to_graph`` turns it into the body Graph expects for
``POST /me/events`` or ``PATCH /me/events/{id}`` (``start``/``end`` as dateTimeTimeZone,
``recurrence`` as pattern + range), and ``changed_fields`` keeps only what an edit changed.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from olk_tui.domain.calendar import Event, Recurrence
from olk_tui.domain.ids import CalendarId
from olk_tui.domain.mail import Recipient
from olk_tui.render.dates import add_duration, parse_date, parse_duration, parse_span, parse_time

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
INDEXES = ("first", "second", "third", "fourth", "last")
SHOW_AS = ("busy", "tentative", "free", "oof", "workingElsewhere")
REPEAT_KINDS = ("none", "daily", "weekly", "monthly_date", "monthly_weekday", "yearly")


@dataclass(frozen=True, slots=True)
class Repeat:
    """The form's recurrence choice: kind, every N, weekly days, and until a date or N times."""

    kind: str = "none"
    interval: int = 1
    days: tuple[str, ...] = ()
    until: date | None = None
    count: int = 0


@dataclass(frozen=True, slots=True)
class EventDraft:
    """Everything the event form edits."""

    subject: str
    start: datetime
    end: datetime
    all_day: bool = False
    time_zone: str = "UTC"
    location: str = ""
    attendees: tuple[Recipient, ...] = ()
    body: str = ""
    reminder_minutes: int | None = 15
    show_as: str = "busy"
    categories: tuple[str, ...] = ()
    online: bool = False
    repeat: Repeat = field(default_factory=Repeat)
    calendar_id: CalendarId | None = None


def _dt(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")


def recurrence_json(repeat: Repeat, start: datetime, time_zone: str) -> dict[str, Any] | None:
    """Graph's ``recurrence`` for a choice starting at ``start`` (local), or None."""
    if repeat.kind == "none":
        return None
    day = start.date()
    weekday = WEEKDAYS[day.weekday()]
    pattern: dict[str, Any] = {"interval": max(1, repeat.interval)}
    if repeat.kind == "daily":
        pattern["type"] = "daily"
    elif repeat.kind == "weekly":
        pattern.update(type="weekly", daysOfWeek=list(repeat.days or (weekday,)),
                       firstDayOfWeek="monday")
    elif repeat.kind == "monthly_date":
        pattern.update(type="absoluteMonthly", dayOfMonth=day.day)
    elif repeat.kind == "monthly_weekday":
        last_day = _calendar.monthrange(day.year, day.month)[1]
        index = "last" if day.day + 7 > last_day and day.day > 28 else INDEXES[
            min(3, (day.day - 1) // 7)]
        pattern.update(type="relativeMonthly", daysOfWeek=[weekday], index=index)
    elif repeat.kind == "yearly":
        pattern.update(type="absoluteYearly", dayOfMonth=day.day, month=day.month)
    else:
        raise ValueError(f"unknown repeat {repeat.kind!r}")
    range_: dict[str, Any] = {"type": "noEnd", "startDate": day.isoformat(),
                              "recurrenceTimeZone": time_zone}
    if repeat.until is not None:
        if repeat.until < day:
            raise ValueError("the repeat ends before the first occurrence")
        range_.update(type="endDate", endDate=repeat.until.isoformat())
    elif repeat.count > 0:
        range_.update(type="numbered", numberOfOccurrences=repeat.count)
    return {"pattern": pattern, "range": range_}


def to_graph(draft: EventDraft, *, include_recurrence: bool = True) -> dict[str, Any]:
    """The whole Graph body for ``draft``."""
    if not draft.subject.strip():
        raise ValueError("give the event a subject")
    if draft.end <= draft.start:
        raise ValueError("the end must be after the start")
    start, end = draft.start, draft.end
    if draft.all_day:  # midnight to midnight, end exclusive, at least one day
        first = start.date()
        after = end.date() if end.time() == time(0) else end.date() + timedelta(days=1)
        start = datetime.combine(first, time(0))
        end = datetime.combine(max(after, first + timedelta(days=1)), time(0))
    body: dict[str, Any] = {
        "subject": draft.subject.strip(),
        "start": {"dateTime": _dt(start), "timeZone": draft.time_zone},
        "end": {"dateTime": _dt(end), "timeZone": draft.time_zone},
        "isAllDay": draft.all_day,
        "location": {"displayName": draft.location.strip()},
        "attendees": [{"emailAddress": {"address": r.address, "name": r.name},
                       "type": "required"} for r in draft.attendees],
        "body": {"contentType": "text", "content": draft.body},
        "isReminderOn": draft.reminder_minutes is not None,
        "reminderMinutesBeforeStart": draft.reminder_minutes or 0,
        "showAs": draft.show_as,
        "categories": list(draft.categories),
        "isOnlineMeeting": draft.online,
    }
    if include_recurrence:
        body["recurrence"] = recurrence_json(draft.repeat, draft.start, draft.time_zone)
    return body


def changed_fields(before: EventDraft, after: EventDraft, *,
                   include_recurrence: bool = True) -> dict[str, Any]:
    """Only the Graph fields an edit changed (start and end travel together)."""
    old = to_graph(replace(before, subject=before.subject or "x"),
                   include_recurrence=include_recurrence)
    new = to_graph(after, include_recurrence=include_recurrence)
    out = {k: v for k, v in new.items() if old.get(k) != v}
    if "start" in out or "end" in out or "isAllDay" in out:
        out.update(start=new["start"], end=new["end"], isAllDay=new["isAllDay"])
    return out


def repeat_of(rec: Recurrence | None) -> Repeat:
    """The form's choice for an existing recurrence."""
    if rec is None:
        return Repeat()
    kind = {"daily": "daily", "weekly": "weekly", "absoluteMonthly": "monthly_date",
            "relativeMonthly": "monthly_weekday", "absoluteYearly": "yearly",
            "relativeYearly": "yearly"}.get(rec.pattern.type, "none")
    until = rec.range.end if rec.range.type == "endDate" else None
    count = rec.range.occurrences if rec.range.type == "numbered" else 0
    return Repeat(kind, rec.pattern.interval, tuple(rec.pattern.days_of_week), until, count)


def draft_of(event: Event, zone: tzinfo, time_zone: str, body_text: str) -> EventDraft:
    """The form values of an existing event, in ``zone``."""
    start, end = event.start.astimezone(zone), event.end.astimezone(zone)
    if event.is_all_day:
        start = datetime.combine(event.start.date(), time(0), tzinfo=zone)
        end = datetime.combine(event.end.date(), time(0), tzinfo=zone)
    return EventDraft(
        subject=event.subject, start=start, end=end, all_day=event.is_all_day,
        time_zone=time_zone, location=event.location,
        attendees=tuple(a.who for a in event.attendees), body=body_text,
        reminder_minutes=event.reminder_minutes if event.is_reminder_on else None,
        show_as=event.show_as, categories=event.categories, online=event.is_online_meeting,
        repeat=repeat_of(event.recurrence), calendar_id=event.calendar_id)


def check_zone(name: str, mailbox_zone: str) -> str:
    """A time zone name Graph will take: the mailbox's own, an IANA name or a Windows name.

    Raises:
        ValueError: an unknown name.
    """
    name = name.strip()
    if not name or name == mailbox_zone:
        return name or mailbox_zone
    if name.endswith((" Standard Time", " Time")) and name.replace(" ", "").replace(
            ".", "").replace("-", "").replace("+", "").isalnum():
        return name  # Windows names: Graph checks them
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"Time zone: {name!r} is not a known zone (e.g. Europe/Berlin or "
                         "W. Europe Standard Time)") from None
    return name


def resolve_when(start_text: str, end_text: str, all_day: bool, now: datetime,
                 ) -> tuple[datetime, datetime, bool]:
    """Start and end from the form's two fields, typed naturally.

    ``start_text`` is a date and time ("tue 14:00"), or a whole span ("tue 14:00 1h"); an
    empty ``end_text`` then keeps the span's end. ``end_text`` is a duration ("1h30"), a time
    on the start day ("15:30"), a date and time, or for all-day events the last day.

    Raises:
        ValueError: with a message naming the field.
    """
    try:
        span = parse_span(start_text, now)
    except ValueError as exc:
        raise ValueError(f"Starts: {exc}") from None
    all_day = all_day or span.all_day
    start = span.start
    if all_day:
        start = datetime.combine(start.date(), time(0), tzinfo=start.tzinfo)
    end = span.end
    text = end_text.strip()
    if text:
        try:
            end = _end_from(text, start, all_day, now)
        except ValueError as exc:
            raise ValueError(f"Ends: {exc}") from None
    elif all_day:
        end = datetime.combine(max(span.end.date(), start.date() + timedelta(days=1)), time(0),
                               tzinfo=start.tzinfo)
    if end <= start:
        raise ValueError("Ends: the end must be after the start")
    return start, end, all_day


def _end_from(text: str, start: datetime, all_day: bool, now: datetime) -> datetime:
    try:
        duration = parse_duration(text)
    except ValueError:
        duration = None
    if duration is not None:
        if all_day:
            days = max(1, -(-int(duration.total_seconds()) // 86400))
            return datetime.combine(start.date() + timedelta(days=days), time(0),
                                    tzinfo=start.tzinfo)
        return add_duration(start, duration)
    if all_day:
        last = parse_date(text, now)
        return datetime.combine(last + timedelta(days=1), time(0), tzinfo=start.tzinfo)
    try:
        at = parse_time(text)
    except ValueError:
        span = parse_span(text, now)
        return span.start
    return datetime.combine(start.date(), at, tzinfo=start.tzinfo)
