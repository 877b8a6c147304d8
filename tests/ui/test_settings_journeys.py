"""Mailbox settings journeys over the real stack: automatic replies and working hours changed
in the dialogs reach the emulator's mailboxSettings; validation keeps bad values local."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.widgets import Checkbox, Input, Select, TextArea

from olk_tui.domain.settings import MailboxSettings
from olk_tui.ui.dialogs import FuzzyPicker
from olk_tui.ui.settings import AutomaticRepliesDialog, SettingsScreen, WorkingHoursDialog
from olk_tui.ui.settings.fields import (
    SettingsError,
    apply_patch,
    auto_replies_patch,
    check_time_zone,
    message_html,
    message_text,
    working_hours_patch,
)
from olk_tui.ui.text import zone
from tests.ui.test_contacts_journeys import StackApp, server_get, started_stack, wait_for


async def test_automatic_replies_scheduled_reach_the_emulator() -> None:
    emu, account, cleanup = await started_stack()
    app = StackApp(account, lambda: SettingsScreen())
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            assert isinstance(screen, SettingsScreen)
            assert await wait_for(pilot, lambda: account.settings.time_zone
                                  == "Pacific Standard Time")
            await pilot.press("a")
            dialog = app.screen
            assert isinstance(dialog, AutomaticRepliesDialog)
            assert dialog.query_one("#start", Input).disabled  # off: no schedule
            dialog.query_one("#status", Select).value = "scheduled"
            await pilot.pause()
            assert not dialog.query_one("#start", Input).disabled
            dialog.query_one("#start", Input).value = "2026-12-24 17:00"
            dialog.query_one("#end", Input).value = "2026-12-20 09:00"
            dialog.query_one("#internal", TextArea).load_text("Away until January.\nAsk Rosa.")
            dialog.query_one("#external", TextArea).load_text("Out <of> office")
            dialog.query_one("#audience", Select).value = "contactsOnly"
            await pilot.press("ctrl+s")
            assert app.screen is dialog  # the end is before the start
            assert "after the start" in str(dialog.query_one(".problem").render())
            dialog.query_one("#end", Input).value = "2027-01-04 09:00"
            await pilot.press("ctrl+s")
            assert app.screen is screen
            assert account.settings.automatic_replies.status == "scheduled"

            def server() -> dict:
                return server_get(emu, "/me/mailboxSettings")["automaticRepliesSetting"]

            assert await wait_for(pilot, lambda: server()["status"].lower() == "scheduled")
            auto = server()
            assert auto["externalAudience"].lower() == "contactsonly"
            # 17:00 Pacific (UTC-8 in December) is 01:00 UTC the next day.
            start, end = auto["scheduledStartDateTime"], auto["scheduledEndDateTime"]
            assert start["timeZone"] == "UTC" and start["dateTime"].startswith(
                "2026-12-25T01:00:00")
            assert end["dateTime"].startswith("2027-01-04T17:00:00")
            assert "Away until January.<br>Ask Rosa." in auto["internalReplyMessage"]
            assert "Out &lt;of&gt; office" in auto["externalReplyMessage"]
            # Read back: the screen shows what the server has, in the mailbox zone.
            shown = str(screen.query_one("#settings-summary").render())
            assert "2026-12-24 17:00" in shown and "Scheduled" in shown
            assert app.failures == []
    finally:
        await account.close()  # type: ignore[misc]
        cleanup()


async def test_working_hours_change_reaches_the_emulator() -> None:
    emu, account, cleanup = await started_stack()
    app = StackApp(account, lambda: SettingsScreen())
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            assert await wait_for(pilot, lambda: account.settings.time_zone
                                  == "Pacific Standard Time")
            await pilot.press("h")
            dialog = app.screen
            assert isinstance(dialog, WorkingHoursDialog)
            assert dialog.query_one("#day-friday", Checkbox).value
            dialog.query_one("#day-friday", Checkbox).value = False
            dialog.query_one("#day-saturday", Checkbox).value = True
            dialog.query_one("#start", Input).value = "09:30"
            dialog.query_one("#end", Input).value = "18:00"
            dialog.query_one("#hours-zone", Input).value = "Mars/Olympus"
            await pilot.press("ctrl+s")
            assert app.screen is dialog
            assert "time zone" in str(dialog.query_one(".problem").render())
            dialog.query_one("#hours-zone", Input).value = "W. Europe Standard Time"
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, SettingsScreen)

            def hours() -> dict:
                return server_get(emu, "/me/mailboxSettings")["workingHours"]

            assert await wait_for(pilot, lambda: hours()["startTime"].startswith("09:30"))
            w = hours()
            assert [d.lower() for d in w["daysOfWeek"]] == [
                "monday", "tuesday", "wednesday", "thursday", "saturday"]
            assert w["endTime"].startswith("18:00")
            assert w["timeZone"]["name"] == "W. Europe Standard Time"
            assert account.settings.working_hours.start == "09:30:00"
    finally:
        await account.close()  # type: ignore[misc]
        cleanup()


def test_patch_builders_validate() -> None:
    tz = zone("Europe/Paris")
    with pytest.raises(SettingsError):
        auto_replies_patch("scheduled", "all", "tomorrow", "2026-01-01 10:00", "", "", tz)
    with pytest.raises(SettingsError):
        auto_replies_patch("bogus", "all", "", "", "", "", tz)
    off = auto_replies_patch("disabled", "none", "", "", "", "", tz)
    assert "scheduledStartDateTime" not in off["automaticRepliesSetting"]
    with pytest.raises(SettingsError):
        working_hours_patch([], "08:00", "17:00", "UTC")
    with pytest.raises(SettingsError):
        working_hours_patch(["monday"], "17:00", "08:00", "UTC")
    with pytest.raises(SettingsError):
        check_time_zone("Pacific Standard Time", known={"UTC"})
    assert check_time_zone("Europe/Paris") == "Europe/Paris"
    assert check_time_zone("Pacific Standard Time") == "Pacific Standard Time"
    # Hostile text is escaped into the stored HTML and read back as the same text.
    hostile = "<script>alert(1)</script>\x1b[31m & more"
    stored = message_html(hostile)
    assert "<script>" not in stored and "\x1b" not in stored
    assert message_text(stored).startswith("<script>alert(1)</script>")
    patched = apply_patch(MailboxSettings(), auto_replies_patch(
        "scheduled", "all", "2026-03-01 08:00", "2026-03-02 08:00", "a", "b", tz))
    assert patched.automatic_replies.scheduled_start == datetime.fromisoformat(
        "2026-03-01T07:00:00+00:00")


async def test_time_zone_picked_from_supported_zones_reaches_the_emulator() -> None:
    emu, account, cleanup = await started_stack()
    app = StackApp(account, lambda: SettingsScreen())
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            assert isinstance(screen, SettingsScreen)
            assert await wait_for(pilot, lambda: account.settings.time_zone
                                  == "Pacific Standard Time")
            await pilot.press("z")
            assert await wait_for(pilot, lambda: isinstance(app.screen, FuzzyPicker))
            await pilot.press(*"W. Europe Standard")
            await pilot.press("enter")
            assert await wait_for(pilot, lambda: app.screen is screen)
            assert account.settings.time_zone == "W. Europe Standard Time"
            assert await wait_for(pilot, lambda: server_get(emu, "/me/mailboxSettings")[
                "timeZone"] == "W. Europe Standard Time")
            assert "W. Europe Standard Time" in str(
                screen.query_one("#settings-summary").render())
    finally:
        await account.close()  # type: ignore[misc]
        cleanup()
