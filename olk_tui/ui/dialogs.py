"""Small modal dialogs that return typed results: confirm, text prompt, choice menu, picker.

Every label shown here is plain ``Text``/``Content``: names from the network are sanitised by
the caller and never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option


class ConfirmDialog(ModalScreen[bool]):
    """Ask yes or no; ``y``/Enter confirm, ``n``/Escape cancel."""

    BINDINGS = [Binding("y,enter", "answer(True)", "Yes", id="dialog.yes"),
                Binding("n,escape", "answer(False)", "No", id="dialog.no")]

    def __init__(self, question: str) -> None:
        super().__init__(classes="dialog")
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.question))
            yield Label(Text("y: yes   n: no", style="dim"))

    def action_answer(self, value: bool) -> None:
        """Close with the answer."""
        self.dismiss(value)


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text; Escape cancels (None)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__(classes="dialog")
        self.title_text, self.value, self.placeholder = title, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text))
            yield Input(self.value, placeholder=self.placeholder)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Close without a value."""
        self.dismiss(None)


class ChoiceMenu(ModalScreen[str | None]):
    """Pick one of a few labelled choices by arrow keys and Enter, or by its hotkey."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, choices: Sequence[tuple[str, str, str]]) -> None:
        """``choices`` are (value, hotkey, label)."""
        super().__init__(classes="dialog")
        self.title_text, self.choices = title, list(choices)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text))
            yield OptionList(*[Option(Text(f"{key}  {label}"), id=value)
                               for value, key, label in self.choices])

    def on_key(self, event: object) -> None:
        """A choice's hotkey picks it at once."""
        char = getattr(event, "character", None)
        for value, key, _ in self.choices:
            if char and char == key:
                getattr(event, "stop", lambda: None)()
                self.dismiss(value)
                return

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close without a choice."""
        self.dismiss(None)


class FuzzyPicker(ModalScreen[str | None]):
    """Pick an item by typing part of its name (fuzzy); recent items are listed first."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
                Binding("down", "move(1)", "Down", show=False, id="dialog.down"),
                Binding("up", "move(-1)", "Up", show=False, id="dialog.up")]

    def __init__(self, title: str, items: Sequence[tuple[str, str]],
                 recent: Sequence[str] = ()) -> None:
        """``items`` are (value, sanitised label); ``recent`` values go first when empty."""
        super().__init__(classes="dialog")
        self.title_text, self.items = title, list(items)
        order = {v: i for i, v in enumerate(recent)}
        self.items.sort(key=lambda item: order.get(item[0], len(order)))
        self.recent = set(recent)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box picker"):
            yield Label(Text(self.title_text))
            yield Input(placeholder="type to filter")
            yield OptionList()

    def on_mount(self) -> None:
        """Fill the list."""
        self._fill("")

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        if query:
            matcher = Matcher(query)
            scored = [(matcher.match(label), value, label) for value, label in self.items]
            shown = [(v, lbl) for s, v, lbl in sorted(scored, key=lambda t: -t[0]) if s > 0]
        else:
            shown = self.items
        options.add_options([Option(Text(("↺ " if v in self.recent else "  ") + lbl), id=v)
                             for v, lbl in shown])
        if shown:
            options.highlighted = 0

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, delta: int) -> None:
        """Move the highlight while typing."""
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def action_cancel(self) -> None:
        """Close without a choice."""
        self.dismiss(None)
