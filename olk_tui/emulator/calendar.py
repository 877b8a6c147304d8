"""Graph calendar routes: calendars (list, get, create, update, delete) and events (list, get,
create incl. recurrence, update, delete), for ``/me/...`` and ``/users/{id}/...``.

Meeting actions (accept, decline, cancel, invitations) are in ``calendar_actions.py`` and the
calendarView, instances and delta in ``calendar_view.py``; :func:`register` wires all three.
"""

from __future__ import annotations

from typing import Any

from olk_tui.emulator import calendar_actions, calendar_extras, calendar_view
from olk_tui.emulator import calendar_store as store
from olk_tui.emulator import calendar_transactions as transactions
from olk_tui.emulator import recurrence as rec
from olk_tui.emulator.calendar_http import (
    calendar_scope,
    find_mailbox,
    now,
    output_zone,
    page,
    render_event,
    select,
    user_context,
)
from olk_tui.emulator.calendar_tz import parse_dtz
from olk_tui.emulator.router import Request, Response, Router, bad_request, graph_error, not_found

_READ_ONLY = ("id", "@odata.etag", "changeKey", "createdDateTime", "lastModifiedDateTime",
              "type", "seriesMasterId", "isOrganizer", "organizer", "iCalUId", "uid")


def register(router: Router) -> None:
    """Add the calendar routes to ``router``."""
    router.add("GET", "/me/calendars", list_calendars)
    router.add("POST", "/me/calendars", create_calendar)
    for base in ("/me/calendar", "/me/calendars/{cid}"):
        router.add("GET", base, get_calendar)
        router.add("PATCH", base, update_calendar)
        router.add("DELETE", base, delete_calendar)
    for base in ("/me", "/me/calendar", "/me/calendars/{cid}"):
        router.add("GET", base + "/events", list_events)
        router.add("POST", base + "/events", create_event)
        router.add("GET", base + "/events/{id}", get_event)
        router.add("PATCH", base + "/events/{id}", update_event)
        router.add("DELETE", base + "/events/{id}", delete_event)
    calendar_actions.register(router)
    calendar_extras.register(router)
    calendar_view.register(router)


# ---------------------------------------------------------------- calendars
def _calendar(req: Request) -> dict[str, Any] | None:
    return store.resolve_calendar(req.mailbox, req.params.get("cid"))


def _calendar_out(req: Request, cal: dict[str, Any]) -> dict[str, Any]:
    out = {"@odata.context": req.context_url("me/calendars/$entity"),
           "@odata.id": req.mailbox_url(f"/calendars('{cal['id']}')")}
    return out | cal


def list_calendars(req: Request) -> Response:
    """GET /me/calendars."""
    store.data(req.mailbox)
    items = [{"@odata.id": req.mailbox_url(f"/calendars('{cal['id']}')"), **cal}
             for cal in req.mailbox.calendars.values()]
    return page(req, items, context=user_context(req, "calendars"), default_top=10)


def create_calendar(req: Request) -> Response:
    """POST /me/calendars: 201 with the calendar."""
    body = req.json_object()
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        return bad_request("The calendar name is required.", req, "ErrorInvalidRequest")
    store.data(req.mailbox)
    if any(c.get("name", "").lower() == name.lower() for c in req.mailbox.calendars.values()):
        return graph_error(409, "ErrorFolderExists",
                           "A folder with the specified name already exists.", req)
    body = {k: v for k, v in body.items() if k not in ("id", "isDefaultCalendar", "owner")}
    cal = store.add_calendar(req.mailbox, body)
    return Response.ok(_calendar_out(req, cal), status=201)


def get_calendar(req: Request) -> Response:
    """GET /me/calendar and /me/calendars/{id}."""
    cal = _calendar(req)
    if cal is None:
        return not_found(req)
    return Response.ok(select(_calendar_out(req, cal), req))


def update_calendar(req: Request) -> Response:
    """PATCH a calendar (name, color, hexColor...); 200 with the calendar."""
    cal = _calendar(req)
    if cal is None:
        return not_found(req)
    body = req.json_object()
    if not cal.get("canEdit", True):
        return graph_error(403, "ErrorAccessDenied", "Access is denied. Check credentials and "
                           "try again.", req)
    for key, value in body.items():
        if key not in ("id", "isDefaultCalendar", "owner", "changeKey", "canEdit"):
            cal[key] = value
    cal["changeKey"] = store.change_key(req.mailbox, cal["id"] + str(len(body)))
    return Response.ok(_calendar_out(req, cal))


def delete_calendar(req: Request) -> Response:
    """DELETE a calendar and its events; the default calendar cannot be deleted."""
    cal = _calendar(req)
    if cal is None:
        return not_found(req)
    if cal.get("isDefaultCalendar") or cal["id"] == store.data(req.mailbox).default_calendar_id:
        return graph_error(400, "ErrorCannotDeleteObject",
                           "The default calendar cannot be deleted.", req)
    for ev in store.events_in(req.mailbox, cal["id"]):
        store.delete_event(req.mailbox, ev["id"])
    del req.mailbox.calendars[cal["id"]]
    return Response.empty(204)


# ------------------------------------------------------------------- events
def _event_for(req: Request) -> tuple[dict[str, Any] | None, Any]:
    """Resolve ``{id}`` (an event or an occurrence id) within the addressed calendar."""
    master, original = store.resolve_event(req.mailbox, req.params["id"])
    if master is None:
        return None, None
    cid = req.params.get("cid")
    if cid is not None and store.data(req.mailbox).event_calendar.get(master["id"]) != cid:
        return None, None
    return master, original


def _event_context(req: Request, master_id: str) -> str:
    """``users('{id}')/events/$entity``, or ``.../calendars('{id}')/events/$entity`` for a
    calendar-scoped path (samples ``user-post-events``, ``calendar-post-events``)."""
    cal_id = store.data(req.mailbox).event_calendar.get(master_id)
    return req.context_url(user_context(req, calendar_scope(req, cal_id) + "events",
                                        entity=True))


def event_out(req: Request, ev: dict[str, Any], tz_name: str) -> dict[str, Any]:
    """An event as served: shown in ``tz_name`` and ``$select``-ed."""
    return select(render_event(ev, tz_name), req)


def list_events(req: Request) -> Response:
    """GET /me/events: series masters and single instances (not occurrences, FACTS 27)."""
    cal = _calendar(req)
    if cal is None:
        return not_found(req)
    tz_name, headers = output_zone(req)
    events = store.events_in(req.mailbox, cal["id"])
    order = req.query.get("$orderby", "")
    if order.lower().startswith("start/datetime"):
        events.sort(key=_start_key, reverse=order.lower().endswith("desc"))
    items = [render_event(ev, tz_name) for ev in events]
    context = user_context(req, calendar_scope(req, cal["id"]) + "events")
    return page(req, items, context=context, default_top=10, headers=headers)


def _start_key(ev: dict[str, Any]) -> float:
    try:
        return parse_dtz(ev.get("start")).timestamp()
    except ValueError:
        return 0.0


def get_event(req: Request) -> Response:
    """GET one event, occurrence or exception."""
    master, original = _event_for(req)
    if master is None:
        return not_found(req)
    ev = master if original is None else store.get_occurrence(req.mailbox, master, original)
    tz_name, headers = output_zone(req)
    body = {"@odata.context": _event_context(req, master["id"])} | event_out(req, ev, tz_name)
    return Response.ok(body, headers=headers)


_SHAPES: dict[str, type | tuple[type, ...]] = {
    "subject": str, "body": dict, "location": dict, "locations": list, "attendees": list,
    "categories": list, "isAllDay": bool, "showAs": str, "sensitivity": str, "importance": str,
    "isReminderOn": bool, "reminderMinutesBeforeStart": int, "isOnlineMeeting": bool,
    "responseRequested": bool, "allowNewTimeProposals": bool, "organizer": dict,
    "recurrence": (dict, type(None)),
}


def _validate_shapes(body: dict[str, Any], req: Request) -> Response | None:
    """400 for properties of the wrong JSON type (Graph: RequestBodyRead)."""
    for key, kind in _SHAPES.items():
        if key in body and body[key] is not None and not isinstance(body[key], kind):
            return bad_request(f"Cannot convert the literal for property '{key}'.", req,
                               "RequestBodyRead")
    for attendee in body.get("attendees") or []:
        who = attendee.get("emailAddress") if isinstance(attendee, dict) else None
        if not isinstance(who, dict) or not isinstance(who.get("address"), str):
            return bad_request("Each attendee needs an emailAddress with an address.", req,
                               "ErrorInvalidRecipients")
    return None


def _validate_times(body: dict[str, Any], req: Request, *, creating: bool) -> Response | None:
    problem = _validate_shapes(body, req)
    if problem is not None:
        return problem
    for key in ("start", "end"):
        if key not in body:
            if creating:
                return bad_request(f"The '{key}' property is required.", req,
                                   "ErrorInvalidRequest")
            continue
        try:
            parse_dtz(body[key])
        except ValueError as exc:
            return bad_request(f"Invalid '{key}': {exc}", req, "ErrorInvalidRequest")
    if "start" in body and "end" in body and parse_dtz(body["end"]) < parse_dtz(body["start"]):
        return bad_request("The end of the event is before its start.", req,
                           "ErrorInvalidRequest")
    if body.get("isAllDay") and "start" in body and "end" in body:
        for key in ("start", "end"):
            if not str(body[key].get("dateTime", "")).split("T")[-1].startswith("00:00:00") \
                    and "T" in str(body[key].get("dateTime", "")):
                return bad_request("An all-day event must start and end at midnight.", req,
                                   "ErrorPropertyValidationFailure")
    if body.get("recurrence") is not None:
        try:
            rec.validate(body["recurrence"])
        except rec.RecurrenceError as exc:
            return bad_request(str(exc), req, "ErrorPropertyValidationFailure")
    return None


def create_event(req: Request) -> Response:
    """POST an event: 201 with it; local attendees get a copy and an invitation."""
    cal = _calendar(req)
    if cal is None:
        return not_found(req)
    body = req.json_object()
    problem = _validate_times(body, req, creating=True)
    if problem is not None:
        return problem
    if not cal.get("canEdit", True):
        return graph_error(403, "ErrorAccessDenied", "Access is denied. Check credentials and "
                           "try again.", req)
    tz_name, headers = output_zone(req)
    digest = transactions.fingerprint(cal["id"], body)  # before anything fills the body in
    known = transactions.existing_for(req.mailbox, cal["id"], body)
    if known is not None:  # a retried creation: the event the first POST made, no new invites
        out = {"@odata.context": _event_context(req, known["id"])} | render_event(
            known, tz_name)
        return Response.ok(out, status=201, headers=headers)
    ev = {k: v for k, v in body.items() if k not in _READ_ONLY}
    store.complete_attendees(ev, _local_names(req, ev))
    if ev.get("recurrence") is not None:
        ev["recurrence"].setdefault("range", {}).setdefault(
            "recurrenceTimeZone", ev["start"].get("timeZone") or "UTC")
    moment = now(req)
    ev = store.add_event(req.mailbox, ev, cal["id"], now=moment)
    transactions.remember(req.mailbox, ev, body, digest)
    calendar_actions.invite(req, ev)
    out = {"@odata.context": _event_context(req, ev.get("seriesMasterId") or ev["id"])} \
        | render_event(ev, tz_name)
    return Response.ok(out, status=201, headers=headers)


def _local_names(req: Request, ev: dict[str, Any]) -> dict[str, str]:
    names = {}
    for attendee in ev.get("attendees") or []:
        address = ((attendee or {}).get("emailAddress") or {}).get("address") \
            if isinstance(attendee, dict) else None
        box = find_mailbox(req, address) if isinstance(address, str) else None
        if box is not None:
            names[address.lower()] = box.name
    return names


def update_event(req: Request) -> Response:
    """PATCH an event, or an occurrence (which becomes an exception); 200 with it."""
    master, original = _event_for(req)
    if master is None:
        return not_found(req)
    body = req.json_object()
    problem = _validate_times(body, req, creating=False)
    if problem is not None:
        return problem
    patch = {k: v for k, v in body.items() if k not in _READ_ONLY}
    moment = now(req)
    if original is not None:
        store.set_exception(req.mailbox, master["id"], original, patch, moment)
        calendar_actions.propagate_exception(req, master, original, patch)
        ev = store.get_occurrence(req.mailbox, master, original)
    else:
        if "recurrence" in patch and patch["recurrence"] is not None:
            patch["recurrence"].setdefault("range", {}).setdefault(
                "recurrenceTimeZone", (patch.get("start") or master["start"]).get("timeZone"))
        for key, value in patch.items():
            master[key] = value
        if "recurrence" in patch:
            master["type"] = "seriesMaster" if patch["recurrence"] else "singleInstance"
        if "body" in patch:
            master["bodyPreview"] = store.body_preview(master["body"])
        store.complete_location(master)
        store.complete_attendees(master, _local_names(req, master))
        store.complete_online_meeting(master)
        store.touch_event(req.mailbox, master["id"], moment)
        calendar_actions.propagate_update(req, master, patch)
        ev = master
    tz_name, headers = output_zone(req)
    out = {"@odata.context": _event_context(req, ev.get("seriesMasterId") or ev["id"])} \
        | render_event(ev, tz_name)
    return Response.ok(out, headers=headers)


def delete_event(req: Request) -> Response:
    """DELETE an event (an organizer's delete cancels it for local attendees) or occurrence."""
    master, original = _event_for(req)
    if master is None:
        return not_found(req)
    if original is not None:
        store.delete_occurrence(req.mailbox, master["id"], original)
        if master.get("isOrganizer"):
            calendar_actions.propagate_exception(req, master, original, {"isCancelled": True})
        return Response.empty(204)
    if master.get("isOrganizer") and master.get("attendees") and not master.get("isCancelled"):
        calendar_actions.notify_cancel(req, master, None, "")
    store.delete_event(req.mailbox, master["id"])
    return Response.empty(204)
