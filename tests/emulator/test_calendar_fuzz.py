"""Hostile request bodies never crash the calendar, schedule, contacts or settings routes."""

from __future__ import annotations

from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.emulator.calendar_harness import BASE, make_emulator

EMU = make_emulator()
CLIENT = httpx.Client(transport=EMU.sync_transport(), base_url=BASE + "/me")
_EVENT = CLIENT.post("/events", json={
    "subject": "fuzz target", "start": {"dateTime": "2026-03-03T10:00:00", "timeZone": "UTC"},
    "end": {"dateTime": "2026-03-03T11:00:00", "timeZone": "UTC"},
    "attendees": [{"emailAddress": {"address": "adele@contoso.example"}}]}).json()["id"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.text(max_size=20), st.sampled_from(["2026-03-03T10:00:00", "UTC",
                                                           "Pacific Standard Time", "PT1H"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=20)
keys = st.sampled_from(["subject", "start", "end", "attendees", "recurrence", "location",
                        "isAllDay", "body", "schedules", "startTime", "endTime",
                        "availabilityViewInterval", "meetingDuration", "timeConstraint",
                        "emailAddresses", "displayName", "timeZone", "workingHours",
                        "automaticRepliesSetting", "proposedNewTime", "sendResponse",
                        "comment", "toRecipients", "newReminderTime", "name", "dateTime"])
bodies = st.dictionaries(keys, json_values, max_size=6)
TARGETS = [("POST", "/events"), ("PATCH", f"/events/{_EVENT}"),
           ("POST", "/calendar/getSchedule"), ("POST", "/findMeetingTimes"),
           ("POST", "/contacts"), ("PATCH", "/mailboxSettings"), ("POST", "/calendars"),
           ("POST", f"/events/{_EVENT}/forward"), ("POST", f"/events/{_EVENT}/snoozeReminder"),
           ("POST", f"/events/{_EVENT}/attachments"), ("POST", "/contactFolders")]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(TARGETS), body=bodies)
def test_no_server_errors(target: tuple[str, str], body: dict[str, Any]) -> None:
    method, path = target
    resp = CLIENT.request(method, path, json=body)
    assert resp.status_code < 500, (method, path, body, resp.text[:300])


@settings(max_examples=60, deadline=None)
@given(start=st.text(max_size=30), end=st.text(max_size=30))
def test_calendar_view_parameters_never_crash(start: str, end: str) -> None:
    resp = CLIENT.get("/calendarView", params={"startDateTime": start, "endDateTime": end})
    assert resp.status_code in (200, 400)
