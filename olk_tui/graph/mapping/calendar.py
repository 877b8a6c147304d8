"""Calendar JSON <-> domain: calendars, events, recurrence, getSchedule, findMeetingTimes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from olk_tui.domain.calendar import (
    Attendee,
    Calendar,
    Event,
    MeetingSuggestion,
    Recurrence,
    RecurrencePattern,
    RecurrenceRange,
    ScheduleInfo,
    ScheduleItem,
)
from olk_tui.domain.ids import CalendarId, EventId
from olk_tui.graph.mapping.common import (
    EPOCH,
    Warnings,
    boolean,
    date_time_tz,
    date_time_tz_to_json,
    day,
    integer,
    note,
    number,
    obj,
    objs,
    recipient,
    recipient_to_json,
    text,
    texts,
)


def calendar_from_json(data: Any, warnings: Warnings | None = None) -> Calendar:
    """A calendar."""
    d = obj(data)
    cal_id = text(d.get("id"))
    if not cal_id:
        note(warnings, "calendar: no id")
    return Calendar(
        id=CalendarId(cal_id),
        name=text(d.get("name")),
        color=text(d.get("color")) or "auto",
        hex_color=text(d.get("hexColor")),
        is_default=boolean(d.get("isDefaultCalendar")),
        can_edit=boolean(d.get("canEdit"), True),
        owner=recipient(d.get("owner")),
    )


def recurrence_from_json(data: Any, warnings: Warnings | None = None) -> Recurrence | None:
    """patternedRecurrence, or None when absent or unreadable."""
    d = obj(data)
    if not d:
        return None
    pattern = obj(d.get("pattern"))
    rng = obj(d.get("range"))
    start = day(rng.get("startDate"), "recurrence.range.startDate", warnings)
    if not text(pattern.get("type")) or start is None:
        note(warnings, "recurrence: no pattern type or start date")
        return None
    end = day(rng.get("endDate"), "recurrence.range.endDate", warnings)
    return Recurrence(
        pattern=RecurrencePattern(
            type=text(pattern.get("type")),
            interval=max(1, integer(pattern.get("interval"), 1)),
            days_of_week=texts(pattern.get("daysOfWeek")),
            day_of_month=integer(pattern.get("dayOfMonth")),
            month=integer(pattern.get("month")),
            first_day_of_week=text(pattern.get("firstDayOfWeek")) or "sunday",
            index=text(pattern.get("index")) or "first",
        ),
        range=RecurrenceRange(
            type=text(rng.get("type")) or "noEnd",
            start=start,
            end=None if end == date(1, 1, 1) else end,
            occurrences=integer(rng.get("numberOfOccurrences")),
            time_zone=text(rng.get("recurrenceTimeZone")),
        ),
    )


def _location(d: Any) -> str:
    loc = text(obj(obj(d).get("location")).get("displayName"))
    if loc:
        return loc
    return "; ".join(x for x in (text(v.get("displayName")) for v in objs(obj(d).get("locations")))
                     if x)


def event_from_json(data: Any, warnings: Warnings | None = None) -> Event:
    """An event (single, occurrence, exception or series master); start/end are aware."""
    d = obj(data)
    ev_id = text(d.get("id"))
    if not ev_id:
        note(warnings, "event: no id")
    start = date_time_tz(d.get("start"), "event.start", warnings)
    end = date_time_tz(d.get("end"), "event.end", warnings)
    if start is None:
        note(warnings, "event.start: missing, read as 1970-01-01")
        start = EPOCH
    if end is None or end < start:
        end = start
    status = obj(d.get("responseStatus"))
    online = obj(d.get("onlineMeeting"))
    master = text(d.get("seriesMasterId"))
    calendar_id = text(obj(d.get("calendar")).get("id")) or text(d.get("calendarId"))
    attendees = []
    for a in objs(d.get("attendees")):
        who = recipient(a)
        if who is not None:
            attendees.append(Attendee(who=who, type=text(a.get("type")) or "required",
                                      response=text(obj(a.get("status")).get("response"))
                                      or "none"))
    return Event(
        id=EventId(ev_id),
        subject=text(d.get("subject")),
        start=start,
        end=end,
        calendar_id=CalendarId(calendar_id) if calendar_id else None,
        is_all_day=boolean(d.get("isAllDay")),
        location=_location(d),
        organizer=recipient(d.get("organizer")),
        attendees=tuple(attendees),
        show_as=text(d.get("showAs")) or "busy",
        is_cancelled=boolean(d.get("isCancelled")),
        is_organizer=boolean(d.get("isOrganizer")),
        response=text(status.get("response")) or "none",
        type=text(d.get("type")) or "singleInstance",
        series_master_id=EventId(master) if master else None,
        recurrence=recurrence_from_json(d.get("recurrence"), warnings),
        body_preview=text(d.get("bodyPreview")),
        body_html=text(obj(d.get("body")).get("content")),
        body_content_type="text" if text(obj(d.get("body")).get("contentType")).lower()
        == "text" else "html",
        online_meeting_url=text(online.get("joinUrl")) or text(d.get("onlineMeetingUrl")),
        is_online_meeting=boolean(d.get("isOnlineMeeting")),
        categories=texts(d.get("categories")),
        reminder_minutes=integer(d.get("reminderMinutesBeforeStart"), 15),
        is_reminder_on=boolean(d.get("isReminderOn"), True),
        sensitivity=text(d.get("sensitivity")) or "normal",
        importance=text(d.get("importance")) or "normal",
        web_link=text(d.get("webLink")),
        original_start_time_zone=text(d.get("originalStartTimeZone")),
        ical_uid=text(d.get("iCalUId")),
        response_requested=boolean(d.get("responseRequested"), True),
        allow_new_time_proposals=boolean(d.get("allowNewTimeProposals"), True),
    )


def _time_of_day(value: Any) -> str:
    raw = text(value)
    return raw.split(".", 1)[0] if raw else ""


def schedule_from_json(data: Any, warnings: Warnings | None = None) -> ScheduleInfo:
    """One scheduleInformation from getSchedule."""
    d = obj(data)
    items = []
    for i in objs(d.get("scheduleItems")):
        start = date_time_tz(i.get("start"), "scheduleItem.start", warnings)
        end = date_time_tz(i.get("end"), "scheduleItem.end", warnings)
        if start is None or end is None:
            continue
        items.append(ScheduleItem(start=start, end=end, status=text(i.get("status")) or "busy",
                                  subject=text(i.get("subject")),
                                  location=text(i.get("location"))))
    hours = obj(d.get("workingHours"))
    err = obj(d.get("error"))
    return ScheduleInfo(
        address=text(d.get("scheduleId")),
        availability_view=text(d.get("availabilityView")),
        items=tuple(items),
        working_start=_time_of_day(hours.get("startTime")),
        working_end=_time_of_day(hours.get("endTime")),
        working_days=texts(hours.get("daysOfWeek")),
        working_time_zone=text(obj(hours.get("timeZone")).get("name")),
        error=text(err.get("message")) or text(err.get("responseCode")),
    )


def suggestion_from_json(data: Any, warnings: Warnings | None = None
                         ) -> MeetingSuggestion | None:
    """One meetingTimeSuggestion, or None when it has no usable time slot."""
    d = obj(data)
    slot = obj(d.get("meetingTimeSlot"))
    start = date_time_tz(slot.get("start"), "meetingTimeSlot.start", warnings)
    end = date_time_tz(slot.get("end"), "meetingTimeSlot.end", warnings)
    if start is None or end is None:
        return None
    availability = []
    for a in objs(d.get("attendeeAvailability")):
        who = recipient(a.get("attendee"))
        if who is not None:
            availability.append((who.address, text(a.get("availability"))))
    return MeetingSuggestion(
        start=start, end=end,
        confidence=number(d.get("confidence")),
        organizer_availability=text(d.get("organizerAvailability")),
        suggestion_reason=text(d.get("suggestionReason")),
        attendee_availability=tuple(availability),
    )


def suggestions_from_json(data: Any, warnings: Warnings | None = None
                          ) -> tuple[list[MeetingSuggestion], str]:
    """meetingTimeSuggestionsResult: the suggestions and ``emptySuggestionsReason``."""
    d = obj(data)
    found = [suggestion_from_json(s, warnings) for s in objs(d.get("meetingTimeSuggestions"))]
    return [s for s in found if s is not None], text(d.get("emptySuggestionsReason"))


# ---------------------------------------------------------------- domain -> JSON


def _all_day(when: datetime) -> dict[str, str]:
    return {"dateTime": when.date().isoformat() + "T00:00:00", "timeZone":
            date_time_tz_to_json(when)["timeZone"]}


def recurrence_to_json(rec: Recurrence) -> dict[str, Any]:
    """A Recurrence as patternedRecurrence."""
    p, r = rec.pattern, rec.range
    pattern: dict[str, Any] = {"type": p.type, "interval": p.interval}
    if p.days_of_week:
        pattern["daysOfWeek"] = list(p.days_of_week)
        pattern["firstDayOfWeek"] = p.first_day_of_week
    if p.day_of_month:
        pattern["dayOfMonth"] = p.day_of_month
    if p.month:
        pattern["month"] = p.month
    if p.type.startswith("relative"):
        pattern["index"] = p.index
    rng: dict[str, Any] = {"type": r.type, "startDate": r.start.isoformat()}
    if r.end is not None:
        rng["endDate"] = r.end.isoformat()
    if r.occurrences:
        rng["numberOfOccurrences"] = r.occurrences
    if r.time_zone:
        rng["recurrenceTimeZone"] = r.time_zone
    return {"pattern": pattern, "range": rng}


def event_to_json(event: Event) -> dict[str, Any]:
    """An Event as an event resource for POST/PATCH (server-owned fields left out)."""
    out: dict[str, Any] = {
        "subject": event.subject,
        "start": _all_day(event.start) if event.is_all_day else date_time_tz_to_json(event.start),
        "end": _all_day(event.end) if event.is_all_day else date_time_tz_to_json(event.end),
        "isAllDay": event.is_all_day,
        "showAs": event.show_as,
        "sensitivity": event.sensitivity,
        "importance": event.importance,
        "isReminderOn": event.is_reminder_on,
        "reminderMinutesBeforeStart": event.reminder_minutes,
        "categories": list(event.categories),
        "isOnlineMeeting": event.is_online_meeting,
        "responseRequested": event.response_requested,
        "allowNewTimeProposals": event.allow_new_time_proposals,
        "attendees": [{**recipient_to_json(a.who), "type": a.type} for a in event.attendees],
    }
    if event.location:
        out["location"] = {"displayName": event.location}
    if event.body_html:
        out["body"] = {"contentType": "text" if event.body_content_type == "text" else "html",
                       "content": event.body_html}
    if event.recurrence is not None:
        out["recurrence"] = recurrence_to_json(event.recurrence)
    return out
