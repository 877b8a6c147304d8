"""Mailbox settings dialogs: automatic replies and working hours.

Each is a ``ModalScreen`` that dismisses with a validated ``mailboxSettings`` PATCH body (the
``fields`` of an ``UpdateMailboxSettings``) or None when cancelled; a value that cannot be
saved keeps the dialog open with the problem shown.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from olk_tui.domain.settings import MailboxSettings
from olk_tui.ui.settings.fields import (
    AUDIENCES,
    DAYS,
    STATUSES,
    SettingsError,
    auto_replies_patch,
    format_when,
    message_text,
    working_hours_patch,
)
from olk_tui.ui.text import inline

_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 90%; max-width: 96; height: 90%; border: round $accent;
                     background: $surface; padding: 0 1; }}
{name} .row {{ height: auto; }}
{name} .row > Label {{ width: 18; padding: 1 1 0 0; }}
{name} .row > Input, {name} .row > Select {{ width: 1fr; }}
{name} TextArea {{ height: 5; width: 1fr; }}
{name} Checkbox {{ width: auto; border: none; padding: 0 1 0 0; }}
{name} .problem {{ color: $error; height: auto; }}
{name} .buttons {{ height: auto; align-horizontal: right; }}
"""


class _SettingsDialog(ModalScreen[dict[str, Any] | None]):
    """Shared frame: save with ctrl+s or the button, cancel with Escape."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", id="settings.dialog.save"),
                Binding("escape", "cancel", "Cancel", id="settings.dialog.cancel")]

    def patch(self) -> dict[str, Any]:
        """The PATCH body from the inputs (raises ``SettingsError``)."""
        raise NotImplementedError

    def buttons(self) -> ComposeResult:
        """The problem line and the Save/Cancel buttons."""
        yield Static(Text(""), classes="problem")
        with Horizontal(classes="buttons"):
            yield Button("Save (ctrl+s)", id="save", variant="primary")
            yield Button("Cancel (esc)", id="cancel")

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Validate and close with the PATCH body, or show what is wrong."""
        try:
            body = self.patch()
        except SettingsError as exc:
            self.query_one(".problem", Static).update(Text(str(exc)))
            for node in self.query(f"#{exc.key}"):
                node.focus()
            return
        self.dismiss(body)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


def _row(label: str) -> Horizontal:
    return Horizontal(Label(Text(label)), classes="row")


class AutomaticRepliesDialog(_SettingsDialog):
    """Out of office: status (off, on, scheduled with start and end), internal and external
    messages, and who outside the organisation gets a reply. Times are in ``tz``."""

    DEFAULT_CSS = _CSS.format(name="AutomaticRepliesDialog")

    def __init__(self, settings: MailboxSettings, tz: tzinfo) -> None:
        super().__init__()
        self.current, self.tz = settings.automatic_replies, tz
        self.zone_name = settings.time_zone

    def compose(self) -> ComposeResult:
        a = self.current
        with Vertical():
            yield Label(Text("Automatic replies", style="bold"))
            with VerticalScroll():
                with _row("Status"):
                    yield Select([(Text(label), value) for value, label in STATUSES],
                                 value=a.status if a.status in dict(STATUSES) else "disabled",
                                 allow_blank=False, id="status")
                with _row("Start"):
                    yield Input(format_when(a.scheduled_start, self.tz), id="start",
                                placeholder="YYYY-MM-DD HH:MM")
                with _row("End"):
                    yield Input(format_when(a.scheduled_end, self.tz), id="end",
                                placeholder="YYYY-MM-DD HH:MM")
                yield Label(Text(f"Times are in {inline(self.zone_name, 60)}.", style="dim"))
                with _row("Inside my org"):
                    yield TextArea(message_text(a.internal_message), id="internal",
                                   soft_wrap=True)
                with _row("Reply outside to"):
                    yield Select([(Text(label), value) for value, label in AUDIENCES],
                                 value=a.external_audience if a.external_audience in
                                 dict(AUDIENCES) else "none", allow_blank=False, id="audience")
                with _row("Outside message"):
                    yield TextArea(message_text(a.external_message), id="external",
                                   soft_wrap=True)
            yield from self.buttons()

    def on_mount(self) -> None:
        """Start and end are editable only for a schedule."""
        self._follow_status()

    @on(Select.Changed, "#status")
    def _follow_status(self) -> None:
        scheduled = self.query_one("#status", Select).value == "scheduled"
        for key in ("start", "end"):
            self.query_one(f"#{key}", Input).disabled = not scheduled

    def patch(self) -> dict[str, Any]:
        """The ``automaticRepliesSetting`` PATCH body."""
        return auto_replies_patch(
            str(self.query_one("#status", Select).value),
            str(self.query_one("#audience", Select).value),
            self.query_one("#start", Input).value, self.query_one("#end", Input).value,
            self.query_one("#internal", TextArea).text,
            self.query_one("#external", TextArea).text, self.tz)


class WorkingHoursDialog(_SettingsDialog):
    """Working days, start and end of the day, and the zone the hours are in.

    Args:
        settings: the current mailbox settings.
        known_zones: the mailbox's supportedTimeZones names when known (else any IANA or
            common Windows name is accepted).
    """

    DEFAULT_CSS = _CSS.format(name="WorkingHoursDialog")

    def __init__(self, settings: MailboxSettings,
                 known_zones: set[str] | None = None) -> None:
        super().__init__()
        self.current, self.known = settings.working_hours, known_zones

    def compose(self) -> ComposeResult:
        w = self.current
        with Vertical():
            yield Label(Text("Working hours", style="bold"))
            with Horizontal(classes="row", id="days"):
                for day in DAYS:
                    yield Checkbox(day[:3].title(), day in {d.lower() for d in w.days},
                                   id=f"day-{day}")
            with _row("Start (HH:MM)"):
                yield Input(w.start[:5], id="start")
            with _row("End (HH:MM)"):
                yield Input(w.end[:5], id="end")
            with _row("Time zone"):
                yield Input(w.time_zone, id="hours-zone")
            yield Static("", classes="spacer")
            yield from self.buttons()

    def patch(self) -> dict[str, Any]:
        """The ``workingHours`` PATCH body."""
        days = [d for d in DAYS if self.query_one(f"#day-{d}", Checkbox).value]
        return working_hours_patch(days, self.query_one("#start", Input).value,
                                   self.query_one("#end", Input).value,
                                   self.query_one("#hours-zone", Input).value, self.known)
