"""Calendar, contact, people and settings samples from graph-samples, served by the emulator:
the documented status and a body with the same keys and value types as the response file.

The fixture is the demo mailbox plus events at the samples' own dates, so views and schedules
have something to show; ids in the sample URLs are mapped to suitable items (an invitation
for accept/decline, a series for instances, a meeting Megan organised for cancel...).
Samples the emulator does not serve are in ``GAPS`` with the reason (strict xfail: an entry
that starts passing must be removed, and a new gap fails the suite).
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
import pytest

from olk_tui.emulator import calendar_actions, contacts, demo
from olk_tui.emulator import calendar_store as store
from olk_tui.emulator.clock import Clock
from olk_tui.emulator.core import Emulator
from olk_tui.emulator.demo_calendar import _req
from tests.emulator.calendar_harness import FROZEN
from tests.emulator.shape_harness import (
    SAMPLES,
    expected_status,
    lenient_json,
    manifest,
    parse_http,
    shape_diff,
    split_url,
)

PREFIXES = ("calendar-", "event-", "user-list-calendar", "user-list-events", "user-post-event",
            "user-post-calendars", "user-findmeetingtimes", "findmeetingtimes-", "contact",
            "user-list-contact", "user-post-contact", "user-list-people", "search-query-",
            "user-get-mailboxsettings", "user-update-mailboxsettings", "outlookuser-",
            "delta-query-events", "user-reminderview", "outlook-calendar-",
            "outlook-get-free-busy", "outlook-create-event-in-shared", "outlook-get-shared",
            "eventmessage-", "group-")
NAMES = sorted(p.name[:-5] for p in (SAMPLES / "requests").glob("*.http")
               if p.name.startswith(PREFIXES)) if SAMPLES.exists() else []
MEGAN, ADELE = "megan@contoso.example", "adele@contoso.example"

GAPS = {
    "group-get-event.1": "group calendars (/groups/{id}) are outside the user mailbox API",
    "group-list-calendarview.1": "group calendars (/groups/{id}) are outside the mailbox API",
    "group-list-events.1": "group calendars (/groups/{id}) are outside the user mailbox API",
    "outlook-create-event-in-shared-delegated-calendar.2": "the docs' request body is not JSON",
    "user-update-mailboxsettings.2": "the docs' request body is not JSON (comments)",
    "calendar-delete.1": "the docs delete /me/calendar; the default calendar cannot be deleted "
                         "(the emulator answers 400 ErrorCannotDeleteObject)",
    "contact-delta.1": "the docs' response lists fields its own $select=displayName excludes",
    "user-list-events.1": "the docs' response has locations, which its $select does not ask for",
    "event-get.1": "the docs' response has locations, which its $select does not ask for",
    "event-post-attachments.1": "the docs' contentBytes ('base64bWFj...') is not valid base64",
    "event-snoozereminder.1": "the docs' request has placeholder values ('dateTime-value')",
    "outlook-get-free-busy-schedule.1": "the docs' user has a customTimeZone in workingHours; "
                                        "emulated mailboxes use named zones",
    "user-get-mailboxsettings.3": "the docs' user has a customTimeZone in workingHours; "
                                  "emulated mailboxes use named zones",
}


def _tz(day: str, start: str, end: str, tz: str = "Pacific Standard Time") -> dict[str, Any]:
    return {"start": {"dateTime": f"{day}T{start}:00", "timeZone": tz},
            "end": {"dateTime": f"{day}T{end}:00", "timeZone": tz}}


def fixture() -> tuple[Emulator, dict[str, str]]:
    """The demo plus items at the samples' dates; returns the emulator and ids by role."""
    emu = Emulator(require_auth=False, clock=Clock(frozen=FROZEN))
    demo.build(emu, size=30)
    megan, adele = emu.mailbox(MEGAN), emu.mailbox(ADELE)
    for day, subject in (("2020-01-02", "New year planning"), ("2017-01-03", "Kick-off"),
                         ("2016-12-09", "Plan shopping list"), ("2016-12-10", "Pick up car"),
                         ("2016-12-12", "Dentist"), ("2019-04-18", "Busy afternoon")):
        store.add_event(megan, {"subject": subject, **_tz(day, "13:00", "14:00"),
                                "location": {"displayName": "Room 1"}})
    store.add_event(adele, {"subject": "Let's go for lunch", **_tz("2019-03-15", "12:00",
                                                                  "14:00")})
    store.add_event(adele, {"subject": "Sync", **_tz("2018-08-06", "10:00", "11:00")})
    store.add_event(megan, {"subject": "Focus", **_tz("2019-03-15", "08:30", "09:30")})
    series = store.add_event(megan, {
        "subject": "Review strategy for Q3", **_tz("2019-04-08", "20:30", "21:00", "UTC"),
        "recurrence": {"pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"]},
                       "range": {"type": "noEnd", "startDate": "2019-04-08"}}})
    proposal = store.add_event(megan, {
        "subject": "Let's meet", **_tz("2019-08-15", "12:00", "14:00"),
        "location": {"displayName": "Harry's Bar"},
        "attendees": [{"type": "required", "emailAddress": {"address": ADELE}}]})
    calendar_actions.invite(_req(emu, megan), proposal)
    theirs = store.find_by_uid(adele, proposal["iCalUId"])
    assert theirs is not None
    calendar_actions.respond(_req(emu, adele, f"/me/events/{theirs['id']}/tentativelyAccept",
                                  {"id": theirs["id"]},
                                  {"proposedNewTime": _tz("2019-08-16", "12:00", "14:00")}))
    garth = contacts.add_contact(megan, {
        "birthday": "1974-07-22", "fileAs": "Fort, Garth", "displayName": "Garth Fort",
        "givenName": "Garth", "initials": "G.F.", "nickName": "Garth", "surname": "Fort",
        "emailAddresses": [{"name": "Garth", "address": "garth@fabrikam.example"}],
        "imAddresses": ["sip:garth@fabrikam.example"], "jobTitle": "Web Marketing Manager",
        "companyName": "Contoso, Inc.", "department": "Sales & Marketing",
        "officeLocation": "20/1101", "businessHomePage": "https://www.contoso.com",
        "businessPhones": ["+1 918 555 0101"], "homeAddress": {}, "otherAddress": {},
        "businessAddress": {"street": "10 Contoso Way", "city": "Redmond", "state": "WA",
                            "countryOrRegion": "USA", "postalCode": "98075"}})
    family = next(f for f in megan.contact_folders.values() if f["displayName"] == "Family")
    contacts.add_contact(megan, {"displayName": "Irene McGowen", "givenName": "Irene",
                                 "officeLocation": "12/1110", "jobTitle": "Auditor",
                                 "department": "Finance", "businessPhones": ["+1 412 555 0109"],
                                 "imAddresses": ["sip:irene@contoso.example"],
                                 "surname": "McGowen", "birthday": "1980-01-01",
                                 "fileAs": "McGowen, Irene", "initials": "I.M.",
                                 "emailAddresses": [{"address": "irene@contoso.example"}]},
                         family["id"])
    contacts.add_folder(megan, "Cousins", family["id"])
    store.add_event(megan, {"subject": "Plan summer company picnic", "isReminderOn": True,
                            **_tz("2017-06-09", "18:00", "19:00", "UTC"),
                            "location": {"displayName": "Conf Room 3"}})
    fabrikam = next(ev for ev in megan.events.values()
                    if ev["subject"] == "Customer call: Fabrikam")
    megan.extra.setdefault("event_attachments", {})[fabrikam["id"]] = {"AAMkAtt1=": {
        "@odata.type": "#microsoft.graph.fileAttachment", "id": "AAMkAtt1=",
        "lastModifiedDateTime": "2026-03-01T10:00:00Z", "name": "agenda.txt",
        "contentType": "text/plain", "size": 4, "isInline": False, "contentId": None,
        "contentLocation": None, "contentBytes": "c291cA=="}}
    invite = next(m for m in megan.messages.values()
                  if m.get("@odata.type") == "#microsoft.graph.eventMessageRequest")
    by_subject = {ev["subject"]: ev["id"] for ev in megan.events.values()}
    pending = store.find_by_uid(megan, next(
        ev for ev in adele.events.values() if ev["subject"] == "Apollo design review")["iCalUId"])
    assert pending is not None
    ids = {"event": by_subject["Customer call: Fabrikam"], "series": series["id"],
           "invitation": pending["id"], "proposal": proposal["id"],
           "calendar": next(c["id"] for c in megan.calendars.values() if c["name"] == "Family"),
           "contact": garth["id"], "contactfolder": family["id"], "message": invite["id"]}
    return emu, ids


def _event_role(name: str, action: str) -> str:
    if action in ("accept", "decline", "tentativelyaccept"):
        return "invitation"
    if action == "instances":
        return "series"
    if name.startswith("outlook-calendar-meeting-proposals"):
        return "proposal"
    return "event"


def adapt(path: str, name: str, ids: dict[str, str]) -> str:
    """Sample ids replaced by the fixture's."""
    path = re.sub(r"([A-Za-z]+)\('([^']*)'\)", r"\1/\2", path)
    segs = path.split("/")
    action = segs[-1].lower()
    for i in range(1, len(segs)):
        coll = segs[i - 1].lower()
        if segs[i].lower() in ("delta", "instances", "calendarview", "contacts", "attachments",
                               "childfolders", "accept", "decline", "tentativelyaccept",
                               "cancel", "forward", "snoozereminder", "dismissreminder"):
            continue
        if coll == "events":
            segs[i] = ids[_event_role(name, action)]
        elif coll == "calendars":
            segs[i] = ids["calendar"]
        elif coll == "contacts":
            segs[i] = ids["contact"]
        elif coll == "contactfolders":
            segs[i] = ids["contactfolder"]
        elif coll == "messages":
            segs[i] = ids["message"]
        elif coll == "users" and segs[i]:
            segs[i] = MEGAN
    return "/".join(segs)


def adapt_body(value: Any) -> Any:
    """Addresses in bodies become the fixture's two mailboxes."""
    if isinstance(value, dict):
        return {k: adapt_body(v) for k, v in value.items()}
    if isinstance(value, list):
        return [adapt_body(v) for v in value]
    if isinstance(value, str) and "@" in value and " " not in value and "." in value:
        return MEGAN if value.lower().startswith("megan") else ADELE
    return value


@cache
def _manifest() -> dict[str, dict[str, Any]]:
    return manifest()


def _delta_walk(client: httpx.Client, url: str, query: str, headers: dict[str, str],
                emu: Emulator) -> httpx.Response:
    params = dict(parse_qsl(query.replace("{start_datetime}", "2016-12-01T00:00:00Z")
                            .replace("{end_datetime}", "2016-12-30T00:00:00Z"),
                            keep_blank_values=True))
    want = "$deltatoken" if "$deltatoken" in params else "$skiptoken" if "$skiptoken" in \
        params else ""
    initial = {k: v for k, v in params.items() if k not in ("$skiptoken", "$deltatoken")}
    if "calendarview" in url.lower() and "startdatetime" not in {k.lower() for k in initial}:
        initial |= {"startDateTime": "2016-12-01T00:00:00Z", "endDateTime": "2016-12-30T00:00:00Z"}
    resp = client.get(url, params=initial, headers=headers)
    if not want:
        return resp
    while resp.status_code == 200:
        body = resp.json()
        if body.get("@odata.nextLink"):
            if want == "$skiptoken":
                return client.get(body["@odata.nextLink"], headers=headers)
            resp = client.get(body["@odata.nextLink"], headers=headers)
            continue
        megan = emu.mailbox(MEGAN)
        gone = next(e for e in megan.events.values() if e["subject"] == "Dentist"
                    and e["start"]["dateTime"].startswith("2016"))
        store.delete_event(megan, gone["id"])
        kept = next(e for e in megan.events.values() if e["subject"] == "Pick up car")
        kept["subject"] = "Pick up the car"
        store.touch_event(megan, kept["id"])
        return client.get(body["@odata.deltaLink"], headers=headers)
    return resp


def check(name: str) -> list[str]:
    """Problems serving sample ``name`` (empty when status and shape match)."""
    sample = parse_http(SAMPLES / "requests" / f"{name}.http")
    first_line = (SAMPLES / "requests" / f"{name}.http").read_text().splitlines()[0]
    sample.url = re.sub(r"\s+HTTP/\d(\.\d)?\s*$", "", first_line.split(" ", 1)[1].strip())
    emu, ids = fixture()
    path, query = split_url(sample.url)
    version, _, rest = path[1:].partition("/")
    url = f"/{version}" + adapt("/" + rest, name, ids)
    headers = {k: v for k, v in sample.headers.items()
               if k.lower() not in ("content-length", "host", "authorization")}
    client = httpx.Client(transport=emu.sync_transport(), base_url="https://graph.emulator.test")
    if "delta" in url.lower():
        resp = _delta_walk(client, url, query, headers, emu)
    else:
        if query:
            url += "?" + urlencode(parse_qsl(query, keep_blank_values=True), safe="$,'():=/ ")
        content = None
        if sample.body:
            try:
                content = json.dumps(adapt_body(lenient_json(sample.body))).encode()
            except ValueError:
                return ["request body is not JSON"]
        resp = client.request(sample.method, url, headers=headers, content=content)
    entry = _manifest().get(name, {})
    want = expected_status(entry)
    if want is not None and want != resp.status_code and not (
            want == 200 and resp.status_code in (201, 202, 204)):
        return [f"status {resp.status_code} (docs: {want}): {resp.text[:300]}"]
    if not entry.get("response_file"):
        return []
    expected = lenient_json((SAMPLES / entry["response_file"]).read_bytes())
    for key in ("@odata.nextLink", "@odata.deltaLink"):
        if key not in resp.json():
            expected.pop(key, None)
    return shape_diff(expected, resp.json())


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=[pytest.mark.xfail(reason=GAPS[n], strict=True)] if n in GAPS
                 else [], id=n) for n in NAMES])
def test_sample_shape(name: str) -> None:
    problems = check(name)
    assert not problems, problems
