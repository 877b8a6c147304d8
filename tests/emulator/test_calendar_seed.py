"""--seed DIR calendar, contacts and mailboxSettings parts: every field kept as given."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from olk_tui.emulator.core import Emulator
from tests.emulator.calendar_harness import client

MASTER = {
    "id": "AAMkSeedMaster=", "subject": "Seeded weekly", "x-weird": {"nested": [1, "two"]},
    "start": {"dateTime": "2026-03-02T09:00:00.0000000", "timeZone": "Pacific Standard Time"},
    "end": {"dateTime": "2026-03-02T10:00:00.0000000", "timeZone": "Pacific Standard Time"},
    "organizer": {"emailAddress": {"name": "Someone Else", "address": "else@fabrikam.example"}},
    "recurrence": {"pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"]},
                   "range": {"type": "numbered", "startDate": "2026-03-02",
                             "numberOfOccurrences": 3,
                             "recurrenceTimeZone": "Pacific Standard Time"}},
}
EXCEPTION = {
    "id": "AAMkSeedException=", "type": "exception", "seriesMasterId": "AAMkSeedMaster=",
    "originalStart": "2026-03-09T16:00:00Z", "subject": "Seeded weekly (moved)",
    "start": {"dateTime": "2026-03-10T20:00:00.0000000", "timeZone": "UTC"},
    "end": {"dateTime": "2026-03-10T21:00:00.0000000", "timeZone": "UTC"},
}


def write(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value), encoding="utf-8")


async def test_seed_calendar_contacts_settings(tmp_path: Path) -> None:
    write(tmp_path / "calendar" / "events.json", {"value": [MASTER, EXCEPTION]})
    write(tmp_path / "calendars" / "Team.calendar.json", {"name": "Team", "color": "lightRed",
                                                          "x-cal": True})
    write(tmp_path / "calendars" / "Team" / "one.json", {
        "subject": "Team lunch", "isAllDay": True,
        "start": {"dateTime": "2026-03-04T00:00:00.0000000", "timeZone": "UTC"},
        "end": {"dateTime": "2026-03-05T00:00:00.0000000", "timeZone": "UTC"}})
    write(tmp_path / "contacts" / "a.json", {
        "id": "AAMkContact1=", "parentFolderId": "AAMkExportedContacts=",
        "displayName": "Garth Fort", "emailAddresses": [{"address": "garth@fab.example"}],
        "yomiSurname": "\u30d5\u30a9\u30fc\u30c8", "x-extra": 7})
    write(tmp_path / "mailboxSettings.json", {"timeZone": "Tokyo Standard Time",
                                              "x-setting": "kept"})
    emu = Emulator.from_seed_dir(tmp_path)
    window = {"startDateTime": "2026-03-01T00:00:00Z", "endDateTime": "2026-03-31T00:00:00Z"}
    async with client(emu) as me:
        master = (await me.get("/events/AAMkSeedMaster=")).json()
        assert master["x-weird"] == {"nested": [1, "two"]}
        assert master["isOrganizer"] is False  # organised by someone else
        view = (await me.get("/calendarView", params=window)).json()["value"]
        assert [(v["subject"], v["start"]["dateTime"][:16]) for v in view] == [
            ("Seeded weekly", "2026-03-02T17:00"), ("Seeded weekly (moved)", "2026-03-10T20:00"),
            ("Seeded weekly", "2026-03-16T16:00")]
        assert view[1]["id"] == "AAMkSeedException="
        calendars = (await me.get("/calendars")).json()["value"]
        team = next(c for c in calendars if c["name"] == "Team")
        assert team["x-cal"] is True and team["color"] == "lightRed"
        team_view = (await me.get(f"/calendars/{team['id']}/calendarView",
                                  params=window)).json()["value"]
        assert [t["subject"] for t in team_view] == ["Team lunch"]
        contact = (await me.get("/contacts/AAMkContact1=")).json()
        assert contact["parentFolderId"] == "AAMkExportedContacts="
        assert contact["yomiSurname"] == "\u30d5\u30a9\u30fc\u30c8" and contact["x-extra"] == 7
        assert [c["id"] for c in (await me.get("/contacts")).json()["value"]] == ["AAMkContact1="]
        settings = (await me.get("/mailboxSettings")).json()
        assert settings["timeZone"] == "Tokyo Standard Time" and settings["x-setting"] == "kept"
