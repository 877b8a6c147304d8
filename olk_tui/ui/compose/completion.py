"""Address completion for the composer: asks ``account.contacts.complete`` for the entry
being typed and shows the ranked results under the fields.

A mixin for ``ComposeScreen`` (plain ``on_*`` handlers, so Textual finds them through the
class hierarchy); it expects ``self.account`` and one ``CompletionList`` on the screen.
"""

from __future__ import annotations

from typing import Any

from textual import events, work
from textual.message import Message
from textual.widgets import Input

from olk_tui.domain.errors import OlkError
from olk_tui.domain.mail import Recipient
from olk_tui.ui.compose.fields import AddressInput, CompletionList, current_entry


class CompletionsFound(Message):
    """Suggestions for ``prefix`` typed in ``field`` arrived."""

    def __init__(self, field: AddressInput, prefix: str, found: list[Recipient]) -> None:
        super().__init__()
        self.field, self.prefix, self.found = field, prefix, found


class AddressCompletion:
    """Screen behaviour: suggestions while typing in To/Cc/Bcc, chosen with Down and Enter."""

    account: Any
    query_one: Any
    post_message: Any

    def on_address_input_completion_wanted(self, event: AddressInput.CompletionWanted) -> None:
        """Look up the entry being typed (or hide suggestions when there is none)."""
        if event.prefix:
            self._complete(event.field, event.prefix)
        else:
            self.query_one(CompletionList).hide()

    @work(exclusive=True, group="complete", exit_on_error=False,
          description="address completion")
    async def _complete(self, field: AddressInput, prefix: str) -> None:
        try:
            found = await self.account.contacts.complete(prefix, limit=8)
        except OlkError:
            found = []  # completion is a convenience; typing a full address still works
        self.post_message(CompletionsFound(field, prefix, found))

    def on_completions_found(self, event: CompletionsFound) -> None:
        """Show results that still match what the field holds."""
        if event.field.has_focus and current_entry(event.field.value)[1] == event.prefix:
            self.query_one(CompletionList).show_for(event.field, event.found)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Suggestions belong to the address field being typed in; hide them elsewhere."""
        if not isinstance(event.widget, (AddressInput, CompletionList)):
            self.query_one(CompletionList).hide()
        if isinstance(event.widget, Input):
            event.widget.cursor_position = len(event.widget.value)  # continue the list

    def on_address_input_focus_completions(self) -> None:
        """Down in an address field moves into the suggestions."""
        completions = self.query_one(CompletionList)
        if completions.shown:
            completions.focus()

    def on_completion_list_chosen(self, event: CompletionList.Chosen) -> None:
        """Put the chosen recipient into its field."""
        self.query_one(CompletionList).hide()
        event.field.accept(event.recipient)
        event.field.focus()
