"""Free/busy: ``POST /me/calendar/getSchedule`` and ``POST /me/findMeetingTimes`` (FACTS 28-29).

getSchedule answers one ``scheduleInformation`` per address: an ``availabilityView`` digit per
``availabilityViewInterval`` slot (0 free, 1 tentative, 2 busy, 3 oof, 4 workingElsewhere), the
busy ``scheduleItems`` and the mailbox's ``workingHours``; an address that is not a mailbox of
the emulator gets an ``error`` entry. findMeetingTimes suggests slots inside the organizer's and
attendees' working hours that avoid their busy times, or says why there are none
(``emptySuggestionsReason``); personal (outlook.com) mailboxes do not have it (403, as Graph).
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from olk_tui.emulator import calendar_store as store
from olk_tui.emulator.calendar_http import camel_keys, find_mailbox, now, output_zone
from olk_tui.emulator.calendar_tz import format_dtz, parse_dtz, zone
from olk_tui.emulator.router import Request, Response, Router, bad_request, graph_error

if TYPE_CHECKING:
    from olk_tui.emulator.state import Mailbox

DIGITS = {"free": "0", "tentative": "1", "busy": "2", "oof": "3", "workingElsewhere": "4"}
_RANK = {"free": 0, "workingElsewhere": 1, "tentative": 2, "busy": 3, "oof": 4}
_ATTEND = {"free": 100.0, "workingElsewhere": 100.0, "tentative": 50.0, "unknown": 50.0,
           "busy": 0.0, "oof": 0.0}
DEFAULT_WORKING_HOURS: dict[str, Any] = {
    "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
    "startTime": "08:00:00.0000000", "endTime": "17:00:00.0000000",
    "timeZone": {"name": "Pacific Standard Time"},
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DURATION = re.compile(r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$")


def register(router: Router) -> None:
    """Add getSchedule and findMeetingTimes."""
    router.add("POST", "/me/calendar/getSchedule", get_schedule)
    router.add("POST", "/me/calendars/{cid}/getSchedule", get_schedule)
    router.add("POST", "/me/findMeetingTimes", find_meeting_times)


# ------------------------------------------------------------------ pure parts
def busy_items(mailbox: Mailbox, window: tuple[datetime, datetime]
               ) -> list[tuple[datetime, datetime, str, dict[str, Any]]]:
    """(start, end, showAs, event) for the non-free, non-cancelled events in ``window``."""
    floating = store.floating_zone(mailbox)
    found = []
    for ev in store.view(mailbox, [store.data(mailbox).default_calendar_id], window):
        status = ev.get("showAs") or "busy"
        if ev.get("isCancelled") or status not in DIGITS or status == "free":
            continue
        start, end = store.event_bounds(ev, floating)
        found.append((start, end, status, ev))
    return found


def availability_view(items: list[tuple[datetime, datetime, str, Any]], start: datetime,
                      end: datetime, interval: int) -> str:
    """One digit per ``interval``-minute slot from ``start`` to ``end`` (last slot may be short)."""
    step = timedelta(minutes=interval)
    slots = max(0, math.ceil((end - start) / step))
    digits = []
    for index in range(slots):
        slot_start = start + index * step
        slot_end = min(slot_start + step, end)
        worst = "free"
        for item_start, item_end, status, _ev in items:
            if item_start < slot_end and item_end > slot_start and _RANK[status] > _RANK[worst]:
                worst = status
        digits.append(DIGITS[worst])
    return "".join(digits)


def working_hours(mailbox: Mailbox) -> dict[str, Any]:
    """The mailbox's workingHours setting (Graph's default when it has none)."""
    from olk_tui.emulator.settings import settings_of  # settings imports nothing from here

    hours = settings_of(mailbox).get("workingHours")
    return hours if isinstance(hours, dict) else dict(DEFAULT_WORKING_HOURS)


def _clock(value: Any, default: time) -> time:
    try:
        return time.fromisoformat(str(value)[:8])
    except ValueError:
        return default


def within_working_hours(mailbox: Mailbox, start: datetime, end: datetime) -> bool:
    """Whether [start, end) lies inside one working day of the mailbox's working hours."""
    hours = working_hours(mailbox)
    tz_info = hours.get("timeZone") or {}
    tz_name = tz_info.get("name") if isinstance(tz_info, dict) else None
    tz = zone(tz_name) or zone((mailbox.mailbox_settings or {}).get("timeZone")) or UTC
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    days = {str(d).lower() for d in hours.get("daysOfWeek") or []}
    if _WEEKDAYS[local_start.weekday()] not in days or (local_end.date() != local_start.date() \
            and local_end.time() != time(0)):
        return False
    begin = _clock(hours.get("startTime"), time(8))
    finish = _clock(hours.get("endTime"), time(17))
    end_clock = local_end.time() if local_end.date() == local_start.date() else time(23, 59, 59)
    return begin <= local_start.time() and end_clock <= finish


def availability(mailbox: Mailbox, start: datetime, end: datetime) -> str:
    """free / tentative / busy / oof / workingElsewhere for [start, end)."""
    worst = "free"
    for _s, _e, status, _ev in busy_items(mailbox, (start, end)):
        if _RANK[status] > _RANK[worst]:
            worst = status
    return worst


def parse_duration(value: Any) -> timedelta | None:
    """ISO 8601 duration (``PT1H30M``) as a timedelta; None when it is not one."""
    match = _DURATION.match(str(value or ""))
    if not match or not any(match.groupdict().values()):
        return None
    parts = {k: int(v or 0) for k, v in match.groupdict().items()}
    return timedelta(days=parts["d"], hours=parts["h"], minutes=parts["m"], seconds=parts["s"])


# ------------------------------------------------------------------- routes
def get_schedule(req: Request) -> Response:
    """POST /me/calendar/getSchedule."""
    body = camel_keys(req.json_object())
    schedules = body.get("schedules")
    if not isinstance(schedules, list) or not schedules or not all(
            isinstance(s, str) for s in schedules):
        return bad_request("schedules must be a non-empty list of SMTP addresses.", req,
                           "ErrorInvalidParameter")
    interval = body.get("availabilityViewInterval", 30)
    if isinstance(interval, str) and interval.strip().isdigit():
        interval = int(interval)
    if not isinstance(interval, int) or isinstance(interval, bool) or not 5 <= interval <= 1440:
        return bad_request("availabilityViewInterval must be between 5 and 1440.", req,
                           "ErrorInvalidParameter")
    try:
        start, end = parse_dtz(body.get("startTime")), parse_dtz(body.get("endTime"))
    except ValueError as exc:
        return bad_request(f"startTime and endTime are required: {exc}", req,
                           "ErrorInvalidParameter")
    if end <= start:
        return bad_request("endTime must be after startTime.", req, "ErrorInvalidParameter")
    if end - start > timedelta(days=62):
        return bad_request("The time range may not exceed 62 days.", req,
                           "ErrorInvalidParameter")
    tz_name, headers = output_zone(req)
    value = [_schedule_for(req, address, (start, end), interval, tz_name)
             for address in schedules]
    body_out = {"@odata.context": req.context_url(
        "Collection(microsoft.graph.scheduleInformation)"), "value": value}
    return Response.ok(body_out, headers=headers)


def _schedule_for(req: Request, address: str, window: tuple[datetime, datetime], interval: int,
                  tz_name: str) -> dict[str, Any]:
    box = find_mailbox(req, address)
    if box is None:
        return {"scheduleId": address, "availabilityView": "", "scheduleItems": [],
                "error": {"message": f"Unable to find a mailbox for {address}.",
                          "responseCode": "ErrorMailRecipientNotFound"}}
    items = busy_items(box, window)
    out_items = []
    for start, end, status, ev in items:
        private = ev.get("sensitivity") == "private"
        entry: dict[str, Any] = {"isPrivate": private, "status": status}
        if not private:
            entry["subject"] = ev.get("subject") or ""
            entry["location"] = (ev.get("location") or {}).get("displayName") or ""
        entry["start"] = format_dtz(start, tz_name)
        entry["end"] = format_dtz(end, tz_name)
        out_items.append(entry)
    return {"scheduleId": address,
            "availabilityView": availability_view(items, window[0], window[1], interval),
            "scheduleItems": out_items, "workingHours": working_hours(box)}


def _flag(value: Any, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return default


def _windows(body: dict[str, Any], moment: datetime) -> list[tuple[datetime, datetime]]:
    constraint = body.get("timeConstraint") or {}
    slots = constraint.get("timeSlots") or constraint.get("timeslots") or []
    if not slots:
        start = moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        return [(start, start + timedelta(days=2))]
    return [(parse_dtz(s.get("start")), parse_dtz(s.get("end"))) for s in slots]


def find_meeting_times(req: Request) -> Response:
    """POST /me/findMeetingTimes: suggestions, or an ``emptySuggestionsReason``."""
    if store.mailbox_kind(req.mailbox) == "personal":
        return graph_error(403, "ErrorAccessDenied",
                           "Access is denied. Check credentials and try again.", req)
    body = camel_keys(req.json_object())
    duration = parse_duration(body.get("meetingDuration") or "PT30M")
    if duration is None or duration <= timedelta(0):
        return bad_request("meetingDuration must be an ISO 8601 duration.", req,
                           "ErrorInvalidParameter")
    try:
        windows = _windows(body, now(req))
    except (ValueError, AttributeError):
        return bad_request("timeConstraint.timeSlots need start and end.", req,
                           "ErrorInvalidParameter")
    domain = str((body.get("timeConstraint") or {}).get("activityDomain") or "work").lower()
    organizer_optional = _flag(body.get("isOrganizerOptional"), False)
    try:
        minimum = float(body.get("minimumAttendeePercentage", 50))
        limit = int(body.get("maxCandidates", 5)) if body.get("maxCandidates") else 5
    except (TypeError, ValueError):
        return bad_request("minimumAttendeePercentage and maxCandidates must be numbers.", req)
    people = [(a, find_mailbox(req, ((a.get("emailAddress") or {}).get("address") or "")))
              for a in body.get("attendees") or [] if isinstance(a, dict)]
    locations = [{"displayName": loc.get("displayName", "")} for loc in
                 (body.get("locationConstraint") or {}).get("locations") or []
                 if isinstance(loc, dict)]
    candidates, reasons = [], set()
    for window_start, window_end in windows:
        slot = _align(window_start)
        while slot + duration <= window_end:
            found = _evaluate(req.mailbox, people, slot, slot + duration, domain,
                              organizer_optional, minimum)
            if isinstance(found, str):
                reasons.add(found)
            else:
                candidates.append(found)
            slot += timedelta(minutes=30)
    candidates.sort(key=lambda c: (-c[0], c[1] != "free", c[2]))
    chosen: list[tuple[float, str, datetime, datetime, list[Any]]] = []
    for cand in candidates:
        if len(chosen) >= limit:
            break
        if all(cand[3] <= c[2] or cand[2] >= c[3] for c in chosen):
            chosen.append(cand)
    tz_name, headers = output_zone(req)
    suggestions = [_suggestion(c, order, locations, tz_name) for order, c in
                   enumerate(chosen, 1)]
    reason = "" if suggestions else _reason(reasons)
    out = {"@odata.context": req.context_url("microsoft.graph.meetingTimeSuggestionsResult"),
           "emptySuggestionsReason": reason, "meetingTimeSuggestions": suggestions}
    return Response.ok(out, headers=headers)


def _align(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC).replace(second=0, microsecond=0)
    extra = moment.minute % 30
    return moment if extra == 0 else moment + timedelta(minutes=30 - extra)


def _evaluate(organizer: Mailbox, people: list[tuple[dict[str, Any], Mailbox | None]],
              start: datetime, end: datetime, domain: str, organizer_optional: bool,
              minimum: float) -> tuple[float, str, datetime, datetime, list[Any]] | str:
    """A scored candidate, or the reason ("OrganizerUnavailable"...) it was dropped."""
    work = domain == "work"
    if work and not within_working_hours(organizer, start, end):
        return "OrganizerUnavailable"
    org_status = availability(organizer, start, end)
    if not organizer_optional and _ATTEND[org_status] == 0:
        return "OrganizerUnavailable"
    rows, scores, unknown = [], [], False
    for attendee, box in people:
        if box is None:
            status, unknown = "unknown", True
        elif work and not within_working_hours(box, start, end):
            status = "busy"
        else:
            status = availability(box, start, end)
        rows.append((attendee, status))
        if (attendee.get("type") or "required").lower() == "required":
            scores.append(_ATTEND[status])
    confidence = sum(scores) / len(scores) if scores else 100.0
    if confidence < minimum or (scores and max(scores) == 0):
        return "AttendeesUnavailableOrUnknown" if unknown else "AttendeesUnavailable"
    return confidence, org_status, start, end, rows


def _reason(reasons: set[str]) -> str:
    for name in ("AttendeesUnavailableOrUnknown", "AttendeesUnavailable", "OrganizerUnavailable"):
        if name in reasons:
            return name
    return "Unknown"


def _suggestion(cand: tuple[float, str, datetime, datetime, list[Any]], order: int,
                locations: list[dict[str, str]], tz_name: str) -> dict[str, Any]:
    confidence, org_status, start, end, rows = cand
    everyone = all(status in ("free", "workingElsewhere") for _a, status in rows)
    reason = ("Suggested because it is one of the nearest times when all attendees are "
              "available." if everyone else
              "Suggested because it is one of the nearest times when most attendees are "
              "available.")
    return {
        "confidence": confidence,
        "order": order,
        "organizerAvailability": org_status,
        "suggestionReason": reason,
        "attendeeAvailability": [
            {"availability": status,
             "attendee": {"type": attendee.get("type") or "required",
                          "emailAddress": {"address": (attendee.get("emailAddress") or {})
                                           .get("address", "")}}}
            for attendee, status in rows],
        "locations": locations,
        "meetingTimeSlot": {"start": format_dtz(start, tz_name), "end": format_dtz(end, tz_name)},
    }
