"""``CalendarRepository`` and ``ContactsRepository`` over the cache and Graph."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote

from olk_tui.domain.calendar import Calendar, Event, MeetingSuggestion, ScheduleInfo
from olk_tui.domain.contacts import Contact, ContactFolder
from olk_tui.domain.errors import NotFound
from olk_tui.domain.ids import EventId
from olk_tui.domain.mail import Recipient
from olk_tui.domain.operations import Operation
from olk_tui.graph.bodies import json_object
from olk_tui.graph.mapping import (
    event_from_json,
    pairs_from_json,
    schedule_from_json,
    suggestions_from_json,
)
from olk_tui.store import AsyncStore
from olk_tui.sync.mailrepo import Submitter

if TYPE_CHECKING:
    from olk_tui.graph.client import GraphClient  # made after the first paint (see sync.account)


class Watcher(Protocol):
    """The sync engine as the calendar sees it."""

    def watch(self, start: datetime, end: datetime) -> None: ...

    def request(self, folder_id: str | None = None) -> None: ...


def _tz(when: datetime, zone: str = "UTC") -> dict[str, str]:
    w = when.astimezone(UTC) if when.tzinfo else when
    return {"dateTime": w.replace(tzinfo=None).isoformat(timespec="seconds"), "timeZone": zone}


class CalendarRepo:
    """Calendars and events (see ``sync.api.CalendarRepository``)."""

    def __init__(self, store: AsyncStore, client: GraphClient, submitter: Submitter,
                 engine: Watcher) -> None:
        self._store = store
        self._client = client
        self._submitter = submitter
        self._engine = engine

    async def calendars(self) -> list[Calendar]:
        """The cached calendars."""
        return await self._store.run(lambda s: s.calendar.calendars())

    async def events(self, start: datetime, end: datetime) -> list[Event]:
        """Cached occurrences in ``[start, end)``; the window is refreshed in the background."""
        self._engine.watch(start, end)
        return await self._store.run(lambda s: s.calendar.events(start, end))

    async def event(self, event_id: EventId) -> Event:
        """One event: cached, else fetched and kept."""
        cached = await self._store.run(lambda s: s.calendar.event(event_id))
        if cached is not None:
            return cached
        data = json_object(await self._client.request(
            "GET", f"/me/events/{quote(event_id, safe='=-_')}"))
        event = event_from_json(data)
        if not event.id:
            raise NotFound("The event could not be read.")
        await self._store.tx(lambda s: s.calendar.upsert_events([event]))
        return event

    async def schedule(self, addresses: list[str], start: datetime, end: datetime,
                       interval_minutes: int = 30) -> list[ScheduleInfo]:
        """Free/busy of ``addresses`` (getSchedule)."""
        data = json_object(await self._client.request(
            "POST", "/me/calendar/getSchedule", idempotent=True, json={
                "schedules": addresses, "startTime": _tz(start), "endTime": _tz(end),
                "availabilityViewInterval": max(5, min(1440, interval_minutes))}))
        value = data.get("value")
        return [schedule_from_json(v) for v in value] if isinstance(value, list) else []

    async def find_meeting_times(self, attendees: list[str], start: datetime, end: datetime,
                                 duration_minutes: int) -> tuple[list[MeetingSuggestion], str]:
        """findMeetingTimes suggestions and the empty-suggestions reason."""
        hours, minutes = divmod(max(1, duration_minutes), 60)
        data = json_object(await self._client.request(
            "POST", "/me/findMeetingTimes", idempotent=True, json={
                "attendees": [{"type": "required", "emailAddress": {"address": a}}
                              for a in attendees],
                "timeConstraint": {"timeslots": [{"start": _tz(start), "end": _tz(end)}]},
                "meetingDuration": f"PT{hours}H{minutes}M"}))
        return suggestions_from_json(data)

    async def supported_time_zones(self) -> list[tuple[str, str]]:
        """supportedTimeZones (Windows names) as (alias, display name)."""
        data = json_object(await self._client.request("GET", "/me/outlook/supportedTimeZones"))
        return pairs_from_json(data, "alias")

    async def submit(self, op: Operation) -> None:
        """Queue a calendar change."""
        await self._submitter.submit(op)


class ContactsRepo:
    """Contacts and completion (see ``sync.api.ContactsRepository``)."""

    def __init__(self, store: AsyncStore, submitter: Submitter) -> None:
        self._store = store
        self._submitter = submitter

    async def folders(self) -> list[ContactFolder]:
        """Cached contact folders."""
        return await self._store.run(lambda s: s.contacts.folders())

    async def contacts(self, text: str = "", limit: int = 500) -> list[Contact]:
        """Cached contacts matching ``text``."""
        return await self._store.run(lambda s: s.contacts.contacts(text, limit))

    async def complete(self, prefix: str, limit: int = 10) -> list[Recipient]:
        """Addresses matching ``prefix``: contacts, then the people Graph ranks as most
        relevant, then frequent correspondents."""
        prefix = prefix.strip()
        if not prefix:
            return []

        def rank(s: object) -> list[Recipient]:
            from olk_tui.store import Store

            assert isinstance(s, Store)
            out: dict[str, Recipient] = {}
            low = prefix.lower()
            for contact in s.contacts.contacts(prefix, 200):
                for email in contact.emails:
                    words = f"{contact.display_name} {email.name} {email.address}".lower()
                    if any(w.startswith(low) for w in words.split()) or \
                            email.address.lower().startswith(low):
                        out.setdefault(email.address.lower(), Recipient(
                            email.address, contact.display_name or email.name))
            for name, address in json.loads(s.queue.get("people") or "[]"):
                words = f"{name} {address}".lower().split()
                if any(w.startswith(low) for w in words):
                    out.setdefault(address.lower(), Recipient(address, name))
            for who, _n in s.mail.correspondents(prefix, limit * 2):
                out.setdefault(who.address.lower(), who)
            return list(out.values())[:limit]

        return await self._store.run(rank)

    async def submit(self, op: Operation) -> None:
        """Queue a contact change."""
        await self._submitter.submit(op)
