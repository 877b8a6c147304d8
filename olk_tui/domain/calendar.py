"""Calendar: calendars, events (occurrences and series), recurrence, free/busy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from olk_tui.domain.ids import CalendarId, EventId
from olk_tui.domain.mail import Recipient


@dataclass(frozen=True, slots=True)
class Calendar:
    """A calendar the user can see; ``color`` is Graph's named colour, ``hex_color`` "#rrggbb"."""

    id: CalendarId
    name: str
    color: str = "auto"
    hex_color: str = ""
    is_default: bool = False
    can_edit: bool = True
    owner: Recipient | None = None


@dataclass(frozen=True, slots=True)
class Attendee:
    """An attendee; ``type`` is required/optional/resource, ``response`` Graph's responseStatus."""

    who: Recipient
    type: str = "required"
    response: str = "none"


@dataclass(frozen=True, slots=True)
class RecurrencePattern:
    """Graph's recurrencePattern (type: daily, weekly, absoluteMonthly, relativeMonthly,
    absoluteYearly, relativeYearly)."""

    type: str
    interval: int = 1
    days_of_week: tuple[str, ...] = ()
    day_of_month: int = 0
    month: int = 0
    first_day_of_week: str = "sunday"
    index: str = "first"


@dataclass(frozen=True, slots=True)
class RecurrenceRange:
    """Graph's recurrenceRange (type: endDate, noEnd, numbered)."""

    type: str
    start: date
    end: date | None = None
    occurrences: int = 0
    time_zone: str = ""


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A series' pattern and range."""

    pattern: RecurrencePattern
    range: RecurrenceRange


@dataclass(frozen=True, slots=True)
class Event:
    """An event, occurrence, exception or series master.

    ``start`` and ``end`` are timezone-aware. ``type`` is singleInstance, occurrence, exception
    or seriesMaster. ``response`` is the user's own responseStatus.response.
    """

    id: EventId
    subject: str
    start: datetime
    end: datetime
    calendar_id: CalendarId | None = None
    is_all_day: bool = False
    location: str = ""
    organizer: Recipient | None = None
    attendees: tuple[Attendee, ...] = ()
    show_as: str = "busy"
    is_cancelled: bool = False
    is_organizer: bool = False
    response: str = "none"
    type: str = "singleInstance"
    series_master_id: EventId | None = None
    recurrence: Recurrence | None = None
    body_preview: str = ""
    body_html: str = ""
    body_content_type: str = "html"
    online_meeting_url: str = ""
    is_online_meeting: bool = False
    categories: tuple[str, ...] = ()
    reminder_minutes: int = 15
    is_reminder_on: bool = True
    sensitivity: str = "normal"
    importance: str = "normal"
    web_link: str = ""
    original_start_time_zone: str = ""
    ical_uid: str = ""
    response_requested: bool = True
    allow_new_time_proposals: bool = True


@dataclass(frozen=True, slots=True)
class ScheduleItem:
    """One busy block from getSchedule."""

    start: datetime
    end: datetime
    status: str = "busy"
    subject: str = ""
    location: str = ""


@dataclass(frozen=True, slots=True)
class ScheduleInfo:
    """getSchedule's answer for one address; ``availability_view`` is one digit per slot."""

    address: str
    availability_view: str = ""
    items: tuple[ScheduleItem, ...] = ()
    working_start: str = ""
    working_end: str = ""
    working_days: tuple[str, ...] = ()
    working_time_zone: str = ""
    error: str = ""


@dataclass(frozen=True, slots=True)
class MeetingSuggestion:
    """One findMeetingTimes suggestion."""

    start: datetime
    end: datetime
    confidence: float = 0.0
    organizer_availability: str = ""
    suggestion_reason: str = ""
    attendee_availability: tuple[tuple[str, str], ...] = field(default=())
