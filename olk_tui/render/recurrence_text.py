"""Describe a Graph recurrence (pattern + range) in plain English words.

``describe_recurrence(rec)`` gives e.g. "Every 2 weeks on Tuesday and Thursday, from
15 Aug 2017 until 1 Dec 2017". Pure: domain types in, ``str`` out.
"""

from __future__ import annotations

from datetime import date

from olk_tui.domain.calendar import Recurrence, RecurrencePattern, RecurrenceRange

_UNITS = {
    "daily": ("day", "days"),
    "weekly": ("week", "weeks"),
    "absoluteMonthly": ("month", "months"),
    "relativeMonthly": ("month", "months"),
    "absoluteYearly": ("year", "years"),
    "relativeYearly": ("year", "years"),
}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_WEEK_ORDER = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def ordinal(n: int) -> str:
    """1 -> "1st", 22 -> "22nd", 13 -> "13th"."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def join_words(words: list[str]) -> str:
    """["a"] -> "a"; ["a", "b", "c"] -> "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _days(days: tuple[str, ...]) -> str:
    known = [d.lower() for d in days if d.lower() in _WEEK_ORDER]
    ordered = sorted(set(known), key=_WEEK_ORDER.index)
    if ordered == list(_WEEK_ORDER[:5]):
        return "weekdays"
    if len(ordered) == 7:
        return "every day"
    return join_words([d.capitalize() for d in ordered])


def _short(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1][:3]} {d.year}"


def describe_pattern(p: RecurrencePattern) -> str:
    """The repeating part: "Every week on Monday", "Monthly on the last Friday"."""
    one, many = _UNITS.get(p.type, ("time", "times"))
    every = f"Every {one}" if p.interval <= 1 else f"Every {p.interval} {many}"
    month = _MONTHS[p.month - 1] if 1 <= p.month <= 12 else ""
    if p.type == "daily":
        return every
    if p.type == "weekly":
        days = _days(p.days_of_week)
        return f"{every} on {days}" if days else every
    if p.type == "absoluteMonthly":
        return f"{every} on the {ordinal(p.day_of_month or 1)}"
    if p.type == "relativeMonthly":
        return f"{every} on the {p.index} {_days(p.days_of_week)}"
    if p.type == "absoluteYearly":
        return f"{every} on {p.day_of_month or 1} {month}".rstrip()
    if p.type == "relativeYearly":
        return f"{every} on the {p.index} {_days(p.days_of_week)} of {month}"
    return f"Repeats ({p.type})"


def describe_range(r: RecurrenceRange) -> str:
    """The range part: "from 1 Dec 2026 until 5 Jan 2027", "…, 10 times"."""
    text = f"from {_short(r.start)}"
    if r.type == "endDate" and r.end is not None:
        return f"{text} until {_short(r.end)}"
    if r.type == "numbered" and r.occurrences > 0:
        times = "once" if r.occurrences == 1 else f"{r.occurrences} times"
        return f"{text}, {times}"
    return text


def describe_recurrence(rec: Recurrence | None) -> str:
    """The whole rule in words, or "" for a single event."""
    if rec is None:
        return ""
    return f"{describe_pattern(rec.pattern)}, {describe_range(rec.range)}"
