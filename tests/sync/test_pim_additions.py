"""Additions to the calendar repository made for the settings UI: supportedTimeZones."""

from __future__ import annotations

from olk_tui.commands.app import demo_account
from olk_tui.config import Settings
from olk_tui.emulator import Emulator


async def test_supported_time_zones_come_from_graph() -> None:
    account, cleanup = demo_account(Settings(), emulator=Emulator.demo(size=20))
    try:
        zones = await account.calendar.supported_time_zones()  # type: ignore[attr-defined]
        names = dict(zones)
        assert "Pacific Standard Time" in names
        assert "W. Europe Standard Time" in names
        assert names["Pacific Standard Time"].startswith("(UTC-08:00)")
        assert all(name and label for name, label in zones)
    finally:
        if account.close is not None:
            await account.close()  # type: ignore[misc]
        cleanup()
