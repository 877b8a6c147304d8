"""Meeting workflow between mailboxes of one emulator: invitations, responses and cancellations.

An organizer's event and each local attendee's copy share an ``iCalUId``. Creating a meeting
puts a copy in every local attendee's default calendar and an ``eventMessageRequest`` in their
Inbox; accept/tentativelyAccept/decline (202, FACTS 30) update the attendee's own copy and the
organizer's copy; cancel (organizer only, 202) marks the meeting cancelled everywhere and sends
``meetingCancelled`` messages. Attendees outside the emulator are only recorded.
"""

from __future__ import annotations

import base64
import copy
import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from olk_tui.emulator import calendar_store as store
from olk_tui.emulator import recurrence as rec
from olk_tui.emulator.calendar_http import (
    as_bool,
    camel_keys,
    find_mailbox,
    now,
    output_zone,
    render_event,
    select,
)
from olk_tui.emulator.calendar_tz import format_utc, parse_dtz
from olk_tui.emulator.router import Request, Response, Router, bad_request, graph_error, not_found

if TYPE_CHECKING:
    from olk_tui.emulator.state import Mailbox

RESPONSES = {"accept": "accepted", "tentativelyaccept": "tentativelyAccepted",
             "decline": "declined"}
_SHOW_AS = {"accepted": "busy", "tentativelyAccepted": "tentative", "declined": "free"}
_MESSAGE_TYPES = {"accepted": ("#microsoft.graph.eventMessageResponse", "meetingAccepted",
                               "Accepted"),
                  "tentativelyAccepted": ("#microsoft.graph.eventMessageResponse",
                                          "meetingTentativelyAccepted", "Tentative"),
                  "declined": ("#microsoft.graph.eventMessageResponse", "meetingDeclined",
                               "Declined")}


def register(router: Router) -> None:
    """Add the meeting action routes."""
    for base in ("/me/events/{id}", "/me/calendar/events/{id}",
                 "/me/calendars/{cid}/events/{id}"):
        for action in ("accept", "tentativelyAccept", "decline"):
            router.add("POST", f"{base}/{action}", respond)
        router.add("POST", base + "/cancel", cancel)
    router.add("GET", "/me/messages/{mid}/microsoft.graph.eventMessage/event", message_event)
    router.add("GET", "/me/messages/{mid}/event", message_event)


def linked_event(mailbox: Mailbox, message_id: str) -> dict[str, Any] | None:
    """The event a meeting message is about, for ``$expand=microsoft.graph.eventMessage/event``."""
    links = mailbox.extra.get("calendar_message_links", {})
    event_id = links.get(message_id)
    if event_id is None:
        return None
    master, original = store.resolve_event(mailbox, event_id)
    if master is None:
        return None
    return master if original is None else store.get_occurrence(mailbox, master, original)


def message_event(req: Request) -> Response:
    """GET /me/messages/{id}/microsoft.graph.eventMessage/event."""
    ev = linked_event(req.mailbox, req.params["mid"])
    if ev is None:
        return not_found(req)
    tz_name, headers = output_zone(req)
    body = {"@odata.context": req.context_url("me/events/$entity")}
    return Response.ok(body | select(render_event(ev, tz_name), req), headers=headers)


def _attendee_boxes(req: Request, ev: dict[str, Any]) -> list[Mailbox]:
    boxes: list[Mailbox] = []
    me = req.mailbox.address.lower()
    for attendee in ev.get("attendees") or []:
        address = ((attendee or {}).get("emailAddress") or {}).get("address") or ""
        if address.lower() == me:
            continue
        box = find_mailbox(req, address)
        if box is not None and box is not req.mailbox and box not in boxes:
            boxes.append(box)
    return boxes


def deliver(req: Request, box: Mailbox, message: dict[str, Any], event_id: str | None, *,
            folder: str = "inbox") -> None:
    """Put a meeting message in ``box``'s Inbox (or ``folder``), linked to ``event_id`` there.

    Meeting mail is placed directly rather than through the core's ``sending.deliver``: each
    attendee's message must link to that attendee's own copy of the event.
    """
    inbox = box.resolve_folder(folder)
    if inbox is None:
        return
    stored = box.add_message(message, inbox["id"], now=now(req))
    if event_id:
        box.extra.setdefault("calendar_message_links", {})[stored["id"]] = event_id


def meeting_message(req: Request, ev: dict[str, Any], *, odata_type: str, kind: str,
                    subject_prefix: str, sender: dict[str, str], to: list[dict[str, Any]],
                    comment: str = "") -> dict[str, Any]:
    """An eventMessage resource about ``ev`` (shape of ``eventmessage-get.1``)."""
    stamp = format_utc(now(req))
    body_html = ev.get("body", {}).get("content") or ""
    if comment:
        body_html = f"<html><body><p>{_escape(comment)}</p></body></html>"
    message: dict[str, Any] = {
        "@odata.type": odata_type,
        "receivedDateTime": stamp[:19] + "Z",
        "sentDateTime": stamp[:19] + "Z",
        "subject": (subject_prefix + ": " if subject_prefix else "") + (ev.get("subject") or ""),
        "bodyPreview": comment or ev.get("bodyPreview") or "",
        "body": {"contentType": "html", "content": body_html},
        "importance": ev.get("importance", "normal"),
        "isRead": False,
        "isDraft": False,
        "isDeliveryReceiptRequested": None,
        "isReadReceiptRequested": False,
        "inferenceClassification": "focused",
        "internetMessageId": f"<{ev.get('iCalUId', '')[-20:]}.{stamp[:19]}@contoso.example>",
        "conversationIndex": base64.b64encode(
            hashlib.sha1(str(ev.get("iCalUId")).encode(), usedforsecurity=False).digest()[:22]
        ).decode(),
        "meetingMessageType": kind,
        "sender": {"emailAddress": dict(sender)},
        "from": {"emailAddress": dict(sender)},
        "toRecipients": to,
        "ccRecipients": [],
        "bccRecipients": [],
        "replyTo": [],
        "startDateTime": ev.get("start"),
        "endDateTime": ev.get("end"),
        "location": ev.get("location"),
        "type": ev.get("type", "singleInstance"),
        "isAllDay": bool(ev.get("isAllDay")),
        "isOutOfDate": False,
        "isDelegated": False,
        "recurrence": ev.get("recurrence"),
    }
    if odata_type.endswith("eventMessageRequest"):
        message["responseRequested"] = bool(ev.get("responseRequested", True))
        message["allowNewTimeProposals"] = bool(ev.get("allowNewTimeProposals", True))
        message["meetingRequestType"] = "newMeetingRequest"
    return message


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def invite(req: Request, ev: dict[str, Any]) -> None:
    """Give each local attendee a copy of a new meeting and an invitation in their Inbox."""
    if ev.get("isDraft") or not ev.get("isOrganizer", True):
        return
    for box in _attendee_boxes(req, ev):
        copy_ev = copy.deepcopy(ev)
        for key in ("id", "@odata.etag", "changeKey", "webLink"):
            copy_ev.pop(key, None)
        copy_ev.update({"isOrganizer": False, "showAs": "tentative",
                        "responseStatus": {"response": "notResponded", "time": store.NEVER}})
        stored = store.add_event(box, copy_ev, now=now(req))
        info = store.data(req.mailbox)
        store.data(box).exceptions[stored["id"]] = copy.deepcopy(info.exceptions.get(ev["id"], {}))
        store.data(box).deleted[stored["id"]] = set(info.deleted.get(ev["id"], set()))
        to = [{"emailAddress": dict(a.get("emailAddress") or {})}
              for a in ev.get("attendees") or []]
        message = meeting_message(req, stored, odata_type="#microsoft.graph.eventMessageRequest",
                                  kind="meetingRequest", subject_prefix="",
                                  sender=store.owner_of(req.mailbox), to=to)
        deliver(req, box, message, stored["id"])
    if ev.get("attendees"):
        to = [{"emailAddress": dict(a.get("emailAddress") or {})} for a in ev["attendees"]]
        sent = meeting_message(req, ev, odata_type="#microsoft.graph.eventMessageRequest",
                               kind="meetingRequest", subject_prefix="",
                               sender=store.owner_of(req.mailbox), to=to)
        sent["isRead"] = True
        deliver(req, req.mailbox, sent, ev["id"], folder="sentitems")


def _copies(req: Request, ev: dict[str, Any]) -> list[tuple[Mailbox, dict[str, Any]]]:
    found = []
    for box in _attendee_boxes(req, ev):
        copy_ev = store.find_by_uid(box, ev.get("iCalUId", ""))
        if copy_ev is not None:
            found.append((box, copy_ev))
    return found


def propagate_update(req: Request, ev: dict[str, Any], patch: dict[str, Any]) -> None:
    """An organizer's change reaches the local attendees' copies (their responses are kept)."""
    if not ev.get("isOrganizer"):
        return
    shared = {k: v for k, v in patch.items()
              if k not in ("responseStatus", "isReminderOn", "reminderMinutesBeforeStart",
                           "categories", "showAs")}
    for box, copy_ev in _copies(req, ev):
        copy_ev.update(copy.deepcopy(shared))
        store.touch_event(box, copy_ev["id"], now(req))


def propagate_exception(req: Request, master: dict[str, Any], original: datetime,
                        patch: dict[str, Any]) -> None:
    """An organizer's change to one occurrence reaches the attendees' copies."""
    if not master.get("isOrganizer"):
        return
    for box, copy_ev in _copies(req, master):
        store.set_exception(box, copy_ev["id"], original, patch, now(req))


def notify_cancel(req: Request, ev: dict[str, Any], original: datetime | None,
                  comment: str) -> None:
    """Mark local attendees' copies cancelled and send them ``meetingCancelled``."""
    for box, copy_ev in _copies(req, ev):
        if original is None:
            copy_ev["isCancelled"] = True
            store.touch_event(box, copy_ev["id"], now(req))
            linked_id = copy_ev["id"]
            about = copy_ev
        else:
            store.set_exception(box, copy_ev["id"], original, {"isCancelled": True}, now(req))
            linked_id = rec.occurrence_id(copy_ev["id"], original)
            about = store.get_occurrence(box, copy_ev, original)
        to = [{"emailAddress": {"name": box.name, "address": box.address}}]
        message = meeting_message(req, about, odata_type="#microsoft.graph.eventMessage",
                                  kind="meetingCancelled", subject_prefix="Canceled",
                                  sender=store.owner_of(req.mailbox), to=to, comment=comment)
        deliver(req, box, message, linked_id)


def cancel(req: Request) -> Response:
    """POST .../cancel: organizer only (FACTS 30); 202, the meeting is marked cancelled."""
    master, original = store.resolve_event(req.mailbox, req.params["id"])
    if master is None:
        return not_found(req)
    if not master.get("isOrganizer"):
        return graph_error(400, "ErrorAccessDenied",
                           "Your request can't be completed. Only the meeting organizer can "
                           "cancel the meeting.", req)
    body = camel_keys(req.json_object())
    comment = body.get("comment") if isinstance(body.get("comment"), str) else ""
    if original is None:
        master["isCancelled"] = True
        store.touch_event(req.mailbox, master["id"], now(req))
    else:
        store.set_exception(req.mailbox, master["id"], original, {"isCancelled": True}, now(req))
    notify_cancel(req, master, original, comment or "")
    return Response.empty(202)


def respond(req: Request) -> Response:
    """POST accept / tentativelyAccept / decline: 202 with no body (FACTS 30)."""
    action = req.path.rstrip("/").rsplit("/", 1)[-1].lower()
    response = RESPONSES[action]
    master, original = store.resolve_event(req.mailbox, req.params["id"])
    if master is None:
        return not_found(req)
    if master.get("isOrganizer"):
        return bad_request("Your request can't be completed. You can't respond to a meeting "
                           "you organized.", req, "ErrorInvalidRequest")
    body = camel_keys(req.json_object())
    send = as_bool(body.get("sendResponse"), True)
    if send is None:
        return bad_request("sendResponse must be a boolean.", req)
    proposed = body.get("proposedNewTime")
    if isinstance(proposed, dict):
        proposed = {k.lower(): v for k, v in proposed.items()}
        proposed = {k: proposed[k] for k in ("start", "end") if k in proposed}
    if proposed is not None:
        if action == "accept":
            return bad_request("proposedNewTime is only allowed with decline and "
                               "tentativelyAccept.", req, "ErrorInvalidRequest")
        if not master.get("allowNewTimeProposals", True):
            return bad_request("The organizer does not allow new time proposals.", req,
                               "ErrorProposedNewTimeNotAllowed")
        try:
            parse_dtz(proposed.get("start")), parse_dtz(proposed.get("end"))
        except (ValueError, AttributeError):
            return bad_request("proposedNewTime needs start and end.", req)
    moment = now(req)
    status = {"response": response, "time": format_utc(moment)[:19] + "Z"}
    patch = {"responseStatus": status, "showAs": _SHOW_AS[response]}
    if original is None:
        master.update(patch)
        store.touch_event(req.mailbox, master["id"], moment)
    else:
        store.set_exception(req.mailbox, master["id"], original, patch, moment)
    _update_organizer(req, master, original, status, proposed, send,
                      body.get("comment") if isinstance(body.get("comment"), str) else "")
    return Response.empty(202)


def _update_organizer(req: Request, master: dict[str, Any], original: datetime | None,
                      status: dict[str, str], proposed: Any, send: bool, comment: str) -> None:
    organizer = ((master.get("organizer") or {}).get("emailAddress") or {}).get("address", "")
    box = find_mailbox(req, organizer)
    if box is None or box is req.mailbox:
        return
    org_ev = store.find_by_uid(box, master.get("iCalUId", ""))
    if org_ev is None:
        return
    me = req.mailbox.address.lower()
    if original is None:
        attendees = org_ev.get("attendees") or []
    else:
        occurrence = store.get_occurrence(box, org_ev, original)
        attendees = copy.deepcopy(occurrence.get("attendees") or [])
    for attendee in attendees:
        address = ((attendee or {}).get("emailAddress") or {}).get("address", "")
        if address.lower() == me:
            attendee["status"] = dict(status)
            if proposed is not None:
                attendee["proposedNewTime"] = copy.deepcopy(proposed)
            else:
                attendee.pop("proposedNewTime", None)
    if original is None:
        store.touch_event(box, org_ev["id"], now(req))
        linked = org_ev["id"]
    else:
        store.set_exception(box, org_ev["id"], original, {"attendees": attendees}, now(req))
        linked = rec.occurrence_id(org_ev["id"], original)
    if send:
        odata_type, kind, prefix = _MESSAGE_TYPES[status["response"]]
        message = meeting_message(req, org_ev, odata_type=odata_type, kind=kind,
                                  subject_prefix=prefix, sender=store.owner_of(req.mailbox),
                                  to=[{"emailAddress": store.owner_of(box)}], comment=comment)
        message["responseType"] = status["response"]
        if proposed is not None:
            message["proposedNewTime"] = copy.deepcopy(proposed)
        deliver(req, box, message, linked)
