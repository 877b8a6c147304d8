"""Event creation deduplicated by ``transactionId`` (event resource doc: "for the server to avoid
redundant POST operations in case of client retries to create the same event"): a retried POST
gets the event the first one made; a transactionId reused for a different event is refused with
``ErrorDuplicateTransactionId``, as observed on the service (alcionai/corso#2490)."""

from __future__ import annotations

from typing import Any

import pytest

from olk_tui.emulator.core import Emulator
from tests.emulator.calendar_harness import client, make_emulator

TID = "7E163156-7762-4BEB-A1C6-729EA81755A7"


@pytest.fixture
def emu() -> Emulator:
    return make_emulator()


def _event(subject: str = "Sync", **extra: Any) -> dict[str, Any]:
    return {"subject": subject,
            "start": {"dateTime": "2026-03-03T10:00:00", "timeZone": "Pacific Standard Time"},
            "end": {"dateTime": "2026-03-03T10:30:00", "timeZone": "Pacific Standard Time"},
            "attendees": [{"emailAddress": {"address": "adele@contoso.example"},
                           "type": "required"}],
            "transactionId": TID, **extra}


async def _count(c: Any, subject: str) -> int:
    items = (await c.get("/events", params={"$top": "100"})).json()["value"]
    return sum(1 for ev in items if ev["subject"] == subject)


async def test_retried_post_returns_the_existing_event(emu: Emulator) -> None:
    async with client(emu) as c, client(emu, "adele@contoso.example") as adele:
        first = await c.post("/events", json=_event())
        assert first.status_code == 201 and first.json()["transactionId"] == TID
        again = await c.post("/events", json=_event())
        assert again.status_code == 201
        assert again.json()["id"] == first.json()["id"]
        assert await _count(c, "Sync") == 1
        # the retry sent no second invitation
        assert await _count(adele, "Sync") == 1
        invites = (await adele.get("/mailFolders/inbox/messages")).json()["value"]
        assert sum(1 for m in invites if m["subject"].endswith("Sync")) == 1


async def test_retry_after_an_update_still_returns_the_event(emu: Emulator) -> None:
    async with client(emu) as c:
        first = (await c.post("/calendar/events", json=_event())).json()
        assert (await c.patch(f"/events/{first['id']}",
                              json={"subject": "Sync (moved)"})).status_code == 200
        again = await c.post("/calendar/events", json=_event())
        assert again.status_code == 201 and again.json()["id"] == first["id"]
        assert again.json()["subject"] == "Sync (moved)"
        assert await _count(c, "Sync") == 0 and await _count(c, "Sync (moved)") == 1


async def test_transaction_id_used_for_a_different_event_is_refused(emu: Emulator) -> None:
    async with client(emu) as c:
        assert (await c.post("/events", json=_event())).status_code == 201
        other = await c.post("/events", json=_event("Another meeting"))
        assert other.status_code == 400
        assert other.json()["error"]["code"] == "ErrorDuplicateTransactionId"
        assert await _count(c, "Another meeting") == 0


async def test_other_calendar_and_other_mailbox(emu: Emulator) -> None:
    async with client(emu) as c, client(emu, "adele@contoso.example") as adele:
        first = (await c.post("/events", json=_event())).json()
        cal = (await c.post("/calendars", json={"name": "Side"})).json()
        # the same transactionId in another calendar of the mailbox is another event
        side = await c.post(f"/calendars/{cal['id']}/events", json=_event())
        assert side.status_code == 400
        assert side.json()["error"]["code"] == "ErrorDuplicateTransactionId"
        # another mailbox has its own transactions
        own = await adele.post("/events", json=_event("Adele's", attendees=[]))
        assert own.status_code == 201 and own.json()["id"] != first["id"]


async def test_deleted_event_frees_its_transaction_id(emu: Emulator) -> None:
    async with client(emu) as c:
        first = (await c.post("/events", json=_event())).json()
        assert (await c.delete(f"/events/{first['id']}")).status_code == 204
        again = await c.post("/events", json=_event())
        assert again.status_code == 201 and again.json()["id"] != first["id"]
        assert await _count(c, "Sync") == 1


async def test_without_transaction_id_every_post_creates(emu: Emulator) -> None:
    async with client(emu) as c:
        body = _event()
        del body["transactionId"]
        a = (await c.post("/events", json=body)).json()
        b = (await c.post("/events", json=body)).json()
        assert a["id"] != b["id"] and a["transactionId"] is None
        assert await _count(c, "Sync") == 2
