"""Which calendars a mailbox has, and what the emulator knows about them that Graph does not
serve: which calendar holds each event, a series' exceptions and deleted occurrences, and the
tombstones calendarView delta reports. All of it lives in a :class:`CalendarData` kept in
``mailbox.extra["calendar"]``, made (with the default "Calendar") on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from olk_tui.emulator.calendar_resources import change_key, owner_of

if TYPE_CHECKING:
    from olk_tui.emulator.state import Mailbox


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


def add_calendar(mailbox: Mailbox, resource: dict[str, Any], *, default: bool = False
                 ) -> dict[str, Any]:
    """Create a calendar, keeping every given field and filling Graph's defaults."""
    cal = dict(resource)
    cal.setdefault("id", mailbox.ids.new(b"C"))
    cal.setdefault("name", "Calendar")
    cal.setdefault("color", "auto")
    cal.setdefault("hexColor", "")
    cal.setdefault("isDefaultCalendar", default)
    cal.setdefault("changeKey", change_key(mailbox, cal["id"]))
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
