"""The words of what users type about time: one date, time of day or duration at a time.

The readers behind :mod:`olk_tui.render.dates` (which lists the forms understood and puts the
words together into dates, spans and quick-add lines). Pure standard library. Each ``take_*``
returns None when the word is not of its kind and raises ``ValueError`` with a message fit to
show the user when it is but cannot be right ("31/02", "25:00", "0m").
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")

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


def take_date(tokens: list[str], i: int, today: date, day_first: bool) -> tuple[date, int] | None:
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
        explicit = take_date(tokens, i + 1, today, day_first) if nxt else None
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


def hour_of(hour: int, ampm: str | None, text: str) -> int:
    """The 0-23 hour of ``hour`` with an optional "a"/"p"; ``text`` names it in errors."""
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError(f"{text!r}: the hour must be 1-12 with am/pm")
        hour = hour % 12 + (12 if ampm == "p" else 0)
    if not 0 <= hour <= 23:
        raise ValueError(f"{text!r}: the hour must be 0-23")
    return hour


def take_time(word: str) -> time | None:
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
        return time(hour_of(int(m.group(1)), m.group(3), word), minute)
    if m := _TIME_AMPM.match(low):
        return time(hour_of(int(m.group(1)), m.group(2), word), 0)
    return None


def take_duration(word: str) -> timedelta | None:
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


def split_words(text: str) -> list[str]:
    """The words of ``text``; "14:00-15:30" -> "14:00", "-", "15:30" (ISO dates keep their
    dashes)."""
    spaced = re.sub(r"(?<=[\dm])\s*[-–]\s*(?=\d)", " - ", text.strip())
    spaced = re.sub(r"(\d{4}) - (\d{1,2}) - (\d{1,2})", r"\1-\2-\3", spaced)
    return spaced.split()
