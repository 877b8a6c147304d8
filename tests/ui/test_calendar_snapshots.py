"""Snapshots of the week, day and agenda views and the event form at 80x24 and 160x48.

The clock is frozen (``NOW``, Wednesday 25 Nov 2026 10:17 in Europe/Berlin), the suite's
TZ is UTC, reminders are off and the data is the fake's demo week.
"""

from __future__ import annotations

import pytest

from tests.ui.calendar_fakes import (
    CalendarTestApp,
    FakeCalendarRepo,
    demo_week,
    make_account,
    settle,
)

SIZES = [(80, 24), (160, 48)]


def _app() -> CalendarTestApp:
    return CalendarTestApp(make_account(FakeCalendarRepo(demo_week())))


def _keys(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_week_view(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(_app(), terminal_size=size, run_before=_keys("j"))


@pytest.mark.parametrize("size", SIZES)
def test_day_view(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(_app(), terminal_size=size, run_before=_keys("h", "D"))


@pytest.mark.parametrize("size", SIZES)
def test_agenda_view(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(_app(), terminal_size=size, run_before=_keys("a"))


@pytest.mark.parametrize("size", SIZES)
def test_event_form(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(_app(), terminal_size=size, run_before=_keys("c"))
