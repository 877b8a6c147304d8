"""Pilot journeys against the in-memory calendar fake: create a weekly series, edit one
occurrence, delete the series; respond to an invitation; find a time; quick add."""

from __future__ import annotations

from datetime import date, datetime

from textual.widgets import Input, Select

from olk_tui.domain.calendar import MeetingSuggestion
from olk_tui.domain.operations import CancelEvent, DeleteEvent, RespondToEvent, SaveEvent
from olk_tui.ui.calendar.grid import WeekGrid
from olk_tui.ui.calendar.screen import CalendarScreen
from tests.ui.calendar_fakes import (
    ANA,
    BERLIN,
    BOB,
    CalendarTestApp,
    FakeCalendarRepo,
    demo_week,
    make_account,
    settle,
)


def grid_of(app) -> WeekGrid:
    screen = next(s for s in app.screen_stack if isinstance(s, CalendarScreen))
    return screen.query_one(WeekGrid)


async def select_subject(pilot, subject: str) -> None:
    grid = grid_of(pilot.app)
    event = next(e for e in grid.events if e.subject == subject)
    day = next(i for i, d in enumerate(grid.days) if d.start <= event.start < d.end)
    grid.select_event(event, day)
    await pilot.pause()


async def test_weekly_series_edit_one_occurrence_then_delete_the_series() -> None:
    repo = FakeCalendarRepo([])
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert type(form).__name__ == "EventForm"
        form.query_one("#f-subject", Input).value = "Team sync"
        form.query_one("#f-start", Input).value = "mon 10:00"
        form.query_one("#f-end", Input).value = "45m"
        form.query_one("#f-repeat", Select).value = "weekly"
        form.query_one("#f-days", Input).value = "mon thu"
        form.query_one("#f-until", Input).value = "6 times"
        await pilot.press("ctrl+s")
        await settle(pilot)
        op = repo.submitted[-1]
        assert isinstance(op, SaveEvent) and op.event_id is None
        assert op.fields["subject"] == "Team sync"
        assert op.fields["start"] == {"dateTime": "2026-11-30T10:00:00",
                                      "timeZone": "Europe/Berlin"}
        assert op.fields["end"]["dateTime"] == "2026-11-30T10:45:00"
        assert op.fields["recurrence"] == {
            "pattern": {"interval": 1, "type": "weekly", "daysOfWeek": ["monday", "thursday"],
                        "firstDayOfWeek": "monday"},
            "range": {"type": "numbered", "startDate": "2026-11-30",
                      "recurrenceTimeZone": "Europe/Berlin", "numberOfOccurrences": 6}}
        # the series shows next week: Monday and Thursday
        await pilot.press("right_square_bracket")
        await settle(pilot)
        grid = grid_of(app)
        assert sorted((e.start.date(), e.subject) for e in grid.events) == [
            (date(2026, 11, 30), "Team sync"), (date(2026, 12, 3), "Team sync")]

        # edit only Thursday's occurrence
        await pilot.press("j")  # the cursor is on Wednesday: the next event is Thursday's
        assert grid.selected.start.date() == date(2026, 12, 3)
        occurrence_id = grid.selected.id
        await pilot.press("e")
        await pilot.pause()
        assert type(app.screen).__name__ == "ChoiceDialog"
        await pilot.press("enter")  # "This occurrence"
        await pilot.pause()
        form = app.screen
        assert type(form).__name__ == "EventForm" and not form.query("#f-repeat")
        form.query_one("#f-subject", Input).value = "Team sync (moved)"
        form.query_one("#f-start", Input).value = "thu 3/12 14:00"
        form.query_one("#f-end", Input).value = "1h"
        await pilot.press("ctrl+s")
        await settle(pilot)
        op = repo.submitted[-1]
        assert isinstance(op, SaveEvent) and op.event_id == occurrence_id
        assert "recurrence" not in op.fields
        assert op.fields["subject"] == "Team sync (moved)"
        assert op.fields["start"]["dateTime"] == "2026-12-03T14:00:00"
        subjects = sorted((e.start.strftime("%a %H:%M"), e.subject) for e in grid.events)
        assert subjects == [("Mon 10:00", "Team sync"), ("Thu 14:00", "Team sync (moved)")]

        # delete the whole series from the Monday occurrence
        grid.select_event(next(e for e in grid.events if e.subject == "Team sync"), 0)
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "ChoiceDialog"
        await pilot.press("down", "enter")  # "Delete the whole series"
        await settle(pilot)
        op = repo.submitted[-1]
        assert isinstance(op, DeleteEvent) and op.event_id == "new-1"
        assert [e for e in grid.events if e.subject == "Team sync"] == []


async def test_form_keeps_bad_input_and_explains() -> None:
    repo = FakeCalendarRepo([])
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-subject", Input).value = "Oops"
        form.query_one("#f-start", Input).value = "someday 25:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "EventForm"
        assert "Starts:" in str(form.query_one("#form-error").render())
        form.query_one("#f-start", Input).value = "fri 10:00"
        form.query_one("#f-end", Input).value = "09:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "after the start" in str(form.query_one("#form-error").render())
        assert repo.submitted == []


async def test_rsvp_tentative_with_comment_and_proposed_time() -> None:
    repo = FakeCalendarRepo(demo_week())
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select_subject(pilot, "Design review")
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        assert type(dialog).__name__ == "RsvpDialog"
        await pilot.click("#rsvp-tentativelyAccept")
        dialog.query_one("#rsvp-comment", Input).value = "Might be late"
        dialog.query_one("#rsvp-propose", Input).value = "thu 15:00 1h"
        await pilot.click("#rsvp-ok")
        await settle(pilot)
        op = repo.submitted[-1]
        assert isinstance(op, RespondToEvent)
        assert (op.event_id, op.response, op.comment, op.send_response) == (
            "review", "tentativelyAccept", "Might be late", True)
        assert op.proposed_start == datetime(2026, 11, 26, 15, tzinfo=BERLIN)
        assert op.proposed_end == datetime(2026, 11, 26, 16, tzinfo=BERLIN)
        assert (await repo.event("review")).response == "tentativelyAccepted"


async def test_rsvp_rejects_a_proposal_with_accept() -> None:
    repo = FakeCalendarRepo(demo_week())
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select_subject(pilot, "Design review")
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#rsvp-propose", Input).value = "thu 15:00"
        await pilot.click("#rsvp-ok")
        await pilot.pause()
        assert type(app.screen).__name__ == "RsvpDialog"
        assert "Tentative or Decline" in str(dialog.query_one("#rsvp-error").render())
        await pilot.click("#rsvp-decline")
        dialog.query_one("#rsvp-propose", Input).value = ""
        await pilot.click("#rsvp-ok")
        await settle(pilot)
        assert repo.submitted[-1].response == "decline"
        # declined events disappear from the grid (show_declined is off)
        assert "Design review" not in {e.subject for e in grid_of(app).events}


async def test_find_a_time_with_two_attendees() -> None:
    suggestion = MeetingSuggestion(datetime(2026, 11, 27, 13, tzinfo=BERLIN),
                                   datetime(2026, 11, 27, 14, tzinfo=BERLIN), 100.0)
    repo = FakeCalendarRepo([], suggestions=[suggestion])
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(120, 48)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-subject", Input).value = "Planning"
        form.query_one("#f-start", Input).value = "fri 10:00"
        form.query_one("#f-end", Input).value = "1h"
        form.query_one("#f-attendees", Input).value = f"{ANA.address}, {BOB.address}"
        await settle(pilot)
        assert repo.schedule_calls[-1] == ["megan@contoso.example", ANA.address, BOB.address]
        strip = str(form.query_one("#schedule-strip").render())
        assert "ana@contoso" in strip and "█" in strip and "^" in strip
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert repo.find_calls[-1] == [ANA.address, BOB.address]
        await pilot.press("enter")  # the first suggestion (focused)
        await settle(pilot)
        assert form.query_one("#f-start", Input).value == "Fri 27 Nov 2026 13:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        op = repo.submitted[-1]
        assert op.fields["start"]["dateTime"] == "2026-11-27T13:00:00"
        assert [a["emailAddress"]["address"] for a in op.fields["attendees"]] == [
            ANA.address, BOB.address]


async def test_find_a_time_on_a_personal_account_explains() -> None:
    repo = FakeCalendarRepo([], personal=True)
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(120, 48)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-attendees", Input).value = ANA.address
        await pilot.press("ctrl+f")
        await settle(pilot)
        note = str(form.query_one("#schedule-note").render())
        assert "not available for this account" in note


async def test_quick_add() -> None:
    repo = FakeCalendarRepo([])
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press(*"Lunch")
        await pilot.press("enter")
        await pilot.pause()
        assert "no date or time" in str(app.screen.query_one("#prompt-error").render())
        app.screen.query_one(Input).value = "Lunch with Ana fri 12:30 1h @Cafe"
        await pilot.press("enter")
        await settle(pilot)
        op = repo.submitted[-1]
        assert isinstance(op, SaveEvent)
        assert op.fields["subject"] == "Lunch with Ana"
        assert op.fields["location"] == {"displayName": "Cafe"}
        assert op.fields["start"]["dateTime"] == "2026-11-27T12:30:00"
        assert op.fields["end"]["dateTime"] == "2026-11-27T13:30:00"
        assert "Lunch with Ana" in {e.subject for e in grid_of(app).events}


async def test_organizer_cancels_with_a_message() -> None:
    repo = FakeCalendarRepo(demo_week())
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select_subject(pilot, "1:1 Bob")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("down", "enter")  # "Cancel the meeting with a message"
        await pilot.pause()
        await pilot.press(*"Sick today", "enter")
        await settle(pilot)
        op = repo.submitted[-1]
        assert isinstance(op, CancelEvent) and (op.event_id, op.comment) == ("one1",
                                                                            "Sick today")


async def test_detail_shows_attendees_and_join_link() -> None:
    repo = FakeCalendarRepo(demo_week())
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select_subject(pilot, "Customer call")
        await pilot.press("enter")
        await settle(pilot)
        text = str(app.screen.query_one("#detail").render())
        assert "https://teams.example/join/1" in text and "Tue 24 Nov 2026 14:30–15:30" in text
        await pilot.press("escape")
        await select_subject(pilot, "Sprint planning")
        await pilot.press("enter")
        await settle(pilot)
        text = str(app.screen.query_one("#detail").render())
        assert "Bob Kim <bob@contoso.example>" in text and "tentativelyAccepted" in text


async def test_answer_invitation_from_the_mail_side_shows_conflicts() -> None:
    from olk_tui.ui.calendar.rsvp import answer_invitation

    repo = FakeCalendarRepo(demo_week())
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        # the Design review invitation overlaps the Customer call
        answer_invitation(app, app.account, "review", "decline", zone=BERLIN,
                          clock=lambda: app.clock_now)
        await settle(pilot)
        dialog = app.screen
        assert type(dialog).__name__ == "RsvpDialog"
        summary = str(dialog.query_one("#rsvp-summary").render())
        assert "Conflicts with" in summary and "Customer call" in summary
        assert dialog.query_one("#rsvp-decline").value is True
        await pilot.click("#rsvp-ok")
        await settle(pilot)
        op = repo.submitted[-1]
        assert isinstance(op, RespondToEvent) and (op.event_id, op.response) == (
            "review", "decline")


async def test_answer_invitation_for_a_missing_event_explains() -> None:
    from olk_tui.ui.calendar.rsvp import answer_invitation

    repo = FakeCalendarRepo([])
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        answer_invitation(app, app.account, "gone", zone=BERLIN)
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        assert repo.submitted == []


async def test_editing_without_changes_submits_nothing_even_for_multi_day_all_day() -> None:
    repo = FakeCalendarRepo(demo_week())
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for subject in ("Conference", "Lunch with Ana"):
            await select_subject(pilot, subject)
            await pilot.press("e")
            await settle(pilot)
            assert type(app.screen).__name__ == "EventForm"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, CalendarScreen)
        assert repo.submitted == []


async def test_attendee_completion_from_contacts() -> None:
    repo = FakeCalendarRepo([])
    app = CalendarTestApp(make_account(repo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        field = app.screen.query_one("#f-attendees", Input)
        field.focus()
        await pilot.press(*"ana@contoso.example, dieg")
        await settle(pilot)
        await pilot.press("right")  # accept the suggestion
        await pilot.pause()
        assert field.value == ("ana@contoso.example, "
                               "Diego Siciliani <diego.siciliani@contoso.example>")
