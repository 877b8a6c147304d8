"""Reminders: the due rule, and notices with snooze/join/open driven by an injected clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from olk_tui.ui.calendar.reminders import ReminderState, due_reminders, reminder_key
from olk_tui.ui.calendar.screen import CalendarScreen
from tests.ui.calendar_fakes import (
    BERLIN,
    CalendarTestApp,
    FakeCalendarRepo,
    UiOptions,
    ev,
    make_account,
)

T0 = datetime(2026, 11, 25, 10, 0, tzinfo=BERLIN)


def test_due_rule() -> None:
    events = [
        ev("a", "Soon", T0 + timedelta(minutes=10), reminder_minutes=15),
        ev("b", "Later", T0 + timedelta(minutes=30), reminder_minutes=15),
        ev("c", "No reminder", T0 + timedelta(minutes=5), is_reminder_on=False),
        ev("d", "Cancelled", T0 + timedelta(minutes=5), is_cancelled=True),
        ev("e", "Declined", T0 + timedelta(minutes=5), response="declined"),
        ev("f", "Over", T0 - timedelta(minutes=90), minutes=60),
        ev("g", "Running", T0 - timedelta(minutes=10), minutes=60),
    ]
    state = ReminderState()
    assert [e.subject for e in due_reminders(events, T0, state)] == ["Running", "Soon"]
    key = reminder_key(events[0])
    state.done = {key}
    assert [e.subject for e in due_reminders(events, T0, state)] == ["Running"]
    state.done = set()
    state.snoozed[key] = T0 + timedelta(minutes=5)
    assert "Soon" not in [e.subject for e in due_reminders(events, T0, state)]
    assert "Soon" in [e.subject for e in due_reminders(events, T0 + timedelta(minutes=5),
                                                       state)]
    later = T0 + timedelta(minutes=16)
    assert [e.subject for e in due_reminders(events, later, ReminderState())] == [
        "Running", "Soon", "Later"]


async def test_notice_snooze_then_join() -> None:
    meeting = ev("m", "Customer call", T0 + timedelta(minutes=10), reminder_minutes=5,
                 online_meeting_url="https://teams.example/join/9")
    repo = FakeCalendarRepo([meeting])
    app = CalendarTestApp(make_account(repo), now=T0, ui=UiOptions(bell=True))
    opened: list[str] = []
    app.open_url = lambda url, **kw: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = next(s for s in app.screen_stack if isinstance(s, CalendarScreen))
        service = screen.reminders
        assert await service.check() == []          # 10:00: not yet (10:05 is the time)
        app.clock_now = T0 + timedelta(minutes=5)
        assert [e.id for e in await service.check()] == ["m"]
        await pilot.pause()
        assert type(app.screen).__name__ == "ReminderNotice"
        await pilot.press("s")                        # snooze 5 minutes
        await pilot.pause()
        assert isinstance(app.screen, CalendarScreen)
        app.clock_now = T0 + timedelta(minutes=8)
        assert await service.check() == []          # still snoozed
        app.clock_now = T0 + timedelta(minutes=10)
        assert [e.id for e in await service.check()] == ["m"]
        await pilot.pause()
        assert type(app.screen).__name__ == "ReminderNotice"
        await pilot.press("j")
        await pilot.pause()
        assert opened == ["https://teams.example/join/9"]
        assert await service.check() == []          # shown once per occurrence


async def test_timer_starts_on_mount_and_open_shows_detail() -> None:
    meeting = ev("m", "Now", T0 + timedelta(minutes=1), reminder_minutes=15)
    repo = FakeCalendarRepo([meeting])
    app = CalendarTestApp(make_account(repo), now=T0, reminders=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "ReminderNotice"
        await pilot.press("o")
        await pilot.pause()
        assert type(app.screen).__name__ == "EventDetail"
