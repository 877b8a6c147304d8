"""Calendar journeys through the real stack: CalendarScreen -> sync repositories -> SQLite
cache -> Graph client -> the emulator, checked against the emulator's state.

The operation runner and the calendar sync are driven by hand (``run_once``,
``sync_window``) so nothing waits on timers.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Select

from olk_tui.emulator.clock import Clock
from olk_tui.emulator.core import Emulator
from olk_tui.graph.client import GraphClient
from olk_tui.sync.account import build_account
from olk_tui.sync.api import Account
from olk_tui.ui.calendar.grid import WeekGrid
from olk_tui.ui.calendar.screen import CalendarScreen
from tests.ui.calendar_fakes import NOW, CalendarTestApp, settle

ME, ANA, BOB = "megan@contoso.example", "ana@contoso.example", "bob@contoso.example"
BASE = "https://graph.emulator.test"
WINDOW = (datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


async def fast_sleep(seconds: float) -> None:
    await asyncio.sleep(0)


class Stack:
    """The emulator, the account over it, and helpers to push and pull."""

    def __init__(self, emu: Emulator, account: Account) -> None:
        self.emu = emu
        self.account = account
        self.svc: Any = account.services  # type: ignore[attr-defined]

    async def flush(self, pilot: Any) -> None:
        """UI workers done, queued operations sent, the calendar re-synced, UI redrawn."""
        await settle(pilot)
        await self.svc.runner.run_once()
        # One window for the whole test span. With two (the engine's months), the December
        # delta reports November's new event as removed and the cache drops it (see report).
        await self.svc.pim_sync.sync_window(*WINDOW)
        await settle(pilot)
        await settle(pilot)

    async def server_events(self, who: str = ME) -> list[dict[str, Any]]:
        """Series masters and single events as the emulator holds them."""
        data = await self.svc.client.get_json(f"/users/{who}/events", params={"$top": "100"})
        return list(data["value"])

    async def server_view(self, who: str = ME) -> list[dict[str, Any]]:
        data = await self.svc.client.get_json(f"/users/{who}/calendarView", params={
            "startDateTime": "2026-11-23T00:00:00Z", "endDateTime": "2026-12-14T00:00:00Z",
            "$top": "200"})
        return list(data["value"])


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    emu = Emulator(require_auth=False, clock=Clock(NOW.astimezone(UTC)))
    emu.add_mailbox(ME, "Megan Bowen")
    emu.add_mailbox(ANA, "Ana Ruiz")
    emu.add_mailbox(BOB, "Bob Kim")
    client = GraphClient(BASE, None, transport=emu.transport(sleep=fast_sleep),
                         sleep=fast_sleep)
    account = build_account("test", client, tmp_path / "cal.sqlite3", sleep=fast_sleep,
                            debounce=0)
    await account.services.start(account, background=False)  # type: ignore[attr-defined]
    # show the mailbox in Berlin time, named the Windows way as Graph often does
    account.settings = dataclasses.replace(account.settings,
                                           time_zone="W. Europe Standard Time")
    await account.services.pim_sync.sync_calendars()  # type: ignore[attr-defined]
    try:
        yield Stack(emu, account)
    finally:
        await account.close()  # type: ignore[misc]


def grid_of(app: Any) -> WeekGrid:
    screen = next(s for s in app.screen_stack if isinstance(s, CalendarScreen))
    return screen.query_one(WeekGrid)


async def test_weekly_series_edit_occurrence_delete_series(stack: Stack) -> None:
    app = CalendarTestApp(stack.account)
    async with app.run_test(size=(120, 40)) as pilot:
        await stack.flush(pilot)
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-subject", Input).value = "Team sync"
        form.query_one("#f-start", Input).value = "mon 10:00"
        form.query_one("#f-end", Input).value = "45m"
        form.query_one("#f-repeat", Select).value = "weekly"
        form.query_one("#f-days", Input).value = "mon thu"
        form.query_one("#f-until", Input).value = "4 times"
        await pilot.press("ctrl+s")
        await stack.flush(pilot)
        masters = [e for e in await stack.server_events() if e["subject"] == "Team sync"]
        assert len(masters) == 1 and masters[0]["type"] == "seriesMaster"
        assert masters[0]["recurrence"]["pattern"]["daysOfWeek"] == ["monday", "thursday"]
        occurrences = [e for e in await stack.server_view() if e["subject"] == "Team sync"]
        assert len(occurrences) == 4

        # the UI shows next week's two occurrences at 10:00 Berlin
        await pilot.press("right_square_bracket")
        await stack.flush(pilot)
        grid = grid_of(app)
        mine = sorted((e for e in grid.events if e.subject == "Team sync"),
                      key=lambda e: e.start)
        assert [e.start.astimezone(grid.zone).strftime("%a %H:%M") for e in mine] == [
            "Mon 10:00", "Thu 10:00"]

        # edit Thursday's occurrence only
        grid.select_event(mine[1], 3)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")  # this occurrence
        await pilot.pause()
        form = app.screen
        form.query_one("#f-subject", Input).value = "Team sync (moved)"
        form.query_one("#f-start", Input).value = "thu 3/12 15:00"
        form.query_one("#f-end", Input).value = "30m"
        await pilot.press("ctrl+s")
        await stack.flush(pilot)
        view = {e["subject"]: e for e in await stack.server_view()
                if e["subject"].startswith("Team sync")}
        assert view["Team sync (moved)"]["type"] == "exception"
        subjects = sorted(e.subject for e in grid.events if e.subject.startswith("Team"))
        assert subjects == ["Team sync", "Team sync (moved)"]

        # delete the whole series from Monday's occurrence
        monday = next(e for e in grid.events if e.subject == "Team sync")
        grid.select_event(monday, 0)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("down", "enter")  # the whole series
        await stack.flush(pilot)
        assert [e for e in await stack.server_events() if e["subject"].startswith("Team")] == []
        assert [e for e in await stack.server_view() if e["subject"].startswith("Team")] == []
        assert [e for e in grid.events if e.subject.startswith("Team")] == []


async def test_accept_an_invitation_from_another_mailbox(stack: Stack) -> None:
    await stack.svc.client.request("POST", f"/users/{ANA}/events", json={
        "subject": "Budget review",
        "start": {"dateTime": "2026-11-26T13:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2026-11-26T14:00:00", "timeZone": "UTC"},
        "attendees": [{"emailAddress": {"address": ME, "name": "Megan Bowen"},
                       "type": "required"}]})
    app = CalendarTestApp(stack.account)
    async with app.run_test(size=(120, 40)) as pilot:
        await stack.flush(pilot)
        grid = grid_of(app)
        invite = next(e for e in grid.events if e.subject == "Budget review")
        assert not invite.is_organizer
        grid.select_event(invite, 3)
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#rsvp-comment", Input).value = "See you there"
        await pilot.click("#rsvp-ok")
        await stack.flush(pilot)
        organizer_copy = next(e for e in await stack.server_events(ANA)
                              if e["subject"] == "Budget review")
        megan = next(a for a in organizer_copy["attendees"]
                     if a["emailAddress"]["address"].lower() == ME)
        assert megan["status"]["response"] == "accepted"
        mine = next(e for e in await stack.server_events() if e["subject"] == "Budget review")
        assert mine["responseStatus"]["response"] == "accepted"


async def test_find_a_time_with_two_attendees(stack: Stack) -> None:
    # Ana is busy Friday morning
    await stack.svc.client.request("POST", f"/users/{ANA}/events", json={
        "subject": "Busy", "start": {"dateTime": "2026-11-27T08:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2026-11-27T11:00:00", "timeZone": "UTC"}})
    app = CalendarTestApp(stack.account)
    async with app.run_test(size=(120, 48)) as pilot:
        await stack.flush(pilot)
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-subject", Input).value = "Planning"
        form.query_one("#f-start", Input).value = "fri 10:00"
        form.query_one("#f-end", Input).value = "1h"
        form.query_one("#f-attendees", Input).value = f"{ANA}, {BOB}"
        await stack.flush(pilot)
        strip = str(form.query_one("#schedule-strip").render())
        assert "ana@contoso" in strip and "█" in strip
        await pilot.press("ctrl+f")
        await stack.flush(pilot)
        options = form.query_one("#schedule-suggestions")
        assert options.option_count > 0
        await pilot.press("enter")
        await pilot.pause()
        picked = form.query_one("#f-start", Input).value
        await pilot.press("ctrl+s")
        await stack.flush(pilot)
        created = next(e for e in await stack.server_events() if e["subject"] == "Planning")
        assert {a["emailAddress"]["address"] for a in created["attendees"]} == {ANA, BOB}
        start = datetime.fromisoformat(created["start"]["dateTime"][:19])
        assert picked.endswith(start.replace(tzinfo=UTC).astimezone(
            grid_of(app).zone).strftime("%H:%M"))
        # Ana's busy block is not overlapped
        assert not (datetime(2026, 11, 27, 8) <= start < datetime(2026, 11, 27, 11))


async def test_quick_add(stack: Stack) -> None:
    app = CalendarTestApp(stack.account)
    async with app.run_test(size=(120, 40)) as pilot:
        await stack.flush(pilot)
        await pilot.press("plus")
        await pilot.pause()
        app.screen.query_one(Input).value = "Lunch with Ana fri 12:30 1h @Cafe"
        await pilot.press("enter")
        await stack.flush(pilot)
        created = next(e for e in await stack.server_events() if e["subject"] ==
                       "Lunch with Ana")
        assert created["location"]["displayName"] == "Cafe"
        view = next(e for e in grid_of(app).events if e.subject == "Lunch with Ana")
        assert view.start.astimezone(grid_of(app).zone).strftime("%a %H:%M") == "Fri 12:30"
        assert view.end - view.start == timedelta(hours=1)
