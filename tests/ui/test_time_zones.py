"""The UI's mailbox zone: every Windows name of the one shared table, IANA names directly, an
IANA field preferred; the calendar (created before the settings arrived) follows the zone."""

from __future__ import annotations

from types import SimpleNamespace
from zoneinfo import ZoneInfo

import olk_tui.domain.timezones as shared
import olk_tui.graph.timezones as graph_zones
from olk_tui.domain.settings import MailboxSettings
from olk_tui.sync.api import FoldersChanged
from olk_tui.ui.calendar.agenda import AgendaList
from olk_tui.ui.calendar.grid import WeekGrid
from olk_tui.ui.calendar.screen import CalendarScreen
from olk_tui.ui.mail.screen import MailScreen
from olk_tui.ui.text import mailbox_zone, zone
from tests.ui.conftest import build_app
from tests.ui.test_mail_journeys import settle


def test_one_table_shared_by_graph_and_ui() -> None:
    assert graph_zones.WINDOWS_TO_IANA is shared.WINDOWS_TO_IANA
    assert graph_zones.to_iana is shared.to_iana


def test_every_windows_zone_of_the_table_is_known_to_the_ui() -> None:
    for windows, iana in shared.WINDOWS_TO_IANA.items():
        expected = "UTC" if iana == "Etc/UTC" else iana
        assert str(zone(windows)) == expected, windows
    assert str(zone("Nepal Standard Time")) == "Asia/Katmandu"  # was silently UTC before


def test_iana_names_direct_preferred_and_unknown_is_utc() -> None:
    assert str(zone("Asia/Kathmandu")) == "Asia/Kathmandu"
    assert str(zone("America/Argentina/Buenos_Aires")) == "America/Argentina/Buenos_Aires"
    assert str(zone("Customized Time Zone")) == "UTC"
    assert str(zone("../../etc/passwd")) == "UTC"
    assert str(zone(None)) == str(zone("")) == str(zone("UTC")) == "UTC"
    assert str(zone("Customized Time Zone", "Europe/Vienna")) == "Europe/Vienna"
    settings = SimpleNamespace(time_zone="Customized Time Zone", iana_time_zone="Asia/Tokyo")
    assert str(mailbox_zone(settings)) == "Asia/Tokyo"
    assert str(mailbox_zone(MailboxSettings(time_zone="Tokyo Standard Time"))) == "Asia/Tokyo"


async def test_calendar_follows_the_zone_once_settings_arrive() -> None:
    app, mail = build_app(inbox_size=50)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("2")  # the calendar is made while the zone is still UTC
        await settle(pilot, app)
        calendar = app.screen
        assert isinstance(calendar, CalendarScreen) and str(calendar.zone) == "UTC"
        await pilot.press("1")
        await settle(pilot, app)
        assert isinstance(app.screen, MailScreen)
        app.account.settings = MailboxSettings(time_zone="Nepal Standard Time")
        mail.announce(FoldersChanged(frozenset()))  # the first sync's announcements
        await settle(pilot, app)
        tz = ZoneInfo("Asia/Katmandu")
        assert app.tz == tz and app.reminders.zone == tz  # type: ignore[attr-defined]
        assert calendar.zone == tz
        assert calendar.query_one(WeekGrid).zone == tz
        assert calendar.query_one(AgendaList).zone == tz
        assert app.screen.messages.tz == tz  # type: ignore[attr-defined]
