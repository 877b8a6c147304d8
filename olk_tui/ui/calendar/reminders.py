"""Event reminders: a timer checks the cached events and shows a notice when a reminder is due,
with snooze, join (https links only) and open actions, and an optional terminal bell.

``due_reminders`` is the pure rule; ``ReminderService`` runs it on a Textual timer of the
widget it is attached to (the calendar screen by default) with an injected clock, so tests
drive it by moving the clock and calling ``check()``. Snoozes and dismissals are local.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from olk_tui.domain.calendar import Event
from olk_tui.domain.errors import OlkError
from olk_tui.sync.api import CalendarRepository
from olk_tui.ui.calendar.detail import join_link
from olk_tui.ui.calendar.dialogs import DIALOG_CSS
from olk_tui.ui.calendar.period import when_text
from olk_tui.ui.text import inline

SNOOZE = timedelta(minutes=5)
CHECK_SECONDS = 20.0


def reminder_key(event: Event) -> tuple[str, str]:
    """One reminder per occurrence start (a moved event reminds again)."""
    return event.id, event.start.astimezone(UTC).isoformat()


@dataclass
class ReminderState:
    """What was already shown, dismissed or snoozed."""

    done: set[tuple[str, str]] = field(default_factory=set)
    snoozed: dict[tuple[str, str], datetime] = field(default_factory=dict)


def due_reminders(events: Iterable[Event], now: datetime, state: ReminderState) -> list[Event]:
    """Events whose reminder time has come and that have not ended, oldest first.

    Skips events without a reminder, cancelled or declined ones, all-day events whose day
    has passed, and those dismissed or snoozed until later.
    """
    now = now.astimezone(UTC)
    out: list[Event] = []
    for e in events:
        if not e.is_reminder_on or e.is_cancelled or e.response == "declined":
            continue
        key = reminder_key(e)
        if key in state.done:
            continue
        start, end = e.start.astimezone(UTC), e.end.astimezone(UTC)
        at = start - timedelta(minutes=max(0, e.reminder_minutes))
        until = state.snoozed.get(key)
        if until is not None:
            at = max(at, until.astimezone(UTC))
        if at <= now < max(end, start + timedelta(minutes=1)):
            out.append(e)
    return sorted(out, key=lambda e: e.start.astimezone(UTC))


class ReminderNotice(ModalScreen[str | None]):
    """"Starting soon": snooze, join, open or dismiss."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ReminderNotice") + """
    ReminderNotice #reminder-buttons { height: auto; align-horizontal: right; }
    ReminderNotice Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "dismiss('dismiss')", "Dismiss", id="calendar.reminder.dismiss"),
        Binding("s", "dismiss('snooze')", "Snooze 5 min", id="calendar.reminder.snooze"),
        Binding("j", "dismiss('join')", "Join", id="calendar.reminder.join"),
        Binding("o", "dismiss('open')", "Open", id="calendar.reminder.open"),
    ]

    def __init__(self, event: Event, zone: tzinfo, now: datetime) -> None:
        super().__init__()
        self.event = event
        self.zone = zone
        self.now = now

    def compose(self) -> ComposeResult:
        """What, when, where and the actions."""
        e = self.event
        minutes = int((e.start - self.now).total_seconds() // 60)
        soon = "now" if minutes <= 0 else f"in {minutes} min"
        text = Text(inline(e.subject, 200, placeholder="(no subject)") + "\n", style="bold")
        text.append(f"{when_text(e, self.zone)} · starts {soon}\n")
        if e.location:
            text.append(inline(e.location, 200) + "\n", style="dim")
        with Vertical():
            yield Label("Reminder", classes="title")
            yield Static(text)
            with Horizontal(id="reminder-buttons"):
                if join_link(e):
                    yield Button("Join (j)", variant="primary", id="reminder-join")
                yield Button("Snooze 5 min (s)", id="reminder-snooze")
                yield Button("Open (o)", id="reminder-open")
                yield Button("Dismiss (esc)", id="reminder-dismiss")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons answer like their keys."""
        self.dismiss((event.button.id or "reminder-dismiss").removeprefix("reminder-"))


class ReminderService:
    """Checks for due reminders on a timer of ``host`` and shows them one at a time.

    Args:
        host: the widget or screen whose timer runs the checks (and whose app shows notices).
        repo: where the events come from (its cache).
        zone: the mailbox zone.
        clock: the injected clock.
        bell: ring the terminal bell with each notice.
        on_open: called with the event when the user picks "open".
    """

    def __init__(self, host: DOMNode, repo: CalendarRepository, zone: tzinfo,
                 clock: Callable[[], datetime], *, bell: bool = False,
                 on_open: Callable[[Event], None] | None = None) -> None:
        self.host = host
        self.repo = repo
        self.zone = zone
        self.clock = clock
        self.bell = bell
        self.on_open = on_open
        self.state = ReminderState()
        self.showing: Event | None = None
        self.queue: list[Event] = []

    def start(self, interval: float = CHECK_SECONDS) -> None:
        """Check now and then every ``interval`` seconds."""
        self.host.set_interval(interval, self.check, name="calendar-reminders")
        self.host.call_later(self.check)

    async def check(self) -> list[Event]:
        """Look for due reminders and show the first not yet shown; returns the due ones."""
        now = self.clock()
        try:
            events = await self.repo.events(now - timedelta(days=1), now + timedelta(days=1))
        except OlkError:
            return []  # offline or signed out: try again on the next tick
        due = due_reminders(events, now, self.state)
        shown = {reminder_key(e) for e in self.queue}
        self.queue.extend(e for e in due if reminder_key(e) not in shown)
        self._show_next()
        return due

    def _show_next(self) -> None:
        if self.showing is not None or not self.queue:
            return
        event = self.queue.pop(0)
        self.showing = event
        self.state.done.add(reminder_key(event))
        app = self.host.app
        if self.bell:
            app.bell()
        app.push_screen(ReminderNotice(event, self.zone, self.clock()),
                        lambda answer: self.answered(event, answer))

    def answered(self, event: Event, answer: str | None) -> None:
        """Apply the user's answer to a notice."""
        self.showing = None
        key = reminder_key(event)
        if answer == "snooze":
            self.state.done.discard(key)
            self.state.snoozed[key] = self.clock() + SNOOZE
        elif answer == "join" and (link := join_link(event)):
            self.host.app.open_url(link)
        elif answer == "open" and self.on_open is not None:
            self.on_open(event)
        self._show_next()
