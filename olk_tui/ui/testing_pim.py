"""In-memory calendar, contacts and outbox repositories of the fake account
(``olk_tui.ui.testing``): just enough for the mail screens' tests and screenshots."""

from __future__ import annotations

from datetime import datetime, timedelta

from olk_tui.domain.calendar import Event
from olk_tui.domain.errors import NotFound
from olk_tui.domain.ids import EventId
from olk_tui.domain.mail import Draft, Recipient
from olk_tui.domain.operations import Operation
from olk_tui.ui import demo_data


class FakeCalendar:
    """Empty calendar repository (the calendar engineer owns the real screens)."""

    async def calendars(self) -> list:
        return []

    async def events(self, start: datetime, end: datetime) -> list:
        """One clash with the demo invitation."""
        clash = demo_data.fixed_now().replace(hour=10, minute=30) + timedelta(days=6)
        if start <= clash < end:
            return [Event(EventId("ev-other"), "Dentist", clash, clash + timedelta(hours=1))]
        return []

    async def event(self, event_id: str) -> Event:
        """Invitations of the demo data link to ``ev-<message id>``."""
        if not event_id.startswith("ev-"):
            raise NotFound("no such event in the fake")
        start = demo_data.fixed_now().replace(hour=10, minute=0) + timedelta(days=6)
        return Event(EventId(event_id), "Design review", start, start + timedelta(hours=1),
                     location="Room 4", organizer=demo_data.PEOPLE[6])

    async def schedule(self, addresses: list[str], start: datetime, end: datetime,
                       interval_minutes: int = 30) -> list:
        return []

    async def find_meeting_times(self, attendees: list[str], start: datetime, end: datetime,
                                 duration_minutes: int) -> tuple[list, str]:
        return [], "Unknown"

    async def submit(self, op: Operation) -> None:
        self.submitted = [*getattr(self, "submitted", []), op]


class FakeContacts:
    """Contacts repository that completes from the demo people."""

    async def folders(self) -> list:
        return []

    async def contacts(self, text: str = "", limit: int = 500) -> list:
        return []

    async def complete(self, prefix: str, limit: int = 10) -> list[Recipient]:
        p = prefix.lower()
        return [r for r in demo_data.PEOPLE if p in r.address or p in r.name.lower()][:limit]

    async def submit(self, op: Operation) -> None:
        pass


class FakeOutbox:
    """Outbox that records what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[Draft] = []
        self.local: dict[str, Draft] = {}

    async def save_local_draft(self, key: str, draft: Draft) -> None:
        self.local[key] = draft

    async def local_drafts(self) -> list[tuple[str, Draft]]:
        return list(self.local.items())

    async def discard_local_draft(self, key: str) -> None:
        self.local.pop(key, None)

    async def save_server_draft(self, draft: Draft) -> Draft:
        return draft

    async def send(self, draft: Draft) -> str:
        self.sent.append(draft)
        return f"out-{len(self.sent)}"

    async def outbox(self) -> list[tuple[str, str, Draft]]:
        return []

    async def cancel(self, item_id: str) -> Draft | None:
        return None
