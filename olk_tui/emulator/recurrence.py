"""Expansion of Graph ``patternedRecurrence`` into occurrences (pure functions, no I/O).

The series is expanded in its own time zone (``range.recurrenceTimeZone``, else the master's
``start.timeZone``), so a 09:00 Pacific meeting stays at 09:00 local on both sides of a DST
change while its UTC instant moves. Occurrence ids are derived from the master id and the
original start, so the same occurrence always has the same id and the id can be resolved back.
"""

from __future__ import annotations

import base64
import calendar as _cal
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from olk_tui.emulator.calendar_tz import parse_dtz, parse_naive, zone, zone_or_utc

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
INDEXES = {"first": 0, "second": 1, "third": 2, "fourth": 3, "last": -1}
PATTERN_TYPES = (
    "daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly",
)
RANGE_TYPES = ("endDate", "noEnd", "numbered")
_OCC_PREFIX = "AAMkOCC"
_MAX_STEPS = 200_000  # guards against patterns that never match (e.g. empty daysOfWeek)


class RecurrenceError(ValueError):
    """A recurrence Graph would reject (400 ErrorInvalidRequest / ErrorPropertyValidation)."""


@dataclass(frozen=True, slots=True)
class Instance:
    """One expanded occurrence: aware UTC times, ``kind`` "occurrence" or "exception"."""

    original_start: datetime
    start: datetime
    end: datetime
    kind: str = "occurrence"
    overrides: Mapping[str, Any] = field(default_factory=dict)


def occurrence_key(original_start: datetime) -> str:
    """Stable key of an occurrence: its original start in UTC, ``2026-03-09T17:00:00Z``."""
    return original_start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def occurrence_id(master_id: str, original_start: datetime) -> str:
    """The deterministic id of the occurrence of ``master_id`` originally at ``original_start``."""
    raw = f"{master_id}\x1f{occurrence_key(original_start)}".encode()
    return _OCC_PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def parse_occurrence_id(event_id: str) -> tuple[str, datetime] | None:
    """(master id, original start) for an occurrence id, None for any other id."""
    if not event_id.startswith(_OCC_PREFIX):
        return None
    token = event_id[len(_OCC_PREFIX):]
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        master_id, _, key = raw.partition("\x1f")
        moment = datetime.strptime(key, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except (ValueError, UnicodeDecodeError):
        return None
    return (master_id, moment) if master_id else None


def validate(recurrence: Any) -> None:
    """Reject a patternedRecurrence Graph would reject.

    Raises:
        RecurrenceError: with a message naming the bad property.
    """
    if not isinstance(recurrence, dict):
        raise RecurrenceError("recurrence must be an object")
    pattern, rng = recurrence.get("pattern"), recurrence.get("range")
    if not isinstance(pattern, dict) or not isinstance(rng, dict):
        raise RecurrenceError("recurrence needs pattern and range")
    kind = pattern.get("type")
    if kind not in PATTERN_TYPES:
        raise RecurrenceError(f"unsupported recurrence pattern type {kind!r}")
    interval = pattern.get("interval", 1)
    if not isinstance(interval, int) or interval < 1 or interval > 99:
        raise RecurrenceError("pattern.interval must be 1..99")
    days = pattern.get("daysOfWeek") or []
    if kind in ("weekly", "relativeMonthly", "relativeYearly"):
        if not days or any(str(d).lower() not in WEEKDAYS for d in days):
            raise RecurrenceError("pattern.daysOfWeek must name at least one day")
    if kind in ("absoluteMonthly", "absoluteYearly"):
        dom = pattern.get("dayOfMonth")
        if not isinstance(dom, int) or not 1 <= dom <= 31:
            raise RecurrenceError("pattern.dayOfMonth must be 1..31")
    if kind in ("absoluteYearly", "relativeYearly"):
        month = pattern.get("month")
        if not isinstance(month, int) or not 1 <= month <= 12:
            raise RecurrenceError("pattern.month must be 1..12")
    rtype = rng.get("type")
    if rtype not in RANGE_TYPES:
        raise RecurrenceError(f"unsupported recurrence range type {rtype!r}")
    start = _parse_date(rng.get("startDate"), "range.startDate")
    if rtype == "endDate" and _parse_date(rng.get("endDate"), "range.endDate") < start:
        raise RecurrenceError("range.endDate is before range.startDate")
    if rtype == "numbered":
        count = rng.get("numberOfOccurrences")
        if not isinstance(count, int) or count < 1:
            raise RecurrenceError("range.numberOfOccurrences must be at least 1")


def _parse_date(value: Any, what: str) -> date:
    if not isinstance(value, str):
        raise RecurrenceError(f"{what} is missing")
    try:
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise RecurrenceError(f"{what} is not a date") from exc


def _weekday_numbers(days: Any) -> list[int]:
    names = [str(d).lower() for d in days or []]
    return sorted({WEEKDAYS.index(n) for n in names if n in WEEKDAYS})


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + count
    return total // 12, total % 12 + 1


def _relative_day(year: int, month: int, weekdays: list[int], index: str) -> date | None:
    """The index-th day (first..fourth, last) of the month whose weekday is in ``weekdays``."""
    last = _cal.monthrange(year, month)[1]
    matches = [date(year, month, d) for d in range(1, last + 1)
               if date(year, month, d).weekday() in weekdays]
    if not matches:
        return None
    position = INDEXES.get(str(index), 0)
    if position >= len(matches):
        return None
    return matches[position]


def _clamped(year: int, month: int, day: int) -> date:
    """Outlook puts day 29-31 on the month's last day in shorter months."""
    return date(year, month, min(day, _cal.monthrange(year, month)[1]))


def _candidates(pattern: Mapping[str, Any], start: date, skip_to: date | None = None
                ) -> Iterator[date]:
    """All dates matching the pattern on or after ``start``, ascending, without range limits.

    ``skip_to`` lets daily and weekly patterns jump ahead (whole intervals) instead of walking
    from a start years ago; dates before it may still be yielded.
    """
    kind = pattern.get("type")
    step = int(pattern.get("interval") or 1)
    weekdays = _weekday_numbers(pattern.get("daysOfWeek"))
    index = pattern.get("index") or "first"
    ahead = max(0, (skip_to - start).days) if skip_to else 0
    if kind == "daily":
        day = start + timedelta(days=(ahead // step) * step)
        while True:
            yield day
            day += timedelta(days=step)
    elif kind == "weekly":
        first = WEEKDAYS.index(str(pattern.get("firstDayOfWeek") or "sunday").lower())
        week = start - timedelta(days=(start.weekday() - first) % 7)
        week += timedelta(weeks=max(0, ahead // 7 // step - 1) * step)
        order = sorted(weekdays, key=lambda wd: (wd - first) % 7)
        while True:
            for wd in order:
                day = week + timedelta(days=(wd - first) % 7)
                if day >= start:
                    yield day
            week += timedelta(weeks=step)
    elif kind in ("absoluteMonthly", "relativeMonthly"):
        months = 0
        while True:
            year, month = _add_months(start.year, start.month, months)
            if kind == "absoluteMonthly":
                found: date | None = _clamped(year, month, int(pattern.get("dayOfMonth") or 1))
            else:
                found = _relative_day(year, month, weekdays, index)
            if found is not None and found >= start:
                yield found
            months += step
    elif kind in ("absoluteYearly", "relativeYearly"):
        month = int(pattern.get("month") or start.month)
        year = start.year
        while True:
            if kind == "absoluteYearly":
                found = _clamped(year, month, int(pattern.get("dayOfMonth") or 1))
            else:
                found = _relative_day(year, month, weekdays, index)
            if found is not None and found >= start:
                yield found
            year += step
            if year > 9999:
                return


def occurrence_dates(recurrence: Mapping[str, Any], skip_to: date | None = None
                     ) -> Iterator[date]:
    """The dates of a series' occurrences in its own zone, honouring the range; may be infinite.

    ``skip_to`` (ignored for numbered ranges, which must count from the start) lets long-running
    daily and weekly series start near a window instead of at their first occurrence.

    Raises:
        RecurrenceError: invalid recurrence.
    """
    validate(recurrence)
    pattern, rng = recurrence["pattern"], recurrence["range"]
    start = _parse_date(rng.get("startDate"), "range.startDate")
    end = _parse_date(rng.get("endDate"), "range.endDate") if rng["type"] == "endDate" else None
    remaining = rng.get("numberOfOccurrences") if rng["type"] == "numbered" else None
    steps = 0
    for day in _candidates(pattern, start, None if remaining is not None else skip_to):
        steps += 1
        if steps > _MAX_STEPS or (end is not None and day > end):
            return
        if remaining is not None:
            if remaining <= 0:
                return
            remaining -= 1
        yield day


def series_zone_name(master: Mapping[str, Any]) -> str:
    """The zone a series is expanded in: recurrenceTimeZone, else start.timeZone, else UTC."""
    rng = (master.get("recurrence") or {}).get("range") or {}
    candidate = rng.get("recurrenceTimeZone")
    if isinstance(candidate, str) and zone(candidate) is not None:
        return candidate
    start_tz = (master.get("start") or {}).get("timeZone")
    if isinstance(start_tz, str) and zone(start_tz) is not None:
        return start_tz
    return "UTC"


def wall_clock(master: Mapping[str, Any], tz_name: str) -> tuple[time, timedelta]:
    """Start time-of-day in the series zone and the wall-clock duration of each occurrence."""
    start_dtz, end_dtz = master.get("start") or {}, master.get("end") or {}
    series_tz = zone_or_utc(tz_name)

    def local(dtz: Mapping[str, Any]) -> datetime:
        parsed = parse_naive(str(dtz.get("dateTime") or ""))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone_or_utc(str(dtz.get("timeZone") or "UTC")))
        return parsed.astimezone(series_tz).replace(tzinfo=None)

    start_local = local(start_dtz)
    end_local = local(end_dtz) if end_dtz else start_local
    return start_local.time(), max(end_local - start_local, timedelta(0))


def localise(day: date, at: time, duration: timedelta, tz_name: str) -> tuple[datetime, datetime]:
    tz = zone_or_utc(tz_name)
    naive_start = datetime.combine(day, at)
    start = naive_start.replace(tzinfo=tz).astimezone(UTC)
    end = (naive_start + duration).replace(tzinfo=tz).astimezone(UTC)
    return start, end


def expand(
    master: Mapping[str, Any],
    window_start: datetime,
    window_end: datetime,
    *,
    exceptions: Mapping[str, Mapping[str, Any]] | None = None,
    deleted: Collection[str] = (),
) -> list[Instance]:
    """Occurrences of ``master`` that overlap [window_start, window_end), sorted by start.

    Args:
        master: the series master event (Graph JSON with ``recurrence``, ``start``, ``end``).
        window_start: aware start of the window.
        window_end: aware end of the window.
        exceptions: overrides keyed by :func:`occurrence_key` of the original start; may hold
            ``start``/``end`` (dateTimeTimeZone, moving the occurrence) and any other event
            fields (``subject``, ``isCancelled`` ...). Such occurrences have kind "exception".
        deleted: keys of occurrences removed from the series (not returned at all).

    Raises:
        RecurrenceError: invalid recurrence.
    """
    exceptions = exceptions or {}
    tz_name = series_zone_name(master)
    at, duration = wall_clock(master, tz_name)
    found: list[Instance] = []
    skip_to = (window_start - duration).astimezone(zone_or_utc(tz_name)).date() - timedelta(days=2)
    for day in occurrence_dates(master["recurrence"], skip_to):
        start, end = localise(day, at, duration, tz_name)
        if start >= window_end:
            break
        key = occurrence_key(start)
        if key in deleted:
            continue
        override = exceptions.get(key)
        if override is not None:
            new_start = parse_dtz(override["start"]) if "start" in override else start
            new_end = parse_dtz(override["end"]) if "end" in override else new_start + (end - start)
            if new_end > window_start and new_start < window_end:
                found.append(Instance(start, new_start, new_end, "exception", override))
            continue
        if end > window_start or (start == end and start >= window_start):
            found.append(Instance(start, start, end))
    _add_moved_in(master, found, (window_start, window_end), exceptions, deleted)
    found.sort(key=lambda inst: (inst.start, inst.original_start))
    return found


def _add_moved_in(
    master: Mapping[str, Any],
    found: list[Instance],
    window: tuple[datetime, datetime],
    exceptions: Mapping[str, Mapping[str, Any]],
    deleted: Collection[str],
) -> None:
    """Exceptions whose original start is after the window but were moved into it."""
    window_start, window_end = window
    seen = {occurrence_key(inst.original_start) for inst in found}
    for key, override in exceptions.items():
        if key in seen or key in deleted or "start" not in override:
            continue
        original = datetime.strptime(key, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if original < window_end:
            continue  # the main loop saw it (or it is not part of the series)
        new_start = parse_dtz(override["start"])
        new_end = parse_dtz(override["end"]) if "end" in override else new_start
        if new_end > window_start and new_start < window_end and is_member(master, original):
            found.append(Instance(original, new_start, new_end, "exception", override))


def is_member(master: Mapping[str, Any], original: datetime) -> bool:
    """Whether ``original`` is the start of one of the series' occurrences."""
    tz_name = series_zone_name(master)
    at, duration = wall_clock(master, tz_name)
    local_day = original.astimezone(zone_or_utc(tz_name)).date()
    for day in occurrence_dates(master["recurrence"]):
        if day > local_day:
            return False
        if day == local_day:
            return localise(day, at, duration, tz_name)[0] == original
    return False


def series_bounds(master: Mapping[str, Any]) -> tuple[datetime, datetime | None]:
    """First occurrence start and last occurrence end (None for a series with no end)."""
    tz_name = series_zone_name(master)
    at, duration = wall_clock(master, tz_name)
    rng = master["recurrence"]["range"]
    dates = occurrence_dates(master["recurrence"])
    first_day = next(dates, None)
    if first_day is None:
        start = localise(_parse_date(rng.get("startDate"), "range.startDate"), at, duration,
                          tz_name)[0]
        return start, start
    first = localise(first_day, at, duration, tz_name)[0]
    if rng["type"] == "noEnd":
        return first, None
    last_day = first_day
    for last_day in dates:  # noqa: B007 - finite for endDate/numbered
        pass
    return first, localise(last_day, at, duration, tz_name)[1]
