"""The demo mailbox's contacts and calendars.

Contacts: a few hundred people across several companies, plus a Family contact folder.
Calendar (Pacific time): a weekday standup with a cancelled occurrence, a daily planning block,
a weekly 1:1 organised by Adele (an invitation in Megan's Inbox, accepted, with a moved and a
cancelled occurrence), a monthly review, a quarterly planning, all-day events, overlapping
meetings, a deployment across midnight, meetings written in Tokyo and Berlin time, a pending
invitation, and a second calendar "Family". Meetings between Megan and Adele go through the
same invitation/response code as the HTTP routes, so both copies and the eventMessages exist.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx

from olk_tui.emulator import calendar_actions, contacts
from olk_tui.emulator import calendar_store as store
from olk_tui.emulator import demo_data as data
from olk_tui.emulator.calendar_tz import zone_or_utc
from olk_tui.emulator.router import Request

if TYPE_CHECKING:
    from olk_tui.emulator.state import Mailbox

PST = "Pacific Standard Time"
Person = tuple[str, str]


def build_contacts(box: Mailbox, seed: int, count: int = 300) -> list[Person]:
    """``count`` contacts in Contacts and a Family folder; returns (name, address) pairs."""
    rng = random.Random(f"olk-tui-demo-contacts-{seed}")
    people: list[Person] = []
    seen: set[str] = set()
    combos = [(f, s) for f in data.FIRST_NAMES for s in data.LAST_NAMES]
    rng.shuffle(combos)
    for given, surname in combos:
        if len(people) >= count:
            break
        company, domain = data.COMPANIES[len(people) % len(data.COMPANIES)]
        address = f"{given.lower()}.{surname.lower()}@{domain}"
        if address in seen:
            continue
        seen.add(address)
        name = f"{given} {surname}"
        contacts.add_contact(box, {
            "givenName": given, "surname": surname, "displayName": name,
            "fileAs": f"{surname}, {given}", "companyName": company,
            "jobTitle": rng.choice(data.JOB_TITLES), "department": rng.choice(data.DEPARTMENTS),
            "emailAddresses": [{"name": name, "address": address}],
            "businessPhones": [f"+1 425 555 {rng.randrange(100, 9999):04d}"],
            "mobilePhone": f"+1 206 555 {rng.randrange(100, 9999):04d}" if rng.random() < 0.4
            else None,
            "businessAddress": {"street": f"{rng.randrange(1, 999)} Main St", "city": "Redmond",
                                "state": "WA", "countryOrRegion": "United States",
                                "postalCode": "98052"},
            "birthday": f"19{rng.randrange(60, 99)}-{rng.randrange(1, 13):02d}-"
                        f"{rng.randrange(1, 29):02d}T11:59:00Z" if rng.random() < 0.2 else None,
        })
        people.append((name, address))
    family = contacts.add_folder(box, "Family")
    for given, relation in (("Anne", "Mum"), ("Robert", "Dad"), ("Lucy", "Sister"),
                            ("Tom", "Brother-in-law"), ("Grace", "Niece")):
        contacts.add_contact(box, {"givenName": given, "surname": "Bowen",
                                   "personalNotes": relation, "emailAddresses": [{
                                       "name": f"{given} Bowen",
                                       "address": f"{given.lower()}@bowen-family.example"}]},
                             family["id"])
    return people


def _req(emu: Any, box: Mailbox, path: str = "/me/events", params: dict[str, str] | None = None,
         body: dict[str, Any] | None = None) -> Request:
    """A Request for calling the calendar workflow directly (as a route would)."""
    return Request(method="POST", path=path, params=params or {}, query={},
                   headers=httpx.Headers(), body=json.dumps(body or {}).encode(), mailbox=box,
                   prefer={}, emulator=emu)


def _dt(day: date, hour: int, minute: int = 0, tz: str = PST) -> dict[str, str]:
    return {"dateTime": f"{day.isoformat()}T{hour:02d}:{minute:02d}:00.0000000", "timeZone": tz}


def _who(person: Person, kind: str = "required") -> dict[str, Any]:
    return {"type": kind, "status": {"response": "none", "time": store.NEVER},
            "emailAddress": {"name": person[0], "address": person[1]}}


class CalendarBuilder:
    """Builds Megan's and Adele's calendars relative to ``now``."""

    def __init__(self, emu: Any, megan: Mailbox, adele: Mailbox, people: list[Person],
                 now: datetime, seed: int) -> None:
        self.emu, self.megan, self.adele, self.people = emu, megan, adele, people
        self.now = now
        self.rng = random.Random(f"olk-tui-demo-calendar-{seed}")
        self.today = now.astimezone(zone_or_utc(PST)).date()
        self.monday = self.today - timedelta(days=self.today.weekday())
        self.adele_p: Person = (adele.name, adele.address)
        self.megan_p: Person = (megan.name, megan.address)

    def event(self, box: Mailbox, body: dict[str, Any], calendar_id: str | None = None,
              invite: bool = False) -> dict[str, Any]:
        """Create an event (and its invitations when ``invite``)."""
        ev = store.add_event(box, body, calendar_id, now=self.now)
        if invite:
            calendar_actions.invite(_req(self.emu, box), ev)
        return ev

    def _copy_of(self, box: Mailbox, ev: dict[str, Any]) -> dict[str, Any]:
        found = store.find_by_uid(box, ev["iCalUId"])
        assert found is not None
        return found

    def series(self) -> None:
        """Standup, daily planning, 1:1, monthly review, quarterly planning."""
        start = self.monday - timedelta(weeks=26)
        team = [self.adele_p, *self.people[:3]]
        standup = self.event(self.megan, {
            "subject": "Daily standup", "start": _dt(start, 9, 30), "end": _dt(start, 9, 45),
            "location": {"displayName": "Teams"}, "isOnlineMeeting": True,
            "onlineMeetingProvider": "teamsForBusiness",
            "attendees": [_who(p) for p in team], "body": {
                "contentType": "html", "content": "<p>What did you do, what will you do, "
                                                  "anything blocking?</p>"},
            "recurrence": {"pattern": {"type": "weekly", "interval": 1, "firstDayOfWeek":
                                       "sunday", "daysOfWeek": ["monday", "tuesday",
                                                                "wednesday", "thursday",
                                                                "friday"]},
                           "range": {"type": "noEnd", "startDate": start.isoformat(),
                                     "recurrenceTimeZone": PST}}}, invite=True)
        cancelled_day = self.monday + timedelta(days=9)  # next week's Wednesday
        original = datetime.fromisoformat(f"{cancelled_day}T09:30:00").replace(
            tzinfo=zone_or_utc(PST))
        cancel_req = _req(self.emu, self.megan, params={"id": standup["id"]},
                          body={"comment": "No standup: team offsite."})
        store.set_exception(self.megan, standup["id"], original, {"isCancelled": True},
                            self.now)
        calendar_actions.notify_cancel(cancel_req, standup, original, "No standup: offsite.")
        self.event(self.megan, {
            "subject": "Plan the day", "showAs": "free", "sensitivity": "private",
            "start": _dt(self.today - timedelta(days=30), 8), "isReminderOn": False,
            "end": _dt(self.today - timedelta(days=30), 8, 15),
            "recurrence": {"pattern": {"type": "daily", "interval": 1},
                           "range": {"type": "numbered", "numberOfOccurrences": 90,
                                     "startDate": (self.today - timedelta(days=30)).isoformat(),
                                     "recurrenceTimeZone": PST}}})
        self.one_on_one(start + timedelta(days=1))
        first_thursday = {"type": "relativeMonthly", "interval": 1, "daysOfWeek": ["thursday"],
                          "index": "first"}
        review_start = date(self.today.year - 1, self.today.month, 1)
        self.event(self.megan, {
            "subject": "Monthly business review", "start": _dt(review_start, 10),
            "end": _dt(review_start, 11), "location": {"displayName": "Conf Room Rainier"},
            "attendees": [_who(p) for p in self.people[3:9]],
            "recurrence": {"pattern": first_thursday, "range": {
                "type": "endDate", "startDate": review_start.isoformat(),
                "endDate": date(self.today.year + 1, self.today.month, 1).isoformat(),
                "recurrenceTimeZone": PST}}})
        self.event(self.megan, {
            "subject": "Quarterly planning", "start": _dt(review_start, 13),
            "end": _dt(review_start, 16),
            "recurrence": {"pattern": {"type": "absoluteMonthly", "interval": 3,
                                       "dayOfMonth": 15},
                           "range": {"type": "noEnd", "startDate": review_start.isoformat(),
                                     "recurrenceTimeZone": PST}}})

    def one_on_one(self, first: date) -> None:
        """Adele's weekly 1:1 with Megan: invitation, acceptance, a moved and a cancelled one."""
        ev = self.event(self.adele, {
            "subject": "Megan / Adele 1:1", "start": _dt(first, 14), "end": _dt(first, 14, 30),
            "attendees": [_who(self.megan_p)], "body": {"contentType": "html",
                                                        "content": "<p>Weekly catch-up.</p>"},
            "recurrence": {"pattern": {"type": "weekly", "interval": 1,
                                       "daysOfWeek": ["tuesday"], "firstDayOfWeek": "sunday"},
                           "range": {"type": "noEnd", "startDate": first.isoformat(),
                                     "recurrenceTimeZone": PST}}}, invite=True)
        mine = self._copy_of(self.megan, ev)
        calendar_actions.respond(_req(self.emu, self.megan, f"/me/events/{mine['id']}/accept",
                                      {"id": mine["id"]},
                                      {"comment": "Works for me", "sendResponse": True}))
        tz = zone_or_utc(PST)
        next_tuesday = self.monday + timedelta(days=8)
        moved = datetime.fromisoformat(f"{next_tuesday}T14:00:00").replace(tzinfo=tz)
        patch = {"start": _dt(next_tuesday, 15), "end": _dt(next_tuesday, 15, 30),
                 "subject": "Megan / Adele 1:1 (moved)"}
        store.set_exception(self.adele, ev["id"], moved, patch, self.now)
        calendar_actions.propagate_exception(_req(self.emu, self.adele), ev, moved, patch)
        later = moved + timedelta(weeks=2)
        store.set_exception(self.adele, ev["id"], later, {"isCancelled": True}, self.now)
        calendar_actions.notify_cancel(_req(self.emu, self.adele), ev, later, "I'm travelling.")

    def singles(self) -> None:
        """All-day, overlapping, cross-midnight, other-zone and ordinary meetings."""
        today, megan = self.today, self.megan
        tomorrow = today + timedelta(days=1)
        holiday, summit = today + timedelta(days=10), today + timedelta(days=21)
        self.event(megan, {"subject": "Company holiday", "isAllDay": True, "showAs": "oof",
                           "start": _dt(holiday, 0), "end": _dt(holiday + timedelta(days=1), 0)})
        self.event(megan, {"subject": "Contoso Summit", "isAllDay": True, "showAs": "busy",
                           "location": {"displayName": "Seattle Convention Center"},
                           "start": _dt(summit, 0), "end": _dt(summit + timedelta(days=3), 0)})
        vacation = today + timedelta(days=42)
        self.event(megan, {"subject": "Vacation", "isAllDay": True, "showAs": "oof",
                           "start": _dt(vacation, 0), "end": _dt(vacation + timedelta(days=5), 0)})
        self.event(megan, {"subject": "Customer call: Fabrikam", "start": _dt(tomorrow, 11),
                           "end": _dt(tomorrow, 12), "attendees": [_who(self.people[10])],
                           "location": {"displayName": "Conf Room Baker"},
                           "isOnlineMeeting": True, "onlineMeetingProvider": "teamsForBusiness"})
        self.event(megan, {"subject": "Budget sync", "start": _dt(tomorrow, 11, 30),
                           "end": _dt(tomorrow, 12, 30), "showAs": "tentative"})
        deploy = today + timedelta(days=2)
        self.event(megan, {"subject": "Production deploy (overnight)",
                           "start": _dt(deploy, 22),
                           "end": _dt(deploy + timedelta(days=1), 1, 30)})
        tokyo = today + timedelta(days=4)
        self.event(megan, {"subject": "Tokyo office sync",
                           "start": _dt(tokyo, 9, tz="Tokyo Standard Time"),
                           "end": _dt(tokyo, 10, tz="Tokyo Standard Time"),
                           "attendees": [_who(("Keiko Tanaka", "keiko.tanaka@litware.example"))]})
        self.event(megan, {"subject": "Berlin design review",
                           "start": _dt(tokyo, 16, tz="Europe/Berlin"),
                           "end": _dt(tokyo, 17, tz="Europe/Berlin")})
        review = today + timedelta(days=5)
        self.event(self.adele, {"subject": "Apollo design review", "start": _dt(review, 13),
                                "end": _dt(review, 14), "location": {"displayName": "Room 4"},
                                "attendees": [_who(self.megan_p), _who(self.people[12])]},
                   invite=True)
        for n in range(60):
            day = today + timedelta(days=n - 30)
            if day.weekday() >= 5 or n % 2:
                continue
            hour = 10 + self.rng.randrange(0, 6)
            person = self.people[self.rng.randrange(len(self.people))]
            self.event(megan, {"subject": f"{self.rng.choice(data.PROJECTS)} sync with "
                                          f"{person[0].split()[0]}",
                               "start": _dt(day, hour), "end": _dt(day, hour, 45),
                               "attendees": [_who(person)]})
        for offset, (hour, length, subject) in enumerate(((13, 2, "Customer visit"),
                                                          (9, 1, "Hiring loop"),
                                                          (15, 1, "Focus time"))):
            day = tomorrow + timedelta(days=offset)
            self.event(self.adele, {"subject": subject, "start": _dt(day, hour),
                                    "end": _dt(day, hour + length)})

    def family(self) -> None:
        """The second calendar, "Family"."""
        cal = store.add_calendar(self.megan, {"name": "Family", "color": "lightGreen",
                                              "hexColor": "#87d28e"})
        saturday = self.monday - timedelta(days=2, weeks=10)
        self.event(self.megan, {
            "subject": "Soccer practice", "start": _dt(saturday, 10), "end": _dt(saturday, 11, 30),
            "showAs": "free",
            "recurrence": {"pattern": {"type": "weekly", "interval": 1,
                                       "daysOfWeek": ["saturday"]},
                           "range": {"type": "noEnd", "startDate": saturday.isoformat(),
                                     "recurrenceTimeZone": PST}}}, cal["id"])
        birthday = date(self.today.year - 3, ((self.today.month + 1) % 12) + 1, 12)
        self.event(self.megan, {
            "subject": "Mum's birthday", "isAllDay": True, "showAs": "free",
            "start": _dt(birthday, 0), "end": _dt(birthday + timedelta(days=1), 0),
            "recurrence": {"pattern": {"type": "absoluteYearly", "interval": 1,
                                       "dayOfMonth": 12, "month": birthday.month},
                           "range": {"type": "noEnd", "startDate": birthday.isoformat(),
                                     "recurrenceTimeZone": PST}}}, cal["id"])
        thanksgiving = date(self.today.year - 1, 11, 1)
        self.event(self.megan, {
            "subject": "Thanksgiving dinner", "start": _dt(thanksgiving, 17),
            "end": _dt(thanksgiving, 21),
            "recurrence": {"pattern": {"type": "relativeYearly", "interval": 1, "month": 11,
                                       "daysOfWeek": ["thursday"], "index": "fourth"},
                           "range": {"type": "noEnd", "startDate": thanksgiving.isoformat(),
                                     "recurrenceTimeZone": PST}}}, cal["id"])
        dentist = self.today + timedelta(days=8)
        self.event(self.megan, {"subject": "Dentist", "start": _dt(dentist, 16),
                                "end": _dt(dentist, 17)}, cal["id"])
