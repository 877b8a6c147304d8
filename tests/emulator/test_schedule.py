"""getSchedule digits and findMeetingTimes suggestions and reasons."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from olk_tui.emulator.schedule import availability_view, parse_duration
from tests.emulator.calendar_harness import client, make_emulator

PST = "Pacific Standard Time"
ADELE = "adele@contoso.example"


def pst(day: int, hour: int, minute: int = 0) -> dict[str, str]:
    return {"dateTime": f"2026-03-{day:02d}T{hour:02d}:{minute:02d}:00", "timeZone": PST}


@pytest.fixture
def emu() -> Any:
    return make_emulator()


async def add(c: Any, subject: str, start: dict[str, str], end: dict[str, str],
              show_as: str = "busy", **extra: Any) -> None:
    resp = await c.post("/events", json={"subject": subject, "start": start, "end": end,
                                         "showAs": show_as, **extra})
    assert resp.status_code == 201


def test_availability_view_pure() -> None:
    start = datetime(2026, 3, 2, 16, tzinfo=UTC)
    items = [(datetime(2026, 3, 2, 17, tzinfo=UTC), datetime(2026, 3, 2, 18, 30, tzinfo=UTC),
              "tentative", None),
             (datetime(2026, 3, 2, 18, tzinfo=UTC), datetime(2026, 3, 2, 19, tzinfo=UTC),
              "busy", None),
             (datetime(2026, 3, 2, 20, tzinfo=UTC), datetime(2026, 3, 2, 21, tzinfo=UTC),
              "oof", None),
             (datetime(2026, 3, 2, 21, tzinfo=UTC), datetime(2026, 3, 2, 22, tzinfo=UTC),
              "workingElsewhere", None)]
    assert availability_view(items, start, datetime(2026, 3, 2, 22, tzinfo=UTC), 60) == "012034"
    assert availability_view([], start, datetime(2026, 3, 2, 17, 10, tzinfo=UTC), 30) == "000"
    assert parse_duration("PT1H30M").total_seconds() == 5400
    assert parse_duration("soon") is None


async def test_get_schedule(emu: Any) -> None:
    async with client(emu) as megan, client(emu, ADELE) as adele:
        await add(adele, "Lunch", pst(3, 12), pst(3, 14), location={"displayName": "Bar"})
        await add(megan, "Focus", pst(3, 8, 30), pst(3, 9, 30))
        await add(megan, "Maybe", pst(3, 16), pst(3, 17), show_as="tentative")
        await add(megan, "Away", pst(3, 10), pst(3, 11), show_as="oof")
        await add(megan, "Free", pst(3, 11), pst(3, 12), show_as="free")
        resp = await megan.post("/calendar/getSchedule", headers={
            "Prefer": f'outlook.timezone="{PST}"'}, json={
            "schedules": [ADELE, "megan@contoso.example", "nobody@elsewhere.example"],
            "startTime": pst(3, 9), "endTime": pst(3, 18), "availabilityViewInterval": 60})
        assert resp.status_code == 200
        adele_info, megan_info, nobody = resp.json()["value"]
        assert adele_info["availabilityView"] == "000220000"
        assert adele_info["scheduleItems"][0]["subject"] == "Lunch"
        assert adele_info["scheduleItems"][0]["start"] == {
            "dateTime": "2026-03-03T12:00:00.0000000", "timeZone": PST}
        assert megan_info["availabilityView"] == "230000010"
        assert megan_info["workingHours"]["daysOfWeek"][0] == "monday"
        assert nobody["error"]["responseCode"] == "ErrorMailRecipientNotFound"
        for bad in (4, 1441):
            refused = await megan.post("/calendar/getSchedule", json={
                "schedules": [ADELE], "startTime": pst(3, 9), "endTime": pst(3, 18),
                "availabilityViewInterval": bad})
            assert refused.status_code == 400
        default = await megan.post("/calendar/getSchedule", json={
            "schedules": [ADELE], "startTime": pst(3, 9), "endTime": pst(3, 18)})
        assert len(default.json()["value"][0]["availabilityView"]) == 18


async def set_hours(c: Any, start: str = "09:00:00.0000000", end: str = "17:00:00.0000000"
                    ) -> None:
    resp = await c.patch("/mailboxSettings", json={"timeZone": PST, "workingHours": {
        "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
        "startTime": start, "endTime": end, "timeZone": {"name": PST}}})
    assert resp.status_code == 200


def request(day: int, first: int, last: int, **extra: Any) -> dict[str, Any]:
    return {"attendees": [{"type": "required", "emailAddress": {"address": ADELE}}],
            "timeConstraint": {"activityDomain": "work", "timeSlots": [
                {"start": pst(day, first), "end": pst(day, last)}]},
            "meetingDuration": "PT1H", "maxCandidates": 20,
            "locationConstraint": {"locations": [{"displayName": "Conf room Hood"}]}, **extra}


async def test_find_meeting_times(emu: Any) -> None:
    async with client(emu) as megan, client(emu, ADELE) as adele:
        await set_hours(megan)
        await set_hours(adele, "10:00:00.0000000", "16:00:00.0000000")
        await add(adele, "Busy", pst(3, 11), pst(3, 13))
        await add(megan, "Busy", pst(3, 14), pst(3, 15))
        resp = await megan.post("/findMeetingTimes", json=request(3, 7, 18),
                                headers={"Prefer": f'outlook.timezone="{PST}"'})
        assert resp.status_code == 200
        body = resp.json()
        assert body["emptySuggestionsReason"] == ""
        slots = [(s["meetingTimeSlot"]["start"]["dateTime"][11:16],
                  s["meetingTimeSlot"]["end"]["dateTime"][11:16])
                 for s in body["meetingTimeSuggestions"]]
        # Adele works 10-16 and is busy 11-13; Megan is busy 14-15.
        assert sorted(slots) == [("10:00", "11:00"), ("13:00", "14:00"), ("15:00", "16:00")]
        first = body["meetingTimeSuggestions"][0]
        assert first["confidence"] == 100 and first["organizerAvailability"] == "free"
        assert first["attendeeAvailability"][0]["availability"] == "free"
        assert first["locations"] == [{"displayName": "Conf room Hood"}]
        assert first["meetingTimeSlot"]["start"]["timeZone"] == PST
        none = (await megan.post("/findMeetingTimes", json=request(3, 11, 13))).json()
        assert none["meetingTimeSuggestions"] == []
        assert none["emptySuggestionsReason"] == "AttendeesUnavailable"
        evening = (await megan.post("/findMeetingTimes", json=request(3, 18, 21))).json()
        assert evening["emptySuggestionsReason"] == "OrganizerUnavailable"


async def test_find_meeting_times_personal_account(emu: Any) -> None:
    from olk_tui.emulator.calendar_store import set_mailbox_kind

    set_mailbox_kind(emu.mailbox("megan@contoso.example"), "personal")
    async with client(emu) as megan:
        cal = (await megan.get("/calendar")).json()
        assert cal["allowedOnlineMeetingProviders"] == ["skypeForConsumer"]
        resp = await megan.post("/findMeetingTimes", json=request(3, 9, 17))
        assert resp.status_code == 403
        assert resp.json()["error"]["code"] == "ErrorAccessDenied"
