"""Address fields: an input checked as it is typed, with an inline error and completion.

``AddressInput`` validates the entries that are finished (followed by a comma or semicolon)
while the user types, and all of them when focus leaves. It asks the screen for completions
of the entry being typed by posting ``CompletionWanted``; the screen's ``CompletionList``
shows name and address and puts the chosen one back with ``accept``.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from olk_tui.domain.mail import Recipient
from olk_tui.render.addresses import (
    ParsedAddresses,
    parse_addresses,
    separator_indexes,
    split_entries,
)
from olk_tui.render.safe import safe_recipient
from olk_tui.ui.text import editable_addresses


def current_entry(value: str) -> tuple[str, str]:
    """(text before the entry being typed, the entry itself, stripped)."""
    cut = max(separator_indexes(value), default=-1) + 1
    return value[:cut], value[cut:].strip()


class AddressInput(Input):
    """An Input for To/Cc/Bcc; Down moves into the completion list when it is showing."""

    BINDINGS = [Binding("down", "to_completions", "Suggestions", show=False,
                        id="compose.completions")]

    class CompletionWanted(Message):
        """The entry being typed changed; ``prefix`` "" means hide suggestions."""

        def __init__(self, field: AddressInput, prefix: str) -> None:
            super().__init__()
            self.field = field
            self.prefix = prefix

    class FocusCompletions(Message):
        """Down was pressed: move into the completion list."""

    def action_to_completions(self) -> None:
        """Ask the screen to focus the suggestions."""
        self.post_message(self.FocusCompletions())

    def accept(self, recipient: Recipient) -> None:
        """Replace the entry being typed with ``recipient`` and start a new entry."""
        head, _ = current_entry(self.value)
        head = head.rstrip()
        sep = (head + " ") if head else ""
        self.value = f"{sep}{editable_addresses([recipient])}, "
        self.cursor_position = len(self.value)


class AddressField(Vertical):
    """Label, ``AddressInput`` and the inline error line under it."""

    DEFAULT_CSS = """
    AddressField { height: auto; }
    AddressField > Horizontal { height: 1; }
    AddressField .field-error { color: $error; height: auto; display: none; padding-left: 9; }
    AddressField .field-error.-shown { display: block; }
    """

    def __init__(self, label: str, value: str = "", *, id: str) -> None:
        super().__init__(id=id)
        self.label = label
        self._value = value

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(f"{self.label}:", classes="field-label")
            # No select-on-focus: typing after Tab must not replace the recipients.
            yield AddressInput(self._value, compact=True, id=f"{self.id}-input",
                               classes="field-input", select_on_focus=False)
        yield Static("", classes="field-error")

    @property
    def input(self) -> AddressInput:
        """The input widget."""
        return self.query_one(AddressInput)

    @property
    def value(self) -> str:
        """The field's text."""
        return self.input.value

    def parsed(self) -> ParsedAddresses:
        """Every entry parsed (used when sending)."""
        return parse_addresses(self.value)

    def show_errors(self, errors: tuple[str, ...]) -> None:
        """Show (or clear) the inline error line."""
        line = self.query_one(".field-error", Static)
        line.update(Content("; ".join(errors)))
        line.set_class(bool(errors), "-shown")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        head, entry = current_entry(event.value)
        # Only finished entries are judged while typing; the one in progress is completed.
        finished = parse_addresses(head) if split_entries(head) else ParsedAddresses()
        self.show_errors(finished.errors)
        wants = entry if entry and "<" not in entry and event.input.has_focus else ""
        # Posted from the field (not the input): a message bubbles past its sender's parent.
        self.post_message(AddressInput.CompletionWanted(self.input, wants))

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        self.show_errors(self.parsed().errors)


class CompletionList(OptionList):
    """Suggested recipients (name and address), in the repository's ranking order."""

    DEFAULT_CSS = """
    CompletionList { height: auto; max-height: 6; display: none; border: none;
        background: $boost; }
    CompletionList.-shown { display: block; }
    """
    BINDINGS = [Binding("escape", "close", "Close suggestions", show=False,
                        id="compose.completions.close")]

    class Chosen(Message):
        """A suggestion was picked for ``field``."""

        def __init__(self, field: AddressInput, recipient: Recipient) -> None:
            super().__init__()
            self.field = field
            self.recipient = recipient

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.field: AddressInput | None = None
        self.recipients: list[Recipient] = []

    def show_for(self, field: AddressInput, recipients: list[Recipient]) -> None:
        """Show ``recipients`` for ``field`` (hide when empty)."""
        self.field = field
        self.recipients = recipients
        self.clear_options()
        self.add_options([Option(Content(safe_recipient(r.name, r.address, 100)))
                          for r in recipients])
        self.set_class(bool(recipients), "-shown")
        if recipients:
            self.highlighted = 0

    def hide(self) -> None:
        """Hide and forget the suggestions."""
        self.recipients = []
        self.clear_options()
        self.remove_class("-shown")

    @property
    def shown(self) -> bool:
        """True while suggestions are visible."""
        return self.has_class("-shown")

    def action_close(self) -> None:
        """Hide and return to the field."""
        field = self.field
        self.hide()
        if field is not None:
            field.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.field is not None and 0 <= event.option_index < len(self.recipients):
            self.post_message(self.Chosen(self.field, self.recipients[event.option_index]))
