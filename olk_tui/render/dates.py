"""Friendly date, time and duration parsing for what users type ("fri 14:00 1h").

Pure standard library; single words are read by :mod:`olk_tui.render.date_words`, this
module puts them together. Every function takes the current moment ``now`` (an aware datetime
in the mailbox zone) so results are reproducible in tests, and raises ``ValueError`` with a
message fit to show the user when the text cannot be understood.

Forms understood:

* dates: ``today``, ``tomorrow``, ``yesterday``, ``mon`` .. ``sunday`` (today or the next
  such day), ``next tue`` (the first Tuesday after today), ``last fri``, ``+3``/``+2w``,
  ``in 3 days``, ``2026-12-03``, ``3/12`` and ``3/12/2026`` (day first unless
  ``day_first=False``), ``3.12.`` and ``3.12.2026``, ``12 dec``, ``dec 12``, ``dec 12 2026``,
  ``12 december, 2026``. A date without a year is the next one on or after today.
* times: ``14:00``, ``2pm``, ``2:30pm``, ``9.30``, ``noon``, ``midnight``, a bare hour in
  ``9-10:30`` or ``at 9``.
* durations: ``1h``, ``90m``, ``1h30``, ``1h30m``, ``1.5h``, ``45min``, ``2d``.
* ranges: ``14:00-15:30`` or ``14:00 to 15:30``; filler words ``on``, ``at``, ``for``,
  ``from`` are ignored.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, NamedTuple, TypeVar

from olk_tui.render.date_words import (
    hour_of,
    split_words,
    take_date,
    take_duration,
    take_time,
)

T = TypeVar("T")

_FILLER = frozenset({"on", "at", "for", "from"})
_RANGE_WORDS = frozenset({"to", "until", "till", "-", "–"})


def _no_overflow(func: Callable[..., T]) -> Callable[..., T]:
    """Dates far outside datetime's range are bad input too: OverflowError -> ValueError."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return func(*args, **kwargs)
        except OverflowError:
            raise ValueError("that date is too far away") from None
    return wrapper


@_no_overflow
def parse_date(text: str, now: datetime, *, day_first: bool = True) -> date:
    """Parse a date as typed ("fri", "next tue", "2026-12-03", "3/12", "dec 12 2026").

    Raises:
        ValueError: the text is empty or not a date (the message says what was expected).
    """
    tokens = split_words(text)
    if not tokens:
        raise ValueError("type a date, e.g. 'fri', 'tomorrow', '2026-12-03' or '12 dec'")
    found = take_date(tokens, 0, now.date(), day_first)
    if found is None or found[1] != len(tokens):
        raise ValueError(f"{text.strip()!r} is not a date I understand "
                         "(try 'fri', 'next tue', '2026-12-03', '3/12' or '12 dec')")
    return found[0]


def parse_time(text: str) -> time:
    """Parse a time of day ("14:00", "2pm", "9.30", "noon").

    Raises:
        ValueError: not a time.
    """
    found = take_time(text.strip())
    if found is None:
        raise ValueError(f"{text.strip()!r} is not a time (try '14:00', '2pm' or '9.30')")
    return found


@_no_overflow
def parse_duration(text: str) -> timedelta:
    """Parse a duration ("1h", "90m", "1h30", "1.5h", "2d"); a bare number means minutes.

    Raises:
        ValueError: not a duration.
    """
    word = text.strip().replace(" ", "")
    if word.isdigit():
        if int(word) <= 0:
            raise ValueError(f"{text.strip()!r}: a duration must be longer than zero")
        return timedelta(minutes=int(word))
    found = take_duration(word)
    if found is None:
        raise ValueError(f"{text.strip()!r} is not a duration (try '1h', '90m' or '1h30')")
    return found


class Span(NamedTuple):
    """A parsed start and end; ``all_day`` when only dates were typed (end is exclusive)."""

    start: datetime
    end: datetime
    all_day: bool


def _combine(day: date, at: time, zone: tzinfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone)


def add_duration(start: datetime, duration: timedelta) -> datetime:
    """``start + duration`` in elapsed time (right across DST), in ``start``'s zone."""
    zone = start.tzinfo
    assert zone is not None
    return (start.astimezone(UTC) + duration).astimezone(zone)


@_no_overflow
def parse_span(text: str, now: datetime, *, default_duration: timedelta = timedelta(hours=1),
               day_first: bool = True) -> Span:
    """Parse when something happens: "tue 14:00 1h", "fri 9-10:30", "3/12", "tomorrow 2pm".

    A date alone is an all-day span; a time alone is today; no duration means
    ``default_duration``; a date range "mon to wed" is all-day across those days.

    Raises:
        ValueError: unknown words, or an end that is not after the start.
    """
    zone = now.tzinfo
    if zone is None:
        raise ValueError("now must be timezone-aware")
    tokens = split_words(text)
    if not tokens:
        raise ValueError("type when, e.g. 'tue 14:00 1h' or 'fri 9:30-11'")
    dates: list[date] = []
    times: list[time] = []
    duration: timedelta | None = None
    today = now.date()
    i = 0
    while i < len(tokens):
        word = tokens[i]
        low = word.lower()
        if low in _FILLER or low in _RANGE_WORDS:
            i += 1
            continue
        found = take_date(tokens, i, today, day_first)
        if found is not None:
            if len(dates) == 2:
                raise ValueError("more than two dates given")
            dates.append(found[0])
            i += found[1]
            continue
        # "2 pm" written with a space
        if word.isdigit() and i + 1 < len(tokens) and tokens[i + 1].lower() in (
                "am", "pm", "a.m.", "p.m."):
            word, i = word + tokens[i + 1], i + 1
        t = take_time(word)
        prev = tokens[i - 1].lower() if i else ""
        nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        if t is None and word.isdigit() and (prev in _RANGE_WORDS or prev == "at"
                                             or nxt in _RANGE_WORDS):
            t = time(hour_of(int(word), None, word), 0)  # the 9 in "9-10:30" or "at 9"
        if t is not None:
            if len(times) == 2:
                raise ValueError("more than two times given")
            times.append(t)
            i += 1
            continue
        d = take_duration(word)
        if d is not None:
            if duration is not None:
                raise ValueError("more than one duration given")
            duration = d
            i += 1
            continue
        raise ValueError(f"I don't understand {tokens[i]!r} "
                         "(expected a date, a time like 14:00 or 2pm, or a duration like 1h)")
    if not dates and not times:
        raise ValueError("give a date or a time, e.g. 'tue 14:00'")
    first = dates[0] if dates else today
    if not times:
        last = dates[1] if len(dates) == 2 else first
        if duration is not None and len(dates) < 2:
            last = first + timedelta(days=max(1, duration.days) - 1)
        if last < first:
            raise ValueError("the end date is before the start date")
        return Span(_combine(first, time(0), zone),
                    _combine(last + timedelta(days=1), time(0), zone), True)
    start = _combine(first, times[0], zone)
    if len(times) == 2:
        end_day = dates[1] if len(dates) == 2 else first
        end = _combine(end_day, times[1], zone)
        if end <= start and len(dates) < 2:
            end = _combine(end_day + timedelta(days=1), times[1], zone)  # "22:00-01:00"
    else:
        end = add_duration(start, duration or default_duration)
    if end <= start:
        raise ValueError("the end is not after the start")
    return Span(start, end, False)


def parse_when(text: str, now: datetime, *, default_duration: timedelta = timedelta(hours=1),
               day_first: bool = True) -> tuple[datetime, datetime]:
    """``parse_span`` without the all-day flag: ``parse_when("tue 14:00 1h", now)``."""
    span = parse_span(text, now, default_duration=default_duration, day_first=day_first)
    return span.start, span.end


@dataclass(frozen=True, slots=True)
class QuickEvent:
    """What one quick-add line describes."""

    subject: str
    start: datetime
    end: datetime
    location: str = ""
    all_day: bool = False


def parse_quick_add(text: str, now: datetime, *, day_first: bool = True,
                    default_duration: timedelta = timedelta(hours=1)) -> QuickEvent:
    """Read one line like gcalcli's quick: "Lunch with Ana fri 12:30 1h @Cafe".

    The location is whatever follows the last " @"; the when is the longest tail of words
    that reads as a date/time; the subject is the rest.

    Raises:
        ValueError: no subject, or no date or time found.
    """
    line = " ".join(text.split())
    location = ""
    at = line.rfind(" @")
    if line.startswith("@"):
        raise ValueError("start with what the event is, e.g. 'Lunch with Ana fri 12:30'")
    if at >= 0:
        line, location = line[:at].strip(), line[at + 2:].strip()
    tokens = line.split(" ")
    if not line:
        raise ValueError("type what and when, e.g. 'Lunch with Ana fri 12:30 1h @Cafe'")
    try:
        parse_span(line, now, day_first=day_first)
    except ValueError:
        pass
    else:
        raise ValueError("start with what the event is, e.g. 'Lunch with Ana fri 12:30'")
    last_error = ""
    for i in range(1, len(tokens)):
        try:
            span = parse_span(" ".join(tokens[i:]), now, day_first=day_first,
                              default_duration=default_duration)
        except ValueError as exc:
            last_error = str(exc)
            continue
        subject = " ".join(tokens[:i])
        return QuickEvent(subject, span.start, span.end, location, span.all_day)
    detail = f" ({last_error})" if last_error and len(tokens) > 1 else ""
    raise ValueError(f"no date or time found after the subject in {text.strip()!r}{detail}; "
                     "try 'Lunch with Ana fri 12:30 1h @Cafe'")

