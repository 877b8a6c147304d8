"""In-memory ``CalendarRepository`` and a standalone app mounting ``CalendarScreen``.

``FakeCalendarRepo`` keeps single events and series masters (daily/weekly series are expanded
into occurrences with ids ``{master}:{date}``), applies SaveEvent / DeleteEvent /
CancelEvent / RespondToEvent at once and records every operation in ``submitted``.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from textual.app import App

from olk_tui.domain.calendar import (
    Attendee,
    Calendar,
    Event,
    MeetingSuggestion,
    Recurrence,
    RecurrencePattern,
    RecurrenceRange,
    ScheduleInfo,
)
from olk_tui.domain.errors import Forbidden, NotFound
from olk_tui.domain.ids import CalendarId, EventId
from olk_tui.domain.mail import Recipient
from olk_tui.domain.operations import (
    CancelEvent,
    DeleteEvent,
    Operation,
    RespondToEvent,
    SaveEvent,
)
from olk_tui.domain.settings import MailboxSettings, User
from olk_tui.sync.api import Account
from olk_tui.ui.calendar.screen import CalendarScreen
from olk_tui.ui.testing import FakeContacts, FakeMail, FakeOutbox

BERLIN = ZoneInfo("Europe/Berlin")
ME = Recipient("megan@contoso.example", "Megan Bowen")
ANA = Recipient("ana@contoso.example", "Ana Ruiz")
BOB = Recipient("bob@contoso.example", "Bob Kim")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: Wednesday 25 November 2026, 10:17 in Berlin: the frozen "now" of the calendar tests.
NOW = datetime(2026, 11, 25, 10, 17, tzinfo=BERLIN)


def _when(value: dict[str, str]) -> datetime:
    zone_name = value.get("timeZone", "UTC")
    try:
        zone: tzinfo = ZoneInfo(zone_name)
    except Exception:  # Windows names in the fake: treat as Berlin
        zone = BERLIN
    return datetime.fromisoformat(value["dateTime"]).replace(tzinfo=zone)


def _recurrence(raw: dict[str, Any] | None) -> Recurrence | None:
    if not raw:
        return None
    p, r = raw["pattern"], raw["range"]
    return Recurrence(
        RecurrencePattern(p["type"], p.get("interval", 1), tuple(p.get("daysOfWeek", ())),
                          p.get("dayOfMonth", 0), p.get("month", 0)),
        RecurrenceRange(r["type"], date.fromisoformat(r["startDate"]),
                        date.fromisoformat(r["endDate"]) if r.get("endDate") else None,
                        r.get("numberOfOccurrences", 0), r.get("recurrenceTimeZone", "")))


def apply_fields(event: Event, fields: dict[str, Any]) -> Event:
    """The event with Graph-shaped ``fields`` applied (enough of Graph for the UI tests)."""
    changes: dict[str, Any] = {}
    if "subject" in fields:
        changes["subject"] = fields["subject"]
    if "start" in fields:
        changes["start"] = _when(fields["start"])
    if "end" in fields:
        changes["end"] = _when(fields["end"])
    if "isAllDay" in fields:
        changes["is_all_day"] = fields["isAllDay"]
    if "location" in fields:
        changes["location"] = fields["location"].get("displayName", "")
    if "attendees" in fields:
        changes["attendees"] = tuple(Attendee(Recipient(a["emailAddress"]["address"],
                                                        a["emailAddress"].get("name", "")),
                                              a.get("type", "required"))
                                     for a in fields["attendees"])
    if "showAs" in fields:
        changes["show_as"] = fields["showAs"]
    if "categories" in fields:
        changes["categories"] = tuple(fields["categories"])
    if "recurrence" in fields:
        changes["recurrence"] = _recurrence(fields["recurrence"])
        changes["type"] = "seriesMaster" if fields["recurrence"] else "singleInstance"
    if "body" in fields:
        changes["body_html"] = fields["body"]["content"]
        changes["body_content_type"] = fields["body"]["contentType"]
    if "isReminderOn" in fields:
        changes["is_reminder_on"] = fields["isReminderOn"]
    if "reminderMinutesBeforeStart" in fields:
        changes["reminder_minutes"] = fields["reminderMinutesBeforeStart"]
    if "isOnlineMeeting" in fields:
        changes["is_online_meeting"] = fields["isOnlineMeeting"]
    return dataclasses.replace(event, **changes)


class FakeCalendarRepo:
    """The in-memory calendar repository (see module docstring)."""

    def __init__(self, events: list[Event] | None = None,
                 calendars: list[Calendar] | None = None, *,
                 schedule: list[ScheduleInfo] | None = None,
                 suggestions: list[MeetingSuggestion] | None = None,
                 empty_reason: str = "", personal: bool = False) -> None:
        self.items: dict[str, Event] = {e.id: e for e in events or []}
        self.cals = calendars or [Calendar(CalendarId("cal-main"), "Calendar",
                                           hex_color="#4a90d9", is_default=True),
                                  Calendar(CalendarId("cal-team"), "Team", color="lightGreen")]
        self.schedule_infos = schedule
        self.suggestions = suggestions or []
        self.empty_reason = empty_reason
        self.personal = personal
        self.deleted_occurrences: set[str] = set()
        self.exceptions: dict[str, Event] = {}
        self.submitted: list[Operation] = []
        self.reads: list[tuple[datetime, datetime]] = []
        self.schedule_calls: list[list[str]] = []
        self.find_calls: list[list[str]] = []
        self._n = 0

    async def calendars(self) -> list[Calendar]:
        return list(self.cals)

    def _occurrences(self, master: Event, start: datetime, end: datetime) -> list[Event]:
        rec = master.recurrence
        assert rec is not None
        length = master.end - master.start
        out: list[Event] = []
        day, count = rec.range.start, 0
        local = master.start.astimezone(master.start.tzinfo)
        while day <= (end.date() + timedelta(days=1)) and count < 1000:
            if rec.range.type == "endDate" and rec.range.end and day > rec.range.end:
                break
            hit = rec.pattern.type == "daily" or (
                rec.pattern.type == "weekly" and WEEKDAYS[day.weekday()] in
                rec.pattern.days_of_week)
            if hit:
                count += 1
                if rec.range.type == "numbered" and count > rec.range.occurrences:
                    break
                occ_id = EventId(f"{master.id}:{day.isoformat()}")
                s = datetime.combine(day, local.time(), tzinfo=local.tzinfo)
                occ = self.exceptions.get(occ_id) or dataclasses.replace(
                    master, id=occ_id, start=s, end=s + length, type="occurrence",
                    series_master_id=master.id, recurrence=None)
                if occ_id not in self.deleted_occurrences and occ.start < end \
                        and occ.end > start:
                    out.append(occ)
            day += timedelta(days=1)
        return out

    async def events(self, start: datetime, end: datetime) -> list[Event]:
        self.reads.append((start, end))
        out: list[Event] = []
        for e in self.items.values():
            if e.type == "seriesMaster":
                out.extend(self._occurrences(e, start, end))
            elif (e.start < end and e.end > start) or (e.start == e.end and start <= e.start < end):
                out.append(e)
        return sorted(out, key=lambda e: e.start.astimezone(UTC))

    async def event(self, event_id: EventId) -> Event:
        if event_id in self.items:
            return self.items[event_id]
        if event_id in self.exceptions:
            return self.exceptions[event_id]
        master_id, _, day = event_id.partition(":")
        if master_id in self.items and day:
            found = [o for o in self._occurrences(
                self.items[master_id], datetime.fromisoformat(day).replace(tzinfo=UTC)
                - timedelta(days=1), datetime.fromisoformat(day).replace(tzinfo=UTC)
                + timedelta(days=2)) if o.id == event_id]
            if found:
                return found[0]
        raise NotFound(f"no event {event_id}")

    async def schedule(self, addresses: list[str], start: datetime, end: datetime,
                       interval_minutes: int = 30) -> list[ScheduleInfo]:
        self.schedule_calls.append(list(addresses))
        if self.schedule_infos is not None:
            return self.schedule_infos
        slots = int((end - start).total_seconds() // 60 // interval_minutes)
        return [ScheduleInfo(a, ("0" * 20 + "22" + "0" * 4 + "1" * 2 + "0" * slots)[:slots])
                for a in addresses]

    async def find_meeting_times(self, attendees: list[str], start: datetime, end: datetime,
                                 duration_minutes: int) -> tuple[list[MeetingSuggestion], str]:
        self.find_calls.append(list(attendees))
        if self.personal:
            raise Forbidden("findMeetingTimes is not available for personal accounts")
        return list(self.suggestions), "" if self.suggestions else (
            self.empty_reason or "attendeesUnavailable")

    async def submit(self, op: Operation) -> None:
        self.submitted.append(op)
        if isinstance(op, SaveEvent):
            if op.event_id is None:
                self._n += 1
                new_id = EventId(f"new-{self._n}")
                base = Event(new_id, "", NOW, NOW, calendar_id=op.calendar_id,
                             is_organizer=True, response="organizer", organizer=ME)
                self.items[new_id] = apply_fields(base, op.fields)
            elif op.event_id in self.items:
                self.items[op.event_id] = apply_fields(self.items[op.event_id], op.fields)
            else:
                occ = await self.event(op.event_id)
                self.exceptions[op.event_id] = dataclasses.replace(
                    apply_fields(occ, op.fields), type="exception")
        elif isinstance(op, DeleteEvent | CancelEvent):
            if op.event_id in self.items:
                del self.items[op.event_id]
            else:
                self.deleted_occurrences.add(op.event_id)
        elif isinstance(op, RespondToEvent):
            target = await self.event(op.event_id)
            response = {"accept": "accepted", "tentativelyAccept": "tentativelyAccepted",
                        "decline": "declined"}[op.response]
            updated = dataclasses.replace(target, response=response)
            if op.event_id in self.items:
                self.items[op.event_id] = updated
            else:
                self.exceptions[op.event_id] = updated


async def settle(pilot: Any) -> None:
    """Let the app's workers finish (a superseded exclusive worker counts as finished)."""
    from textual.worker import WorkerCancelled

    for _ in range(20):
        await pilot.pause()
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        if all(w.is_finished for w in pilot.app.workers):
            break
    await pilot.pause()


def ev(ident: str, subject: str, start: datetime, minutes: int = 60, **kw: Any) -> Event:
    """A short way to write an event in tests."""
    return Event(EventId(ident), subject, start, start + timedelta(minutes=minutes),
                 calendar_id=kw.pop("calendar_id", CalendarId("cal-main")), **kw)


def demo_week() -> list[Event]:
    """A busy but readable week around ``NOW`` (Mon 23 - Sun 29 Nov 2026)."""
    def at(day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)
    team = CalendarId("cal-team")
    return [
        ev("standup-23", "Stand-up", at(23, 9, 30), 15, calendar_id=team),
        ev("plan", "Sprint planning", at(23, 10), 120, location="Room 4",
           organizer=ANA, attendees=(Attendee(ME, response="accepted"),
                                     Attendee(BOB, response="tentativelyAccepted"))),
        ev("lunch", "Lunch with Ana", at(24, 12, 30), 60, location="Cafe"),
        ev("review", "Design review", at(24, 14), 90, organizer=BOB, response="none",
           show_as="tentative", attendees=(Attendee(ME), Attendee(ANA, response="accepted"))),
        ev("overlap", "Customer call", at(24, 14, 30), 60, location="Teams",
           online_meeting_url="https://teams.example/join/1", is_online_meeting=True),
        ev("focus", "Focus time", at(25, 8), 120, show_as="free"),
        ev("one1", "1:1 Bob", at(25, 11), 30, organizer=ME, is_organizer=True,
           attendees=(Attendee(BOB, response="accepted"),)),
        ev("cancel", "Old sync", at(25, 15), 60, is_cancelled=True),
        ev("declined", "Optional talk", at(26, 16), 60, response="declined", organizer=ANA),
        ev("late", "Release", at(26, 22), 180, location="Ops"),
        ev("conf", "Conference", datetime(2026, 11, 26, tzinfo=UTC),
           is_all_day=True, minutes=2 * 24 * 60, calendar_id=team),
        ev("holiday", "Public holiday", datetime(2026, 11, 23, tzinfo=UTC), is_all_day=True,
           minutes=24 * 60, show_as="free"),
        ev("oof", "Dentist", at(27, 9), 60, show_as="oof"),
    ]


def make_account(repo: FakeCalendarRepo, time_zone: str = "Europe/Berlin") -> Account:
    """An Account over the calendar fake and the mail UI's fakes."""
    return Account(name="test", user=User("me", ME.name, ME.address, ME.address),
                   mail=FakeMail(inbox_size=5), calendar=repo, contacts=FakeContacts(),
                   outbox=FakeOutbox(), settings=MailboxSettings(time_zone=time_zone))


@dataclasses.dataclass
class UiOptions:
    """The ``[ui]`` options the calendar reads."""

    week_start: str = "monday"
    work_week: bool = False
    show_declined: bool = False
    bell: bool = False


class CalendarTestApp(App[None]):
    """A bare app that shows only the calendar screen."""

    def __init__(self, account: Account, *, now: datetime = NOW,
                 ui: UiOptions | None = None, reminders: bool = False) -> None:
        super().__init__()
        self.account = account
        self.clock_now = now
        self.ui_options = ui or UiOptions()
        self.reminders = reminders

    def on_mount(self) -> None:
        self.push_screen(CalendarScreen(self.account, ui=self.ui_options,
                                        clock=lambda: self.clock_now,
                                        reminders=self.reminders))
