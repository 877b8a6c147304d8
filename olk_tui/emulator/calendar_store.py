"""Calendar state on top of the core :class:`~olk_tui.emulator.state.Mailbox`: calendars, events,
series exceptions, and the expansion of a calendar into instances.

Events are kept in ``mailbox.events`` as Graph JSON exactly as given (unknown fields included),
with start/end in the zone they were written in; handlers convert on the way out. Everything
Graph does not show (which calendar holds an event, a series' exceptions and deleted
occurrences, tombstones for delta) lives in a :class:`CalendarData` kept in
``mailbox.extra["calendar"]``. Changes are recorded in ``mailbox.changes`` under the container
``"events"`` so calendarView delta can find them.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from olk_tui.emulator import recurrence as rec
from olk_tui.emulator.calendar_tz import format_dtz, format_utc, parse_dtz, parse_naive, zone

if TYPE_CHECKING:
    from olk_tui.emulator.state import Mailbox

EVENTS = "events"  #: change-log container for events
NEVER = "0001-01-01T00:00:00Z"
_TAGS = re.compile(r"<[^>]+>")
_HIDDEN_HTML = re.compile(r"(?is)<(style|script|head)\b.*?</\1>")
_HIDDEN_OVERRIDE_KEYS = ("id", "seriesMasterId", "type", "recurrence", "originalStart")


@dataclass
class CalendarData:
    """What the emulator knows about a mailbox's calendars that Graph does not serve."""

    default_calendar_id: str = ""
    event_calendar: dict[str, str] = field(default_factory=dict)
    exceptions: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    deleted: dict[str, set[str]] = field(default_factory=dict)
    tombstones: dict[str, dict[str, Any]] = field(default_factory=dict)
    delta_epoch: int = 0


def mailbox_kind(mailbox: Mailbox) -> str:
    """"work" or "personal": the account type (personal accounts lack findMeetingTimes)."""
    return mailbox.kind


def set_mailbox_kind(mailbox: Mailbox, kind: str) -> None:
    """Make the account "work" (Microsoft 365) or "personal" (outlook.com); same as setting
    ``mailbox.kind`` (which also switches the calendars' online meeting provider)."""
    mailbox.kind = kind


def owner_of(mailbox: Mailbox) -> dict[str, str]:
    """The emailAddress dict naming the mailbox's owner."""
    return {"name": mailbox.name, "address": mailbox.address}


def data(mailbox: Mailbox) -> CalendarData:
    """The mailbox's calendar bookkeeping, creating the default "Calendar" on first use."""
    found = mailbox.extra.get("calendar")
    if isinstance(found, CalendarData):
        return found
    found = CalendarData()
    mailbox.extra["calendar"] = found
    default = add_calendar(mailbox, {"name": "Calendar"}, default=True)
    found.default_calendar_id = default["id"]
    return found


def _change_key(mailbox: Mailbox, seed: str) -> str:
    digest = hashlib.sha1(f"{seed}:{mailbox.changes.seq}".encode(), usedforsecurity=False)
    return base64.b64encode(digest.digest()[:16]).decode()


def _stamp(mailbox: Mailbox, item: dict[str, Any]) -> None:
    key = _change_key(mailbox, str(item.get("id")))
    item["changeKey"] = key
    item["@odata.etag"] = f'W/"{key}"'


def add_calendar(mailbox: Mailbox, resource: dict[str, Any], *, default: bool = False
                 ) -> dict[str, Any]:
    """Create a calendar, keeping every given field and filling Graph's defaults."""
    cal = dict(resource)
    cal.setdefault("id", mailbox.ids.new(b"C"))
    cal.setdefault("name", "Calendar")
    cal.setdefault("color", "auto")
    cal.setdefault("hexColor", "")
    cal.setdefault("isDefaultCalendar", default)
    cal.setdefault("changeKey", _change_key(mailbox, cal["id"]))
    cal.setdefault("canShare", True)
    cal.setdefault("canViewPrivateItems", True)
    cal.setdefault("canEdit", True)
    personal = mailbox_kind(mailbox) == "personal"
    provider = "skypeForConsumer" if personal else "teamsForBusiness"
    cal.setdefault("allowedOnlineMeetingProviders", [provider])
    cal.setdefault("defaultOnlineMeetingProvider", provider)
    cal.setdefault("isTallyingResponses", True)
    cal.setdefault("isRemovable", not default)
    cal.setdefault("owner", owner_of(mailbox))
    mailbox.calendars[cal["id"]] = cal
    return cal


def default_calendar(mailbox: Mailbox) -> dict[str, Any]:
    """The default calendar resource."""
    return mailbox.calendars[data(mailbox).default_calendar_id]


def resolve_calendar(mailbox: Mailbox, calendar_id: str | None) -> dict[str, Any] | None:
    """A calendar by id (None means the default one)."""
    if calendar_id is None:
        return default_calendar(mailbox)
    data(mailbox)
    return mailbox.calendars.get(calendar_id)


def events_in(mailbox: Mailbox, calendar_id: str) -> list[dict[str, Any]]:
    """Series masters and single instances stored in one calendar."""
    owner = data(mailbox).event_calendar
    return [ev for eid, ev in mailbox.events.items() if owner.get(eid) == calendar_id]


def _body_preview(body: Any) -> str:
    content = body.get("content", "") if isinstance(body, dict) else ""
    text = content if isinstance(content, str) else ""
    if isinstance(body, dict) and str(body.get("contentType", "")).lower() == "html":
        text = _TAGS.sub(" ", _HIDDEN_HTML.sub("", text))
    return " ".join(text.split())[:255]


def fill_event_defaults(mailbox: Mailbox, ev: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Fill the fields Graph adds to a created event (as in ``user-post-events.1``)."""
    stamp = format_utc(now)
    ev.setdefault("id", mailbox.ids.new(b"E"))
    ev.setdefault("createdDateTime", stamp)
    ev.setdefault("lastModifiedDateTime", stamp)
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
    ev.setdefault("bodyPreview", _body_preview(ev["body"]))
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
        _stamp(mailbox, ev)
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


def add_event(mailbox: Mailbox, event: dict[str, Any], calendar_id: str | None = None, *,
              now: datetime | None = None) -> dict[str, Any]:
    """Store an event (single or series master) in a calendar, filling Graph's defaults."""
    info = data(mailbox)
    cal_id = calendar_id or info.default_calendar_id
    ev = fill_event_defaults(mailbox, event, now or datetime.now(UTC))
    if ev["id"] in mailbox.events:
        raise ValueError(f"duplicate event id {ev['id']!r}")
    mailbox.events[ev["id"]] = ev
    info.event_calendar[ev["id"]] = cal_id
    mailbox.changes.record(EVENTS, ev["id"])
    return ev


def touch_event(mailbox: Mailbox, event_id: str, now: datetime | None = None) -> None:
    """Record an in-place change of a stored event (new changeKey, delta entry)."""
    ev = mailbox.events[event_id]
    ev["lastModifiedDateTime"] = format_utc(now or datetime.now(UTC))
    mailbox.changes.record(EVENTS, event_id)
    _stamp(mailbox, ev)


def delete_event(mailbox: Mailbox, event_id: str) -> None:
    """Remove a stored event, keeping a tombstone so delta can report its instances."""
    info = data(mailbox)
    ev = mailbox.events.pop(event_id)
    info.tombstones[event_id] = ev
    info.event_calendar.pop(event_id, None)
    mailbox.changes.record(EVENTS, event_id)


def find_by_uid(mailbox: Mailbox, ical_uid: str) -> dict[str, Any] | None:
    """The stored event (master or single) with this iCalUId, if any."""
    for ev in mailbox.events.values():
        if ev.get("iCalUId") == ical_uid:
            return ev
    return None


def event_bounds(ev: dict[str, Any], floating_zone: str = "UTC") -> tuple[datetime, datetime]:
    """Aware UTC start/end of a single event; all-day events float in ``floating_zone``."""
    if ev.get("isAllDay"):
        tz = zone(floating_zone) or UTC
        start = parse_naive(str(ev["start"]["dateTime"])).replace(tzinfo=None)
        end = parse_naive(str(ev["end"]["dateTime"])).replace(tzinfo=None)
        return start.replace(tzinfo=tz).astimezone(UTC), end.replace(tzinfo=tz).astimezone(UTC)
    start = parse_dtz(ev.get("start"))
    end = parse_dtz(ev.get("end")) if ev.get("end") else start
    return start, end


def occurrence_json(master: dict[str, Any], inst: rec.Instance) -> dict[str, Any]:
    """The occurrence/exception resource for one expanded instance of ``master``."""
    occ = copy.deepcopy(master)
    tz_name = (master.get("start") or {}).get("timeZone") or "UTC"
    occ["id"] = rec.occurrence_id(master["id"], inst.original_start)
    occ["type"] = inst.kind
    occ["seriesMasterId"] = master["id"]
    occ["recurrence"] = None
    occ["originalStart"] = inst.original_start.strftime("%Y-%m-%dT%H:%M:%SZ")
    occ["start"] = format_dtz(inst.start, tz_name)
    occ["end"] = format_dtz(inst.end, tz_name)
    for key, value in inst.overrides.items():
        if key not in _HIDDEN_OVERRIDE_KEYS:
            occ[key] = copy.deepcopy(value)
    return occ


def series_instances(mailbox: Mailbox, master: dict[str, Any], window: tuple[datetime, datetime],
                     skip: set[str] | frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Occurrences and exceptions of one series that overlap ``window`` (``skip``: keys of
    occurrences stored as their own items, e.g. exceptions loaded from a seed folder)."""
    info = data(mailbox)
    found = rec.expand(master, window[0], window[1],
                       exceptions=info.exceptions.get(master["id"], {}),
                       deleted=info.deleted.get(master["id"], set()) | skip)
    return [occurrence_json(master, inst) for inst in found]


def _stored_instances(mailbox: Mailbox) -> dict[str, set[str]]:
    """Occurrence keys of instances stored as items (seed data): master id -> keys."""
    found: dict[str, set[str]] = {}
    for ev in mailbox.events.values():
        master_id, original = ev.get("seriesMasterId"), ev.get("originalStart")
        if ev.get("type") in ("occurrence", "exception") and master_id and original:
            try:
                moment = parse_naive(str(original))
            except ValueError:
                continue
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            found.setdefault(master_id, set()).add(rec.occurrence_key(moment))
    return found


def floating_zone(mailbox: Mailbox) -> str:
    """The zone all-day events are read in: the mailbox's own time zone."""
    tz = mailbox.mailbox_settings.get("timeZone") if mailbox.mailbox_settings else None
    return tz if isinstance(tz, str) and zone(tz) is not None else "UTC"


def view(mailbox: Mailbox, calendar_ids: Iterable[str], window: tuple[datetime, datetime]
         ) -> list[dict[str, Any]]:
    """calendarView: single instances, occurrences and exceptions overlapping ``window``,
    ordered by start (in stored zones; callers convert)."""
    wanted = set(calendar_ids)
    owner = data(mailbox).event_calendar
    floating = floating_zone(mailbox)
    stored = _stored_instances(mailbox)
    found: list[tuple[datetime, dict[str, Any]]] = []
    for eid, ev in mailbox.events.items():
        if owner.get(eid) not in wanted:
            continue
        try:
            if ev.get("recurrence"):
                for occ in series_instances(mailbox, ev, window, stored.get(eid, set())):
                    found.append((event_bounds(occ, floating)[0], occ))
                continue
            start, end = event_bounds(ev, floating)
        except (ValueError, KeyError, TypeError, rec.RecurrenceError):
            continue  # odd seed data: served by /events, skipped by the view
        if start < window[1] and (end > window[0] or (start == end and start >= window[0])):
            found.append((start, ev))
    found.sort(key=lambda pair: (pair[0], pair[1].get("id", "")))
    return [ev for _, ev in found]


def resolve_event(mailbox: Mailbox, event_id: str) -> tuple[dict[str, Any] | None, datetime | None]:
    """(stored event, None) for a stored id; (master, original start) for an occurrence id."""
    ev = mailbox.events.get(event_id)
    if ev is not None:
        return ev, None
    parsed = rec.parse_occurrence_id(event_id)
    if parsed is None:
        return None, None
    master = mailbox.events.get(parsed[0])
    if master is None or not master.get("recurrence"):
        return None, None
    key = rec.occurrence_key(parsed[1])
    if key in data(mailbox).deleted.get(master["id"], set()):
        return None, None
    try:
        if not rec.is_member(master, parsed[1]):
            return None, None
    except (rec.RecurrenceError, ValueError, KeyError):
        return None, None
    return master, parsed[1]


def get_occurrence(mailbox: Mailbox, master: dict[str, Any], original: datetime
                   ) -> dict[str, Any]:
    """The current occurrence resource of ``master`` originally at ``original``."""
    override = data(mailbox).exceptions.get(master["id"], {}).get(rec.occurrence_key(original))
    tz_name = rec.series_zone_name(master)
    at, duration = rec.wall_clock(master, tz_name)
    start, end = rec.localise(original.astimezone(zone(tz_name) or UTC).date(), at, duration,
                               tz_name)
    if override is not None:
        new_start = parse_dtz(override["start"]) if "start" in override else start
        new_end = parse_dtz(override["end"]) if "end" in override else new_start + (end - start)
        inst = rec.Instance(original, new_start, new_end, "exception", override)
    else:
        inst = rec.Instance(original, start, end)
    return occurrence_json(master, inst)


def set_exception(mailbox: Mailbox, master_id: str, original: datetime, patch: dict[str, Any],
                  now: datetime | None = None) -> None:
    """Merge ``patch`` into the override of one occurrence (making it an exception)."""
    key = rec.occurrence_key(original)
    overrides = data(mailbox).exceptions.setdefault(master_id, {}).setdefault(key, {})
    for name, value in patch.items():
        if name not in _HIDDEN_OVERRIDE_KEYS:
            overrides[name] = copy.deepcopy(value)
    touch_event(mailbox, master_id, now)


def delete_occurrence(mailbox: Mailbox, master_id: str, original: datetime) -> None:
    """Remove one occurrence from a series."""
    key = rec.occurrence_key(original)
    info = data(mailbox)
    info.deleted.setdefault(master_id, set()).add(key)
    info.exceptions.get(master_id, {}).pop(key, None)
    touch_event(mailbox, master_id)


def day_window(moment: datetime, days: int = 1) -> tuple[datetime, datetime]:
    """[moment, moment + days) as an aware UTC window."""
    start = moment.astimezone(UTC)
    return start, start + timedelta(days=days)
