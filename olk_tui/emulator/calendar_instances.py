"""A calendar expanded into what calendarView shows: single instances, and the occurrences and
exceptions of each series over a window, as Graph event resources.

Series are expanded by :mod:`olk_tui.emulator.recurrence`; an exception's stored overrides are
laid over its occurrence. Start/end stay in the zone the event was written in (handlers convert
on the way out); all-day events float in the mailbox's own time zone.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from olk_tui.emulator import recurrence as rec
from olk_tui.emulator.calendar_data import data
from olk_tui.emulator.calendar_tz import format_dtz, parse_dtz, parse_naive, zone

if TYPE_CHECKING:
    from olk_tui.emulator.state import Mailbox

#: Fields of an occurrence an exception's overrides never replace.
HIDDEN_OVERRIDE_KEYS = ("id", "seriesMasterId", "type", "recurrence", "originalStart")


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
        if key not in HIDDEN_OVERRIDE_KEYS:
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


def day_window(moment: datetime, days: int = 1) -> tuple[datetime, datetime]:
    """[moment, moment + days) as an aware UTC window."""
    start = moment.astimezone(UTC)
    return start, start + timedelta(days=days)
