"""Mapping never raises on shape, and domain -> JSON -> domain round-trips."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from olk_tui.domain.calendar import Attendee, Event, Recurrence, RecurrencePattern, RecurrenceRange
from olk_tui.domain.contacts import Contact, PhysicalAddress
from olk_tui.domain.ids import ContactId, EventId
from olk_tui.domain.mail import Draft, Flag, FlagStatus, Importance, MessageBody, Recipient
from olk_tui.graph import mapping as m

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from([
        "id", "subject", "start", "end", "dateTime", "timeZone", "emailAddress", "address",
        "from", "toRecipients", "flag", "flagStatus", "body", "attendees", "recurrence",
        "pattern", "range", "startDate", "value", "scheduleItems", "meetingTimeSlot",
        "workingHours", "automaticRepliesSetting", "birthday", "emailAddresses", "isRead",
        "@odata.type", "receivedDateTime", "location", "status", "language",
    ]), children, max_size=6),
    max_leaves=25,
)

READERS = [
    m.message_from_json, m.summary_from_json, m.folder_from_json, m.attachment_from_json,
    m.event_from_json, m.calendar_from_json, m.contact_from_json, m.contact_folder_from_json,
    m.mailbox_settings_from_json, m.schedule_from_json, m.suggestions_from_json,
    m.user_from_json, m.flag_from_json, m.recurrence_from_json,
]


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_readers_never_raise(value) -> None:
    for reader in READERS:
        reader(value)
    m.person_from_json(value)
    m.pairs_from_json(value, "alias")


def test_event_round_trip() -> None:
    tz = ZoneInfo("Europe/Berlin")
    event = Event(
        id=EventId(""), subject="Planning", start=datetime(2026, 3, 29, 1, 30, tzinfo=tz),
        end=datetime(2026, 3, 29, 3, 30, tzinfo=tz), location="Room 1",
        attendees=(Attendee(Recipient("a@x.example", "A"), "optional"),),
        recurrence=Recurrence(RecurrencePattern("weekly", 2, ("monday",)),
                              RecurrenceRange("endDate", date(2026, 3, 29), date(2026, 6, 1))),
        categories=("Red",), body_html="<p>x</p>",
    )
    data = m.event_to_json(event)
    assert data["start"] == {"dateTime": "2026-03-29T01:30:00", "timeZone": "Europe/Berlin"}
    back = m.event_from_json({**data, "id": "e1"})
    assert back.start == event.start and back.end == event.end
    assert back.attendees[0].who == event.attendees[0].who
    assert back.attendees[0].type == "optional"
    assert back.recurrence == event.recurrence
    assert back.location == "Room 1" and back.categories == ("Red",)


def test_all_day_event_json() -> None:
    event = Event(id=EventId(""), subject="Holiday", is_all_day=True,
                  start=datetime(2026, 5, 1, tzinfo=UTC), end=datetime(2026, 5, 2, tzinfo=UTC))
    data = m.event_to_json(event)
    assert data["start"] == {"dateTime": "2026-05-01T00:00:00", "timeZone": "UTC"}
    assert data["isAllDay"] is True


def test_draft_json() -> None:
    draft = Draft(subject="Hi", to=(Recipient("b@x.example", "B"),),
                  body=MessageBody("html", "<b>x</b>"), importance=Importance.HIGH)
    data = m.draft_to_json(draft)
    assert data["toRecipients"] == [{"emailAddress": {"address": "b@x.example", "name": "B"}}]
    assert data["body"] == {"contentType": "HTML", "content": "<b>x</b>"}
    assert data["importance"] == "high"
    assert "from" not in data
    back = m.message_from_json({**data, "id": "d1"})
    assert back.summary.to == draft.to and back.body == draft.body


def test_flag_json() -> None:
    due = datetime(2026, 1, 2, 17, 0, tzinfo=UTC)
    data = m.flag_to_json(Flag(FlagStatus.FLAGGED, start=due, due=due))
    assert data["flagStatus"] == "flagged" and data["dueDateTime"]["timeZone"] == "UTC"
    assert m.flag_from_json(data).due == due
    assert m.flag_to_json(Flag()) == {"flagStatus": "notFlagged"}


def test_contact_round_trip() -> None:
    c = Contact(id=ContactId(""), display_name="Garth Fort", given_name="Garth",
                emails=(Recipient("g@x.example", "Garth"),), business_phones=("+1 555",),
                business_address=PhysicalAddress(city="Redmond"), birthday=date(1974, 7, 22))
    back = m.contact_from_json({**m.contact_to_json(c), "id": "c1"})
    assert back.emails == c.emails and back.birthday == c.birthday
    assert back.business_address == c.business_address
    assert back.home_address is None


def test_customized_time_zone_falls_back_to_utc_with_warning() -> None:
    warnings: list[str] = []
    e = m.event_from_json({"id": "1", "start": {"dateTime": "2026-01-01T10:00:00.0000000",
                                                "timeZone": "Customized Time Zone"},
                           "end": {"dateTime": "2026-01-01T11:00:00", "timeZone": "UTC"}},
                          warnings)
    assert e.start == datetime(2026, 1, 1, 10, tzinfo=UTC)
    assert any("Customized Time Zone" in w for w in warnings)


def test_windows_zone_across_dst() -> None:
    e = m.event_from_json({"id": "1",
                           "start": {"dateTime": "2026-07-01T09:00:00",
                                     "timeZone": "W. Europe Standard Time"},
                           "end": {"dateTime": "2026-01-01T09:00:00",
                                   "timeZone": "Eastern Standard Time"}})
    assert e.start.utcoffset().total_seconds() == 7200
    assert e.start.tzinfo == ZoneInfo("Europe/Berlin")
