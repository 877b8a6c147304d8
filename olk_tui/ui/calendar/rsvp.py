"""Answer an invitation: accept, tentatively accept or decline, with an optional comment,
the choice to send a response, and (for tentative/decline, where the organizer allows it) a
proposed new time typed naturally ("thu 15:00 1h").

``RsvpDialog`` returns a ``RespondToEvent`` ready for ``account.calendar.submit`` or None. The
mail reader opens the same dialog for an invitation message (the app turns the mail UI's
``RsvpRequested`` into ``RsvpDialog(event, ...)``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, tzinfo

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from olk_tui.domain.calendar import Event
from olk_tui.domain.errors import OlkError
from olk_tui.domain.ids import EventId
from olk_tui.domain.operations import RespondToEvent
from olk_tui.render.dates import parse_when
from olk_tui.sync.api import Account
from olk_tui.ui.calendar.dialogs import DIALOG_CSS
from olk_tui.ui.calendar.period import when_text
from olk_tui.ui.text import inline, who

RESPONSES = (("accept", "Accept"), ("tentativelyAccept", "Tentative"), ("decline", "Decline"))


class RsvpDialog(ModalScreen[RespondToEvent | None]):
    """The invitation answer dialog (see module docstring)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="RsvpDialog") + """
    RsvpDialog RadioSet { layout: horizontal; height: auto; border: none; }
    RsvpDialog Input { margin: 0 0 1 0; }
    RsvpDialog #rsvp-buttons { height: auto; align-horizontal: right; }
    RsvpDialog Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="calendar.rsvp.cancel"),
        Binding("ctrl+s", "send", "Send", id="calendar.rsvp.send"),
    ]

    def __init__(self, event: Event, *, zone: tzinfo, response: str = "accept",
                 clock: Callable[[], datetime] | None = None,
                 conflicts: Sequence[Event] = ()) -> None:
        super().__init__()
        self.event = event
        self.zone = zone
        self.response = response if response in dict(RESPONSES) else "accept"
        self.clock = clock or (lambda: datetime.now(UTC))
        self.conflicts = [c for c in conflicts if c.id != event.id]

    def compose(self) -> ComposeResult:
        """What is being answered and the choices."""
        e = self.event
        with Vertical():
            yield Label(Content("Respond to invitation"), classes="title")
            summary = Text(inline(e.subject, 200, placeholder="(no subject)") + "\n",
                           style="bold")
            summary.append(f"{when_text(e, self.zone)}\n")
            if e.organizer is not None:
                summary.append(f"from {who(e.organizer)}\n", style="dim")
            if self.conflicts:
                summary.append("Conflicts with:\n", style="bold yellow")
                for c in self.conflicts[:5]:
                    summary.append(f"  {when_text(c, self.zone)}  "
                                   f"{inline(c.subject, 80, placeholder='(no subject)')}\n",
                                   style="yellow")
            yield Static(summary, id="rsvp-summary")
            with RadioSet(id="rsvp-response"):
                for key, label in RESPONSES:
                    yield RadioButton(label, value=key == self.response, id=f"rsvp-{key}")
            yield Input(placeholder="Comment (optional)", id="rsvp-comment")
            yield Checkbox("Send a response to the organizer", e.response_requested,
                           id="rsvp-send")
            if e.series_master_id:
                yield Checkbox("Answer for the whole series", False, id="rsvp-series")
            if e.allow_new_time_proposals:
                yield Input(placeholder="Propose a new time, e.g. 'thu 15:00 1h' "
                            "(tentative/decline)", id="rsvp-propose")
            yield Static("", classes="error", id="rsvp-error")
            with Horizontal(id="rsvp-buttons"):
                yield Button("Send", variant="primary", id="rsvp-ok")
                yield Button("Cancel", id="rsvp-cancel")

    def _chosen(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return (pressed.id or "rsvp-accept").removeprefix("rsvp-") if pressed else "accept"

    def build(self) -> RespondToEvent:
        """The operation from the current values.

        Raises:
            ValueError: an unreadable proposed time, or one that cannot be sent.
        """
        response = self._chosen()
        send = self.query_one("#rsvp-send", Checkbox).value
        comment = self.query_one("#rsvp-comment", Input).value.strip()
        proposed: tuple[datetime, datetime] | None = None
        propose = self.query(Input).filter("#rsvp-propose")
        text = propose.first().value.strip() if propose else ""
        if text:
            if response == "accept":
                raise ValueError("a new time can be proposed with Tentative or Decline only")
            if not send:
                raise ValueError("proposing a new time sends a response: tick 'Send'")
            proposed = parse_when(text, self.clock().astimezone(self.zone))
        series = self.query(Checkbox).filter("#rsvp-series")
        event_id = self.event.id
        if series and series.first().value and self.event.series_master_id:
            event_id = EventId(self.event.series_master_id)
        return RespondToEvent(event_id=event_id, response=response, comment=comment,
                              send_response=send,
                              proposed_start=proposed[0] if proposed else None,
                              proposed_end=proposed[1] if proposed else None)

    def action_send(self) -> None:
        """Validate and return the operation."""
        try:
            op = self.build()
        except ValueError as exc:
            self.query_one("#rsvp-error", Static).update(Content(str(exc)))
            return
        self.dismiss(op)

    @on(Button.Pressed, "#rsvp-ok")
    def _ok(self) -> None:
        self.action_send()

    @on(Button.Pressed, "#rsvp-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_send()


def conflicts_of(event: Event, events: Sequence[Event]) -> list[Event]:
    """Events that overlap ``event`` and take time (not free, cancelled or declined)."""
    start, end = event.start.astimezone(UTC), event.end.astimezone(UTC)
    return [e for e in events if e.id != event.id and e.show_as != "free"
            and not e.is_cancelled and e.response != "declined"
            and e.start.astimezone(UTC) < end and e.end.astimezone(UTC) > start]


def answer_invitation(app: App[object], account: Account, event_id: str,
                      response: str = "accept", *, zone: tzinfo,
                      clock: Callable[[], datetime] | None = None) -> None:
    """Open ``RsvpDialog`` for an event (e.g. from an invitation message) and submit the
    answer: the app's handler for the mail UI's ``RsvpRequested`` can be this one call.

    The event and the user's other events at that time (shown as conflicts) are read in a
    worker; failures become a notification.
    """
    async def run() -> None:
        try:
            event = await account.calendar.event(EventId(event_id))
            around = await account.calendar.events(event.start, event.end)
        except OlkError as exc:
            app.notify(f"Cannot open the invitation: {exc}", severity="error", markup=False)
            return

        def done(op: RespondToEvent | None) -> None:
            if op is not None:
                app.run_worker(account.calendar.submit(op), group="rsvp",
                               exit_on_error=False, description="answer the invitation")

        app.push_screen(RsvpDialog(event, zone=zone, response=response, clock=clock,
                                   conflicts=conflicts_of(event, around)), done)

    app.run_worker(run(), group="rsvp-open", exit_on_error=False,
                   description="open the invitation")
