"""Recurrence rules described in words."""

from __future__ import annotations

from datetime import date

import pytest

from olk_tui.domain.calendar import Recurrence, RecurrencePattern, RecurrenceRange
from olk_tui.render.recurrence_text import describe_recurrence, ordinal

START = date(2026, 12, 1)


def rec(pattern: RecurrencePattern, range_: RecurrenceRange | None = None) -> Recurrence:
    return Recurrence(pattern, range_ or RecurrenceRange("noEnd", START))


@pytest.mark.parametrize(("pattern", "words"), [
    (RecurrencePattern("daily"), "Every day"),
    (RecurrencePattern("daily", interval=3), "Every 3 days"),
    (RecurrencePattern("weekly", days_of_week=("thursday", "tuesday")),
     "Every week on Tuesday and Thursday"),
    (RecurrencePattern("weekly", interval=2, days_of_week=("monday", "wednesday", "friday")),
     "Every 2 weeks on Monday, Wednesday and Friday"),
    (RecurrencePattern("weekly", days_of_week=("monday", "tuesday", "wednesday", "thursday",
                                               "friday")), "Every week on weekdays"),
    (RecurrencePattern("absoluteMonthly", day_of_month=22), "Every month on the 22nd"),
    (RecurrencePattern("relativeMonthly", days_of_week=("friday",), index="last"),
     "Every month on the last Friday"),
    (RecurrencePattern("absoluteYearly", day_of_month=3, month=12), "Every year on 3 December"),
    (RecurrencePattern("relativeYearly", days_of_week=("thursday",), index="fourth", month=11),
     "Every year on the fourth Thursday of November"),
])
def test_patterns(pattern: RecurrencePattern, words: str) -> None:
    assert describe_recurrence(rec(pattern)) == f"{words}, from 1 Dec 2026"


def test_ranges() -> None:
    daily = RecurrencePattern("daily")
    assert describe_recurrence(rec(daily, RecurrenceRange("endDate", START, date(2027, 1, 5)))) \
        == "Every day, from 1 Dec 2026 until 5 Jan 2027"
    assert describe_recurrence(rec(daily, RecurrenceRange("numbered", START, occurrences=10))) \
        == "Every day, from 1 Dec 2026, 10 times"
    assert describe_recurrence(None) == ""


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"]
