"""calendarView delta: window required, $select refused, paging, changes, tombstones, 410."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.calendar_harness import client, make_emulator

WINDOW = {"startDateTime": "2026-03-01T00:00:00Z", "endDateTime": "2026-04-01T00:00:00Z"}


def single(subject: str, day: int) -> dict[str, Any]:
    return {"subject": subject,
            "start": {"dateTime": f"2026-03-{day:02d}T10:00:00", "timeZone": "UTC"},
            "end": {"dateTime": f"2026-03-{day:02d}T11:00:00", "timeZone": "UTC"}}


@pytest.fixture
def emu() -> Any:
    return make_emulator()


async def drain(me: Any, url: str, params: dict[str, str] | None = None,
                page_size: int = 2) -> tuple[list[dict[str, Any]], str]:
    items: list[dict[str, Any]] = []
    headers = {"Prefer": f"odata.maxpagesize={page_size}"}
    resp = await me.get(url, params=params, headers=headers)
    while True:
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert len(body["value"]) <= page_size
        items.extend(body["value"])
        if "@odata.deltaLink" in body:
            return items, body["@odata.deltaLink"]
        resp = await me.get(body["@odata.nextLink"], headers=headers)


async def test_delta_rules(emu: Any) -> None:
    async with client(emu) as me:
        assert (await me.get("/calendarView/delta")).status_code == 400
        refused = await me.get("/calendarView/delta", params={**WINDOW, "$select": "subject"})
        assert refused.status_code == 400
        ids = [(await me.post("/events", json=single(f"e{d}", d))).json()["id"]
               for d in (2, 3, 4, 5, 6)]
        await me.post("/events", json=single("outside", 1) | {
            "start": {"dateTime": "2026-05-01T10:00:00", "timeZone": "UTC"},
            "end": {"dateTime": "2026-05-01T11:00:00", "timeZone": "UTC"}})
        items, delta_link = await drain(me, "/calendarView/delta", WINDOW)
        assert [i["id"] for i in items] == ids
        assert all(i["@odata.type"] == "#microsoft.graph.event" for i in items)
        # Nothing changed: an empty round.
        again, delta_link = await drain(me, delta_link)
        assert again == []
        await me.patch(f"/events/{ids[0]}", json={"subject": "renamed"})
        await me.delete(f"/events/{ids[1]}")
        await me.patch(f"/events/{ids[2]}", json={
            "start": {"dateTime": "2026-06-01T10:00:00", "timeZone": "UTC"},
            "end": {"dateTime": "2026-06-01T11:00:00", "timeZone": "UTC"}})
        changes, delta_link = await drain(me, delta_link)
        by_id = {c["id"]: c for c in changes}
        assert by_id[ids[0]]["subject"] == "renamed"
        assert by_id[ids[1]]["@removed"] == {"reason": "deleted"}
        assert by_id[ids[2]]["@removed"] == {"reason": "deleted"}  # moved out of the window
        assert set(by_id) == {ids[0], ids[1], ids[2]}
        emu.expire_delta_tokens()
        gone = await me.get(delta_link)
        assert gone.status_code == 410
        assert gone.json()["error"]["code"] == "SyncStateNotFound"
        restart = await me.get(gone.headers["Location"])
        assert restart.status_code == 200


async def test_delta_series_and_deleted_occurrence(emu: Any) -> None:
    async with client(emu) as me:
        master = (await me.post("/events", json={
            "subject": "standup", "start": {"dateTime": "2026-03-02T09:00:00",
                                            "timeZone": "Pacific Standard Time"},
            "end": {"dateTime": "2026-03-02T09:15:00", "timeZone": "Pacific Standard Time"},
            "recurrence": {"pattern": {"type": "daily", "interval": 1},
                           "range": {"type": "numbered", "startDate": "2026-03-02",
                                     "numberOfOccurrences": 3}}})).json()
        items, link = await drain(me, "/calendarView/delta", WINDOW, page_size=10)
        assert [i["type"] for i in items] == ["occurrence"] * 3
        await me.delete(f"/events/{items[1]['id']}")
        changes, link = await drain(me, link, page_size=10)
        removed = [c["id"] for c in changes if "@removed" in c]
        assert removed == [items[1]["id"]]
        await me.delete(f"/events/{master['id']}")
        changes, _ = await drain(me, link, page_size=10)
        assert {c["id"] for c in changes if "@removed" in c} >= {items[0]["id"], items[2]["id"]}
