"""Friendly date, time and duration parsing for what users type ("fri 14:00 1h").

Pure standard library. Every function takes the current moment ``now`` (an aware datetime in
the mailbox zone) so results are reproducible in tests, and raises ``ValueError`` with a
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
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, NamedTuple, TypeVar

T = TypeVar("T")

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
_FILLER = frozenset({"on", "at", "for", "from"})
_RANGE_WORDS = frozenset({"to", "until", "till", "-", "–"})

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})?$")
_TIME_COLON = re.compile(r"^(\d{1,2})[:.](\d{2})(?:\s*([ap])\.?m?\.?)?$")
_TIME_AMPM = re.compile(r"^(\d{1,2})\s*([ap])\.?m?\.?$")
_DURATION = re.compile(
    r"^(?:(\d+(?:\.\d+)?)d)?(?:(\d+(?:\.\d+)?)h)?(?:(\d+)(?:m|min|mins)?)?$"
)
_RELATIVE = re.compile(r"^\+(\d+)([dw]?)$")
_YEAR = re.compile(r"^\d{4},?$")


def _weekday(word: str) -> int | None:
    """0..6 for a weekday name or an unambiguous prefix of at least three letters."""
    word = word.lower().rstrip(",.")
    if len(word) < 2:
        return None
    for i, name in enumerate(WEEKDAYS):
        if name.startswith(word) and (len(word) >= 3 or word in ("mo", "tu", "we", "th",
                                                                "fr", "sa", "su")):
            return i
    return None


def _month(word: str) -> int | None:
    """1..12 for a month name or its first three (or more) letters."""
    word = word.lower().rstrip(",.")
    if len(word) < 3:
        return None
    for i, name in enumerate(MONTHS, start=1):
        if name.startswith(word):
            return i
    return None


def _make_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date") from None


def _upcoming(today: date, month: int, day: int, text: str) -> date:
    """The date with this month and day on or after ``today``."""
    for year in (today.year, today.year + 1, today.year + 2, today.year + 3, today.year + 4):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue  # 29 February: look for the next leap year
        if candidate >= today:
            return candidate
    raise ValueError(f"{text!r} is not a real date")


def _full_year(text: str) -> int:
    year = int(text.rstrip(","))
    return year + 2000 if year < 100 else year


def _take_date(tokens: list[str], i: int, today: date, day_first: bool) -> tuple[date, int] | None:
    """Try to read a date starting at ``tokens[i]``; returns it and the tokens used."""
    word = tokens[i].lower().rstrip(",")
    nxt = tokens[i + 1].lower().rstrip(",") if i + 1 < len(tokens) else ""
    after = tokens[i + 2].lower() if i + 2 < len(tokens) else ""
    if word == "today":
        return today, 1
    if word in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1), 1
    if word == "yesterday":
        return today - timedelta(days=1), 1
    if word in ("next", "last", "this") and nxt and _weekday(nxt) is not None:
        target = _weekday(nxt)
        assert target is not None
        delta = (target - today.weekday()) % 7
        if word == "next":
            delta = delta or 7
        elif word == "last":
            delta = -((today.weekday() - target) % 7 or 7)
        return today + timedelta(days=delta), 2
    if word in ("next", "last") and nxt == "week":
        return today + timedelta(days=7 if word == "next" else -7), 2
    if word == "in" and nxt.isdigit() and after.rstrip("s") in ("day", "week"):
        days = int(nxt) * (7 if after.startswith("week") else 1)
        return today + timedelta(days=days), 3
    if (wd := _weekday(word)) is not None:
        # "Thu 03 Dec 2026": a weekday naming an explicit date is only a label; check it
        explicit = _take_date(tokens, i + 1, today, day_first) if nxt else None
        if explicit is not None and _weekday(nxt) is None and nxt not in (
                "today", "tomorrow", "yesterday", "next", "last", "this", "in") \
                and not nxt.startswith("+"):
            if explicit[0].weekday() != wd:
                raise ValueError(f"{explicit[0].strftime('%d %b %Y')} is a "
                                 f"{WEEKDAYS[explicit[0].weekday()].capitalize()}, "
                                 f"not a {WEEKDAYS[wd].capitalize()}")
            return explicit[0], explicit[1] + 1
        return today + timedelta(days=(wd - today.weekday()) % 7), 1
    if m := _RELATIVE.match(word):
        count = int(m.group(1)) * (7 if m.group(2) == "w" else 1)
        return today + timedelta(days=count), 1
    if m := _ISO.match(word):
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), word), 1
    if m := _SLASH.match(word):
        a, b = int(m.group(1)), int(m.group(2))
        day, month = (a, b) if day_first else (b, a)
        if m.group(3):
            return _make_date(_full_year(m.group(3)), month, day, word), 1
        return _upcoming(today, month, day, word), 1
    if m := _DOTTED.match(word):
        day, month = int(m.group(1)), int(m.group(2))
        if m.group(3):
            return _make_date(_full_year(m.group(3)), month, day, word), 1
        return _upcoming(today, month, day, word), 1
    # "12 dec [2026]" and "dec 12[,] [2026]"
    if word.isdigit() and nxt and _month(nxt) is not None:
        day, month = int(word), _month(nxt)
        assert month is not None
        if _YEAR.match(after):
            return _make_date(_full_year(after), month, day, tokens[i]), 3
        return _upcoming(today, month, day, f"{word} {nxt}"), 2
    if (month := _month(word)) is not None and nxt.rstrip(",").isdigit() and len(nxt) <= 3:
        day = int(nxt.rstrip(","))
        if _YEAR.match(after):
            return _make_date(_full_year(after), month, day, tokens[i]), 3
        return _upcoming(today, month, day, f"{word} {nxt}"), 2
    return None


def _hour(hour: int, ampm: str | None, text: str) -> int:
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError(f"{text!r}: the hour must be 1-12 with am/pm")
        hour = hour % 12 + (12 if ampm == "p" else 0)
    if not 0 <= hour <= 23:
        raise ValueError(f"{text!r}: the hour must be 0-23")
    return hour


def _take_time(word: str) -> time | None:
    """Read one time token, or None when it is not a time."""
    low = word.lower()
    if low == "noon":
        return time(12, 0)
    if low == "midnight":
        return time(0, 0)
    if m := _TIME_COLON.match(low):
        minute = int(m.group(2))
        if minute > 59:
            raise ValueError(f"{word!r}: minutes must be 0-59")
        return time(_hour(int(m.group(1)), m.group(3), word), minute)
    if m := _TIME_AMPM.match(low):
        return time(_hour(int(m.group(1)), m.group(2), word), 0)
    return None


def _take_duration(word: str) -> timedelta | None:
    """Read one duration token ("1h30", "90m", "1.5h", "2d"), or None."""
    low = word.lower()
    if not low or low.isdigit() or not re.search(r"[dhm]", low):
        return None
    m = _DURATION.match(low)
    if not m or not any(m.groups()):
        return None
    days = float(m.group(1) or 0)
    hours = float(m.group(2) or 0)
    minutes = int(m.group(3) or 0)
    total = timedelta(days=days, hours=hours, minutes=minutes)
    if total <= timedelta(0):
        raise ValueError(f"{word!r}: a duration must be longer than zero")
    return total


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
    tokens = _tokens(text)
    if not tokens:
        raise ValueError("type a date, e.g. 'fri', 'tomorrow', '2026-12-03' or '12 dec'")
    found = _take_date(tokens, 0, now.date(), day_first)
    if found is None or found[1] != len(tokens):
        raise ValueError(f"{text.strip()!r} is not a date I understand "
                         "(try 'fri', 'next tue', '2026-12-03', '3/12' or '12 dec')")
    return found[0]


def parse_time(text: str) -> time:
    """Parse a time of day ("14:00", "2pm", "9.30", "noon").

    Raises:
        ValueError: not a time.
    """
    found = _take_time(text.strip())
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
    found = _take_duration(word)
    if found is None:
        raise ValueError(f"{text.strip()!r} is not a duration (try '1h', '90m' or '1h30')")
    return found


class Span(NamedTuple):
    """A parsed start and end; ``all_day`` when only dates were typed (end is exclusive)."""

    start: datetime
    end: datetime
    all_day: bool


def _tokens(text: str) -> list[str]:
    # "14:00-15:30" -> "14:00", "-", "15:30" (ISO dates keep their dashes)
    spaced = re.sub(r"(?<=[\dm])\s*[-–]\s*(?=\d)", " - ", text.strip())
    spaced = re.sub(r"(\d{4}) - (\d{1,2}) - (\d{1,2})", r"\1-\2-\3", spaced)
    return spaced.split()


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
    tokens = _tokens(text)
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
        found = _take_date(tokens, i, today, day_first)
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
        t = _take_time(word)
        prev = tokens[i - 1].lower() if i else ""
        nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        if t is None and word.isdigit() and (prev in _RANGE_WORDS or prev == "at"
                                             or nxt in _RANGE_WORDS):
            t = time(_hour(int(word), None, word), 0)  # the 9 in "9-10:30" or "at 9"
        if t is not None:
            if len(times) == 2:
                raise ValueError("more than two times given")
            times.append(t)
            i += 1
            continue
        d = _take_duration(word)
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

