"""Calendar state on top of the core :class:`~olk_tui.emulator.state.Mailbox`: storing and
changing events (singles and series masters, a series' exceptions and deleted occurrences).

Events are kept in ``mailbox.events`` as Graph JSON exactly as given (unknown fields included),
with start/end in the zone they were written in; handlers convert on the way out. Changes are
recorded in ``mailbox.changes`` under the container ``"events"`` so calendarView delta can find
them. This is the module the calendar handlers use (``calendar_store as store``), so it also
re-exports its neighbours: calendars and bookkeeping (:mod:`~olk_tui.emulator.calendar_data`),
the fields Graph fills in (:mod:`~olk_tui.emulator.calendar_resources`) and the expansion into
instances (:mod:`~olk_tui.emulator.calendar_instances`).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from olk_tui.emulator import recurrence as rec
from olk_tui.emulator.calendar_data import (
    CalendarData,
    add_calendar,
    data,
    default_calendar,
    events_in,
    mailbox_kind,
    resolve_calendar,
    set_mailbox_kind,
)
from olk_tui.emulator.calendar_instances import (
    HIDDEN_OVERRIDE_KEYS,
    day_window,
    event_bounds,
    floating_zone,
    get_occurrence,
    occurrence_json,
    resolve_event,
    series_instances,
    view,
)
from olk_tui.emulator.calendar_resources import (
    NEVER,
    body_preview,
    change_key,
    complete_attendees,
    complete_location,
    complete_online_meeting,
    fill_event_defaults,
    owner_of,
    stamp,
)
from olk_tui.emulator.calendar_tz import format_utc

if TYPE_CHECKING:
    from olk_tui.emulator.state import Mailbox

__all__ = [
    "EVENTS", "NEVER", "CalendarData", "add_calendar", "add_event", "body_preview", "change_key",
    "complete_attendees", "complete_location", "complete_online_meeting", "data", "day_window",
    "default_calendar", "delete_event", "delete_occurrence", "event_bounds", "events_in",
    "fill_event_defaults", "find_by_uid", "floating_zone", "get_occurrence", "mailbox_kind",
    "occurrence_json", "owner_of", "resolve_calendar", "resolve_event", "series_instances",
    "set_exception", "set_mailbox_kind", "stamp", "touch_event", "view",
]

EVENTS = "events"  #: change-log container for events


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
    stamp(mailbox, ev)


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


def set_exception(mailbox: Mailbox, master_id: str, original: datetime, patch: dict[str, Any],
                  now: datetime | None = None) -> None:
    """Merge ``patch`` into the override of one occurrence (making it an exception)."""
    key = rec.occurrence_key(original)
    overrides = data(mailbox).exceptions.setdefault(master_id, {}).setdefault(key, {})
    for name, value in patch.items():
        if name not in HIDDEN_OVERRIDE_KEYS:
            overrides[name] = copy.deepcopy(value)
    touch_event(mailbox, master_id, now)


def delete_occurrence(mailbox: Mailbox, master_id: str, original: datetime) -> None:
    """Remove one occurrence from a series."""
    key = rec.occurrence_key(original)
    info = data(mailbox)
    info.deleted.setdefault(master_id, set()).add(key)
    info.exceptions.get(master_id, {}).pop(key, None)
    touch_event(mailbox, master_id)
