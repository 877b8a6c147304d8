"""calendarView (with recurrence expansion), a series' instances, and calendarView delta.

calendarView requires ``startDateTime`` and ``endDateTime`` (FACTS 27). Delta (FACTS 3, 5-9)
takes them on the first call only, refuses ``$select``, pages with
``Prefer: odata.maxpagesize``, reports removals as ``@removed`` and answers an expired token
with ``410 Gone`` / ``SyncStateNotFound`` and a ``Location`` holding a fresh initial URL.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any
from urllib.parse import quote

from olk_tui.emulator import calendar_store as store
from olk_tui.emulator import recurrence as rec
from olk_tui.emulator.calendar_http import (
    calendar_scope,
    odata_key,
    output_zone,
    page,
    render_event,
    required_window,
    user_context,
)
from olk_tui.emulator.router import Request, Response, Router, bad_request, graph_error, not_found

DEFAULT_DELTA_PAGE = 10


def register(router: Router) -> None:
    """Add calendarView, instances and delta routes."""
    for base in ("/me", "/me/calendar", "/me/calendars/{cid}"):
        router.add("GET", base + "/calendarView", calendar_view)
        router.add("GET", base + "/calendarView/delta", calendar_view_delta)
    for base in ("/me/events/{id}", "/me/calendar/events/{id}",
                 "/me/calendars/{cid}/events/{id}"):
        router.add("GET", base + "/instances", instances)


def expire_delta_tokens(mailbox: Any) -> None:
    """Invalidate every calendarView delta token of ``mailbox`` (tests; the cache evicts)."""
    store.data(mailbox).delta_epoch += 1


def _epoch(req: Request) -> int:
    """Token generation: this mailbox's and the emulator-wide one (``expire_delta_tokens``)."""
    return store.data(req.mailbox).delta_epoch * 1_000_003 + int(
        getattr(req.emulator, "delta_epoch", 0) or 0)


def _calendar_id(req: Request) -> str | None:
    cal = store.resolve_calendar(req.mailbox, req.params.get("cid"))
    return None if cal is None else cal["id"]


def calendar_view(req: Request) -> Response:
    """GET .../calendarView?startDateTime&endDateTime: instances overlapping the window."""
    window = required_window(req)
    if isinstance(window, Response):
        return window
    cal_id = _calendar_id(req)
    if cal_id is None:
        return not_found(req)
    tz_name, headers = output_zone(req)
    if "$select" in req.query:  # FACTS 26: these two cannot be selected on calendarView
        req.query["$select"] = ",".join(
            f for f in req.query["$select"].split(",")
            if f.strip() not in ("createdDateTime", "lastModifiedDateTime"))
    items = [render_event(ev, tz_name) for ev in store.view(req.mailbox, [cal_id], window)]
    order = req.query.get("$orderby", "").lower()
    if order.startswith("start/datetime") and order.endswith("desc"):
        items.reverse()
    context = user_context(req, calendar_scope(req, cal_id) + "calendarView")
    return page(req, items, context=context, default_top=10, max_top=1000, headers=headers)


def instances(req: Request) -> Response:
    """GET /me/events/{id}/instances?startDateTime&endDateTime."""
    window = required_window(req)
    if isinstance(window, Response):
        return window
    master = req.mailbox.events.get(req.params["id"])
    if master is None:
        return not_found(req)
    tz_name, headers = output_zone(req)
    found = store.series_instances(req.mailbox, master, window) if master.get("recurrence") \
        else []
    items = [render_event(ev, tz_name) for ev in found]
    cal_id = store.data(req.mailbox).event_calendar.get(master["id"])
    context = user_context(req, calendar_scope(req, cal_id)
                           + f"events('{odata_key(master['id'])}')/instances")
    return page(req, items, context=context, default_top=10, headers=headers)


# -------------------------------------------------------------------- delta
def _encode(token: dict[str, Any]) -> str:
    raw = json.dumps(token, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(text: str) -> dict[str, Any] | None:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        token = json.loads(raw)
    except (ValueError, TypeError):
        return None
    return token if isinstance(token, dict) else None


def _page_size(req: Request) -> int:
    raw = req.prefer.get("odata.maxpagesize", "")
    try:
        return max(1, min(int(raw), 1000))
    except ValueError:
        return DEFAULT_DELTA_PAGE


def _delta_url(req: Request, key: str, token: dict[str, Any]) -> str:
    return req.mailbox_url("/calendarView/delta") + f"?${key}={quote(_encode(token))}" \
        if "cid" not in req.params else \
        req.mailbox_url(f"/calendars/{req.params['cid']}/calendarView/delta") \
        + f"?${key}={quote(_encode(token))}"


def _removed(event_id: str) -> dict[str, Any]:
    return {"@odata.type": "#microsoft.graph.event", "id": event_id,
            "@removed": {"reason": "deleted"}}


def _owner(mailbox: Any, item: dict[str, Any]) -> str:
    """The stored event an item of the view comes from (a series master for occurrences)."""
    item_id = str(item.get("id"))
    if item_id in mailbox.events:
        return item_id
    return str(item.get("seriesMasterId") or item_id)


def _known(mailbox: Any, items: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Stored event id -> ids the client was given for it in this window."""
    known: dict[str, set[str]] = {}
    for item in items:
        known.setdefault(_owner(mailbox, item), set()).add(str(item.get("id")))
    return known


def _current(req: Request, cal_id: str, window: tuple[datetime, datetime], event_id: str
             ) -> list[dict[str, Any]]:
    """What stored event ``event_id`` shows in the window now (nothing if gone or elsewhere)."""
    mailbox = req.mailbox
    ev = mailbox.events.get(event_id)
    if ev is None or store.data(mailbox).event_calendar.get(event_id) != cal_id:
        return []
    if ev.get("recurrence"):
        return _expand(mailbox, ev, window)
    try:
        start, end = store.event_bounds(ev, store.floating_zone(mailbox))
    except (ValueError, KeyError, TypeError):
        return []
    inside = start < window[1] and (end > window[0] or (start == end and start >= window[0]))
    return [ev] if inside else []


def _changes(req: Request, cal_id: str, window: tuple[datetime, datetime], since: int,
             known: dict[str, set[str]]) -> tuple[list[dict[str, Any]], dict[str, set[str]]]:
    """What changed in the window since change ``since``, and what the client then knows.

    Only events that are or were in this window are reported: current ones in full, and a
    tombstone for every id the client was given here that is no longer in the window (deleted,
    moved out, moved to another calendar). An event that was never in the window is not
    mentioned, whatever happened to it.
    """
    mailbox = req.mailbox
    after = {k: set(v) for k, v in known.items()}
    out: list[dict[str, Any]] = []
    for event_id in mailbox.changes.since(store.EVENTS, since):
        current = _current(req, cal_id, window, event_id)
        now_ids = {str(item.get("id")) for item in current}
        before = after.pop(event_id, set())
        out.extend(current)
        out.extend(_removed(gone) for gone in sorted(before - now_ids))
        if before and not current and before != {event_id} and event_id not in mailbox.events:
            out.append(_removed(event_id))  # a deleted series: its master id too
        if now_ids:
            after[event_id] = now_ids
    return out, after


def _expand(mailbox: Any, master: dict[str, Any], window: tuple[datetime, datetime]
            ) -> list[dict[str, Any]]:
    try:
        return store.series_instances(mailbox, master, window)
    except (rec.RecurrenceError, ValueError, KeyError):
        return []


def calendar_view_delta(req: Request) -> Response:
    """GET .../calendarView/delta (initial, ``$skiptoken`` pages, ``$deltatoken`` rounds).

    A round's items and what the client knows afterwards (per stored event, the ids it was
    given in this window) are kept server-side in ``emu.tokens``; the opaque token names them.
    An evicted or expired state answers 410 ``SyncStateNotFound`` (FACTS 7-9).
    """
    if "$select" in req.query:
        return bad_request("The query parameter '$select' is not supported with delta on "
                           "calendarView.", req, "ErrorInvalidRequest")
    cal_id = _calendar_id(req)
    if cal_id is None:
        return not_found(req)
    raw = req.query.get("$skiptoken") or req.query.get("$deltatoken")
    state: dict[str, Any] | None = None
    if raw is None:
        window = required_window(req)
        if isinstance(window, Response):
            return window
        token: dict[str, Any] = {"e": _epoch(req), "s": window[0].isoformat(),
                                 "t": window[1].isoformat(), "c": cal_id, "o": 0}
    else:
        decoded = _decode(raw)
        if decoded is None or not {"e", "s", "t", "n", "k", "o"} <= decoded.keys():
            return bad_request("The delta token is not valid.", req, "ErrorInvalidSyncStateData")
        token = decoded
        state = req.emulator.tokens.get(str(token["k"]))
        if (token["e"] != _epoch(req) or state is None
                or state.get("kind") != "calendar-delta" or token.get("c") != cal_id):
            return _expired(req, token)
    window = (datetime.fromisoformat(token["s"]), datetime.fromisoformat(token["t"]))
    if state is None or "$deltatoken" in req.query:
        if state is None:
            items = store.view(req.mailbox, [cal_id], window)
            known = _known(req.mailbox, items)
        else:
            items, known = _changes(req, cal_id, window, int(token["n"]), state["known"])
        key = req.emulator.tokens.put({"kind": "calendar-delta", "items": items,
                                       "known": known})
        token = {**token, "n": req.mailbox.changes.seq, "k": key, "o": 0}
        state = {"items": items}
    items = state["items"]
    size = _page_size(req)
    chunk = items[token["o"]:token["o"] + size]
    tz_name, headers = output_zone(req)
    value = [item if "@removed" in item else
             {"@odata.type": "#microsoft.graph.event", **render_event(item, tz_name)}
             for item in chunk]
    body: dict[str, Any] = {"@odata.context": req.context_url("Collection(event)")}
    if token["o"] + size < len(items):
        body["@odata.nextLink"] = _delta_url(req, "skiptoken", {**token, "o": token["o"] + size})
    else:
        body["@odata.deltaLink"] = _delta_url(req, "deltatoken", {**token, "o": 0})
    body["value"] = value
    if "odata.maxpagesize" in req.prefer:
        applied = f"odata.maxpagesize={size}"
        headers["Preference-Applied"] = ", ".join(
            p for p in (headers.get("Preference-Applied"), applied) if p)
    return Response.ok(body, headers=headers)


def _expired(req: Request, token: dict[str, Any]) -> Response:
    where = f"/calendars/{req.params['cid']}" if "cid" in req.params else ""
    fresh = (req.mailbox_url(where + "/calendarView/delta") + "?startDateTime="
             + quote(token["s"]) + "&endDateTime=" + quote(token["t"]))
    return graph_error(410, "SyncStateNotFound",
                       "The sync state generation is not found; generation=0.", req,
                       headers={"Location": fresh})
