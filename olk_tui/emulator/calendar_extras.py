"""Smaller calendar endpoints: calendarGroups, reminderView, snoozeReminder/dismissReminder,
event forward (202) and event attachments (list, get, add 201, delete 204).

Event attachments live in ``mailbox.extra["event_attachments"][event_id][attachment_id]``.
"""

from __future__ import annotations

import base64
import copy
import re
import uuid
from datetime import datetime, timedelta
from typing import Any

from olk_tui.emulator import calendar_actions
from olk_tui.emulator import calendar_store as store
from olk_tui.emulator.calendar_http import (
    camel_keys,
    find_mailbox,
    now,
    output_zone,
    page,
    select,
)
from olk_tui.emulator.calendar_tz import format_dtz, format_utc, parse_dtz, parse_query_datetime
from olk_tui.emulator.router import Request, Response, Router, bad_request, not_found

_ARG = re.compile(r"(\w+)\s*=\s*'([^']*)'?")


def register(router: Router) -> None:
    """Add the routes of this module."""
    router.add("GET", "/me/calendarGroups", calendar_groups)
    router.add("GET", "/me/reminderView/{args}", reminder_view)
    for base in ("/me/events/{id}", "/me/calendar/events/{id}",
                 "/me/calendars/{cid}/events/{id}"):
        router.add("POST", base + "/snoozeReminder", snooze)
        router.add("POST", base + "/dismissReminder", dismiss)
        router.add("POST", base + "/forward", forward)
        router.add("GET", base + "/attachments", list_attachments)
        router.add("POST", base + "/attachments", add_attachment)
        router.add("GET", base + "/attachments/{aid}", get_attachment)
        router.add("DELETE", base + "/attachments/{aid}", delete_attachment)


def calendar_groups(req: Request) -> Response:
    """GET /me/calendarGroups: the one "My Calendars" group."""
    store.data(req.mailbox)
    group_id = req.mailbox.calendar_groups.get("default", {}).get("id")
    if group_id is None:
        group = {"name": "My Calendars", "classId": "0006f0b7-0000-0000-c000-000000000046",
                 "changeKey": base64.b64encode(b"olk-tui-group").decode(),
                 "id": req.mailbox.ids.new(b"G")}
        req.mailbox.calendar_groups["default"] = group
    return page(req, list(req.mailbox.calendar_groups.values()),
                context="me/calendarGroups", default_top=10)


def reminder_view(req: Request) -> Response:
    """GET /me/reminderView(startDateTime='...',endDateTime='...')."""
    args = {k.lower(): v for k, v in _ARG.findall(req.params["args"])}
    try:
        window = (parse_query_datetime(args["startdatetime"]),
                  parse_query_datetime(args["enddatetime"]))
    except (KeyError, ValueError):
        return bad_request("reminderView needs startDateTime and endDateTime.", req,
                           "ErrorInvalidParameter")
    tz_name, headers = output_zone(req)
    cal_id = store.data(req.mailbox).default_calendar_id
    floating = store.floating_zone(req.mailbox)
    value = []
    for ev in store.view(req.mailbox, [cal_id], (window[0] - timedelta(days=14), window[1])):
        if not ev.get("isReminderOn") or ev.get("isCancelled"):
            continue
        start, end = store.event_bounds(ev, floating)
        fire = start - timedelta(minutes=int(ev.get("reminderMinutesBeforeStart") or 0))
        if not window[0] <= fire < window[1]:
            continue
        value.append({
            "eventId": ev["id"], "changeKey": ev.get("changeKey"),
            "eventSubject": ev.get("subject"), "eventWebLink": ev.get("webLink"),
            "eventStartTime": format_dtz(start, tz_name), "eventEndTime": format_dtz(end, tz_name),
            "eventLocation": {"displayName": (ev.get("location") or {}).get("displayName", "")},
            "reminderFireTime": format_dtz(fire, tz_name)})
    body = {"@odata.context": req.context_url("Collection(microsoft.graph.reminder)"),
            "value": value}
    return Response.ok(body, headers=headers)


def _event(req: Request) -> tuple[dict[str, Any] | None, datetime | None]:
    return store.resolve_event(req.mailbox, req.params["id"])


def snooze(req: Request) -> Response:
    """POST .../snoozeReminder: 200 with no body."""
    master, _original = _event(req)
    if master is None:
        return not_found(req)
    when = camel_keys(req.json_object()).get("newReminderTime")
    try:
        moment = parse_dtz(when)
    except ValueError:
        return bad_request("newReminderTime must be a dateTimeTimeZone.", req,
                           "ErrorInvalidParameter")
    req.mailbox.extra.setdefault("snoozed_reminders", {})[req.params["id"]] = moment
    return Response.empty(200)


def dismiss(req: Request) -> Response:
    """POST .../dismissReminder: 200 with no body; the reminder is off."""
    master, original = _event(req)
    if master is None:
        return not_found(req)
    if original is None:
        master["isReminderOn"] = False
        store.touch_event(req.mailbox, master["id"], now(req))
    else:
        store.set_exception(req.mailbox, master["id"], original, {"isReminderOn": False},
                            now(req))
    return Response.empty(200)


def forward(req: Request) -> Response:
    """POST .../forward: 202; local recipients get the meeting request."""
    master, original = _event(req)
    if master is None:
        return not_found(req)
    body = camel_keys(req.json_object())
    recipients = body.get("toRecipients")
    if not isinstance(recipients, list) or not recipients:
        return bad_request("toRecipients is required.", req, "ErrorInvalidRecipients")
    about = master if original is None else store.get_occurrence(req.mailbox, master, original)
    comment = body.get("comment") if isinstance(body.get("comment"), str) else ""
    for rcpt in recipients:
        address = ((rcpt or {}).get("emailAddress") or {}).get("address", "") \
            if isinstance(rcpt, dict) else ""
        box = find_mailbox(req, address)
        if box is None or box is req.mailbox:
            continue
        message = calendar_actions.meeting_message(
            req, about, odata_type="#microsoft.graph.eventMessageRequest",
            kind="meetingRequest", subject_prefix="FW", sender=store.owner_of(req.mailbox),
            to=[{"emailAddress": {"name": box.name, "address": box.address}}], comment=comment)
        calendar_actions.deliver(req, box, message, None)
    return Response.empty(202)


# ------------------------------------------------------------- attachments
def _attachments(req: Request) -> dict[str, dict[str, Any]] | None:
    master, original = _event(req)
    if master is None or original is not None:
        return None
    return req.mailbox.extra.setdefault("event_attachments", {}).setdefault(master["id"], {})


def list_attachments(req: Request) -> Response:
    """GET .../attachments."""
    atts = _attachments(req)
    if atts is None:
        return not_found(req)
    return page(req, [copy.deepcopy(a) for a in atts.values()], context="me/events/attachments",
                default_top=100)


def get_attachment(req: Request) -> Response:
    """GET .../attachments/{id}."""
    atts = _attachments(req)
    att = None if atts is None else atts.get(req.params["aid"])
    if att is None:
        return not_found(req)
    return Response.ok({"@odata.context": req.context_url("me/events/attachments/$entity")}
                       | select(att, req))


def add_attachment(req: Request) -> Response:
    """POST .../attachments: a file or item attachment; 201."""
    atts = _attachments(req)
    if atts is None:
        return not_found(req)
    body = req.json_object()
    kind = str(body.get("@odata.type") or "#microsoft.graph.fileAttachment").lstrip("#")
    kind = "#" + (kind if kind.startswith("microsoft.graph.") else "microsoft.graph." + kind)
    if not isinstance(body.get("name"), str):
        return bad_request("name is required.", req, "ErrorInvalidRequest")
    att: dict[str, Any] = {"@odata.type": kind, "id": req.mailbox.ids.new(b"A"),
                           "lastModifiedDateTime": format_utc(now(req))[:19] + "Z",
                           "name": body["name"], "isInline": bool(body.get("isInline", False))}
    if kind.endswith("fileAttachment"):
        raw = body.get("contentBytes")
        try:
            data = base64.b64decode(raw or "", validate=True)
        except ValueError:
            return bad_request("contentBytes is not valid base64.", req, "ErrorInvalidRequest")
        att.update({"contentType": body.get("contentType") or "application/octet-stream",
                    "size": len(data), "contentId": body.get("contentId"),
                    "contentLocation": None, "contentBytes": raw or ""})
    elif kind.endswith("itemAttachment"):
        item = body.get("item") if isinstance(body.get("item"), dict) else {}
        att.update({"contentType": None, "size": len(str(item)),
                    "item": {**item, "id": str(uuid.uuid4())}})
    else:
        return bad_request("Unsupported attachment type.", req, "ErrorInvalidRequest")
    atts[att["id"]] = att
    master, _ = _event(req)
    if master is not None:
        att["@odata.id"] = req.mailbox_url(f"/events('{master['id']}')/attachments('{att['id']}')")
    if master is not None:
        master["hasAttachments"] = True
        store.touch_event(req.mailbox, master["id"], now(req))
    out = {"@odata.context": req.context_url("me/events/attachments/$entity")} | att
    out.pop("item", None) if kind.endswith("itemAttachment") else None
    return Response.ok(out, status=201)


def delete_attachment(req: Request) -> Response:
    """DELETE .../attachments/{id}: 204."""
    atts = _attachments(req)
    if atts is None or req.params["aid"] not in atts:
        return not_found(req)
    del atts[req.params["aid"]]
    master, _ = _event(req)
    if master is not None:
        master["hasAttachments"] = bool(atts)
        store.touch_event(req.mailbox, master["id"], now(req))
    return Response.empty(204)
