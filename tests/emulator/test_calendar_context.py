"""``@odata.context`` of calendar answers in the forms the samples show: the mailbox as
``users('{user id}')`` (not ``me``), the ``$select`` list on the last segment, keys inside
``('...')`` percent-encoded, ``calendars('{id}')`` for the calendar-scoped paths
(``event-get``, ``event-list-instances``, ``user-list-events``, ``calendar-post-events``,
``outlook-get-shared-events-calendars``, ``outlook-calendar-online-meetings`` samples)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from olk_tui.emulator.core import Emulator
from tests.emulator.calendar_harness import BASE, client, make_emulator

WINDOW = {"startDateTime": "2026-03-01T00:00:00Z", "endDateTime": "2026-03-31T00:00:00Z"}


@pytest.fixture
def emu() -> Emulator:
    return make_emulator()


def _ctx(fragment: str) -> str:
    return f"{BASE}/$metadata#{fragment}"


def _key(value: str) -> str:
    return quote(value, safe="")


def _weekly() -> dict[str, Any]:
    return {"subject": "Standup",
            "start": {"dateTime": "2026-03-02T09:00:00", "timeZone": "UTC"},
            "end": {"dateTime": "2026-03-02T09:15:00", "timeZone": "UTC"},
            "recurrence": {"pattern": {"type": "weekly", "interval": 1,
                                       "daysOfWeek": ["monday"]},
                           "range": {"type": "noEnd", "startDate": "2026-03-02"}}}


async def test_event_lists_views_and_entities(emu: Emulator) -> None:
    uid = emu.default_mailbox.user_id
    users = f"users('{uid}')"
    async with client(emu) as c:
        cal_id = (await c.get("/calendar")).json()["id"]
        cal = f"calendars('{_key(cal_id)}')"
        created = await c.post("/events", json=_weekly())
        assert created.json()["@odata.context"] == _ctx(f"{users}/events/$entity")
        ev_id = created.json()["id"]
        expected = {
            ("/events", ()): f"{users}/events",
            ("/events", ("subject", "start")): f"{users}/events(subject,start)",
            ("/calendar/events", ()): f"{users}/{cal}/events",
            (f"/calendars/{cal_id}/events", ()): f"{users}/{cal}/events",
            ("/calendarView", ()): f"{users}/calendarView",
            ("/calendarView", ("subject",)): f"{users}/calendarView(subject)",
            ("/calendar/calendarView", ()): f"{users}/{cal}/calendarView",
            (f"/calendars/{cal_id}/calendarView", ()): f"{users}/{cal}/calendarView",
            (f"/events/{ev_id}/instances", ("subject", "type")):
                f"{users}/events('{_key(ev_id)}')/instances(subject,type)",
            (f"/events/{ev_id}", ()): f"{users}/events/$entity",
            (f"/events/{ev_id}", ("subject",)): f"{users}/events(subject)/$entity",
            (f"/calendar/events/{ev_id}", ()): f"{users}/{cal}/events/$entity",
            ("/calendars", ()): f"{users}/calendars",
        }
        for (path, chosen), fragment in expected.items():
            params = dict(WINDOW) if "calendarView" in path or "instances" in path else {}
            if chosen:
                params["$select"] = ",".join(chosen)
            resp = await c.get(path, params=params)
            assert resp.status_code == 200, path
            assert resp.json()["@odata.context"] == _ctx(fragment), (path, chosen)
        patched = await c.patch(f"/events/{ev_id}", json={"subject": "Standup!"})
        assert patched.json()["@odata.context"] == _ctx(f"{users}/events/$entity")
        in_cal = await c.post(f"/calendars/{cal_id}/events", json={
            **_weekly(), "recurrence": None})
        assert in_cal.json()["@odata.context"] == _ctx(f"{users}/{cal}/events/$entity")


async def test_users_path_names_that_user(emu: Emulator) -> None:
    adele = emu.mailbox("adele@contoso.example")
    assert adele is not None
    async with client(emu, "adele@contoso.example") as c:
        resp = await c.get("/calendarView", params=WINDOW)
        assert resp.json()["@odata.context"] == _ctx(f"users('{adele.user_id}')/calendarView")
