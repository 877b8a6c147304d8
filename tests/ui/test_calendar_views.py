"""Calendar screen views and navigation against the in-memory fake."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

from olk_tui.ui.calendar.agenda import AgendaList
from olk_tui.ui.calendar.grid import WeekGrid
from olk_tui.ui.calendar.screen import CalendarScreen
from tests.ui.calendar_fakes import (
    BERLIN,
    CalendarTestApp,
    FakeCalendarRepo,
    UiOptions,
    demo_week,
    ev,
    make_account,
    settle,
)


async def test_week_view_shows_the_week_of_now() -> None:
    repo = FakeCalendarRepo(demo_week())
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        grid = screen.query_one(WeekGrid)
        assert grid.days[0].date == date(2026, 11, 23)
        assert len(grid.days) == 7
        # declined events are hidden by default
        assert "Optional talk" not in {e.subject for e in grid.events}
        assert "Sprint planning" in {e.subject for e in grid.events}
        # the first read was the week in Berlin local midnights
        assert repo.reads[0] == (datetime(2026, 11, 23, tzinfo=BERLIN),
                                 datetime(2026, 11, 30, tzinfo=BERLIN))
        # scrolled so the working day (08:00 = row 16 of 30-minute rows) is in view
        assert grid.plan is not None and grid.plan.slot_minutes == 30
        assert grid.top_row <= 16 < grid.top_row + grid.body_height()


async def test_paging_today_goto_and_views() -> None:
    repo = FakeCalendarRepo(demo_week())
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        grid = screen.query_one(WeekGrid)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert grid.days[0].date == date(2026, 11, 30)
        await pilot.press("t")
        await settle(pilot)
        assert grid.days[0].date == date(2026, 11, 23)
        await pilot.press("g")
        await pilot.pause()
        await pilot.press(*"banana", "enter")
        await pilot.pause()
        assert "not a date" in str(app.screen.query_one("#prompt-error").render())
        app.screen.query_one("#prompt-input").value = "2026-12-24"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.anchor == date(2026, 12, 24) and grid.days[0].date == date(2026, 12, 21)
        await pilot.press("D")
        await settle(pilot)
        assert [d.date for d in grid.days] == [date(2026, 12, 24)]  # the cursor day
        await pilot.press("n")
        await settle(pilot)
        assert [d.date for d in grid.days] == [date(2026, 12, 25)]
        await pilot.press("a")
        await settle(pilot)
        assert screen.view == "agenda" and screen.dates()[0] == date(2026, 12, 25)
        assert len(screen.dates()) == 14


async def test_keyboard_moves_between_events_and_opens_one() -> None:
    repo = FakeCalendarRepo(demo_week())
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(WeekGrid)
        assert grid.cursor_day == 2  # today, Wednesday
        await pilot.press("j")
        assert grid.selected is not None and grid.selected.subject == "Focus time"
        await pilot.pause()
        status = str(app.screen.query_one("#cal-status").render())
        assert status == "Wed 25 Nov 2026 08:00–10:00 · Focus time · free"
        await pilot.press("j")
        assert grid.selected.subject == "1:1 Bob"
        await pilot.press("k", "k")
        assert grid.selected.subject == "Customer call" and grid.cursor_day == 1
        await pilot.press("l")  # the event nearest 14:30 on Wednesday
        assert grid.cursor_day == 2 and grid.selected.subject == "Old sync"
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "EventDetail"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CalendarScreen)


async def test_walking_off_the_week_turns_the_page() -> None:
    repo = FakeCalendarRepo(demo_week())
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(WeekGrid)
        await pilot.press("h", "h", "h")
        await settle(pilot)
        assert grid.days[0].date == date(2026, 11, 16)
        assert grid.cursor_day == 6  # on the Sunday just before
        await pilot.press("l")
        await settle(pilot)
        assert grid.days[0].date == date(2026, 11, 23) and grid.cursor_day == 0


async def test_work_week_and_show_declined() -> None:
    repo = FakeCalendarRepo(demo_week())
    app = CalendarTestApp(make_account(repo), ui=UiOptions(work_week=True, show_declined=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(WeekGrid)
        assert [d.date.weekday() for d in grid.days] == [0, 1, 2, 3, 4]
        assert "Optional talk" in {e.subject for e in grid.events}


async def test_agenda_lists_days_and_opens_events() -> None:
    repo = FakeCalendarRepo(demo_week())
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        agenda = app.screen.query_one(AgendaList)
        assert agenda.current_event is not None
        first = agenda.current_event.subject
        assert first == "Focus time"  # agenda starts today, Wednesday
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "EventDetail"


async def test_cached_weeks_redraw_at_once() -> None:
    repo = FakeCalendarRepo(demo_week())
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        grid = screen.query_one(WeekGrid)
        # the neighbouring weeks were prefetched
        assert (datetime(2026, 11, 30, tzinfo=BERLIN),
                datetime(2026, 12, 7, tzinfo=BERLIN)) in screen._cache
        screen.action_page(-1)
        screen.action_page(1)
        # drawn synchronously from the cache, before any worker ran
        assert grid.days[0].date == date(2026, 11, 23)
        assert "Sprint planning" in {e.subject for e in grid.events}


async def test_five_hundred_events_draw_fast() -> None:
    start = datetime(2026, 11, 23, 7, tzinfo=BERLIN)
    events = [ev(f"e{i}", f"Event {i}", start + timedelta(days=i % 7, minutes=(i * 37) % 720),
                 30 + i % 90) for i in range(500)]
    repo = FakeCalendarRepo(events)
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(WeekGrid)
        assert len(grid.events) == 500
        timings = []
        for _ in range(3):  # best of three: the machine is shared
            t0 = time.perf_counter()
            grid.set_events(grid.days, grid.events)  # layout + draw of the whole week
            for y in range(48):
                grid.render_line(y)
            timings.append(time.perf_counter() - t0)
        assert min(timings) < 0.05, timings


async def test_work_week_walks_over_the_weekend() -> None:
    repo = FakeCalendarRepo(demo_week())
    app = CalendarTestApp(make_account(repo), ui=UiOptions(work_week=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(WeekGrid)
        await pilot.press("l", "l", "l")  # Wed -> Thu -> Fri -> next Monday
        await settle(pilot)
        assert grid.days[0].date == date(2026, 11, 30) and grid.cursor_day == 0


async def test_hide_a_calendar_and_month_jump() -> None:
    repo = FakeCalendarRepo(demo_week())
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        grid = screen.query_one(WeekGrid)
        assert "Stand-up" in {e.subject for e in grid.events}
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("down", "enter")  # the second calendar: Team
        await settle(pilot)
        assert "Stand-up" not in {e.subject for e in grid.events}
        assert "Sprint planning" in {e.subject for e in grid.events}
        assert "1 calendar hidden" in str(screen.query_one("#cal-title").render())
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("right_square_bracket", "down", "enter")  # a month and a week on
        await settle(pilot)
        assert screen.anchor == date(2027, 1, 1)
        assert grid.days[0].date == date(2026, 12, 28)


async def test_detail_converts_the_html_body_and_hides_unsafe_join_links() -> None:
    from tests.ui.calendar_fakes import NOW

    hostile = ev("x", "Evil\x1b]52;c;AAAA\x07 plan", NOW + timedelta(hours=1),
                 body_html="<p>Agenda: <b>numbers</b></p><script>x()</script>",
                 online_meeting_url="javascript:alert(1)")
    app = CalendarTestApp(make_account(FakeCalendarRepo([hostile])))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(WeekGrid)
        grid.select_event(grid.events[0], 2)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        header = str(detail.query_one("#detail").render())
        body = str(detail.query_one("#detail-text").render())
        assert "\x1b" not in header and "Evil" in header
        assert "(link hidden: not https)" in header and "javascript" not in header
        assert "Agenda" in body and "numbers" in body and "x()" not in body
        await pilot.press("o")  # no https link: a notice, nothing opened
        await pilot.pause()
        assert type(app.screen).__name__ == "EventDetail"


async def test_dst_week_header_marks_the_short_day() -> None:
    repo = FakeCalendarRepo([])
    app = CalendarTestApp(make_account(repo), now=datetime(2026, 3, 26, 12, tzinfo=BERLIN))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(WeekGrid)
        assert [d.minutes for d in grid.days][-1] == 23 * 60
        header = grid.render_line(0).text
        assert "Sun 29 (23h)" in header
        # the next week starts at local midnight after the change
        assert repo.reads[0] == (datetime(2026, 3, 23, tzinfo=BERLIN),
                                 datetime(2026, 3, 30, tzinfo=BERLIN))


async def test_click_selects_and_second_click_opens() -> None:
    repo = FakeCalendarRepo(demo_week())
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(WeekGrid)
        block = next(b for b in grid.plan.blocks if b.event.subject == "Sprint planning")
        header = len(grid._drawn_now().header)
        x = grid._drawn_now().geometry.xs[block.day] + 3
        y = header + block.row - grid.top_row + 1
        await pilot.click(WeekGrid, offset=(x, y))
        await pilot.pause()
        assert grid.selected is not None and grid.selected.subject == "Sprint planning"
        await pilot.click(WeekGrid, offset=(x, y))
        await pilot.pause()
        assert type(app.screen).__name__ == "EventDetail"


async def test_the_end_of_time_is_a_notice_not_a_crash() -> None:
    app = CalendarTestApp(make_account(FakeCalendarRepo([])))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("g")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = "9998-12-30"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert screen.anchor == date(9998, 12, 30)
        await pilot.press("m", "right_square_bracket", "down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
