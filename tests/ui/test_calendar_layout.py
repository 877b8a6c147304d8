"""Week/day layout: overlaps side by side, all-day rows, midnight crossing, DST weeks."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from olk_tui.domain.calendar import Event
from olk_tui.domain.ids import EventId
from olk_tui.ui.calendar.layout import (
    layout,
    make_day,
    slot_for_height,
    truncate,
    week_dates,
    working_row,
)

BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")


def ev(subject: str, start: datetime, end: datetime, **kw: object) -> Event:
    return Event(EventId(subject), subject, start, end, **kw)  # type: ignore[arg-type]


def at(day: int, hour: int, minute: int = 0, month: int = 11, zone: ZoneInfo = BERLIN
       ) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=zone)


def week(anchor: date = date(2026, 11, 25), zone: ZoneInfo = BERLIN) -> list:
    return [make_day(d, zone) for d in week_dates(anchor)]


def test_week_dates_start_and_work_week() -> None:
    assert week_dates(date(2026, 11, 25))[0] == date(2026, 11, 23)  # Monday
    assert week_dates(date(2026, 11, 25), week_start="sunday")[0] == date(2026, 11, 22)
    work = week_dates(date(2026, 11, 28), work_week=True)
    assert [d.weekday() for d in work] == [0, 1, 2, 3, 4]
    custom = week_dates(date(2026, 11, 25), work_week=True, working_days=("sunday", "monday"))
    assert [d.isoformat() for d in custom] == ["2026-11-23", "2026-11-29"]


def test_overlapping_events_go_side_by_side() -> None:
    events = [
        ev("A", at(23, 9), at(23, 11)),
        ev("B", at(23, 10), at(23, 12)),
        ev("C", at(23, 11), at(23, 12)),     # overlaps B only: reuses A's column
        ev("D", at(23, 14), at(23, 15)),     # its own cluster: full width
    ]
    lay = layout(events, week(), slot_minutes=30)
    by = {b.event.subject: b for b in lay.blocks}
    assert (by["A"].column, by["A"].columns) == (0, 2)
    assert (by["B"].column, by["B"].columns) == (1, 2)
    assert (by["C"].column, by["C"].columns) == (0, 2)
    assert (by["D"].column, by["D"].columns, by["D"].span) == (0, 1, 1)
    assert (by["A"].row, by["A"].end_row) == (18, 22)
    assert all(b.day == 0 for b in lay.blocks)


def test_three_way_overlap_and_stretching() -> None:
    events = [
        ev("long", at(24, 9), at(24, 12)),
        ev("x", at(24, 9), at(24, 10)),
        ev("y", at(24, 9, 30), at(24, 10, 30)),
        ev("late", at(24, 11), at(24, 12)),   # columns 1 and 2 are free then: stretches
    ]
    lay = layout(events, week())
    by = {b.event.subject: b for b in lay.blocks}
    assert {by[k].columns for k in by} == {3}
    assert sorted(by[k].column for k in ("long", "x", "y")) == [0, 1, 2]
    assert by["late"].column == 1 and by["late"].span == 2
    assert by["x"].span == 1


def test_short_events_in_one_slot_do_not_overdraw() -> None:
    events = [ev("a", at(23, 9), at(23, 9, 10)), ev("b", at(23, 9, 10), at(23, 9, 20))]
    lay = layout(events, week(), slot_minutes=30)
    assert sorted(b.column for b in lay.blocks) == [0, 1]
    assert all(b.end_row - b.row == 1 for b in lay.blocks)


def test_zero_length_event_gets_a_row() -> None:
    lay = layout([ev("ping", at(23, 9), at(23, 9))], week())
    assert len(lay.blocks) == 1 and lay.blocks[0].end_row == lay.blocks[0].row + 1


def test_all_day_and_multi_day_bars_stack() -> None:
    events = [
        # all-day events come midnight-to-midnight in UTC without the Prefer header
        ev("holiday", datetime(2026, 11, 24, tzinfo=UTC), datetime(2026, 11, 25, tzinfo=UTC),
           is_all_day=True),
        ev("trip", datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 11, 26, tzinfo=UTC),
           is_all_day=True),
        ev("long timed", at(25, 12), at(27, 12)),
        ev("spills in", datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 24, tzinfo=UTC),
           is_all_day=True),
    ]
    lay = layout(events, week())
    assert lay.blocks == ()
    bars = {b.event.subject: b for b in lay.all_day}
    assert (bars["holiday"].first, bars["holiday"].last) == (1, 1)
    assert (bars["trip"].first, bars["trip"].last) == (0, 2)
    assert (bars["long timed"].first, bars["long timed"].last) == (2, 4)
    assert bars["spills in"].continues_before and (bars["spills in"].first,
                                                  bars["spills in"].last) == (0, 0)
    # no two bars on the same row share a day
    for a in lay.all_day:
        for b in lay.all_day:
            if a is not b and a.row == b.row:
                assert a.last < b.first or b.last < a.first
    assert lay.all_day_rows == 2


def test_event_crossing_midnight_is_split_per_day() -> None:
    lay = layout([ev("night shift", at(23, 22), at(24, 2))], week())
    first, second = lay.blocks
    assert (first.day, first.start_min, first.end_min) == (0, 22 * 60, 24 * 60)
    assert first.continues_after and not first.continues_before
    assert (second.day, second.start_min, second.end_min) == (1, 0, 120)
    assert second.continues_before and not second.continues_after
    assert first.end_row == lay.rows


def test_events_outside_the_days_are_ignored() -> None:
    lay = layout([ev("before", at(22, 9), at(22, 10)), ev("after", at(30, 9), at(30, 10))],
                 week())
    assert lay.blocks == () and lay.all_day == ()


def test_dst_week_spring_forward() -> None:
    # Sunday 29 March 2026: Berlin skips 02:00-03:00, so that day has 23 hours
    days = week(date(2026, 3, 26))
    assert [d.minutes for d in days] == [1440] * 6 + [1380]
    events = [
        ev("monday 9", datetime(2026, 3, 30, 7, tzinfo=UTC), datetime(2026, 3, 30, 8, tzinfo=UTC)),
        ev("sunday 9", datetime(2026, 3, 29, 7, tzinfo=UTC), datetime(2026, 3, 29, 8, tzinfo=UTC)),
        ev("saturday 9", datetime(2026, 3, 28, 8, tzinfo=UTC),
           datetime(2026, 3, 28, 9, tzinfo=UTC)),
        ev("across the gap", datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
           datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
    ]
    lay = layout(events, days)
    by = {b.event.subject: b for b in lay.blocks}
    # wall-clock 09:00 on both sides of the change
    assert by["saturday 9"].start_min == 9 * 60 and by["saturday 9"].day == 5
    assert by["sunday 9"].start_min == 9 * 60 and by["sunday 9"].day == 6
    # a one-hour event from 01:30 CET to 03:30 CEST spans the missing hour on the wall
    assert (by["across the gap"].start_min, by["across the gap"].end_min) == (90, 210)
    # the following Monday starts at local midnight, not 23:00 or 01:00
    next_week = week(date(2026, 3, 30))
    assert next_week[0].start.utcoffset() == timedelta(hours=2)
    lay2 = layout(events, next_week)
    assert [b.start_min for b in lay2.blocks] == [9 * 60]


def test_dst_week_fall_back() -> None:
    # Sunday 25 October 2026: 03:00 CEST -> 02:00 CET, a 25-hour day
    days = week(date(2026, 10, 22))
    assert days[6].minutes == 1500
    events = [
        # 02:30 CEST (first pass) to 02:15 CET (second pass): 45 real minutes
        ev("folded", datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
           datetime(2026, 10, 25, 1, 15, tzinfo=UTC)),
        ev("evening", datetime(2026, 10, 25, 19, tzinfo=UTC),
           datetime(2026, 10, 25, 20, tzinfo=UTC)),
        ev("all night", datetime(2026, 10, 24, 20, tzinfo=UTC),
           datetime(2026, 10, 25, 8, tzinfo=UTC)),
    ]
    lay = layout(events, days)
    by = {(b.event.subject, b.day): b for b in lay.blocks}
    folded = by[("folded", 6)]
    assert folded.start_min == 150 and folded.end_min == 150 + 45
    assert by[("evening", 6)].start_min == 20 * 60  # 19:00 UTC is 20:00 CET
    assert by[("all night", 5)].start_min == 22 * 60  # 20:00 UTC is 22:00 CEST
    assert by[("all night", 6)].end_min == 9 * 60    # 08:00 UTC is 09:00 CET


def test_helpers() -> None:
    assert slot_for_height(16) == 60 and slot_for_height(40) == 30
    assert working_row("08:30:00", 30) == 17 and working_row("junk", 60) == 8
    assert truncate("Quarterly review", 8) == "Quarter…" and truncate("ok", 8) == "ok"
    assert truncate("x", 0) == "" and truncate("abc", 1) == "a"


def test_five_hundred_events_lay_out_fast() -> None:
    import time as clock
    events = [ev(f"e{i}", at(23 + i % 7, 8 + i % 10, (i * 7) % 60),
                 at(23 + i % 7, 9 + i % 10, (i * 7) % 60)) for i in range(500)]
    t0 = clock.perf_counter()
    lay = layout(events, week())
    assert clock.perf_counter() - t0 < 0.2
    assert len(lay.blocks) == 500
    for day in range(7):
        blocks = [b for b in lay.blocks if b.day == day]
        for a in blocks:
            for b in blocks:
                if a is not b and a.column == b.column:
                    assert a.end_row <= b.row or b.end_row <= a.row


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7 * 24 * 4 - 1), st.integers(0, 16 * 4)),
                max_size=60),
       st.sampled_from([15, 30, 60]))
def test_layout_invariants(spans: list[tuple[int, int]], slot: int) -> None:
    base = datetime(2026, 11, 23, tzinfo=BERLIN)
    events = [ev(f"e{i}", base + timedelta(minutes=15 * s),
                 base + timedelta(minutes=15 * (s + d))) for i, (s, d) in enumerate(spans)]
    lay = layout(events, week(), slot_minutes=slot)
    for b in lay.blocks:
        assert 0 <= b.row < b.end_row <= lay.rows
        assert 0 <= b.column < b.columns and 1 <= b.span <= b.columns - b.column
        assert 0 <= b.start_min < b.end_min <= 24 * 60 or b.start_min == b.end_min == 0
    for day in range(7):
        blocks = [b for b in lay.blocks if b.day == day]
        for a in blocks:
            for b in blocks:
                if a is b or not (a.row < b.end_row and b.row < a.end_row):
                    continue
                # overlapping blocks never share a cell: columns (with spans) are disjoint
                assert (a.column + a.span <= b.column or b.column + b.span <= a.column)
    # every timed event shows up once per day it touches
    for e in events:
        if e.end - e.start < timedelta(hours=24):
            assert any(b.event is e for b in lay.blocks)


def test_truncate_counts_terminal_cells() -> None:
    from olk_tui.ui.calendar.layout import cells

    assert cells("会議室") == 6 and cells("e\u0301") == 1
    assert truncate("会議室の予約", 7) == "会議室…"
    assert cells(truncate("会議室の予約", 6)) <= 6
    assert truncate("ab", 2) == "ab"


def test_wide_subjects_keep_every_line_the_same_width() -> None:
    from rich.cells import cell_len

    from olk_tui.ui.calendar import canvas

    events = [ev("四半期レビュー会議とその準備", at(23, 9), at(23, 10), location="東京本社"),
              ev("Réunion\u0301 équipe", at(23, 9), at(23, 11)),
              ev("全日", datetime(2026, 11, 24, tzinfo=UTC), datetime(2026, 11, 26, tzinfo=UTC),
                 is_all_day=True)]
    lay = layout(events, week())
    for width in (80, 101, 160):
        drawn = canvas.draw(lay, width, canvas.DrawOptions(
            zone=BERLIN, now=at(23, 9, 30), colour_of=lambda e: "#4a90d9"))
        for strip in drawn.header + drawn.body:
            assert sum(cell_len(segment.text) for segment in strip) == width
