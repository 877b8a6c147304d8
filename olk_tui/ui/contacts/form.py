"""The contact form: a ``ModalScreen`` that returns Graph contact fields, or None when
cancelled. Validation (at least a name or an email, addresses, birthday) runs on save and
keeps the form open with the problem shown under it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from olk_tui.domain.contacts import Contact
from olk_tui.ui.contacts.fields import FORM_FIELDS, FormError, form_values, to_graph
from olk_tui.ui.text import inline

_PLACEHOLDERS = {"emails": "name@example.com, Other Name <other@example.com>",
                 "business_phones": "comma separated", "birthday": "YYYY-MM-DD"}


class ContactForm(ModalScreen[dict[str, Any] | None]):
    """Create or edit a contact; dismisses with the ``SaveContact.fields`` or None."""

    DEFAULT_CSS = """
    ContactForm { align: center middle; }
    ContactForm > Vertical { width: 90%; max-width: 100; height: 90%;
                             border: round $accent; background: $surface; padding: 0 1; }
    ContactForm .row { height: auto; }
    ContactForm .row Label { width: 16; padding: 1 1 0 0; }
    ContactForm .row Input { width: 1fr; }
    ContactForm TextArea { height: 5; width: 1fr; }
    ContactForm #problem { color: $error; height: auto; }
    ContactForm #buttons { height: auto; align-horizontal: right; }
    """

    BINDINGS = [Binding("ctrl+s", "save", "Save", id="contacts.form.save"),
                Binding("escape", "cancel", "Cancel", id="contacts.form.cancel")]

    def __init__(self, contact: Contact | None = None) -> None:
        super().__init__()
        self.contact = contact
        self.values = form_values(contact)

    def compose(self) -> ComposeResult:
        title = "New contact" if self.contact is None else \
            "Edit " + inline(self.contact.display_name, 60, placeholder="contact")
        with Vertical():
            yield Label(Text(title, style="bold"))
            with VerticalScroll():
                for key, label in FORM_FIELDS:
                    with Horizontal(classes="row"):
                        yield Label(Text(label))
                        if key == "notes":
                            yield TextArea(self.values[key], id=key, soft_wrap=True)
                        else:
                            yield Input(self.values[key], id=key,
                                        placeholder=_PLACEHOLDERS.get(key, ""))
            yield Static(Text(""), id="problem")
            with Horizontal(id="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def typed(self) -> dict[str, str]:
        """What the inputs hold now."""
        out = {key: self.query_one(f"#{key}", Input).value
               for key, _ in FORM_FIELDS if key != "notes"}
        out["notes"] = self.query_one("#notes", TextArea).text
        return out

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Validate and close with the Graph fields, or show what is wrong."""
        try:
            fields = to_graph(self.typed())
        except FormError as exc:
            self.query_one("#problem", Static).update(Text(str(exc)))
            self.query_one(f"#{exc.key}").focus()
            return
        self.dismiss(fields)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
