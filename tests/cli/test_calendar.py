"""``olk-tui calendar ...`` against the in-process demo emulator."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from olk_tui.emulator import Emulator

from .conftest import assert_one_line_error

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
EVENT_KEYS = {"id", "subject", "start", "end", "isAllDay", "location", "organizer", "attendees",
              "response", "showAs", "isCancelled", "isOrganizer", "type", "seriesMasterId",
              "calendarId", "onlineMeetingUrl", "categories", "preview"}


def invitation(emu: Emulator) -> dict:
    """The demo's one meeting request Megan has not answered."""
    return next(e for e in emu.default_mailbox.events.values()
                if not e.get("isOrganizer") and e.get("type") == "singleInstance")


def test_agenda_json_shape_and_window(demo, emu) -> None:
    result = demo("calendar", "agenda", "--days", "7", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert set(data) == {"start", "end", "timeZone", "events"}
    assert data["timeZone"] == "Pacific Standard Time"
    start, end = (datetime.fromisoformat(data[k]) for k in ("start", "end"))
    assert (end - start).days == 7
    assert data["events"]
    for e in data["events"]:
        assert set(e) == EVENT_KEYS
        assert ISO.match(e["start"]) and ISO.match(e["end"])
        assert datetime.fromisoformat(e["start"]) < end
        assert datetime.fromisoformat(e["end"]) > start
    assert invitation(emu)["id"] in {e["id"] for e in data["events"]}
    starts = [datetime.fromisoformat(e["start"]) for e in data["events"]]
    assert starts == sorted(starts)


def test_agenda_human_output(demo, emu) -> None:
    result = demo("calendar", "agenda", "--days", "7")
    assert result.code == 0, result.err
    assert invitation(emu)["subject"] in result.out
    assert re.search(r"^\w{3} \d{4}-\d\d-\d\d$", result.out, re.M)  # day headings
    assert re.search(r"^  \d\d:\d\d-\d\d:\d\d  ", result.out, re.M)


def test_week_starts_on_the_configured_day(demo) -> None:
    data = demo("calendar", "week", "--date", "2030-01-16", "--json").json()
    assert data["start"] == "2030-01-14T00:00:00-08:00"  # a Monday (ui.week_start default)
    assert data["end"] == "2030-01-21T00:00:00-08:00"


def test_bad_days_and_dates_are_usage_errors(demo) -> None:
    assert_one_line_error(demo("calendar", "agenda", "--days", "0"), 2)
    assert_one_line_error(demo("calendar", "week", "--date", "the day after never"), 2)


def test_quick_add_creates_the_event_in_the_emulator(demo, emu) -> None:
    result = demo("calendar", "add", "Lunch with Ana 2030-01-16 12:30 1h @Cafe", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["subject"] == "Lunch with Ana" and data["location"] == "Cafe"
    assert data["start"] == "2030-01-16T12:30:00-08:00"
    assert data["end"] == "2030-01-16T13:30:00-08:00"
    created = [e for e in emu.default_mailbox.events.values()
               if e.get("subject") == "Lunch with Ana"]
    assert len(created) == 1
    assert data["id"] == created[0]["id"]
    assert created[0]["location"]["displayName"] == "Cafe"
    assert created[0]["start"]["dateTime"].startswith("2030-01-16T12:30")
    assert created[0]["start"]["timeZone"] == "Pacific Standard Time"


def test_quick_add_all_day(demo, emu) -> None:
    result = demo("calendar", "add", "Team offsite 2030-02-01")
    assert result.code == 0, result.err
    assert "all day" in result.out
    created = [e for e in emu.default_mailbox.events.values()
               if e.get("subject") == "Team offsite"]
    assert len(created) == 1 and created[0]["isAllDay"] is True


def test_quick_add_without_a_date_is_a_usage_error(demo, emu) -> None:
    before = len(emu.default_mailbox.events)
    assert_one_line_error(demo("calendar", "add", "just some words"), 2)
    assert len(emu.default_mailbox.events) == before


def test_rsvp_updates_the_response(demo, emu) -> None:
    event = invitation(emu)
    result = demo("calendar", "rsvp", event["id"], "tentative", "--comment", "maybe", "--json")
    assert result.code == 0, result.err
    assert result.json() == {"id": event["id"], "response": "tentativelyAccepted",
                             "sendResponse": True, "status": "done"}
    assert emu.default_mailbox.events[event["id"]]["responseStatus"]["response"] == \
        "tentativelyAccepted"
    result = demo("calendar", "rsvp", event["id"], "decline", "--no-send")
    assert result.code == 0, result.err
    assert result.out.startswith("Declined: ")
    assert emu.default_mailbox.events[event["id"]]["responseStatus"]["response"] == "declined"


def test_rsvp_errors(demo, emu) -> None:
    own = next(e for e in emu.default_mailbox.events.values() if e.get("isOrganizer"))
    assert_one_line_error(demo("calendar", "rsvp", own["id"], "accept"), 2)
    assert_one_line_error(demo("calendar", "rsvp", "AAMkAGnope==", "accept"), 3)
    with pytest.raises(SystemExit) as exit_info:  # argparse's own usage message
        demo("calendar", "rsvp", own["id"], "maybe")
    assert exit_info.value.code == 2
