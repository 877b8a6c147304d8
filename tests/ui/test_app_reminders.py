"""Reminders run app-wide from the first paint: a notice pops up while the user is in mail."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from olk_tui.config import Settings
from olk_tui.ui.app import make_app
from olk_tui.ui.calendar.reminders import ReminderNotice
from olk_tui.ui.calendar.screen import CalendarScreen
from olk_tui.ui.demo_data import fixed_now
from olk_tui.ui.mail.screen import MailScreen
from olk_tui.ui.testing import fake_account
from tests.ui.calendar_fakes import FakeCalendarRepo, ev
from tests.ui.test_mail_journeys import settle


async def test_reminder_pops_up_in_mail_and_opens_in_the_calendar() -> None:
    t0 = fixed_now()
    clock = {"now": t0}
    meeting = ev("m", "Standup", t0 + timedelta(minutes=30), reminder_minutes=15)
    account = dataclasses.replace(fake_account(50, now=t0), calendar=FakeCalendarRepo([meeting]))
    app = make_app(Settings(), account, now=lambda: clock["now"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, MailScreen)
        service = app.reminders
        assert service is not None
        assert await service.check() == []  # type: ignore[attr-defined]
        clock["now"] = t0 + timedelta(minutes=16)  # the injected clock: reminder time
        assert [e.id for e in await service.check()] == ["m"]  # type: ignore[attr-defined]
        await settle(pilot, app)
        assert isinstance(app.screen, ReminderNotice)
        assert isinstance(app.screen_stack[-2], MailScreen)  # popped up over the mail
        await pilot.press("o")  # open: the calendar shows the event
        await settle(pilot, app)
        assert any(isinstance(s, CalendarScreen) for s in app.screen_stack)
        assert type(app.screen).__name__ == "EventDetail"
        calendar = next(s for s in app.screen_stack if isinstance(s, CalendarScreen))
        assert calendar._reminders_on is False  # one service, not a second one per screen
