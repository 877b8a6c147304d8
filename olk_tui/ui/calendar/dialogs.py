"""Small calendar dialogs: a one-line prompt that validates as you confirm, and a choice list.

``PromptDialog`` runs a parser on Enter; a ``ValueError`` is shown under the input and the
dialog stays open, so bad input never closes it or raises. ``ChoiceDialog`` returns the key
of the chosen option.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 70; max-width: 95%; height: auto; max-height: 90%;
    border: round $accent; background: $panel; padding: 0 1;
}}
{name} .title {{ text-style: bold; width: 1fr; }}
{name} .error {{ color: $error; height: auto; }}
{name} .hint {{ color: $text-muted; height: auto; }}
"""


class PromptDialog(ModalScreen[Any]):
    """Ask for one line and return ``parse(text)``; Escape returns None."""

    DEFAULT_CSS = DIALOG_CSS.format(name="PromptDialog")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="calendar.prompt.cancel")]

    def __init__(self, title: str, parse: Callable[[str], Any], *, placeholder: str = "",
                 value: str = "", hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.parse = parse
        self.placeholder = placeholder
        self.value = value
        self.hint = hint

    def compose(self) -> ComposeResult:
        """Title, input, hint and error line."""
        with Vertical():
            yield Label(Content(self.title_text), classes="title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            if self.hint:
                yield Static(Content(self.hint), classes="hint")
            yield Static("", classes="error", id="prompt-error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            result = self.parse(event.value)
        except ValueError as exc:
            self.query_one("#prompt-error", Static).update(Content(str(exc)))
            return
        self.dismiss(result)


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of a few labelled choices; returns the choice's key or None."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ChoiceDialog") + """
    ChoiceDialog OptionList { height: auto; max-height: 12; border: none; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="calendar.choice.cancel")]

    def __init__(self, title: str, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)

    def compose(self) -> ComposeResult:
        """Title and the option list."""
        with Vertical():
            yield Label(Content(self.title_text), classes="title")
            yield OptionList(*(Option(Content(label), id=key) for key, label in self.choices),
                             id="choices")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
