"""Calendar routes over httpx: calendars, events, calendarView, meetings between two mailboxes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.calendar_harness import client, make_emulator

PST = 'outlook.timezone="Pacific Standard Time"'


@pytest.fixture
def emu() -> Any:
    return make_emulator()


def weekly(subject: str = "1:1", **extra: Any) -> dict[str, Any]:
    return {
        "subject": subject,
        "start": {"dateTime": "2026-03-02T09:00:00", "timeZone": "Pacific Standard Time"},
        "end": {"dateTime": "2026-03-02T09:30:00", "timeZone": "Pacific Standard Time"},
        "recurrence": {"pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"],
                                   "firstDayOfWeek": "sunday"},
                       "range": {"type": "noEnd", "startDate": "2026-03-02"}},
        **extra,
    }


async def test_calendars_crud_and_default(emu: Any) -> None:
    async with client(emu) as me:
        listed = (await me.get("/calendars")).json()["value"]
        assert [c["name"] for c in listed] == ["Calendar"]
        assert listed[0]["owner"] == {"name": "Megan Bowen", "address": "megan@contoso.example"}
        assert listed[0]["canEdit"] is True and listed[0]["isDefaultCalendar"] is True
        created = await me.post("/calendars", json={"name": "Family", "color": "lightGreen"})
        assert created.status_code == 201
        family = created.json()
        assert family["isDefaultCalendar"] is False and family["hexColor"] == ""
        assert (await me.post("/calendars", json={"name": "family"})).status_code == 409
        patched = await me.patch(f"/calendars/{family['id']}", json={"hexColor": "#aabbcc"})
        assert patched.json()["hexColor"] == "#aabbcc"
        assert (await me.get("/calendar")).json()["id"] == listed[0]["id"]
        assert (await me.delete("/calendar")).status_code == 400
        assert (await me.delete(f"/calendars/{family['id']}")).status_code == 204
        assert (await me.get(f"/calendars/{family['id']}")).status_code == 404


async def test_event_create_get_patch_delete_and_timezone(emu: Any) -> None:
    async with client(emu) as me:
        body = {"subject": "Brunch", "body": {"contentType": "html",
                                              "content": "<p>Does noon work?</p>"},
                "start": {"dateTime": "2026-03-04T11:00:00", "timeZone": "Pacific Standard Time"},
                "end": {"dateTime": "2026-03-04T12:00:00", "timeZone": "Pacific Standard Time"},
                "x-odd-field": {"kept": True}}
        created = await me.post("/events", json=body)
        assert created.status_code == 201
        ev = created.json()
        assert ev["type"] == "singleInstance" and ev["isOrganizer"] is True
        assert ev["start"] == {"dateTime": "2026-03-04T19:00:00.0000000", "timeZone": "UTC"}
        assert ev["bodyPreview"] == "Does noon work?" and ev["x-odd-field"] == {"kept": True}
        got = await me.get(f"/events/{ev['id']}", headers={"Prefer": PST})
        assert got.headers["Preference-Applied"] == PST
        assert got.json()["start"]["dateTime"] == "2026-03-04T11:00:00.0000000"
        iana = await me.get(f"/events/{ev['id']}",
                            headers={"Prefer": 'outlook.timezone="Europe/Berlin"'})
        assert iana.json()["start"] == {"dateTime": "2026-03-04T20:00:00.0000000",
                                        "timeZone": "Europe/Berlin"}
        patched = await me.patch(f"/events/{ev['id']}", json={"subject": "Lunch"})
        assert patched.status_code == 200 and patched.json()["subject"] == "Lunch"
        assert patched.json()["changeKey"] != ev["changeKey"]
        bad = await me.post("/events", json={"subject": "no times"})
        assert bad.status_code == 400 and bad.json()["error"]["code"]
        assert (await me.delete(f"/events/{ev['id']}")).status_code == 204
        assert (await me.get(f"/events/{ev['id']}")).status_code == 404


async def test_calendar_view_requires_window_and_expands(emu: Any) -> None:
    async with client(emu) as me:
        missing = await me.get("/calendarView", params={"startDateTime": "2026-03-01T00:00:00"})
        assert missing.status_code == 400
        assert missing.json()["error"]["code"] == "ErrorInvalidParameter"
        assert (await me.get("/calendar/calendarView")).status_code == 400
        master = (await me.post("/events", json=weekly())).json()
        assert master["type"] == "seriesMaster"
        events = (await me.get("/events")).json()["value"]
        assert [e["type"] for e in events] == ["seriesMaster"]  # masters, not occurrences
        window = {"startDateTime": "2026-03-01T00:00:00-08:00",
                  "endDateTime": "2026-03-31T00:00:00-07:00"}
        view = await me.get("/calendarView", params=window, headers={"Prefer": PST})
        items = view.json()["value"]
        assert view.headers["Preference-Applied"] == PST
        assert [i["start"]["dateTime"][:16] for i in items] == [
            "2026-03-02T09:00", "2026-03-09T09:00", "2026-03-16T09:00", "2026-03-23T09:00",
            "2026-03-30T09:00"]  # 09:00 local on both sides of the March 8 DST change
        assert {i["type"] for i in items} == {"occurrence"}
        assert all(i["seriesMasterId"] == master["id"] for i in items)
        utc = (await me.get("/calendar/calendarView", params=window)).json()["value"]
        assert utc[0]["start"]["timeZone"] == "UTC"
        assert [u["start"]["dateTime"][11:13] for u in utc[:2]] == ["17", "16"]
        cal_id = (await me.get("/calendar")).json()["id"]
        paged = await me.get(f"/calendars/{cal_id}/calendarView", params={**window, "$top": 2})
        assert len(paged.json()["value"]) == 2 and "@odata.nextLink" in paged.json()
        selected = await me.get("/calendarView", params={
            **window, "$select": "subject,createdDateTime,start"})
        assert set(selected.json()["value"][0]) <= {"id", "@odata.etag", "subject", "start"}
        follow = await me.get(paged.json()["@odata.nextLink"])
        assert [i["id"] for i in follow.json()["value"]] == [i["id"] for i in items[2:4]]


async def test_occurrence_exception_delete_and_instances(emu: Any) -> None:
    async with client(emu) as me:
        master = (await me.post("/events", json=weekly())).json()
        window = {"startDateTime": "2026-03-01T00:00:00Z", "endDateTime": "2026-03-23T00:00:00Z"}
        inst = (await me.get(f"/events/{master['id']}/instances", params=window)).json()["value"]
        assert len(inst) == 3
        again = (await me.get(f"/events/{master['id']}/instances", params=window)).json()
        assert [i["id"] for i in again["value"]] == [i["id"] for i in inst]  # deterministic ids
        moved = await me.patch(f"/events/{inst[1]['id']}", json={
            "subject": "1:1 (moved)",
            "start": {"dateTime": "2026-03-10T14:00:00", "timeZone": "Pacific Standard Time"},
            "end": {"dateTime": "2026-03-10T14:30:00", "timeZone": "Pacific Standard Time"}})
        assert moved.status_code == 200 and moved.json()["type"] == "exception"
        assert (await me.delete(f"/events/{inst[2]['id']}")).status_code == 204
        view = (await me.get("/calendarView", params=window,
                             headers={"Prefer": PST})).json()["value"]
        assert [(v["type"], v["subject"], v["start"]["dateTime"][:16]) for v in view] == [
            ("occurrence", "1:1", "2026-03-02T09:00"),
            ("exception", "1:1 (moved)", "2026-03-10T14:00")]
        assert view[1]["originalStart"] == "2026-03-09T16:00:00Z"
        assert (await me.get(f"/events/{inst[2]['id']}")).status_code == 404
        assert (await me.get("/events/{}/instances".format(master["id"]))).status_code == 400


async def test_invitation_and_rsvp_update_both_copies(emu: Any) -> None:
    adele_addr = "adele@contoso.example"
    async with client(emu) as megan, client(emu, adele_addr) as adele:
        meeting = (await megan.post("/events", json={
            "subject": "Plan Q3", "start": {"dateTime": "2026-03-05T10:00:00", "timeZone": "UTC"},
            "end": {"dateTime": "2026-03-05T11:00:00", "timeZone": "UTC"},
            "attendees": [{"type": "required", "emailAddress": {"name": "Adele Vance",
                                                               "address": adele_addr}}]})).json()
        box = emu.mailbox(adele_addr)
        invites = [m for m in box.messages.values()
                   if m.get("@odata.type") == "#microsoft.graph.eventMessageRequest"]
        assert len(invites) == 1 and invites[0]["meetingMessageType"] == "meetingRequest"
        linked = await adele.get(f"/messages/{invites[0]['id']}/microsoft.graph.eventMessage/event")
        assert linked.status_code == 200
        copy_ev = linked.json()
        assert copy_ev["iCalUId"] == meeting["iCalUId"] and copy_ev["isOrganizer"] is False
        assert copy_ev["id"] != meeting["id"]
        megan_box = emu.mailbox("megan@contoso.example")
        sent = [megan_box.messages[i] for i in megan_box.folder_index[
            megan_box.well_known["sentitems"]]]
        assert [m["meetingMessageType"] for m in sent] == ["meetingRequest"]
        not_mine = await adele.post(f"/events/{copy_ev['id']}/cancel", json={"comment": "x"})
        assert not_mine.status_code == 400
        accepted = await adele.post(f"/events/{copy_ev['id']}/accept",
                                    json={"comment": "See you", "sendResponse": True})
        assert accepted.status_code == 202 and accepted.content == b""
        mine = (await adele.get(f"/events/{copy_ev['id']}")).json()
        assert mine["responseStatus"]["response"] == "accepted"
        organizer = (await megan.get(f"/events/{meeting['id']}")).json()
        assert organizer["attendees"][0]["status"]["response"] == "accepted"
        replies = [m for m in emu.mailbox("megan@contoso.example").messages.values()
                   if m.get("meetingMessageType") == "meetingAccepted"]
        assert replies and replies[0]["bodyPreview"] == "See you"
        proposal = {"start": {"dateTime": "2026-03-06T10:00:00", "timeZone": "UTC"},
                    "end": {"dateTime": "2026-03-06T11:00:00", "timeZone": "UTC"}}
        bad = await adele.post(f"/events/{copy_ev['id']}/accept",
                               json={"proposedNewTime": proposal})
        assert bad.status_code == 400
        declined = await adele.post(f"/events/{copy_ev['id']}/decline",
                                    json={"proposedNewTime": proposal, "sendResponse": False})
        assert declined.status_code == 202
        organizer = (await megan.get(f"/events/{meeting['id']}")).json()
        assert organizer["attendees"][0]["status"]["response"] == "declined"
        assert organizer["attendees"][0]["proposedNewTime"] == proposal
        own = await megan.post(f"/events/{meeting['id']}/accept", json={})
        assert own.status_code == 400
        cancelled = await megan.post(f"/events/{meeting['id']}/cancel",
                                     json={"comment": "Sorry"})
        assert cancelled.status_code == 202 and cancelled.content == b""
        assert (await adele.get(f"/events/{copy_ev['id']}")).json()["isCancelled"] is True
        assert (await megan.get(f"/events/{meeting['id']}")).json()["isCancelled"] is True
        assert any(m.get("meetingMessageType") == "meetingCancelled"
                   for m in box.messages.values())


async def test_rsvp_to_one_occurrence(emu: Any) -> None:
    adele_addr = "adele@contoso.example"
    async with client(emu) as megan, client(emu, adele_addr) as adele:
        await megan.post("/events", json=weekly(attendees=[
            {"type": "required", "emailAddress": {"address": adele_addr}}]))
        window = {"startDateTime": "2026-03-01T00:00:00Z", "endDateTime": "2026-03-16T00:00:00Z"}
        theirs = (await adele.get("/calendarView", params=window)).json()["value"]
        assert len(theirs) == 2
        assert (await adele.post(f"/events/{theirs[1]['id']}/tentativelyAccept",
                                 json={})).status_code == 202
        after = (await adele.get("/calendarView", params=window)).json()["value"]
        assert after[0]["responseStatus"]["response"] == "notResponded"
        assert after[1]["responseStatus"]["response"] == "tentativelyAccepted"
        org = (await megan.get("/calendarView", params=window)).json()["value"]
        assert org[1]["attendees"][0]["status"]["response"] == "tentativelyAccepted"
        assert org[0]["attendees"][0]["status"]["response"] == "none"


async def test_message_get_expands_the_linked_event(emu: Any) -> None:
    """GET /messages/{id}?$expand=microsoft.graph.eventMessage/event (sample eventmessage-get.2)
    inlines the attendee's own copy of the event, in the Prefer'd zone."""
    adele_addr = "adele@contoso.example"
    async with client(emu) as megan, client(emu, adele_addr) as adele:
        meeting = (await megan.post("/events", json={
            "subject": "Plan Q4", "start": {"dateTime": "2026-03-06T10:00:00", "timeZone": "UTC"},
            "end": {"dateTime": "2026-03-06T11:00:00", "timeZone": "UTC"},
            "attendees": [{"type": "required", "emailAddress": {"name": "Adele Vance",
                                                               "address": adele_addr}}]})).json()
        box = emu.mailbox(adele_addr)
        invite = next(m for m in box.messages.values()
                      if m.get("@odata.type") == "#microsoft.graph.eventMessageRequest")
        own = (await adele.get(
            f"/messages/{invite['id']}/microsoft.graph.eventMessage/event")).json()
        got = await adele.get(f"/messages/{invite['id']}",
                              params={"$expand": "microsoft.graph.eventMessage/event"},
                              headers={"Prefer": PST})
        assert got.status_code == 200, got.text
        body = got.json()
        assert body["@odata.type"] == "#microsoft.graph.eventMessageRequest"
        assert body["event"]["id"] == own["id"] != meeting["id"]
        assert body["event"]["iCalUId"] == meeting["iCalUId"]
        assert body["event"]["start"]["timeZone"] == "Pacific Standard Time"
        assert body["event"]["start"]["dateTime"].startswith("2026-03-06T02:00")
        assert "/microsoft.graph.eventMessage/event/$entity" in body["event@odata.context"]
        # Not an event message: the cast does not apply, nothing is added.
        plain = (await megan.post("/messages", json={"subject": "x"})).json()
        other = await megan.get(f"/messages/{plain['id']}",
                                params={"$expand": "microsoft.graph.eventMessage/event"})
        assert other.status_code == 200 and "event" not in other.json()
