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


def _at(subject: str, day: str) -> dict[str, Any]:
    return {"subject": subject,
            "start": {"dateTime": f"{day}T10:00:00", "timeZone": "UTC"},
            "end": {"dateTime": f"{day}T11:00:00", "timeZone": "UTC"}}


NOV = {"startDateTime": "2026-11-01T00:00:00Z", "endDateTime": "2026-12-01T00:00:00Z"}
DEC = {"startDateTime": "2026-12-01T00:00:00Z", "endDateTime": "2027-01-01T00:00:00Z"}


async def test_delta_of_one_window_never_mentions_events_of_another(emu: Any) -> None:
    """Two windows synced side by side: each round reports only events that are or were in
    that window (a move out is a removal there and an addition in the other)."""
    async with client(emu) as me:
        async def make(subject: str, day: str) -> str:
            return str((await me.post("/events", json=_at(subject, day))).json()["id"])

        n_keep, n_edit, n_del, n_move = [await make(s, "2026-11-10")
                                         for s in ("keep", "edit", "del", "move")]
        d_keep, d_del = [await make(s, "2026-12-10") for s in ("dkeep", "ddel")]
        series = (await me.post("/events", json={
            **_at("weekly", "2026-11-02"),
            "recurrence": {"pattern": {"type": "daily", "interval": 1},
                           "range": {"type": "numbered", "startDate": "2026-11-02",
                                     "numberOfOccurrences": 3}}})).json()["id"]
        nov_items, nov_link = await drain(me, "/calendarView/delta", NOV, page_size=3)
        dec_items, dec_link = await drain(me, "/calendarView/delta", DEC, page_size=3)
        assert {i["id"] for i in dec_items} == {d_keep, d_del}
        assert len(nov_items) == 4 + 3
        occurrences = [i["id"] for i in nov_items if i.get("seriesMasterId") == series]
        assert len(occurrences) == 3
        # Changes in November.
        await me.patch(f"/events/{n_edit}", json={"subject": "edited"})
        await me.delete(f"/events/{n_del}")
        await me.patch(f"/events/{n_move}", json=_at("moved", "2026-12-20"))
        n_new = await make("new-nov", "2026-11-20")
        n_gone = await make("short-lived", "2026-11-21")
        await me.delete(f"/events/{n_gone}")
        await me.delete(f"/events/{occurrences[-1]}")  # one occurrence of the series
        # Changes in December.
        await me.delete(f"/events/{d_del}")
        d_new = await make("new-dec", "2026-12-22")
        # Elsewhere entirely.
        await make("january", "2027-01-15")

        dec_changes, dec_link = await drain(me, dec_link, page_size=3)
        dec_by = {c["id"]: c for c in dec_changes}
        assert set(dec_by) == {d_del, d_new, n_move}
        assert dec_by[d_del]["@removed"] == {"reason": "deleted"}
        assert dec_by[n_move]["subject"] == "moved"
        assert "@removed" not in dec_by[d_new]

        nov_changes, nov_link = await drain(me, nov_link, page_size=3)
        nov_by = {c["id"]: c for c in nov_changes}
        removed = {i for i, c in nov_by.items() if "@removed" in c}
        assert removed >= {n_del, n_move, occurrences[-1]}
        assert n_gone not in nov_by or n_gone in removed
        assert nov_by[n_edit]["subject"] == "edited"
        assert "@removed" not in nov_by[n_new]
        assert not {d_del, d_new, d_keep} & set(nov_by)
        assert n_keep not in nov_by

        # The series is deleted: December never hears of it; November loses its instances.
        await me.delete(f"/events/{series}")
        dec_changes, dec_link = await drain(me, dec_link, page_size=3)
        assert dec_changes == []
        nov_changes, nov_link = await drain(me, nov_link, page_size=3)
        assert {c["id"] for c in nov_changes if "@removed" in c} >= set(occurrences[:2])
        # The moved event leaves December again: removed there, not mentioned in November.
        await me.delete(f"/events/{n_move}")
        dec_changes, _ = await drain(me, dec_link, page_size=3)
        assert [c["id"] for c in dec_changes] == [n_move]
        nov_changes, _ = await drain(me, nov_link, page_size=3)
        assert nov_changes == []


async def test_expired_delta_of_another_calendar_restarts_on_that_calendar(emu: Any) -> None:
    async with client(emu) as me:
        cal = (await me.post("/calendars", json={"name": "Team"})).json()["id"]
        made = (await me.post(f"/calendars/{cal}/events", json=single("team", 3))).json()
        items, link = await drain(me, f"/calendars/{cal}/calendarView/delta", WINDOW)
        assert [i["id"] for i in items] == [made["id"]]
        emu.expire_delta_tokens()
        gone = await me.get(link)
        assert gone.status_code == 410
        restart, _ = await drain(me, gone.headers["Location"])
        assert [i["id"] for i in restart] == [made["id"]]
