"""Friendly date/time parsing: many typed forms and the messages bad input gets."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from olk_tui.render.dates import (
    add_duration,
    parse_date,
    parse_duration,
    parse_quick_add,
    parse_span,
    parse_time,
    parse_when,
)

BERLIN = ZoneInfo("Europe/Berlin")
#: Saturday 21 November 2026, 10:00 in Berlin.
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=BERLIN)


@pytest.mark.parametrize(("text", "expected"), [
    ("today", date(2026, 11, 21)),
    ("tomorrow", date(2026, 11, 22)),
    ("yesterday", date(2026, 11, 20)),
    ("sat", date(2026, 11, 21)),          # today is Saturday
    ("fri", date(2026, 11, 27)),
    ("Friday", date(2026, 11, 27)),
    ("mon", date(2026, 11, 23)),
    ("next tue", date(2026, 11, 24)),
    ("next sat", date(2026, 11, 28)),     # strictly after today
    ("last fri", date(2026, 11, 20)),
    ("next week", date(2026, 11, 28)),
    ("in 3 days", date(2026, 11, 24)),
    ("in 2 weeks", date(2026, 12, 5)),
    ("+3", date(2026, 11, 24)),
    ("+1w", date(2026, 11, 28)),
    ("2026-12-03", date(2026, 12, 3)),
    ("3/12", date(2026, 12, 3)),          # day first
    ("3/12/2026", date(2026, 12, 3)),
    ("3.12.", date(2026, 12, 3)),
    ("3.12.27", date(2027, 12, 3)),
    ("12 dec", date(2026, 12, 12)),
    ("dec 12", date(2026, 12, 12)),
    ("dec 12 2026", date(2026, 12, 12)),
    ("December 12, 2027", date(2027, 12, 12)),
    ("12 December 2027", date(2027, 12, 12)),
    ("3 jan", date(2027, 1, 3)),          # no year: the next one
    ("29 feb", date(2028, 2, 29)),        # the next leap year
])
def test_dates(text: str, expected: date) -> None:
    assert parse_date(text, NOW) == expected


def test_month_first_when_asked() -> None:
    assert parse_date("3/12", NOW, day_first=False) == date(2027, 3, 12)


@pytest.mark.parametrize(("text", "expected"), [
    ("14:00", time(14, 0)), ("2pm", time(14, 0)), ("2:30pm", time(14, 30)),
    ("12am", time(0, 0)), ("12pm", time(12, 0)), ("9.30", time(9, 30)),
    ("noon", time(12, 0)), ("midnight", time(0, 0)), ("7:05 a.m.", time(7, 5)),
])
def test_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(("text", "minutes"), [
    ("1h", 60), ("90m", 90), ("1h30", 90), ("1h30m", 90), ("1.5h", 90), ("45min", 45),
    ("2d", 2880), ("30", 30),
])
def test_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(("text", "start", "end", "all_day"), [
    ("tue 14:00 1h", datetime(2026, 11, 24, 14), datetime(2026, 11, 24, 15), False),
    ("fri 9-10:30", datetime(2026, 11, 27, 9), datetime(2026, 11, 27, 10, 30), False),
    ("fri 9:00 to 10:30", datetime(2026, 11, 27, 9), datetime(2026, 11, 27, 10, 30), False),
    ("tomorrow 2pm", datetime(2026, 11, 22, 14), datetime(2026, 11, 22, 15), False),
    ("tomorrow 2 pm 30m", datetime(2026, 11, 22, 14), datetime(2026, 11, 22, 14, 30), False),
    ("on 2026-12-03 at 9.30 for 90m", datetime(2026, 12, 3, 9, 30),
     datetime(2026, 12, 3, 11), False),
    ("22:00-01:00", datetime(2026, 11, 21, 22), datetime(2026, 11, 22, 1), False),
    ("3/12", datetime(2026, 12, 3), datetime(2026, 12, 4), True),
    ("mon to wed", datetime(2026, 11, 23), datetime(2026, 11, 26), True),
    ("mon 2d", datetime(2026, 11, 23), datetime(2026, 11, 25), True),
    ("14:00", datetime(2026, 11, 21, 14), datetime(2026, 11, 21, 15), False),
    # what the event form prints reads back the same (weekday is a label)
    ("Thu 03 Dec 2026 14:00", datetime(2026, 12, 3, 14), datetime(2026, 12, 3, 15), False),
    ("thu 3/12 14:00", datetime(2026, 12, 3, 14), datetime(2026, 12, 3, 15), False),
    ("Sat 05 Dec 2026", datetime(2026, 12, 5), datetime(2026, 12, 6), True),
    ("thu 3/12 to sat 5/12", datetime(2026, 12, 3), datetime(2026, 12, 6), True),
])
def test_spans(text: str, start: datetime, end: datetime, all_day: bool) -> None:
    span = parse_span(text, NOW)
    assert (span.start, span.end, span.all_day) == (start.replace(tzinfo=BERLIN),
                                                    end.replace(tzinfo=BERLIN), all_day)
    assert parse_when(text, NOW) == (span.start, span.end)


def test_duration_across_dst_is_elapsed_time() -> None:
    # 29 March 2026: clocks jump 02:00 -> 03:00 in Berlin
    start = datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN)
    end = add_duration(start, timedelta(hours=1))
    assert end.hour == 3 and end.minute == 30
    assert end.astimezone(ZoneInfo("UTC")) - start.astimezone(ZoneInfo("UTC")) == timedelta(
        hours=1)


@pytest.mark.parametrize(("text", "message"), [
    ("", "type a date"),
    ("blah", "not a date I understand"),
    ("31/2", "not a real date"),
    ("2026-13-01", "not a real date"),
    ("fri fri", "not a date I understand"),
])
def test_bad_dates(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(text, NOW)


@pytest.mark.parametrize(("text", "message"), [
    ("", "type when"),
    ("fri 25:00", "hour must be 0-23"),
    ("fri 9:75", "minutes must be 0-59"),
    ("13pm", "1-12 with am/pm"),
    ("tue 14:00 1h 2h", "more than one duration"),
    ("tue banana", "I don't understand 'banana'"),
    ("1h", "give a date or a time"),
    ("wed to mon 2026-11-01", "not a Monday"),
    ("wed to mon fri", "more than two dates"),
    ("fri 2026-12-03 10:00", "is a Thursday, not a Friday"),
])
def test_bad_spans(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_span(text, NOW)


@pytest.mark.parametrize("text", ["", "abc", "-5", "0"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_bad_time() -> None:
    with pytest.raises(ValueError, match="not a time"):
        parse_time("lunchtime")


def test_needs_aware_now() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_span("fri", NOW.replace(tzinfo=None))


def test_quick_add_like_gcalcli() -> None:
    q = parse_quick_add("Lunch with Ana fri 12:30 1h @Cafe", NOW)
    assert q.subject == "Lunch with Ana"
    assert q.start == datetime(2026, 11, 27, 12, 30, tzinfo=BERLIN)
    assert q.end == datetime(2026, 11, 27, 13, 30, tzinfo=BERLIN)
    assert q.location == "Cafe"
    assert not q.all_day


def test_quick_add_all_day_and_multiword_location() -> None:
    q = parse_quick_add("Team offsite 12 dec @Lake House, Room 2", NOW)
    assert (q.subject, q.all_day, q.location) == ("Team offsite", True, "Lake House, Room 2")
    assert q.start.date() == date(2026, 12, 12)


def test_quick_add_keeps_numbers_in_subject() -> None:
    q = parse_quick_add("Review Q3 plan tomorrow 9-10", NOW)
    assert q.subject == "Review Q3 plan"
    assert (q.start.hour, q.end.hour) == (9, 10)


@pytest.mark.parametrize(("text", "message"), [
    ("Lunch", "no date or time found"),
    ("", "type what and when"),
    ("@Cafe fri", "start with what the event is"),
    ("fri 12:30", "start with what the event is"),
])
def test_quick_add_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_quick_add(text, NOW)


@pytest.mark.parametrize("text", ["+99999999", "in 99999999 days", "fri 9999999d",
                                  "+999999w"])
def test_far_away_dates_are_value_errors(text: str) -> None:
    with pytest.raises(ValueError, match="too far away"):
        parse_span("31/12/9999 23:00 2d", NOW)
    for parse in (lambda t: parse_span(t, NOW), lambda t: parse_date(t, NOW),
                  lambda t: parse_quick_add(f"Party {t}", NOW)):
        with pytest.raises(ValueError):
            parse(text)


@given(st.text(max_size=40))
def test_never_crashes_with_anything_but_value_error(text: str) -> None:
    for parse in (lambda t: parse_span(t, NOW), lambda t: parse_date(t, NOW),
                  lambda t: parse_quick_add(t, NOW), parse_duration, parse_time):
        try:
            parse(text)
        except ValueError:
            pass
