"""Typed calendar, contact, settings and people endpoints."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import Any

from olk_tui.domain.calendar import Calendar, Event, MeetingSuggestion, ScheduleInfo
from olk_tui.domain.contacts import Contact, ContactFolder
from olk_tui.domain.errors import BadRequest
from olk_tui.domain.mail import Recipient
from olk_tui.domain.settings import MailboxSettings, User
from olk_tui.graph import mapping
from olk_tui.graph.api_base import ApiCore, DeltaPage, max_page_size
from olk_tui.graph.endpoints import path, select

RSVP_ACTIONS = {"accept": "accept_event", "tentativelyAccept": "tentatively_accept_event",
                "decline": "decline_event"}


def _iso(when: datetime) -> str:
    """calendarView bounds: an explicit offset, so no zone header can change their meaning."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.isoformat(timespec="seconds")


class CalendarApi(ApiCore):
    """Calendar, contacts, mailbox settings and people, returning domain objects."""

    # ---------------------------------------------------------------- user and settings

    async def me(self) -> User:
        """The signed-in user (or the mailbox owner for app-only)."""
        data = await self._call_json("me", params={"$select": select("me")})
        return mapping.user_from_json(data)

    async def mailbox_settings(self) -> MailboxSettings:
        """Time zone, automatic replies, working hours, language, formats."""
        return mapping.mailbox_settings_from_json(await self._call_json("mailbox_settings"))

    async def update_mailbox_settings(self, fields: dict[str, Any]) -> MailboxSettings:
        """PATCH mailboxSettings with Graph-shaped fields."""
        data = await self._call_json("update_mailbox_settings", json=fields)
        return mapping.mailbox_settings_from_json(data)

    async def supported_time_zones(self, *, windows: bool = False) -> list[tuple[str, str]]:
        """(alias, display name) pairs; ``windows`` asks for Windows names instead of IANA."""
        name = "supported_time_zones_windows" if windows else "supported_time_zones"
        return mapping.pairs_from_json(await self._call_json(name), "alias")

    async def supported_languages(self) -> list[tuple[str, str]]:
        """(locale, display name) pairs."""
        return mapping.pairs_from_json(await self._call_json("supported_languages"), "locale")

    async def people(self, search: str | None = None, *, top: int = 25) -> list[Recipient]:
        """People relevant to the user (address completion)."""
        params: dict[str, Any] = {"$select": select("people"), "$top": max(1, min(top, 100))}
        if search:
            params["$search"] = f'"{search.replace(chr(34), " ")}"'
        data = await self._call_json("people", params=params)
        found = (mapping.person_from_json(p) for p in data.get("value") or []
                 if isinstance(p, dict))
        return [p for p in found if p is not None]

    # ---------------------------------------------------------------- calendars

    async def calendars(self) -> list[Calendar]:
        """Every calendar the user can see."""
        return await self._all(path("calendars"), mapping.calendar_from_json,
                               {"$select": select("calendars"), "$top": 100})

    async def create_calendar(self, name: str, color: str | None = None) -> Calendar:
        """Create a calendar."""
        body: dict[str, Any] = {"name": name}
        if color:
            body["color"] = color
        return mapping.calendar_from_json(await self._call_json("create_calendar", json=body))

    async def update_calendar(self, calendar_id: str, fields: dict[str, Any]) -> Calendar:
        """Rename or recolour a calendar."""
        data = await self._call_json("update_calendar", json=fields, calendar_id=calendar_id)
        return mapping.calendar_from_json(data)

    async def delete_calendar(self, calendar_id: str) -> None:
        """Delete a calendar."""
        await self._call("delete_calendar", calendar_id=calendar_id)

    # ---------------------------------------------------------------- events

    async def list_events(self, calendar_id: str | None = None) -> list[Event]:
        """Events (series masters, not occurrences) of a calendar or the default one."""
        url = path("calendar_events", calendar_id=calendar_id) if calendar_id \
            else path("events")
        return await self._all(url, mapping.event_from_json,
                               {"$select": select("events"), "$top": 100})

    async def get_event(self, event_id: str) -> Event:
        """One event with its body."""
        data = await self._call_json("get_event", params={"$select": select("get_event")},
                                     event_id=event_id)
        return mapping.event_from_json(data)

    async def create_event(self, event: Event | dict[str, Any],
                           calendar_id: str | None = None) -> Event:
        """Create an event (in ``calendar_id`` or the default calendar)."""
        body = mapping.event_to_json(event) if isinstance(event, Event) else dict(event)
        if calendar_id:
            data = await self._call_json("create_calendar_event", json=body,
                                         calendar_id=calendar_id)
        else:
            data = await self._call_json("create_event", json=body)
        return mapping.event_from_json(data)

    async def update_event(self, event_id: str, fields: dict[str, Any]) -> Event:
        """PATCH an event with Graph-shaped fields."""
        data = await self._call_json("update_event", json=fields, event_id=event_id)
        return mapping.event_from_json(data)

    async def delete_event(self, event_id: str) -> None:
        """Delete an event (a series master deletes the series)."""
        await self._call("delete_event", event_id=event_id)

    async def cancel_event(self, event_id: str, comment: str = "") -> None:
        """Cancel a meeting the user organises (202)."""
        await self._call("cancel_event", json={"comment": comment}, event_id=event_id)

    async def respond_to_event(
        self, event_id: str, response: str, *, comment: str = "", send_response: bool = True,
        proposed_start: datetime | None = None, proposed_end: datetime | None = None,
    ) -> None:
        """accept / tentativelyAccept / decline (202); the latter two may propose a time."""
        name = RSVP_ACTIONS.get(response)
        if name is None:
            raise BadRequest(f"unknown response {response!r}", code="InvalidResponse")
        body: dict[str, Any] = {"comment": comment, "sendResponse": send_response}
        if proposed_start and proposed_end:
            if response == "accept":
                raise BadRequest("accept cannot propose a new time", code="InvalidResponse")
            body["proposedNewTime"] = {"start": mapping.date_time_tz_to_json(proposed_start),
                                       "end": mapping.date_time_tz_to_json(proposed_end)}
        await self._call(name, json=body, event_id=event_id)

    async def calendar_view(self, start: datetime, end: datetime,
                            calendar_id: str | None = None) -> list[Event]:
        """Occurrences between ``start`` and ``end`` (series expanded, FACTS #27)."""
        params = {"startDateTime": _iso(start), "endDateTime": _iso(end),
                  "$select": select("calendar_view"), "$top": 250}
        url = path("calendar_view_in", calendar_id=calendar_id) if calendar_id \
            else path("calendar_view")
        return await self._all(url, mapping.event_from_json, params)

    def calendar_view_delta(self, start: datetime, end: datetime,
                            delta_link: str | None = None, *, page_size: int | None = None,
                            ) -> AsyncIterator[DeltaPage[Event]]:
        """calendarView changes (no $select there, FACTS #5)."""
        headers = max_page_size(page_size)
        if delta_link:
            return self._delta(delta_link, mapping.event_from_json, None, headers)
        return self._delta(path("calendar_view_delta"), mapping.event_from_json,
                           {"startDateTime": _iso(start), "endDateTime": _iso(end)}, headers)

    async def get_schedule(self, addresses: Iterable[str], start: datetime, end: datetime,
                           interval: int = 30) -> list[ScheduleInfo]:
        """Free/busy of people and rooms (interval 5..1440 minutes, FACTS #28)."""
        body = {"schedules": list(addresses),
                "startTime": mapping.date_time_tz_to_json(start),
                "endTime": mapping.date_time_tz_to_json(end),
                "availabilityViewInterval": max(5, min(int(interval), 1440))}
        data = await self._call_json("get_schedule", json=body, idempotent=True)
        return [mapping.schedule_from_json(v) for v in data.get("value") or []
                if isinstance(v, dict)]

    async def find_meeting_times(
        self, attendees: Iterable[str], start: datetime, end: datetime, *,
        duration_minutes: int = 30, max_candidates: int = 10,
    ) -> tuple[list[MeetingSuggestion], str]:
        """Suggestions and ``emptySuggestionsReason`` (attendees required, FACTS #29)."""
        body = {
            "attendees": [{"type": "required", "emailAddress": {"address": a}}
                          for a in attendees],
            "timeConstraint": {"activityDomain": "work", "timeSlots": [{
                "start": mapping.date_time_tz_to_json(start),
                "end": mapping.date_time_tz_to_json(end)}]},
            "meetingDuration": f"PT{int(duration_minutes)}M",
            "maxCandidates": max_candidates,
            "isOrganizerOptional": False,
            "returnSuggestionReasons": True,
        }
        data = await self._call_json("find_meeting_times", json=body, idempotent=True)
        return mapping.suggestions_from_json(data)

    # ---------------------------------------------------------------- contacts

    async def contact_folders(self) -> list[ContactFolder]:
        """Contact folders (the default Contacts folder is not among them, FACTS #41)."""
        return await self._all(path("contact_folders"), mapping.contact_folder_from_json,
                               {"$select": select("contact_folders"), "$top": 100})

    async def create_contact_folder(self, display_name: str) -> ContactFolder:
        """Create a contact folder."""
        data = await self._call_json("create_contact_folder",
                                     json={"displayName": display_name})
        return mapping.contact_folder_from_json(data)

    async def rename_contact_folder(self, contact_folder_id: str,
                                    display_name: str) -> ContactFolder:
        """Rename a contact folder."""
        data = await self._call_json("update_contact_folder",
                                     json={"displayName": display_name},
                                     contact_folder_id=contact_folder_id)
        return mapping.contact_folder_from_json(data)

    async def delete_contact_folder(self, contact_folder_id: str) -> None:
        """Delete a contact folder."""
        await self._call("delete_contact_folder", contact_folder_id=contact_folder_id)

    async def contacts(self, contact_folder_id: str | None = None) -> list[Contact]:
        """Every contact of the default folder or of ``contact_folder_id``."""
        url = path("folder_contacts", contact_folder_id=contact_folder_id) \
            if contact_folder_id else path("contacts")
        return await self._all(url, mapping.contact_from_json,
                               {"$select": select("contacts"), "$top": 250})

    async def get_contact(self, contact_id: str) -> Contact:
        """One contact."""
        data = await self._call_json("get_contact", params={"$select": select("get_contact")},
                                     contact_id=contact_id)
        return mapping.contact_from_json(data)

    async def create_contact(self, contact: Contact | dict[str, Any],
                             contact_folder_id: str | None = None) -> Contact:
        """Create a contact."""
        body = mapping.contact_to_json(contact) if isinstance(contact, Contact) \
            else dict(contact)
        if contact_folder_id:
            data = await self._call_json("create_folder_contact", json=body,
                                         contact_folder_id=contact_folder_id)
        else:
            data = await self._call_json("create_contact", json=body)
        return mapping.contact_from_json(data)

    async def update_contact(self, contact_id: str, fields: dict[str, Any]) -> Contact:
        """PATCH a contact."""
        data = await self._call_json("update_contact", json=fields, contact_id=contact_id)
        return mapping.contact_from_json(data)

    async def delete_contact(self, contact_id: str) -> None:
        """Delete a contact."""
        await self._call("delete_contact", contact_id=contact_id)

    def contact_delta(self, contact_folder_id: str | None = None,
                      delta_link: str | None = None) -> AsyncIterator[DeltaPage[Contact]]:
        """Contact changes since ``delta_link``."""
        if delta_link:
            return self._delta(delta_link, mapping.contact_from_json)
        url = path("folder_contact_delta", contact_folder_id=contact_folder_id) \
            if contact_folder_id else path("contact_delta")
        return self._delta(url, mapping.contact_from_json, {"$select": select("contact_delta")})
