"""Calendar management operations: create, rename/recolour and delete calendars.

``apply_calendar_op`` shows the change in the cache at once (a created calendar under its
local placeholder id), ``revert_calendar`` puts it back, ``overlay_calendars`` re-applies the
queued ones on top of a freshly synced calendar list, and ``CalendarSender`` sends them.

Replays after a crash do no harm: before a creation is sent its queue row is marked as
attempted; a replay of an attempted creation first looks the calendar up by name (Graph
refuses a second calendar of the same name with 409, and so the lookup finds the one the
lost answer created). A first attempt that meets 409 fails for good: the user chose a name
already taken. A rename or recolour is a PATCH (idempotent); a delete treats 404 as done.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from olk_tui.domain.calendar import Calendar, Event
from olk_tui.domain.errors import Conflict
from olk_tui.domain.operations import CreateCalendar, DeleteCalendar, Operation, UpdateCalendar
from olk_tui.graph.bodies import json_object
from olk_tui.graph.mapping import calendar_from_json
from olk_tui.store import AsyncStore, Store, codec

if TYPE_CHECKING:
    from olk_tui.graph.client import GraphClient  # made after the first paint (see sync.account)

CALENDAR_OPS = (CreateCalendar, UpdateCalendar, DeleteCalendar)


def _q(value: str) -> str:
    return quote(value, safe="=-_")


def apply_calendar_op(store: Store, op: Operation) -> list[dict[str, Any]]:
    """Change the cached calendar list as ``op`` will; returns the snapshot to revert it."""
    if isinstance(op, CreateCalendar):
        if not op.local_id:
            return []
        store.calendar.upsert_calendar(Calendar(op.local_id, op.name, op.color or "auto"))
        return [{"placeholder_calendar": op.local_id}]
    if isinstance(op, UpdateCalendar):
        cal = store.calendar.calendar(op.calendar_id)
        if cal is None:
            return []
        store.calendar.upsert_calendar(_updated(cal, op))
        return [{"calendar": codec.to_data(cal)}]
    if isinstance(op, DeleteCalendar):
        cal = store.calendar.calendar(op.calendar_id)
        if cal is None:
            return []
        position = store.calendar.calendar_position(op.calendar_id)
        events = store.calendar.remove_calendar(op.calendar_id)
        return [{"calendar": codec.to_data(cal), "position": position,
                 "events": [codec.to_data(e) for e in events]}]
    return []


def _updated(cal: Calendar, op: UpdateCalendar) -> Calendar:
    changes: dict[str, Any] = {}
    if op.name is not None:
        changes["name"] = op.name
    if op.color is not None:
        changes["color"] = op.color
        changes["hex_color"] = ""  # Graph derives it from the named colour
    return replace(cal, **changes)


def revert_calendar(store: Store, op: Operation, snapshot: list[dict[str, Any]]) -> None:
    """Put back what a failed calendar operation changed."""
    for row in snapshot:
        if "placeholder_calendar" in row:
            store.calendar.remove_calendar(row["placeholder_calendar"])
        elif "calendar" in row:
            cal = codec.from_data(Calendar, row["calendar"])
            store.calendar.upsert_calendar(cal, row.get("position"))
            store.calendar.upsert_events(codec.from_data(Event, e)
                                         for e in row.get("events", []))


def overlay_calendars(store: Store) -> None:
    """Re-apply queued calendar operations after the list was replaced by the server's."""
    for queued in store.queue.pending(10_000):
        op = queued.op
        if isinstance(op, CreateCalendar) and op.local_id:
            if store.queue.delta_link(f"calendar-map:{op.local_id}") is None:
                store.calendar.upsert_calendar(Calendar(op.local_id, op.name,
                                                        op.color or "auto"))
        elif isinstance(op, UpdateCalendar):
            cal = store.calendar.calendar(op.calendar_id)
            if cal is not None:
                store.calendar.upsert_calendar(_updated(cal, op))
        elif isinstance(op, DeleteCalendar):
            store.calendar.remove_calendar(op.calendar_id)


class CalendarSender:
    """Sends one calendar operation (``ItemOps`` settles the queue row)."""

    def __init__(self, store: AsyncStore, client: GraphClient) -> None:
        self._store = store
        self._client = client

    async def resolve(self, calendar_id: str | None) -> str | None:
        """The real id of a calendar created under a local placeholder id."""
        if not calendar_id:
            return calendar_id
        real = await self._store.run(
            lambda s: s.queue.delta_link(f"calendar-map:{calendar_id}"))
        return real or calendar_id

    async def send(self, op: Operation, seq: int) -> None:
        """Send ``op`` (queue row ``seq``); Graph errors propagate."""
        if isinstance(op, CreateCalendar):
            await self._create(op, seq)
        elif isinstance(op, UpdateCalendar):
            cid = await self.resolve(op.calendar_id) or ""
            body: dict[str, Any] = {}
            if op.name is not None:
                body["name"] = op.name
            if op.color is not None:
                body["color"] = op.color
            data = json_object(await self._client.request(
                "PATCH", f"/me/calendars/{_q(cid)}", json=body))
            cal = calendar_from_json(data)
            if cal.id:
                await self._store.tx(lambda s: s.calendar.upsert_calendar(cal))
        elif isinstance(op, DeleteCalendar):
            cid = await self.resolve(op.calendar_id) or ""
            await self._client.request("DELETE", f"/me/calendars/{_q(cid)}")

    async def _create(self, op: CreateCalendar, seq: int) -> None:
        marker = f"attempted:{seq}"
        replay = bool(await self._store.run(lambda s: s.queue.get(marker)))
        found = await self._find(op.name) if replay else None
        if found is None:
            await self._store.tx(lambda s: s.queue.put(marker, "1"))
            body: dict[str, Any] = {"name": op.name}
            if op.color and op.color != "auto":
                body["color"] = op.color
            try:
                found = json_object(await self._client.request(
                    "POST", "/me/calendars", json=body, idempotent=False))
            except Conflict:
                found = await self._find(op.name) if replay else None
                if found is None:
                    raise
        cal = calendar_from_json(found)
        local = op.local_id

        def record(s: Store) -> None:
            s.queue.put(marker, None)
            if not local:
                s.calendar.upsert_calendar(cal)
                return
            s.queue.set_delta_link(f"calendar-map:{local}", cal.id)
            position = s.calendar.calendar_position(local)
            s.calendar.move_events_to_calendar(local, cal.id)
            s.calendar.remove_calendar(local)
            s.calendar.upsert_calendar(cal, position)

        await self._store.tx(record)

    async def _find(self, name: str) -> dict[str, Any] | None:
        async for item in self._client.items("/me/calendars", params={"$top": "100"}):
            if str(item.get("name", "")).casefold() == name.casefold():
                return item
        return None

