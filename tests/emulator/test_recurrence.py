"""Recurrence expansion: every pattern and range type, DST weeks, exceptions, deletions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import pytest

from olk_tui.emulator import recurrence as rec
from olk_tui.emulator.calendar_tz import (
    format_dtz,
    iana_name,
    parse_dtz,
    parse_query_datetime,
    prefer_timezone,
)

PACIFIC = ZoneInfo("America/Los_Angeles")


def series(pattern: dict, rng: dict, start: str = "2026-01-05T09:00:00",
           end: str = "2026-01-05T09:30:00", tz: str = "Pacific Standard Time") -> dict:
    rng = {"startDate": start[:10], "recurrenceTimeZone": tz, **rng}
    return {
        "id": "MASTER1",
        "start": {"dateTime": start, "timeZone": tz},
        "end": {"dateTime": end, "timeZone": tz},
        "recurrence": {"pattern": pattern, "range": rng},
    }


def dates(pattern: dict, rng: dict, n: int = 10, start: str = "2026-01-05") -> list[date]:
    rec_ = {"pattern": pattern, "range": {"startDate": start, **rng}}
    return list(islice(rec.occurrence_dates(rec_), n))


NOEND = {"type": "noEnd"}


def test_daily_interval() -> None:
    got = dates({"type": "daily", "interval": 3}, NOEND, 3)
    assert got == [date(2026, 1, 5), date(2026, 1, 8), date(2026, 1, 11)]


def test_weekly_days_and_first_day_of_week() -> None:
    # 2026-01-07 is a Wednesday. Every 2 weeks on Mon+Fri, weeks starting Sunday.
    got = dates({"type": "weekly", "interval": 2, "daysOfWeek": ["friday", "monday"],
                 "firstDayOfWeek": "sunday"}, NOEND, 4, start="2026-01-07")
    assert got == [date(2026, 1, 9), date(2026, 1, 19), date(2026, 1, 23), date(2026, 2, 2)]


def test_weekly_first_day_of_week_changes_grouping() -> None:
    # Start on Sunday 2026-01-04, days Sun+Sat, every 2 weeks.
    base = {"type": "weekly", "interval": 2, "daysOfWeek": ["sunday", "saturday"]}
    sunday_first = dates({**base, "firstDayOfWeek": "sunday"}, NOEND, 3, start="2026-01-04")
    monday_first = dates({**base, "firstDayOfWeek": "monday"}, NOEND, 3, start="2026-01-04")
    assert sunday_first == [date(2026, 1, 4), date(2026, 1, 10), date(2026, 1, 18)]
    # Monday-first weeks: Sun 4 ends week of Dec 29; next used week starts Jan 12.
    assert monday_first == [date(2026, 1, 4), date(2026, 1, 17), date(2026, 1, 18)]


def test_absolute_monthly_clamps_to_month_end() -> None:
    got = dates({"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 31}, NOEND, 4,
                start="2026-01-01")
    assert got == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]


@pytest.mark.parametrize(
    ("index", "expected"),
    [("first", date(2026, 2, 2)), ("second", date(2026, 2, 9)), ("third", date(2026, 2, 16)),
     ("fourth", date(2026, 2, 23)), ("last", date(2026, 2, 23))],
)
def test_relative_monthly_index(index: str, expected: date) -> None:
    got = dates({"type": "relativeMonthly", "interval": 1, "daysOfWeek": ["monday"],
                 "index": index}, NOEND, 1, start="2026-02-01")
    assert got == [expected]


def test_relative_monthly_any_weekday_last() -> None:
    weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"]
    got = dates({"type": "relativeMonthly", "interval": 1, "daysOfWeek": weekdays,
                 "index": "last"}, NOEND, 2, start="2026-01-01")
    assert got == [date(2026, 1, 30), date(2026, 2, 27)]


def test_absolute_yearly_and_relative_yearly() -> None:
    got = dates({"type": "absoluteYearly", "interval": 1, "dayOfMonth": 29, "month": 2},
                NOEND, 3, start="2026-01-01")
    assert got == [date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29)]
    thanksgiving = dates({"type": "relativeYearly", "interval": 1, "daysOfWeek": ["thursday"],
                          "index": "fourth", "month": 11}, NOEND, 2, start="2026-01-01")
    assert thanksgiving == [date(2026, 11, 26), date(2027, 11, 25)]


def test_range_end_date_inclusive_and_numbered() -> None:
    daily = {"type": "daily", "interval": 1}
    assert dates(daily, {"type": "endDate", "endDate": "2026-01-07"}, 99) == [
        date(2026, 1, 5), date(2026, 1, 6), date(2026, 1, 7)]
    assert len(dates(daily, {"type": "numbered", "numberOfOccurrences": 4}, 99)) == 4


@pytest.mark.parametrize(
    "bad",
    [
        {"pattern": {"type": "hourly"}, "range": {"type": "noEnd", "startDate": "2026-01-01"}},
        {"pattern": {"type": "weekly", "daysOfWeek": []},
         "range": {"type": "noEnd", "startDate": "2026-01-01"}},
        {"pattern": {"type": "daily"}, "range": {"type": "numbered", "startDate": "2026-01-01",
                                                  "numberOfOccurrences": 0}},
        {"pattern": {"type": "daily"}, "range": {"type": "endDate", "startDate": "2026-01-05",
                                                  "endDate": "2026-01-01"}},
        {"pattern": {"type": "absoluteMonthly", "dayOfMonth": 40},
         "range": {"type": "noEnd", "startDate": "2026-01-01"}},
    ],
)
def test_invalid_recurrences_rejected(bad: dict) -> None:
    with pytest.raises(rec.RecurrenceError):
        rec.validate(bad)


def test_weekly_meeting_keeps_local_time_across_both_dst_changes() -> None:
    master = series({"type": "weekly", "interval": 1, "daysOfWeek": ["monday"],
                     "firstDayOfWeek": "sunday"}, NOEND)
    window = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 11, 10, tzinfo=UTC))
    instances = rec.expand(master, *window)
    by_day = {i.start.astimezone(PACIFIC).date(): i for i in instances}
    before_spring, after_spring = by_day[date(2026, 3, 2)], by_day[date(2026, 3, 9)]
    before_fall, after_fall = by_day[date(2026, 11, 2)], by_day[date(2026, 10, 26)]
    for inst in (before_spring, after_spring, before_fall, after_fall):
        assert inst.start.astimezone(PACIFIC).hour == 9
        assert (inst.end - inst.start).total_seconds() == 1800
    assert before_spring.start.hour == 17 and after_spring.start.hour == 16  # UTC moves
    assert after_fall.start.hour == 16 and before_fall.start.hour == 17


def test_iana_recurrence_zone_and_utc_window_boundaries() -> None:
    master = series({"type": "daily", "interval": 1},
                    {"type": "numbered", "numberOfOccurrences": 3}, tz="Europe/Berlin")
    got = rec.expand(master, datetime(2026, 1, 5, 8, 0, tzinfo=UTC),
                     datetime(2026, 1, 6, 8, 0, tzinfo=UTC))
    # 09:00 Berlin = 08:00 UTC: the first starts exactly at the window start, the second at
    # its (exclusive) end.
    assert [i.start for i in got] == [datetime(2026, 1, 5, 8, tzinfo=UTC)]


def test_exceptions_deleted_and_moved_in() -> None:
    master = series({"type": "daily", "interval": 1},
                    {"type": "numbered", "numberOfOccurrences": 10})
    originals = [i.original_start for i in rec.expand(
        master, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC))]
    assert len(originals) == 10
    k1, k2, k9 = (rec.occurrence_key(originals[i]) for i in (1, 2, 9))
    exceptions = {
        k1: {"subject": "moved", "start": {"dateTime": "2026-01-06T13:00:00",
                                           "timeZone": "Pacific Standard Time"},
             "end": {"dateTime": "2026-01-06T14:00:00", "timeZone": "Pacific Standard Time"}},
        k9: {"start": {"dateTime": "2026-01-05T15:00:00", "timeZone": "Pacific Standard Time"},
             "end": {"dateTime": "2026-01-05T15:30:00", "timeZone": "Pacific Standard Time"}},
    }
    window = (datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 1, 8, tzinfo=UTC))
    got = rec.expand(master, *window, exceptions=exceptions, deleted={k2})
    kinds = [(i.kind, i.start.astimezone(PACIFIC).strftime("%d %H:%M")) for i in got]
    # The 3rd occurrence (Jan 7) is deleted; the 10th was moved into the window.
    assert kinds == [("occurrence", "05 09:00"), ("exception", "05 15:00"),
                     ("exception", "06 13:00")]
    assert got[2].overrides["subject"] == "moved"


def test_occurrence_ids_are_deterministic_and_resolvable() -> None:
    moment = datetime(2026, 3, 9, 16, tzinfo=UTC)
    first = rec.occurrence_id("AAMkMaster==", moment)
    assert first == rec.occurrence_id("AAMkMaster==", moment)
    assert first != rec.occurrence_id("AAMkMaster==", datetime(2026, 3, 10, 16, tzinfo=UTC))
    assert rec.parse_occurrence_id(first) == ("AAMkMaster==", moment)
    assert rec.parse_occurrence_id("AAMkPlain") is None


def test_all_day_series_stays_midnight_to_midnight_over_dst() -> None:
    master = series({"type": "daily", "interval": 1},
                    {"type": "numbered", "numberOfOccurrences": 3},
                    start="2026-03-07T00:00:00", end="2026-03-08T00:00:00")
    got = rec.expand(master, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 20, tzinfo=UTC))
    for inst in got:
        local_start, local_end = inst.start.astimezone(PACIFIC), inst.end.astimezone(PACIFIC)
        assert (local_start.hour, local_end.hour) == (0, 0)
    assert (got[1].end - got[1].start).total_seconds() == 23 * 3600  # the spring-forward day


def test_series_bounds() -> None:
    master = series({"type": "daily", "interval": 1},
                    {"type": "numbered", "numberOfOccurrences": 3})
    first, last = rec.series_bounds(master)
    assert first.astimezone(PACIFIC).day == 5 and last is not None
    assert last.astimezone(PACIFIC).day == 7
    assert rec.series_bounds(series({"type": "daily"}, NOEND))[1] is None


def test_time_zone_helpers() -> None:
    assert iana_name("Pacific Standard Time") == "America/Los_Angeles"
    assert iana_name("Europe/Paris") == "Europe/Paris"
    assert iana_name("Mars Standard Time") is None
    assert prefer_timezone('outlook.timezone="W. Europe Standard Time"') == (
        "W. Europe Standard Time")
    assert prefer_timezone('outlook.timezone="Nowhere"') is None
    moment = parse_dtz({"dateTime": "2026-07-01T09:00:00.0000000",
                        "timeZone": "Pacific Standard Time"})
    assert moment == datetime(2026, 7, 1, 16, tzinfo=UTC)
    assert format_dtz(moment, "Europe/Paris") == {
        "dateTime": "2026-07-01T18:00:00.0000000", "timeZone": "Europe/Paris"}
    assert parse_query_datetime("2026-01-01T19:00:00-08:00") == datetime(2026, 1, 2, 3,
                                                                          tzinfo=UTC)
    assert parse_query_datetime("2026-01-01T19:00:00") == datetime(2026, 1, 1, 19, tzinfo=UTC)


@pytest.mark.parametrize("kind", ["daily", "weekly"])
def test_jump_ahead_matches_walking_from_the_start(kind: str) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=80, deadline=None)
    @given(interval=st.integers(1, 9), offset=st.integers(0, 4000), span=st.integers(1, 60),
           days=st.sets(st.sampled_from(rec.WEEKDAYS), min_size=1, max_size=3),
           first=st.sampled_from(["sunday", "monday", "wednesday"]))
    def check(interval: int, offset: int, span: int, days: set[str], first: str) -> None:
        pattern = {"type": kind, "interval": interval, "daysOfWeek": sorted(days),
                   "firstDayOfWeek": first}
        master = series(pattern, NOEND, start="2015-06-03T09:00:00",
                        end="2015-06-03T10:00:00")
        lo = datetime(2015, 6, 1, tzinfo=UTC) + timedelta(days=offset)
        hi = lo + timedelta(days=span)
        walked = []
        for day in rec.occurrence_dates(master["recurrence"]):
            start, end = rec.localise(day, *rec.wall_clock(master, "Pacific Standard Time"),
                                      "Pacific Standard Time")
            if start >= hi:
                break
            if end > lo:
                walked.append(start)
        assert [i.start for i in rec.expand(master, lo, hi)] == walked

    check()
