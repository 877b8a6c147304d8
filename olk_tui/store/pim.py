"""Calendar and contacts tables: calendars, event occurrences per window, contacts, folders."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

from olk_tui.domain.calendar import Calendar, Event
from olk_tui.domain.contacts import Contact, ContactFolder
from olk_tui.domain.ids import ContactFolderId
from olk_tui.store import codec


def _utc(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


class CalendarStore:
    """Calendars and events."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._db = conn

    def replace_calendars(self, calendars: Iterable[Calendar]) -> None:
        """Store the calendar list (replacing the old one)."""
        self._db.execute("DELETE FROM calendars")
        self._db.executemany("INSERT INTO calendars (id, position, data_json) VALUES (?,?,?)",
                             [(c.id, i, codec.dumps(c)) for i, c in enumerate(calendars)])

    def calendars(self) -> list[Calendar]:
        """The stored calendars in server order."""
        return [codec.loads(Calendar, r[0]) for r in self._db.execute(
            "SELECT data_json FROM calendars ORDER BY position")]

    def calendar(self, calendar_id: str) -> Calendar | None:
        """One stored calendar."""
        row = self._db.execute("SELECT data_json FROM calendars WHERE id = ?",
                               (calendar_id,)).fetchone()
        return codec.loads(Calendar, row[0]) if row else None

    def upsert_calendar(self, calendar: Calendar, position: int | None = None) -> None:
        """Insert (at the end, or at ``position``) or update one calendar."""
        if position is None:
            row = self._db.execute("SELECT position FROM calendars WHERE id = ?",
                                   (calendar.id,)).fetchone()
            position = row[0] if row else self._db.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM calendars").fetchone()[0]
        self._db.execute("INSERT INTO calendars (id, position, data_json) VALUES (?,?,?) "
                         "ON CONFLICT(id) DO UPDATE SET position=excluded.position, "
                         "data_json=excluded.data_json",
                         (calendar.id, position, codec.dumps(calendar)))

    def calendar_position(self, calendar_id: str) -> int | None:
        """Where a calendar is in the list."""
        row = self._db.execute("SELECT position FROM calendars WHERE id = ?",
                               (calendar_id,)).fetchone()
        return int(row[0]) if row else None

    def remove_calendar(self, calendar_id: str) -> list[Event]:
        """Forget a calendar and its events; returns the events removed."""
        gone = [codec.loads(Event, r[0]) for r in self._db.execute(
            "SELECT data_json FROM events WHERE calendar_id = ?", (calendar_id,))]
        self._db.execute("DELETE FROM calendars WHERE id = ?", (calendar_id,))
        self.remove_events([e.id for e in gone])
        return gone

    def move_events_to_calendar(self, old_id: str, new_id: str) -> None:
        """Re-home events of a placeholder calendar on its real id."""
        for (raw,) in list(self._db.execute("SELECT data_json FROM events WHERE "
                                            "calendar_id = ?", (old_id,))):
            event = codec.loads(Event, raw)
            self.upsert_events([replace(event, calendar_id=new_id)])

    def upsert_events(self, events: Iterable[Event]) -> None:
        """Insert or replace events/occurrences by id."""
        self._db.executemany(
            "INSERT INTO events (id, calendar_id, start_utc, end_utc, series_master_id, "
            "data_json) VALUES (?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
            "calendar_id=excluded.calendar_id, start_utc=excluded.start_utc, "
            "end_utc=excluded.end_utc, series_master_id=excluded.series_master_id, "
            "data_json=excluded.data_json",
            [(e.id, e.calendar_id, _utc(e.start), _utc(e.end), e.series_master_id,
              codec.dumps(e)) for e in events])

    def remove_events(self, ids: Iterable[str]) -> None:
        """Forget events (and the occurrences of a removed series master)."""
        for eid in ids:
            gone = [r[0] for r in self._db.execute(
                "SELECT id FROM events WHERE id = ? OR series_master_id = ?", (eid, eid))]
            self._db.execute("DELETE FROM events WHERE id = ? OR series_master_id = ?",
                             (eid, eid))
            self._db.executemany("DELETE FROM event_window_members WHERE event_id = ?",
                                 [(g,) for g in {eid, *gone}])

    def add_to_window(self, start: datetime, end: datetime, ids: Iterable[str]) -> None:
        """Record that the window's fetch holds these occurrences."""
        s, e = _utc(start), _utc(end)
        self._db.executemany("INSERT OR IGNORE INTO event_window_members (start_utc, end_utc, "
                             "event_id) VALUES (?,?,?)", [(s, e, i) for i in ids])

    def window_members(self, start: datetime, end: datetime) -> set[str]:
        """Occurrences the window's fetches hold."""
        return {r[0] for r in self._db.execute(
            "SELECT event_id FROM event_window_members WHERE start_utc = ? AND end_utc = ?",
            (_utc(start), _utc(end)))}

    def drop_from_window(self, start: datetime, end: datetime, ids: Iterable[str]) -> set[str]:
        """Take occurrences out of one window (its delta tombstoned them, or its full fetch
        no longer has them); an occurrence leaves the cache only when no other fetched
        window holds it. One that no window holds goes when the window held it or its
        stored times lie in the window; a tombstone for an event the window never held and
        that lies elsewhere (a server reporting other windows' events) changes nothing.

        Returns:
            The ids removed from the cache.
        """
        s, e = _utc(start), _utc(end)
        removed: set[str] = set()
        for eid in ids:
            held = self._db.execute(
                "DELETE FROM event_window_members WHERE start_utc = ? AND end_utc = ? AND "
                "event_id = ?", (s, e, eid)).rowcount > 0
            if self._db.execute("SELECT 1 FROM event_window_members WHERE event_id = ?",
                                (eid,)).fetchone() is not None:
                continue
            inside = self._db.execute(
                "SELECT 1 FROM events WHERE (id = ? OR series_master_id = ?) AND "
                "start_utc < ? AND end_utc >= ?", (eid, eid, e, s)).fetchone() is not None
            if held or inside:
                self.remove_events([eid])
                removed.add(eid)
        return removed

    def events(self, start: datetime, end: datetime) -> list[Event]:
        """Stored occurrences overlapping ``[start, end)``, by start time."""
        rows = self._db.execute(
            "SELECT data_json FROM events WHERE start_utc < ? AND end_utc > ? "
            "ORDER BY start_utc", (_utc(end), _utc(start)))
        out = [codec.loads(Event, r[0]) for r in rows]
        # zero-length events that start inside the window
        out += [codec.loads(Event, r[0]) for r in self._db.execute(
            "SELECT data_json FROM events WHERE start_utc = end_utc AND start_utc >= ? "
            "AND start_utc < ?", (_utc(start), _utc(end)))]
        return sorted(out, key=lambda e: e.start)

    def event(self, event_id: str) -> Event | None:
        """One stored event."""
        row = self._db.execute("SELECT data_json FROM events WHERE id = ?",
                               (event_id,)).fetchone()
        return codec.loads(Event, row[0]) if row else None

    def event_ids_in(self, start: datetime, end: datetime) -> set[str]:
        """Ids of stored occurrences overlapping a window (resync bookkeeping)."""
        return {r[0] for r in self._db.execute(
            "SELECT id FROM events WHERE start_utc < ? AND end_utc >= ?",
            (_utc(end), _utc(start)))}

    def mark_window(self, start: datetime, end: datetime) -> None:
        """Record that a window's occurrences were fetched."""
        self._db.execute("INSERT INTO event_windows (start_utc, end_utc, fetched_at) VALUES "
                         "(?,?,?) ON CONFLICT DO UPDATE SET fetched_at=excluded.fetched_at",
                         (_utc(start), _utc(end), datetime.now(UTC).isoformat()))

    def has_window(self, start: datetime, end: datetime) -> bool:
        """Whether a fetched window covers ``[start, end)``."""
        return self._db.execute("SELECT 1 FROM event_windows WHERE start_utc <= ? AND "
                                "end_utc >= ?", (_utc(start), _utc(end))).fetchone() is not None


class ContactStore:
    """Contacts and contact folders."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._db = conn

    def upsert_folders(self, folders: Iterable[ContactFolder]) -> None:
        """Insert or update contact folders."""
        self._db.executemany(
            "INSERT INTO contact_folders (id, parent_id, display_name) VALUES (?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET parent_id=excluded.parent_id, "
            "display_name=excluded.display_name",
            [(f.id, f.parent_id, f.display_name) for f in folders])

    def folders(self) -> list[ContactFolder]:
        """Every contact folder."""
        return [ContactFolder(ContactFolderId(r[0]), r[2],
                              ContactFolderId(r[1]) if r[1] else None)
                for r in self._db.execute("SELECT id, parent_id, display_name FROM "
                                          "contact_folders ORDER BY display_name")]

    def upsert(self, contacts: Iterable[Contact]) -> None:
        """Insert or update contacts by id."""
        self._db.executemany(
            "INSERT INTO contacts (id, folder_id, display_name, search_text, data_json) "
            "VALUES (?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET folder_id=excluded.folder_id, "
            "display_name=excluded.display_name, search_text=excluded.search_text, "
            "data_json=excluded.data_json",
            [(c.id, c.folder_id, c.display_name, _search_text(c), codec.dumps(c))
             for c in contacts])

    def remove(self, ids: Iterable[str]) -> None:
        """Forget contacts."""
        self._db.executemany("DELETE FROM contacts WHERE id = ?", [(i,) for i in ids])

    def contacts(self, text: str = "", limit: int = 500) -> list[Contact]:
        """Contacts whose name, company or addresses contain ``text``, by name."""
        like = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._db.execute(
            "SELECT data_json FROM contacts WHERE search_text LIKE ? ESCAPE '\\' "
            "ORDER BY display_name COLLATE NOCASE LIMIT ?", (like + "%", limit))
        return [codec.loads(Contact, r[0]) for r in rows]

    def contact(self, contact_id: str) -> Contact | None:
        """One contact."""
        row = self._db.execute("SELECT data_json FROM contacts WHERE id = ?",
                               (contact_id,)).fetchone()
        return codec.loads(Contact, row[0]) if row else None


def _search_text(c: Contact) -> str:
    parts = [c.display_name, c.given_name, c.surname, c.company_name,
             *(f"{e.name} {e.address}" for e in c.emails)]
    return " ".join(p for p in parts if p).lower()
