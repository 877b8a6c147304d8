"""Calendar and contacts sync: the calendar list, calendarView delta per month window, contact
folders and contacts delta per folder."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from olk_tui.domain.errors import BadRequest, Forbidden, NotFound, SyncReset
from olk_tui.graph.mapping import (
    calendar_from_json,
    contact_folder_from_json,
    contact_from_json,
    event_from_json,
    person_from_json,
)
from olk_tui.store import AsyncStore, Store
from olk_tui.sync.announce import Announcer
from olk_tui.sync.api import ContactsChanged, EventsChanged
from olk_tui.sync.calendarops import overlay_calendars

if TYPE_CHECKING:
    from olk_tui.graph.client import GraphClient  # made after the first paint (see sync.account)


def month_windows(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """UTC calendar months covering ``[start, end)`` (the unit of calendar sync)."""
    s = start.astimezone(UTC) if start.tzinfo else start.replace(tzinfo=UTC)
    e = end.astimezone(UTC) if end.tzinfo else end.replace(tzinfo=UTC)
    cur = datetime(s.year, s.month, 1, tzinfo=UTC)
    out = []
    while cur < e:
        nxt = datetime(cur.year + (cur.month == 12), cur.month % 12 + 1, 1, tzinfo=UTC)
        out.append((cur, nxt))
        cur = nxt
    return out or [(datetime(s.year, s.month, 1, tzinfo=UTC),
                    datetime(s.year + (s.month == 12), s.month % 12 + 1, 1, tzinfo=UTC))]


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class PimSync:
    """Calendar windows and contacts for one account."""

    def __init__(self, store: AsyncStore, client: GraphClient, announcer: Announcer,
                 *, page_size: int = 200) -> None:
        self._store = store
        self._client = client
        self._announce = announcer
        self.page_size = page_size
        #: Month windows the UI looked at (kept in sync by the engine).
        self.windows: set[tuple[datetime, datetime]] = set()

    async def sync_calendars(self) -> None:
        """Refresh the calendar list."""
        cals = [calendar_from_json(c) async for c in self._client.items(
            "/me/calendars", params={"$top": "100"})]
        def write(s: Store) -> None:
            s.calendar.replace_calendars(cals)
            overlay_calendars(s)  # queued creations, renames and deletes stay shown

        await self._store.tx(write)

    async def sync_window(self, start: datetime, end: datetime) -> None:
        """calendarView delta for one window (from its delta link when it has one)."""
        scope = f"calview:{_iso(start)}/{_iso(end)}"
        link = await self._store.run(lambda s: s.queue.delta_link(scope))
        try:
            await self._window_delta(scope, link, start, end)
        except SyncReset:
            await self._store.tx(lambda s: s.queue.set_delta_link(scope, None))
            await self._window_delta(scope, None, start, end)

    async def _window_delta(self, scope: str, link: str | None, start: datetime,
                            end: datetime) -> None:
        params = None if link else {"startDateTime": _iso(start), "endDateTime": _iso(end)}
        url = link or "/me/calendarView/delta"
        headers = {"Prefer": f"odata.maxpagesize={self.page_size}"}
        seen: set[str] = set()
        changed = False
        async for page in self._client.pages(url, params, headers=headers):
            events = [event_from_json(i) for i in page.items if "@removed" not in i]
            events = [e for e in events if e.id]
            removed = [str(i["id"]) for i in page.items if "@removed" in i and i.get("id")]
            seen.update(e.id for e in events)
            delta = page.delta_link

            def write(s: Store, events: Any = events, removed: list[str] = removed,
                      delta: str | None = delta) -> None:
                s.calendar.upsert_events(events)
                s.calendar.add_to_window(start, end, [e.id for e in events])
                # A window's tombstone means "no longer in this window" (deleted, or moved
                # out): the row goes only when no other fetched window holds it.
                s.calendar.drop_from_window(start, end, removed)
                if delta:
                    if link is None:  # a full round: drop what the server no longer has
                        held = s.calendar.event_ids_in(start, end) | \
                            s.calendar.window_members(start, end)
                        s.calendar.drop_from_window(start, end, held - seen)
                    s.queue.set_delta_link(scope, delta)
                    s.calendar.mark_window(start, end)

            await self._store.tx(write)
            changed = changed or bool(events or removed)
        if changed or link is None:
            self._announce.emit(EventsChanged(start=start, end=end))

    async def sync_contacts(self) -> None:
        """Contact folders, then contacts delta for the default folder and every other."""
        folders = [contact_folder_from_json(f) async for f in self._client.items(
            "/me/contactFolders", params={"$top": "100"})]
        await self._store.tx(lambda s: s.contacts.upsert_folders(folders))
        changed = await self._contacts_delta("/me/contacts/delta", "contacts:default")
        for folder in folders:
            path = f"/me/contactFolders/{quote(folder.id, safe='=-_')}/contacts/delta"
            try:
                changed |= await self._contacts_delta(path, f"contacts:{folder.id}")
            except (NotFound, BadRequest):
                continue
        people = await self._people()
        if changed or people:
            self._announce.emit(ContactsChanged())

    async def _people(self) -> bool:
        """The people the user works with most (ranked by Graph), kept for completion."""
        try:
            data = await self._client.get_json("/me/people", params={
                "$top": "100", "$select": "displayName,scoredEmailAddresses,userPrincipalName"})
        except (NotFound, BadRequest, Forbidden):
            return False  # personal accounts and some tenants have no people API
        value = data.get("value")
        found = [person_from_json(p) for p in value] if isinstance(value, list) else []
        text = json.dumps([[p.name, p.address] for p in found if p is not None])

        def write(s: Store) -> bool:
            if s.queue.get("people") == text:
                return False
            s.queue.put("people", text)
            return True

        return await self._store.tx(write)

    async def _contacts_delta(self, path: str, scope: str) -> bool:
        link = await self._store.run(lambda s: s.queue.delta_link(scope))
        try:
            return await self._contacts_pages(link or path, scope)
        except SyncReset:
            await self._store.tx(lambda s: s.queue.set_delta_link(scope, None))
            return await self._contacts_pages(path, scope)

    async def _contacts_pages(self, url: str, scope: str) -> bool:
        changed = False
        headers = {"Prefer": f"odata.maxpagesize={self.page_size}"}
        async for page in self._client.pages(url, headers=headers):
            contacts = [contact_from_json(i) for i in page.items if "@removed" not in i]
            removed = [str(i["id"]) for i in page.items if "@removed" in i and i.get("id")]
            delta = page.delta_link

            def write(s: Store, contacts: Any = contacts, removed: list[str] = removed,
                      delta: str | None = delta) -> None:
                s.contacts.upsert([c for c in contacts if c.id])
                s.contacts.remove(removed)
                if delta:
                    s.queue.set_delta_link(scope, delta)

            await self._store.tx(write)
            changed = changed or bool(contacts or removed)
        return changed
