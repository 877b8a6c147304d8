"""The generated demo mailbox: deterministic, fast, and has every promised feature."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest

from olk_tui.emulator import calendar_actions, demo
from olk_tui.emulator.clock import Clock
from olk_tui.emulator.core import Emulator
from tests.emulator.calendar_harness import FROZEN, client

PST = 'outlook.timezone="Pacific Standard Time"'


def build(size: int = 600, seed: int = 0) -> Any:
    emu = Emulator(require_auth=False, clock=Clock(frozen=FROZEN))
    demo.build(emu, size=size, seed=seed)
    return emu


@pytest.fixture(scope="module")
def emu() -> Any:
    return build()


def fingerprint(emu: Any) -> list[Any]:
    box = emu.mailbox("megan@contoso.example")
    return [sorted(box.messages), sorted(box.folders), sorted(box.events), sorted(box.contacts),
            [m["subject"] for m in box.messages.values()],
            sorted(emu.mailbox("adele@contoso.example").events)]


def test_same_seed_same_ids_other_seed_differs() -> None:
    first, again, other = build(200, 1), build(200, 1), build(200, 2)
    assert fingerprint(first) == fingerprint(again)
    assert fingerprint(first)[0] != fingerprint(other)[0]


def test_mail_features(emu: Any) -> None:
    box = emu.mailbox("megan@contoso.example")
    assert emu.default_mailbox is box
    inbox = box.well_known["inbox"]
    paths = {"/".join(box.folder_path(fid)) for fid in box.folders}
    assert {"Projects/Apollo", "Projects/Zephyr", "Receipts"} <= paths
    for name in ("drafts", "sentitems", "archive", "deleteditems", "junkemail"):
        assert box.folder_index[box.well_known[name]], name
    inbox_msgs = [box.messages[i] for i in box.folder_index[inbox]]
    assert len([m for m in inbox_msgs if "meetingMessageType" not in m]) == 600
    received = sorted(m["receivedDateTime"] for m in inbox_msgs)
    assert received[0] < (FROZEN - timedelta(days=600)).isoformat()[:10]
    assert received[-1] <= FROZEN.isoformat()[:19] + "Z"
    senders = {m["from"]["emailAddress"]["address"] for m in inbox_msgs}
    assert len(senders) > 150
    threads = Counter(m["conversationId"] for m in box.messages.values())
    big = [cid for cid, n in threads.items() if n >= 3]
    assert big
    thread = [m for m in box.messages.values() if m["conversationId"] == big[0]]
    subjects = {m["subject"][:4] for m in thread}
    assert "RE: " in subjects and "FW: " in subjects
    assert any(m["parentFolderId"] == box.well_known["sentitems"] for m in thread)
    flagged = [m for m in box.messages.values() if m["flag"].get("flagStatus") == "flagged"]
    assert flagged and all("dueDateTime" in m["flag"] for m in flagged)
    assert any(m["categories"] for m in box.messages.values())
    assert any(m["importance"] == "high" for m in box.messages.values())
    bodies = [m["body"] for m in box.messages.values()]
    assert {b["contentType"] for b in bodies} == {"html", "text"}
    assert any("open.gif" in b["content"] and 'width="1"' in b["content"] for b in bodies)
    assert any('src="cid:logo@demo.contoso"' in b["content"] for b in bodies)
    atts = [a for per in box.attachments.values() for a in per.values()]
    assert {a["contentType"] for a in atts} >= {
        "application/pdf", "image/png", "text/calendar",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    assert any(a["isInline"] and a["contentId"] == "logo@demo.contoso" for a in atts)
    sizes = sorted(a["size"] for a in atts)
    assert sizes[0] < 2000 and sizes[-1] > 100_000
    assert any(m.get("isDraft") for m in box.messages.values())


def test_invitations_linked_and_contacts(emu: Any) -> None:
    box = emu.mailbox("megan@contoso.example")
    invites = [m for m in box.messages.values()
               if m.get("@odata.type") == "#microsoft.graph.eventMessageRequest"]
    assert len(invites) >= 2
    for invite in invites:
        event = calendar_actions.linked_event(box, invite["id"])
        assert event is not None and event["subject"] in invite["subject"]
    assert len(box.contacts) >= 200
    assert any(f["displayName"] == "Family" for f in box.contact_folders.values())


async def test_calendar_features(emu: Any) -> None:
    window = {"startDateTime": (FROZEN - timedelta(days=7)).isoformat(),
              "endDateTime": (FROZEN + timedelta(days=50)).isoformat()}
    async with client(emu) as me:
        calendars = (await me.get("/calendars")).json()["value"]
        assert [c["name"] for c in calendars] == ["Calendar", "Family"]
        resp = await me.get("/calendarView", params={**window, "$top": "1000"},
                            headers={"Prefer": PST})
        view = resp.json()["value"]
        assert "@odata.nextLink" not in resp.json()
        subjects = Counter(ev["subject"] for ev in view)
        assert subjects["Daily standup"] > 20 and subjects["Megan / Adele 1:1"] >= 5
        assert subjects["Plan the day"] > 20 and subjects["Monthly business review"] >= 1
        cancelled = [ev for ev in view if ev.get("isCancelled") and ev["type"] == "exception"]
        assert {ev["subject"] for ev in cancelled} >= {"Daily standup", "Megan / Adele 1:1"}
        moved = [ev for ev in view if ev["subject"] == "Megan / Adele 1:1 (moved)"]
        assert moved and moved[0]["start"]["dateTime"][11:16] == "15:00"
        all_day = [ev for ev in view if ev["isAllDay"]]
        assert {"Company holiday", "Contoso Summit", "Vacation"} <= {e["subject"]
                                                                     for e in all_day}
        deploy = next(ev for ev in view if ev["subject"].startswith("Production deploy"))
        assert deploy["start"]["dateTime"][:10] != deploy["end"]["dateTime"][:10]
        tokyo = next(ev for ev in view if ev["subject"] == "Tokyo office sync")
        assert tokyo["originalStartTimeZone"] == "Tokyo Standard Time"
        fab = next(ev for ev in view if ev["subject"] == "Customer call: Fabrikam")
        budget = next(ev for ev in view if ev["subject"] == "Budget sync")
        assert budget["start"]["dateTime"] < fab["end"]["dateTime"]  # overlapping
        pending = next(ev for ev in view if ev["subject"] == "Apollo design review")
        assert pending["responseStatus"]["response"] == "notResponded"
        one = next(ev for ev in view if ev["subject"] == "Megan / Adele 1:1")
        assert one["responseStatus"]["response"] == "accepted"
        family_id = calendars[1]["id"]
        family = (await me.get(f"/calendars/{family_id}/calendarView", params={
            **window, "$top": "100"})).json()["value"]
        assert {"Soccer practice", "Dentist"} <= {ev["subject"] for ev in family}
        settings = (await me.get("/mailboxSettings")).json()
        assert settings["timeZone"] == "Pacific Standard Time"
        assert settings["workingHours"]["startTime"] == "08:00:00.0000000"
        busy = await me.post("/calendar/getSchedule", json={
            "schedules": ["adele@contoso.example", "megan@contoso.example"],
            "startTime": {"dateTime": (FROZEN + timedelta(days=1)).isoformat()[:19],
                          "timeZone": "UTC"},
            "endTime": {"dateTime": (FROZEN + timedelta(days=2)).isoformat()[:19],
                        "timeZone": "UTC"}})
        views = [s["availabilityView"] for s in busy.json()["value"]]
        assert all("2" in v for v in views)


def test_hundred_thousand_messages_build_quickly() -> None:
    started = time.process_time()
    emu = build(100_000)
    spent = time.process_time() - started
    box = emu.mailbox("megan@contoso.example")
    assert len(box.folder_index[box.well_known["inbox"]]) >= 100_000
    assert spent < 12, f"building 100,000 messages took {spent:.1f}s of CPU"
