"""Event form values <-> Graph JSON: recurrence kinds, all-day, changed fields, typed times."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from olk_tui.domain.calendar import Recurrence, RecurrencePattern, RecurrenceRange
from olk_tui.domain.mail import Recipient
from olk_tui.ui.calendar.fields import (
    EventDraft,
    Repeat,
    changed_fields,
    check_zone,
    draft_of,
    recurrence_json,
    repeat_of,
    resolve_when,
    to_graph,
)
from tests.ui.calendar_fakes import BERLIN, NOW, ev

START = datetime(2026, 11, 27, 9, 30, tzinfo=BERLIN)  # the fourth Friday of November
DRAFT = EventDraft("Review", START, datetime(2026, 11, 27, 10, 30, tzinfo=BERLIN),
                   time_zone="W. Europe Standard Time")


def test_to_graph_shape() -> None:
    body = to_graph(replace(DRAFT, attendees=(Recipient("ana@x.example", "Ana"),),
                            location="Room 1", categories=("Blue",), online=True))
    assert body["start"] == {"dateTime": "2026-11-27T09:30:00",
                             "timeZone": "W. Europe Standard Time"}
    assert body["attendees"] == [{"emailAddress": {"address": "ana@x.example", "name": "Ana"},
                                  "type": "required"}]
    assert body["location"] == {"displayName": "Room 1"}
    assert body["isOnlineMeeting"] is True and body["categories"] == ["Blue"]
    assert body["recurrence"] is None and body["isReminderOn"] is True


def test_all_day_is_midnight_to_midnight() -> None:
    body = to_graph(replace(DRAFT, all_day=True))
    assert (body["start"]["dateTime"], body["end"]["dateTime"]) == (
        "2026-11-27T00:00:00", "2026-11-28T00:00:00")
    assert body["isAllDay"] is True


@pytest.mark.parametrize(("repeat", "pattern"), [
    (Repeat("daily", 2), {"type": "daily", "interval": 2}),
    (Repeat("weekly"), {"type": "weekly", "interval": 1, "daysOfWeek": ["friday"],
                        "firstDayOfWeek": "monday"}),
    (Repeat("monthly_date"), {"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 27}),
    (Repeat("monthly_weekday"), {"type": "relativeMonthly", "interval": 1,
                                 "daysOfWeek": ["friday"], "index": "fourth"}),
    (Repeat("yearly"), {"type": "absoluteYearly", "interval": 1, "dayOfMonth": 27,
                        "month": 11}),
])
def test_recurrence_patterns(repeat: Repeat, pattern: dict) -> None:
    assert recurrence_json(repeat, START, "UTC")["pattern"] == pattern


def test_relative_monthly_index() -> None:
    second_tuesday = datetime(2026, 11, 10, 9, tzinfo=BERLIN)
    assert recurrence_json(Repeat("monthly_weekday"), second_tuesday, "UTC")["pattern"][
        "index"] == "second"
    fifth_friday = datetime(2027, 1, 29, 9, tzinfo=BERLIN)  # not every month has one
    assert recurrence_json(Repeat("monthly_weekday"), fifth_friday, "UTC")["pattern"][
        "index"] == "last"


def test_recurrence_ranges() -> None:
    assert recurrence_json(Repeat("daily"), START, "UTC")["range"]["type"] == "noEnd"
    until = recurrence_json(Repeat("daily", until=date(2027, 1, 8)), START, "UTC")["range"]
    assert (until["type"], until["endDate"]) == ("endDate", "2027-01-08")
    count = recurrence_json(Repeat("daily", count=3), START, "UTC")["range"]
    assert (count["type"], count["numberOfOccurrences"]) == ("numbered", 3)
    with pytest.raises(ValueError, match="ends before"):
        recurrence_json(Repeat("daily", until=date(2026, 1, 1)), START, "UTC")


def test_validation() -> None:
    with pytest.raises(ValueError, match="subject"):
        to_graph(replace(DRAFT, subject="  "))
    with pytest.raises(ValueError, match="after the start"):
        to_graph(replace(DRAFT, end=START))


def test_changed_fields_only_what_changed() -> None:
    after = replace(DRAFT, location="Room 2")
    assert changed_fields(DRAFT, after) == {"location": {"displayName": "Room 2"}}
    moved = replace(DRAFT, start=START.replace(hour=11), end=START.replace(hour=12))
    assert set(changed_fields(DRAFT, moved)) == {"start", "end", "isAllDay"}
    assert "recurrence" not in changed_fields(DRAFT, replace(DRAFT, repeat=Repeat("daily")),
                                              include_recurrence=False)


def test_round_trip_of_an_existing_series() -> None:
    rec = Recurrence(RecurrencePattern("weekly", 1, ("monday", "thursday")),
                     RecurrenceRange("numbered", date(2026, 11, 30), occurrences=6))
    event = ev("s", "Team sync", START, 45, recurrence=rec, reminder_minutes=5,
               is_online_meeting=True)
    draft = draft_of(event, BERLIN, "Europe/Berlin", "notes")
    assert draft.repeat == Repeat("weekly", 1, ("monday", "thursday"), None, 6)
    assert repeat_of(None) == Repeat()
    assert changed_fields(draft, draft) == {}


@pytest.mark.parametrize(("start", "end", "all_day", "expected"), [
    ("fri 9:30", "1h", False, ("2026-11-27 09:30", "2026-11-27 10:30", False)),
    ("fri 9:30", "11:00", False, ("2026-11-27 09:30", "2026-11-27 11:00", False)),
    ("fri 9:30 45m", "", False, ("2026-11-27 09:30", "2026-11-27 10:15", False)),
    ("fri 22:00", "sat 02:00", False, ("2026-11-27 22:00", "2026-11-28 02:00", False)),
    ("fri", "", False, ("2026-11-27 00:00", "2026-11-28 00:00", True)),
    ("fri", "sun", True, ("2026-11-27 00:00", "2026-11-30 00:00", True)),
    ("fri 10:00", "2d", True, ("2026-11-27 00:00", "2026-11-29 00:00", True)),
])
def test_resolve_when(start: str, end: str, all_day: bool, expected: tuple) -> None:
    s, e, a = resolve_when(start, end, all_day, NOW)
    assert (s.strftime("%Y-%m-%d %H:%M"), e.strftime("%Y-%m-%d %H:%M"), a) == expected


@pytest.mark.parametrize(("start", "end", "message"), [
    ("someday", "", "Starts:"),
    ("fri 10:00", "9:00", "Ends: the end must be after"),
    ("fri 10:00", "lunch", "Ends:"),
])
def test_resolve_when_errors(start: str, end: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        resolve_when(start, end, False, NOW)


def test_check_zone() -> None:
    assert check_zone("", "Pacific Standard Time") == "Pacific Standard Time"
    assert check_zone("America/New_York", "UTC") == "America/New_York"
    assert check_zone("W. Europe Standard Time", "UTC") == "W. Europe Standard Time"
    with pytest.raises(ValueError, match="not a known zone"):
        check_zone("Mars/Olympus", "UTC")
