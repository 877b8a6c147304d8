"""The fields Graph fills in on calendar resources: change keys, the owner, and a created
event's defaults (location, attendees, online meeting, body preview).

Given fields are kept exactly as they are; only missing ones get Graph's values, as in the
``user-post-events`` samples.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from olk_tui.emulator.calendar_tz import format_utc

if TYPE_CHECKING:
    from olk_tui.emulator.state import Mailbox

NEVER = "0001-01-01T00:00:00Z"  #: Graph's "no time yet" (a response never given)
_TAGS = re.compile(r"<[^>]+>")
_HIDDEN_HTML = re.compile(r"(?is)<(style|script|head)\b.*?</\1>")


def owner_of(mailbox: Mailbox) -> dict[str, str]:
    """The emailAddress dict naming the mailbox's owner."""
    return {"name": mailbox.name, "address": mailbox.address}


def change_key(mailbox: Mailbox, seed: str) -> str:
    """A change key for ``seed`` (an id) at the mailbox's current change sequence."""
    digest = hashlib.sha1(f"{seed}:{mailbox.changes.seq}".encode(), usedforsecurity=False)
    return base64.b64encode(digest.digest()[:16]).decode()


def stamp(mailbox: Mailbox, item: dict[str, Any]) -> None:
    """Give ``item`` a new changeKey and the matching ``@odata.etag``."""
    key = change_key(mailbox, str(item.get("id")))
    item["changeKey"] = key
    item["@odata.etag"] = f'W/"{key}"'


def body_preview(body: Any) -> str:
    """Graph's bodyPreview of an itemBody: its text (tags dropped), spaces collapsed, 255 max."""
    content = body.get("content", "") if isinstance(body, dict) else ""
    text = content if isinstance(content, str) else ""
    if isinstance(body, dict) and str(body.get("contentType", "")).lower() == "html":
        text = _TAGS.sub(" ", _HIDDEN_HTML.sub("", text))
    return " ".join(text.split())[:255]


def fill_event_defaults(mailbox: Mailbox, ev: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Fill the fields Graph adds to a created event (as in ``user-post-events.1``)."""
    created = format_utc(now)
    ev.setdefault("id", mailbox.ids.new(b"E"))
    ev.setdefault("createdDateTime", created)
    ev.setdefault("lastModifiedDateTime", created)
    ev.setdefault("categories", [])
    start_tz = (ev.get("start") or {}).get("timeZone") or "UTC"
    ev.setdefault("originalStartTimeZone", start_tz)
    ev.setdefault("originalEndTimeZone", (ev.get("end") or {}).get("timeZone") or start_tz)
    ev.setdefault("iCalUId", "040000008200E00074C5B7101A82E008" + hashlib.sha1(
        ev["id"].encode(), usedforsecurity=False).hexdigest().upper())
    ev.setdefault("uid", ev["iCalUId"])
    ev.setdefault("reminderMinutesBeforeStart", 15)
    ev.setdefault("isReminderOn", True)
    ev.setdefault("hasAttachments", False)
    ev.setdefault("hideAttendees", False)
    ev.setdefault("subject", "")
    ev.setdefault("body", {"contentType": "html", "content": ""})
    ev.setdefault("bodyPreview", body_preview(ev["body"]))
    ev.setdefault("importance", "normal")
    ev.setdefault("sensitivity", "normal")
    ev.setdefault("isAllDay", False)
    ev.setdefault("isCancelled", False)
    ev.setdefault("isDraft", False)
    organizer = ((ev.get("organizer") or {}).get("emailAddress") or {}).get("address")
    ev.setdefault("isOrganizer", not isinstance(organizer, str)
                  or organizer.lower() == mailbox.address.lower())
    ev.setdefault("responseRequested", True)
    ev.setdefault("seriesMasterId", None)
    ev.setdefault("transactionId", None)
    ev.setdefault("showAs", "busy")
    ev.setdefault("type", "seriesMaster" if ev.get("recurrence") else "singleInstance")
    ev.setdefault("webLink", "https://outlook.office365.com/owa/?itemid="
                  + ev["id"].replace("=", "%3D") + "&exvsurl=1&path=/calendar/item")
    ev.setdefault("onlineMeetingUrl", None)
    ev.setdefault("isOnlineMeeting", False)
    ev.setdefault("onlineMeetingProvider", "unknown")
    ev.setdefault("onlineMeeting", None)
    ev.setdefault("allowNewTimeProposals", True)
    ev.setdefault("responseStatus", {"response": "organizer" if ev["isOrganizer"] else "none",
                                     "time": NEVER})
    location = ev.setdefault("location", {"displayName": "", "locationType": "default",
                                          "uniqueIdType": "unknown"})
    if isinstance(location, dict) and location.get("displayName") and "locations" not in ev:
        ev["locations"] = [{"displayName": location["displayName"], "locationType": "default",
                            "uniqueIdType": "unknown"}]
    ev.setdefault("locations", [])
    complete_location(ev)
    complete_online_meeting(ev)
    ev.setdefault("recurrence", None)
    ev.setdefault("attendees", [])
    complete_attendees(ev)
    ev.setdefault("organizer", {"emailAddress": owner_of(mailbox)})
    if "changeKey" not in ev or "@odata.etag" not in ev:
        stamp(mailbox, ev)
    return ev


def complete_location(ev: dict[str, Any]) -> None:
    """Fill the location fields Graph adds (locationType, uniqueId, uniqueIdType)."""
    places = [ev.get("location"), *(ev.get("locations") or [])]
    for place in places:
        if isinstance(place, dict) and place.get("displayName"):
            place.setdefault("locationType", "default")
            place.setdefault("uniqueId", place["displayName"])
            place.setdefault("uniqueIdType", "private")


def complete_attendees(ev: dict[str, Any], names: dict[str, str] | None = None) -> None:
    """Attendees get a type, a status and a name (the mailbox's name, else the address)."""
    for attendee in ev.get("attendees") or []:
        if not isinstance(attendee, dict):
            continue
        attendee.setdefault("type", "required")
        attendee.setdefault("status", {"response": "none", "time": NEVER})
        who = attendee.get("emailAddress")
        if isinstance(who, dict) and isinstance(who.get("address"), str) and not who.get("name"):
            who["name"] = (names or {}).get(who["address"].lower(), who["address"])


def complete_online_meeting(ev: dict[str, Any]) -> None:
    """An online meeting gets a join URL, as Teams would give it."""
    if ev.get("isOnlineMeeting") and not ev.get("onlineMeeting"):
        if ev.get("onlineMeetingProvider") in (None, "unknown"):
            ev["onlineMeetingProvider"] = "teamsForBusiness"
        token = hashlib.sha1(str(ev.get("id")).encode(), usedforsecurity=False).hexdigest()
        ev["onlineMeeting"] = {
            "joinUrl": f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{token[:24]}"
                       "%40thread.v2/0",
            "conferenceId": str(int(token[:8], 16) % 10**9),
            "tollNumber": "+1 425-555-0100"}
