"""mailboxSettings GET/PATCH round trip and the outlook user lists."""

from __future__ import annotations

from typing import Any

from tests.emulator.calendar_harness import client, make_emulator


async def test_mailbox_settings_round_trip() -> None:
    emu: Any = make_emulator()
    async with client(emu) as me:
        settings = (await me.get("/mailboxSettings")).json()
        assert {"automaticRepliesSetting", "timeZone", "language", "workingHours",
                "dateFormat", "timeFormat"} <= set(settings)
        patch = {"timeZone": "W. Europe Standard Time",
                 "automaticRepliesSetting": {"status": "scheduled", "externalAudience": "all",
                                             "internalReplyMessage": "Away"},
                 "workingHours": {"daysOfWeek": ["monday", "tuesday"],
                                  "startTime": "09:00:00.0000000",
                                  "endTime": "18:30:00.0000000",
                                  "timeZone": {"name": "W. Europe Standard Time"}},
                 "dateFormat": "dd.MM.yyyy", "timeFormat": "HH:mm",
                 "language": {"locale": "de-DE", "displayName": "Deutsch (Deutschland)"}}
        resp = await me.patch("/mailboxSettings", json=patch)
        assert resp.status_code == 200
        assert set(resp.json()) - {"@odata.context"} == set(patch)
        after = (await me.get("/mailboxSettings")).json()
        for key, value in patch.items():
            if key != "automaticRepliesSetting":
                assert after[key] == value
        assert after["automaticRepliesSetting"]["status"] == "scheduled"
        assert "scheduledStartDateTime" in after["automaticRepliesSetting"]  # merged
        assert (await me.get("/mailboxSettings/timeZone")).json()["value"] == (
            "W. Europe Standard Time")
        hours = (await me.get("/mailboxSettings/workingHours")).json()
        assert hours["endTime"] == "18:30:00.0000000"
        assert (await me.patch("/mailboxSettings", json={"timeZone": "Mars/Olympus"})
                ).status_code == 400
        assert (await me.patch("/mailboxSettings", json={"bogus": 1})).status_code == 400


async def test_outlook_lists() -> None:
    emu: Any = make_emulator()
    async with client(emu) as me:
        windows = (await me.get("/outlook/supportedTimeZones")).json()["value"]
        assert {"alias": "Pacific Standard Time",
                "displayName": "(UTC-08:00) Pacific Time (US & Canada)"} in windows
        iana = (await me.get("/outlook/supportedTimeZones(TimeZoneStandard="
                             "microsoft.graph.timeZoneStandard'Iana')")).json()["value"]
        assert {"alias": "America/Los_Angeles", "displayName": "America/Los_Angeles"} in iana
        langs = (await me.get("/outlook/supportedLanguages")).json()["value"]
        assert {"locale": "en-US", "displayName": "English (United States)"} in langs
        cats = (await me.get("/outlook/masterCategories")).json()["value"]
        assert [c["color"] for c in cats][:2] == ["preset0", "preset1"]
        made = await me.post("/outlook/masterCategories",
                             json={"displayName": "Apollo", "color": "preset9"})
        assert made.status_code == 201
        assert (await me.post("/outlook/masterCategories",
                              json={"displayName": "apollo"})).status_code == 409
