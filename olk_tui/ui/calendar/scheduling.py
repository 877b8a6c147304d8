"""Scheduling in the event form: a free/busy strip per attendee (getSchedule) over the chosen
day with working hours marked, and "find a time" (findMeetingTimes) listing suggestions.

Both calls run in exclusive workers; accounts that cannot do it (personal accounts) get a
plain note instead of an error dialog.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from olk_tui.domain.calendar import MeetingSuggestion, ScheduleInfo
from olk_tui.domain.errors import OlkError
from olk_tui.sync.api import CalendarRepository
from olk_tui.ui.text import inline

#: availabilityView digits (FACTS #28): 0 free, 1 tentative, 2 busy, 3 oof, 4 elsewhere.
SLOT_LOOK = {"0": ("·", "#7a7a7a"), "1": ("▒", "#c9b13a"), "2": ("█", "#4a90d9"),
             "3": ("█", "#9b59b6"), "4": ("░", "#3aa6a6")}
EMPTY_REASONS = {
    "attendeesUnavailable": "the attendees are not free at any time in the range",
    "attendeesUnavailableOrUnknown": "the attendees are busy or their calendars are unknown",
    "locationsUnavailable": "no location is free",
    "organizerUnavailable": "you are not free at any time in the range",
    "unknown": "Outlook gave no reason",
}


def _minutes(hhmm: str, default: int) -> int:
    try:
        h, m = (int(x) for x in hhmm.split(":")[:2])
    except ValueError:
        return default
    return h * 60 + m


def strip_text(infos: Sequence[ScheduleInfo], *, interval: int, first_slot: int,
               slots: int, working: tuple[int, int], meeting: tuple[int, int] | None,
               label_width: int = 18, names: dict[str, str] | None = None) -> Text:
    """The free/busy strip: hour ruler, one line per address, the meeting marked below.

    ``first_slot`` and ``slots`` pick the part of the day shown; ``working`` (minutes) is
    underlined; ``meeting`` (minutes from midnight) is marked with ``^``.
    """
    out = Text()
    hours = ""
    i = 0
    while i < slots:
        minute = (first_slot + i) * interval
        if minute % 120 == 0 and i + 2 <= slots:  # every other hour: "08  10  12"
            hours += f"{minute // 60:02d}"
            i += 2
        else:
            hours += " "
            i += 1
    out.append(" " * label_width + hours + "\n", style="dim")
    for info in infos:
        label = (names or {}).get(info.address.lower()) or info.address
        out.append(inline(label, label_width - 1).ljust(label_width), style="bold")
        if info.error:
            out.append(f"(no free/busy: {inline(info.error, 60)})\n", style="dim italic")
            continue
        view = info.availability_view
        for i in range(slots):
            index = first_slot + i
            digit = view[index] if index < len(view) else "0"
            char, colour = SLOT_LOOK.get(digit, ("?", "#7a7a7a"))
            minute = index * interval
            underline = working[0] <= minute < working[1]
            out.append(char, style=f"{colour}{' underline' if underline else ''}")
        out.append("\n")
    if meeting is not None:
        marks = "".join("^" if meeting[0] <= (first_slot + i) * interval < meeting[1] else " "
                        for i in range(slots))
        out.append(" " * label_width + marks, style="bold #ff5f5f")
    return out


class SchedulePanel(Vertical):
    """Free/busy strip and "find a time" for the event form."""

    DEFAULT_CSS = """
    SchedulePanel { height: auto; border: round $primary-darken-2; padding: 0 1; }
    SchedulePanel #schedule-strip { height: auto; }
    SchedulePanel #schedule-note { color: $text-muted; height: auto; }
    SchedulePanel OptionList { height: auto; max-height: 8; display: none; }
    SchedulePanel OptionList.shown { display: block; }
    SchedulePanel Horizontal { height: auto; }
    """

    class TimePicked(Message):
        """A findMeetingTimes suggestion was chosen."""

        def __init__(self, start: datetime, end: datetime) -> None:
            super().__init__()
            self.start = start
            self.end = end

    class _Schedule(Message):
        def __init__(self, infos: list[ScheduleInfo], note: str) -> None:
            super().__init__()
            self.infos = infos
            self.note = note

    class _Suggestions(Message):
        def __init__(self, suggestions: list[MeetingSuggestion], note: str) -> None:
            super().__init__()
            self.suggestions = suggestions
            self.note = note

    def __init__(self, repo: CalendarRepository, zone: tzinfo, me: str, *,
                 working_hours: tuple[str, str] = ("08:00:00", "17:00:00"),
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.repo = repo
        self.zone = zone
        self.me = me
        self.working = (_minutes(working_hours[0], 480), _minutes(working_hours[1], 1020))
        self.interval = 30
        self.meeting: tuple[datetime, datetime] | None = None
        self.attendees: list[str] = []
        self.names: dict[str, str] = {}
        self._suggestions: list[MeetingSuggestion] = []

    def compose(self) -> ComposeResult:
        """Strip, note, find-a-time button, suggestions."""
        yield Static(Text("Add attendees and a time to see their free/busy.", style="dim"),
                     id="schedule-strip")
        yield Static("", id="schedule-note")
        with Horizontal():
            yield Button("Find a time", id="schedule-find")
        yield OptionList(id="schedule-suggestions")

    def show_for(self, attendees: Sequence[str], start: datetime, end: datetime,
                 names: dict[str, str] | None = None) -> None:
        """Fetch free/busy for ``attendees`` (and me) over ``start``'s day; ``names`` maps
        lower-case addresses to the names shown."""
        self.attendees = [a for a in attendees if a]
        self.names = {self.me.lower(): "You", **(names or {})}
        self.meeting = (start, end)
        self.fetch_schedule([self.me, *self.attendees], start.astimezone(self.zone).date())

    def _day_bounds(self, day: date) -> tuple[datetime, datetime]:
        return (datetime.combine(day, time(0), tzinfo=self.zone),
                datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone))

    @work(group="schedule", exclusive=True, exit_on_error=False,
          description="Read free/busy")
    async def fetch_schedule(self, addresses: list[str], day: date) -> None:
        """getSchedule over the day."""
        start, end = self._day_bounds(day)
        try:
            infos = await self.repo.schedule(addresses, start, end, self.interval)
        except OlkError as exc:
            self.post_message(self._Schedule([], f"Free/busy is not available: {exc}"))
            return
        self.post_message(self._Schedule(infos, ""))

    @on(_Schedule)
    def _schedule(self, message: _Schedule) -> None:
        note = self.query_one("#schedule-note", Static)
        note.update(Text(message.note))
        if not message.infos:
            return
        meeting = None
        if self.meeting is not None:
            s, e = (m.astimezone(self.zone) for m in self.meeting)
            meeting = (s.hour * 60 + s.minute,
                       e.hour * 60 + e.minute if e.date() == s.date() else 24 * 60)
        width = max(8, (self.size.width or 78) - 22)
        slots_per_day = 24 * 60 // self.interval
        centre = meeting[0] if meeting else self.working[0]
        first = max(0, min(slots_per_day - width, (min(self.working[0], centre) - 60)
                           // self.interval))
        self.query_one("#schedule-strip", Static).update(strip_text(
            message.infos, interval=self.interval, first_slot=first,
            slots=min(width, slots_per_day - first), working=self.working, meeting=meeting,
            names=self.names))

    @on(Button.Pressed, "#schedule-find")
    def _find(self, event: Button.Pressed) -> None:
        event.stop()
        if self.meeting is None:
            self.query_one("#schedule-note", Static).update("Give a start and end first.")
            return
        start, end = self.meeting
        minutes = max(5, int((end - start).total_seconds() // 60))
        self.query_one("#schedule-note", Static).update("Looking for times…")
        self.find_times(self.attendees, start, minutes)

    @work(group="find-times", exclusive=True, exit_on_error=False,
          description="Find meeting times")
    async def find_times(self, attendees: list[str], start: datetime, minutes: int) -> None:
        """findMeetingTimes over the working days of the coming week from ``start``'s day."""
        first, _ = self._day_bounds(start.astimezone(self.zone).date())
        try:
            found, reason = await self.repo.find_meeting_times(
                attendees, first, first + timedelta(days=7), minutes)
        except OlkError as exc:
            self.post_message(self._Suggestions(
                [], f"Finding a time is not available for this account: {exc}"))
            return
        note = "" if found else "No time found: " + EMPTY_REASONS.get(
            reason, inline(reason, 80) or EMPTY_REASONS["unknown"])
        self.post_message(self._Suggestions(found, note))

    @on(_Suggestions)
    def _suggested(self, message: _Suggestions) -> None:
        self._suggestions = message.suggestions
        self.query_one("#schedule-note", Static).update(Text(message.note or
                                                             "Pick a time:"))
        options = self.query_one("#schedule-suggestions", OptionList)
        options.clear_options()
        for i, s in enumerate(message.suggestions):
            start, end = s.start.astimezone(self.zone), s.end.astimezone(self.zone)
            label = Text(f"{start.strftime('%a %d %b %H:%M')}–{end.strftime('%H:%M')}")
            if s.confidence:
                label.append(f"  {s.confidence:.0f}%", style="dim")
            if s.suggestion_reason:
                label.append(f"  {inline(s.suggestion_reason, 60)}", style="dim")
            options.add_option(Option(label, id=str(i)))
        options.set_class(bool(message.suggestions), "shown")
        if message.suggestions:
            options.highlighted = 0
            options.focus()

    @on(OptionList.OptionSelected, "#schedule-suggestions")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        s = self._suggestions[int(event.option.id or 0)]
        self.post_message(self.TimePicked(s.start.astimezone(self.zone),
                                          s.end.astimezone(self.zone)))
