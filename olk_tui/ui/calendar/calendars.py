"""Calendar management: list the calendars, show or hide them, create, rename, recolour and
delete them.

``CalendarsDialog`` reads ``repo.calendars()`` (the cache) and sends every change as an
operation through ``repo.submit`` (``CreateCalendar``, ``UpdateCalendar``,
``DeleteCalendar``); the cache shows it at once and the runner sends it. The dialog returns
the set of hidden calendar ids when it closes. The default calendar cannot be deleted (Graph
refuses it), and the dialog says so instead of asking.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from olk_tui.domain.calendar import Calendar
from olk_tui.domain.errors import OlkError
from olk_tui.domain.ids import CalendarId
from olk_tui.domain.operations import CreateCalendar, DeleteCalendar, Operation, UpdateCalendar
from olk_tui.sync.api import CalendarRepository
from olk_tui.ui.calendar.dialogs import DIALOG_CSS, ChoiceDialog, PromptDialog
from olk_tui.ui.calendar.style import NAMED_COLOURS, calendar_colour
from olk_tui.ui.dialogs import ConfirmDialog
from olk_tui.ui.text import inline

#: Graph's calendarColor names, in the order offered.
COLOUR_NAMES = ("auto", "lightBlue", "lightGreen", "lightOrange", "lightGray", "lightYellow",
                "lightTeal", "lightPink", "lightBrown", "lightRed", "maxColor")
MAX_NAME = 255
DEFAULT_UNDELETABLE = ("The default calendar cannot be deleted: Outlook keeps your meetings "
                       "and invitations there. You can rename or recolour it.")


def valid_name(text: str, taken: set[str], current: str = "") -> str:
    """The trimmed calendar name, or ``ValueError`` saying what is wrong with it.

    Args:
        text: what the user typed.
        taken: the other calendars' names, casefolded (Graph refuses a duplicate with 409).
        current: the calendar's own name when renaming (keeping it is allowed).
    """
    name = " ".join(text.split())
    if not name:
        raise ValueError("A calendar needs a name")
    if len(name) > MAX_NAME:
        raise ValueError(f"At most {MAX_NAME} characters")
    if name.casefold() in taken and name.casefold() != current.casefold():
        raise ValueError("There is already a calendar with this name")
    return name


def calendar_row(calendar: Calendar, hidden: bool) -> Text:
    """``[x] ██ Name (default)`` as plain text: the name sanitised, the swatch coloured."""
    row = Text("[ ] " if hidden else "[x] ")
    row.append("██", style=calendar_colour(calendar))
    row.append(" " + inline(calendar.name, 50, placeholder="(unnamed)"))
    if calendar.is_default:
        row.append("  (default)", style="dim")
    if not calendar.can_edit:
        row.append("  (read-only)", style="dim")
    return row


def colour_choices() -> list[tuple[str, str]]:
    """(Graph colour name, label) for the colour picker."""
    return [(name, f"{name}  {NAMED_COLOURS.get(name, '')}") for name in COLOUR_NAMES]


class CalendarsDialog(ModalScreen[set[str]]):
    """The calendar list with management keys; dismisses with the hidden calendar ids.

    Args:
        repo: the account's calendar repository.
        hidden: the ids of calendars hidden now.
        new_id: makes local placeholder ids for created calendars (tests pass their own).
    """

    DEFAULT_CSS = DIALOG_CSS.format(name="CalendarsDialog") + """
    CalendarsDialog OptionList { height: auto; max-height: 16; border: none; }
    """
    BINDINGS = [
        Binding("space", "toggle", "Show/hide", id="calendar.calendars.toggle"),
        Binding("n", "new", "New", id="calendar.calendars.new"),
        Binding("r", "rename", "Rename", id="calendar.calendars.rename"),
        Binding("o", "recolour", "Colour", id="calendar.calendars.recolour"),
        Binding("d,delete", "delete", "Delete", id="calendar.calendars.delete"),
        Binding("escape,q", "close", "Close", id="calendar.calendars.close"),
    ]

    class Loaded(Message):
        """The calendar list was read."""

        def __init__(self, calendars: list[Calendar]) -> None:
            super().__init__()
            self.calendars = calendars

    class Failed(Message):
        """Reading or submitting failed; ``reason`` is fit to show."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, repo: CalendarRepository, hidden: set[str] | None = None, *,
                 new_id: Callable[[], str] | None = None) -> None:
        super().__init__()
        self.repo = repo
        self.hidden = set(hidden or ())
        self.calendars: list[Calendar] = []
        self._new_id = new_id or (lambda: f"local-calendar-{uuid.uuid4().hex}")

    def compose(self) -> ComposeResult:
        """Title, the list and the key hint."""
        with Vertical():
            yield Label(Content("Calendars"), classes="title")
            yield OptionList(id="calendar-list")
            yield Static(Content("space show/hide  n new  r rename  o colour  d delete  "
                                 "Esc close"), classes="hint")

    def on_mount(self) -> None:
        """Read the list."""
        self.reload()

    @work(group="calendars-dialog", exclusive=True, exit_on_error=False,
          description="Read calendars")
    async def reload(self) -> None:
        """Read the calendar list from the repository (the cache)."""
        try:
            self.post_message(self.Loaded(await self.repo.calendars()))
        except OlkError as exc:
            self.post_message(self.Failed(str(exc)))

    @work(group="calendars-submit", exit_on_error=False, description="Change a calendar")
    async def submit(self, op: Operation) -> None:
        """Submit ``op`` and read the list again (the cache shows the change at once)."""
        try:
            await self.repo.submit(op)
            calendars = await self.repo.calendars()
        except OlkError as exc:
            self.post_message(self.Failed(f"Could not {op.describe()}: {inline(str(exc), 200)}"))
            return
        self.post_message(self.Loaded(calendars))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        listing = self.query_one(OptionList)
        keep = self.current()
        self.calendars = message.calendars
        known = {c.id for c in self.calendars}
        self.hidden &= known
        listing.clear_options()
        listing.add_options([Option(calendar_row(c, c.id in self.hidden), id=c.id)
                             for c in self.calendars])
        ids = [c.id for c in self.calendars]
        if ids:
            listing.highlighted = ids.index(keep.id) if keep and keep.id in ids else 0

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.reason, title="Calendars", severity="error", markup=False)

    def current(self) -> Calendar | None:
        """The highlighted calendar."""
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.calendars):
            return None
        return self.calendars[index]

    def _taken(self) -> set[str]:
        return {c.name.casefold() for c in self.calendars}

    # ------------------------------------------------------------------ actions

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_toggle()

    def action_toggle(self) -> None:
        """Show or hide the highlighted calendar in the views."""
        if (cal := self.current()) is None:
            return
        self.hidden ^= {cal.id}
        self.query_one(OptionList).replace_option_prompt(
            cal.id, calendar_row(cal, cal.id in self.hidden))

    def action_new(self) -> None:
        """Ask a name, then a colour, and create the calendar."""
        taken = self._taken()

        def named(name: str | None) -> None:
            if not name:
                return

            def coloured(colour: str | None) -> None:
                self.submit(CreateCalendar(name=name, color=colour or "auto",
                                           local_id=CalendarId(self._new_id())))

            self.app.push_screen(ChoiceDialog("Colour", colour_choices()), coloured)

        self.app.push_screen(PromptDialog("New calendar", lambda t: valid_name(t, taken),
                                          placeholder="Name"), named)

    def action_rename(self) -> None:
        """Rename the highlighted calendar."""
        if (cal := self.current()) is None:
            return
        if not cal.can_edit:
            self.notify("This calendar is read-only.", markup=False)
            return
        taken = self._taken()

        def renamed(name: str | None) -> None:
            if name and name != cal.name:
                self.submit(UpdateCalendar(calendar_id=cal.id, name=name))

        self.app.push_screen(PromptDialog(
            "Rename calendar", lambda t: valid_name(t, taken, cal.name),
            value=inline(cal.name, MAX_NAME)), renamed)

    def action_recolour(self) -> None:
        """Pick a new colour for the highlighted calendar."""
        if (cal := self.current()) is None:
            return
        if not cal.can_edit:
            self.notify("This calendar is read-only.", markup=False)
            return

        def chosen(colour: str | None) -> None:
            if colour and colour in COLOUR_NAMES and colour != cal.color:
                self.submit(UpdateCalendar(calendar_id=cal.id, color=colour))

        self.app.push_screen(ChoiceDialog("Colour", colour_choices()), chosen)

    def action_delete(self) -> None:
        """Delete the highlighted calendar and its events, after asking."""
        if (cal := self.current()) is None:
            return
        if cal.is_default:
            self.notify(DEFAULT_UNDELETABLE, title="Calendars", severity="warning",
                        markup=False)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.submit(DeleteCalendar(calendar_id=cal.id))

        self.app.push_screen(ConfirmDialog(
            f"Delete the calendar {inline(cal.name, 50)} and all its events?"), confirmed)

    def action_close(self) -> None:
        """Close, handing back the hidden calendars."""
        self.dismiss(set(self.hidden))
