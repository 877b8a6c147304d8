"""Calendar management through the real stack: CalendarScreen -> CalendarsDialog -> calendar
repository -> operation queue -> Graph client -> the demo emulator, checked on the emulator.

The runner is driven by hand (``run_once``) so nothing waits on timers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from rich.text import Text
from textual.widgets import Input, OptionList

from olk_tui.commands.app import demo_account
from olk_tui.config import Settings
from olk_tui.domain.calendar import Calendar
from olk_tui.domain.ids import CalendarId
from olk_tui.emulator import Emulator
from olk_tui.ui.calendar.calendars import (
    COLOUR_NAMES,
    DEFAULT_UNDELETABLE,
    CalendarsDialog,
    calendar_row,
    valid_name,
)
from olk_tui.ui.calendar.dialogs import ChoiceDialog, PromptDialog
from olk_tui.ui.calendar.screen import CalendarScreen
from olk_tui.ui.dialogs import ConfirmDialog
from tests.ui.calendar_fakes import CalendarTestApp, settle


class Stack:
    """The demo emulator and the account over it."""

    def __init__(self, emu: Emulator, account: Any) -> None:
        self.emu, self.account, self.svc = emu, account, account.services

    async def server_calendars(self) -> dict[str, dict[str, Any]]:
        data = await self.svc.client.get_json("/me/calendars")
        return {c["name"]: c for c in data["value"]}

    async def send(self, pilot: Any) -> None:
        """UI workers done, queued operations sent, UI settled."""
        await settle(pilot)
        await self.svc.runner.run_once()
        await self.svc.pim_sync.sync_calendars()
        await settle(pilot)


@pytest.fixture
async def stack() -> AsyncIterator[Stack]:
    emu = Emulator.demo(size=200)
    account, cleanup = demo_account(Settings(), emulator=emu)
    await account.services.start(account, background=False)
    await account.services.pim_sync.sync_calendars()
    try:
        yield Stack(emu, account)
    finally:
        await account.services.close()
        cleanup()


def dialog_of(app: Any) -> CalendarsDialog:
    screen = app.screen
    assert isinstance(screen, CalendarsDialog), type(screen)
    return screen


def highlight(dialog: CalendarsDialog, name: str) -> Calendar:
    index = next(i for i, c in enumerate(dialog.calendars) if c.name == name)
    dialog.query_one(OptionList).highlighted = index
    return dialog.calendars[index]


async def choose(pilot: Any, key: str) -> None:
    """Pick ``key`` in the ChoiceDialog on top."""
    chooser = pilot.app.screen
    assert isinstance(chooser, ChoiceDialog)
    chooser.query_one(OptionList).highlighted = [k for k, _ in chooser.choices].index(key)
    await pilot.press("enter")


async def type_name(pilot: Any, name: str) -> None:
    prompt = pilot.app.screen
    assert isinstance(prompt, PromptDialog)
    prompt.query_one(Input).value = name
    await pilot.press("enter")


async def test_create_rename_recolour_delete_reach_the_server(stack: Stack) -> None:
    app = CalendarTestApp(stack.account)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        dialog = dialog_of(app)
        before = await stack.server_calendars()
        assert {c.name for c in dialog.calendars} == set(before)

        # new: name, then colour; the list shows it at once (cache), the server after sending
        await pilot.press("n")
        await type_name(pilot, "  Project   Apollo ")
        await choose(pilot, "lightGreen")
        await settle(pilot)
        assert "Project Apollo" in {c.name for c in dialog.calendars}
        await stack.send(pilot)
        server = await stack.server_calendars()
        assert server["Project Apollo"]["color"] == "lightGreen"

        # rename (the dialog reads the list again: the placeholder id became the real one)
        dialog.reload()
        await settle(pilot)
        highlight(dialog, "Project Apollo")
        await pilot.press("r")
        await type_name(pilot, "Apollo")
        await stack.send(pilot)
        server = await stack.server_calendars()
        assert "Apollo" in server and "Project Apollo" not in server

        # recolour
        highlight(dialog, "Apollo")
        await pilot.press("o")
        await choose(pilot, "lightRed")
        await stack.send(pilot)
        assert (await stack.server_calendars())["Apollo"]["color"] == "lightRed"

        # delete, after confirming
        highlight(dialog, "Apollo")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await stack.send(pilot)
        assert "Apollo" not in await stack.server_calendars()
        assert "Apollo" not in {c.name for c in dialog.calendars}
        assert set(await stack.server_calendars()) == set(before)


async def test_default_calendar_cannot_be_deleted(stack: Stack) -> None:
    app = CalendarTestApp(stack.account)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        dialog = dialog_of(app)
        default = next(c for c in dialog.calendars if c.is_default)
        highlight(dialog, default.name)
        await pilot.press("d")
        await settle(pilot)
        assert app.screen is dialog  # no confirmation asked
        assert any(n.message == DEFAULT_UNDELETABLE for n in app._notifications)
        await stack.svc.runner.run_once()
        assert default.name in await stack.server_calendars()


async def test_visibility_toggle_hides_a_calendar_in_the_screen(stack: Stack) -> None:
    app = CalendarTestApp(stack.account)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        dialog = dialog_of(app)
        cal = highlight(dialog, dialog.calendars[0].name)
        await pilot.press("space")
        assert cal.id in dialog.hidden
        await pilot.press("escape")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        assert screen.hidden_calendars == {cal.id}


async def test_bad_names_keep_the_prompt_open(stack: Stack) -> None:
    app = CalendarTestApp(stack.account)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        taken = dialog_of(app).calendars[0].name
        await pilot.press("n")
        await type_name(pilot, "   ")
        assert isinstance(app.screen, PromptDialog)
        await type_name(pilot, taken.upper())
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert stack.svc.runner is not None
        assert await stack.svc.store.run(lambda s: s.queue.pending_count()) == 0


def test_valid_name_rules() -> None:
    assert valid_name("  a \t b ", set()) == "a b"
    with pytest.raises(ValueError):
        valid_name("", set())
    with pytest.raises(ValueError):
        valid_name("Work", {"work"})
    assert valid_name("Work", {"work"}, current="work") == "Work"
    with pytest.raises(ValueError):
        valid_name("x" * 300, set())


def test_row_is_plain_text_with_sanitised_name() -> None:
    cal = Calendar(CalendarId("c1"), "[b]Evil[/b]\x1b[31m\u202e", "lightTeal", is_default=True)
    row = calendar_row(cal, hidden=True)
    assert isinstance(row, Text)
    assert row.plain.startswith("[ ] ")
    assert "[b]Evil[/b]" in row.plain and "\x1b" not in row.plain and "\u202e" not in row.plain
    assert "(default)" in row.plain
    assert COLOUR_NAMES[0] == "auto" and len(COLOUR_NAMES) == 11
