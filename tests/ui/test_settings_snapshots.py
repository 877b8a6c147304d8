"""Snapshots of the automatic-replies dialog at 80x24 and 160x48 (scheduled, mailbox zone
Europe/Berlin, TZ=UTC from the suite's conftest, cursor blink off)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from textual.app import App

from olk_tui.config import Settings
from olk_tui.domain.settings import AutomaticReplies, MailboxSettings
from olk_tui.ui.demo_data import fixed_now
from olk_tui.ui.settings import SettingsScreen
from olk_tui.ui.testing import fake_account

SIZES = [(80, 24), (160, 48)]

SETTINGS = MailboxSettings(time_zone="Europe/Berlin", automatic_replies=AutomaticReplies(
    status="scheduled", external_audience="contactsOnly",
    scheduled_start=datetime(2026, 12, 23, 16, 0, tzinfo=UTC),
    scheduled_end=datetime(2027, 1, 4, 8, 0, tzinfo=UTC),
    internal_message="<html><body><p>Away until 4 January.<br>Ask Rosa.</p></body></html>",
    external_message="Out of office."))


class SettingsApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.account = dataclasses.replace(fake_account(10, now=fixed_now()),
                                           settings=SETTINGS)
        self.settings = Settings()

    def on_mount(self) -> None:
        self.push_screen(SettingsScreen())


@pytest.mark.parametrize("size", SIZES)
def test_automatic_replies_dialog(snap_compare, size: tuple[int, int]) -> None:
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()

    assert snap_compare(SettingsApp(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES[:1])
def test_settings_screen(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(SettingsApp(), terminal_size=size)
