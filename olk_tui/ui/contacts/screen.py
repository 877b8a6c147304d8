"""The contacts mode: instant search, contact folders, list, detail, create/edit/delete and
"write mail to".

Reads come from the cache through ``account.contacts`` in exclusive workers (each keystroke
in the search box replaces the previous load); every change is a ``SaveContact`` or
``DeleteContact`` submitted to ``account.contacts`` (applied locally at once, sent by the
runner). The screen reloads on ``ContactsChanged`` from the account's announcer.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from olk_tui.domain.contacts import Contact, ContactFolder
from olk_tui.domain.ids import ContactId
from olk_tui.domain.mail import Recipient
from olk_tui.domain.operations import DeleteContact, SaveContact
from olk_tui.sync.api import Account, ContactsChanged, OperationFailed, RepoEvent
from olk_tui.ui.contacts.fields import detail_text, list_label
from olk_tui.ui.contacts.form import ContactForm
from olk_tui.ui.dialogs import ChoiceMenu, ConfirmDialog
from olk_tui.ui.errors import ReportsWorkerErrors
from olk_tui.ui.listening import subscribe
from olk_tui.ui.messages import ComposeRequested
from olk_tui.ui.text import inline

#: The pseudo folder that shows every contact.
ALL = "__all__"
#: How many contacts one load shows at most.
LIMIT = 500


class ContactsScreen(ReportsWorkerErrors, Screen[None]):
    """Contacts: search box, folders and list on the left, the selected contact on the right.

    Args:
        account: the account; None takes ``app.account`` when mounted (like the app's modes).
        write_to: opens a composer to a recipient; None posts ``ComposeRequested`` with the
            address, which the app turns into a composer.
    """

    DEFAULT_CSS = """
    ContactsScreen #contacts-left { width: 2fr; min-width: 30; }
    ContactsScreen #contacts-search { margin: 0 0 0 0; }
    ContactsScreen #contacts-folders { height: auto; max-height: 6; }
    ContactsScreen #contacts-list { height: 1fr; }
    ContactsScreen #contacts-detail-pane { width: 3fr; border-left: solid $primary; }
    ContactsScreen #contacts-detail { padding: 0 1; }
    """

    BINDINGS = [
        Binding("slash", "search", "Search", id="contacts.search"),
        Binding("n", "new", "New", id="contacts.new"),
        Binding("e", "edit", "Edit", id="contacts.edit"),
        Binding("d", "delete", "Delete", id="contacts.delete"),
        Binding("w", "write", "Write mail", id="contacts.write"),
        Binding("f", "folders", "Folders", id="contacts.folders"),
        Binding("escape", "leave_search", "List", show=False, id="contacts.escape"),
    ]

    class Loaded(Message):
        """A load of folders and matching contacts finished."""

        def __init__(self, text: str, folders: list[ContactFolder],
                     contacts: list[Contact]) -> None:
            super().__init__()
            self.text, self.folders, self.contacts = text, folders, contacts

    class Announced(Message):
        """A repository announcement, carried onto the screen's message queue."""

        def __init__(self, event: RepoEvent) -> None:
            super().__init__()
            self.event = event

    def __init__(self, account: Account | None = None, *,
                 write_to: Callable[[Recipient], None] | None = None) -> None:
        super().__init__()
        self._account = account
        self._write_to = write_to
        self.folder: str = ALL
        self.folders: list[ContactFolder] = []
        self.matches: list[Contact] = []
        self.shown: list[Contact] = []
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def account(self) -> Account:
        """The account shown (the app's when none was given)."""
        if self._account is None:
            self._account = self.app.account  # type: ignore[attr-defined]
        return self._account

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="contacts-left"):
                yield Input(placeholder="/ search contacts", id="contacts-search")
                yield OptionList(id="contacts-folders")
                yield OptionList(id="contacts-list")
            with VerticalScroll(id="contacts-detail-pane"):
                yield Static(Text("No contact selected.", style="dim"), id="contacts-detail")
        yield Footer()

    def on_mount(self) -> None:
        """Listen for contact changes and load from the cache."""
        self._unsubscribe = subscribe(
            self.account, lambda event: self.post_message(self.Announced(event)),
            repo="contacts")
        self.query_one("#contacts-list", OptionList).focus()
        self.load()

    def on_unmount(self) -> None:
        """Stop listening."""
        if self._unsubscribe is not None:
            self._unsubscribe()

    # ------------------------------------------------------------------ loading
    def load(self) -> None:
        """Read folders and the contacts matching the search box (exclusive worker)."""
        text = self.query_one("#contacts-search", Input).value.strip()
        repo = self.account.contacts

        async def run() -> None:
            folders = await repo.folders()
            contacts = await repo.contacts(text, LIMIT)
            self.post_message(self.Loaded(text, folders, contacts))

        self.run_worker(run, group="contacts-load", exclusive=True, exit_on_error=False,
                        description="load contacts")

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.text != self.query_one("#contacts-search", Input).value.strip():
            return  # a stale answer: a newer load is on its way
        if [f.id for f in message.folders] != [f.id for f in self.folders] or \
                not self.query_one("#contacts-folders", OptionList).option_count:
            self.folders = message.folders
            self._fill_folders()
        self.matches = message.contacts
        self._fill_list()

    def _fill_folders(self) -> None:
        folders = self.query_one("#contacts-folders", OptionList)
        folders.clear_options()
        folders.add_option(Option(Text("All contacts"), id=ALL))
        for f in self.folders:
            folders.add_option(Option(Text(inline(f.display_name, 40, placeholder="(folder)")),
                                      id=f"f:{f.id}"))
        if self.folder != ALL and self.folder not in {f.id for f in self.folders}:
            self.folder = ALL
        index = 0 if self.folder == ALL else 1 + [f.id for f in self.folders].index(self.folder)
        folders.highlighted = index

    def _fill_list(self) -> None:
        listing = self.query_one("#contacts-list", OptionList)
        keep = self.current.id if self.current else None
        self.shown = [c for c in self.matches if self.folder == ALL or c.folder_id == self.folder]
        listing.clear_options()
        listing.add_options([Option(list_label(c)) for c in self.shown])
        if self.shown:
            ids = [c.id for c in self.shown]
            listing.highlighted = ids.index(keep) if keep in ids else 0
        self._show_detail()

    @property
    def current(self) -> Contact | None:
        """The highlighted contact."""
        try:
            index = self.query_one("#contacts-list", OptionList).highlighted
        except NoMatches:  # not composed yet
            return None
        if index is None or not 0 <= index < len(self.shown):
            return None
        return self.shown[index]

    def _show_detail(self) -> None:
        contact = self.current
        detail = self.query_one("#contacts-detail", Static)
        if contact is None:
            empty = "No contacts match." if self.matches or self.folder != ALL or \
                self.query_one("#contacts-search", Input).value else "No contacts yet."
            detail.update(Text(empty + "  n: new contact", style="dim"))
        else:
            detail.update(detail_text(contact))

    @on(Input.Changed, "#contacts-search")
    def _search_changed(self) -> None:
        self.load()

    @on(Input.Submitted, "#contacts-search")
    def _search_submitted(self) -> None:
        self.query_one("#contacts-list", OptionList).focus()

    @on(OptionList.OptionHighlighted, "#contacts-list")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(OptionList.OptionSelected, "#contacts-folders")
    @on(OptionList.OptionHighlighted, "#contacts-folders")
    def _folder_chosen(self, event: OptionList.OptionHighlighted) -> None:
        chosen = event.option.id or ALL
        folder = ALL if chosen == ALL else chosen.removeprefix("f:")
        if folder != self.folder:
            self.folder = folder
            self._fill_list()
        if isinstance(event, OptionList.OptionSelected):
            self.query_one("#contacts-list", OptionList).focus()

    @on(Announced)
    def _announced(self, message: Announced) -> None:
        event = message.event
        if isinstance(event, ContactsChanged):
            self.load()
        elif isinstance(event, OperationFailed) and event.operation.kind in (
                "save_contact", "delete_contact"):
            self.load()

    # ------------------------------------------------------------------ actions
    def action_search(self) -> None:
        """Focus the search box."""
        self.query_one("#contacts-search", Input).focus()

    def action_leave_search(self) -> None:
        """Back to the list (clears the search when the box is focused)."""
        search = self.query_one("#contacts-search", Input)
        if search.has_focus and search.value:
            search.value = ""
        self.query_one("#contacts-list", OptionList).focus()

    def action_folders(self) -> None:
        """Focus the folder list."""
        self.query_one("#contacts-folders", OptionList).focus()

    def action_new(self) -> None:
        """Create a contact through the form."""
        self.app.push_screen(ContactForm(), self._save_new)

    def _save_new(self, fields: dict[str, Any] | None) -> None:
        if fields is None:
            return
        op = SaveContact(fields=fields, local_id=ContactId(f"local-{uuid.uuid4().hex}"))
        self._submit(op, "create the contact")

    def action_edit(self) -> None:
        """Edit the highlighted contact."""
        contact = self.current
        if contact is None:
            return

        def save(fields: dict[str, Any] | None) -> None:
            if fields is not None:
                self._submit(SaveContact(contact_id=contact.id, fields=fields),
                             "save the contact")

        self.app.push_screen(ContactForm(contact), save)

    def action_delete(self) -> None:
        """Delete the highlighted contact after a confirmation."""
        contact = self.current
        if contact is None:
            return
        name = inline(contact.display_name, 60, placeholder="this contact")

        def answer(yes: bool | None) -> None:
            if yes:
                self._submit(DeleteContact(contact_id=contact.id), "delete the contact")

        self.app.push_screen(ConfirmDialog(f"Delete {name}?"), answer)

    def _submit(self, op: SaveContact | DeleteContact, doing: str) -> None:
        repo = self.account.contacts

        async def run() -> None:
            await repo.submit(op)
            self.post_message(self.Announced(ContactsChanged()))

        self.run_worker(run, group="contacts-submit", exit_on_error=False, description=doing)

    def action_write(self) -> None:
        """Write mail to the highlighted contact (asking which address when it has several)."""
        contact = self.current
        if contact is None or not contact.emails:
            self.notify("This contact has no email address.", severity="warning", markup=False)
            return
        name = contact.display_name

        def chosen(address: str | None) -> None:
            match = next((e for e in contact.emails if e.address == address), None)
            if match is not None:
                self.write_to(Recipient(match.address, name or match.name))

        if len(contact.emails) == 1:
            chosen(contact.emails[0].address)
            return
        keys = "123456789"
        self.app.push_screen(ChoiceMenu("Write to which address?", [
            (e.address, keys[i] if i < len(keys) else "", inline(e.address, 80))
            for i, e in enumerate(contact.emails)]), chosen)

    def write_to(self, recipient: Recipient) -> None:
        """Ask for a composer addressed to ``recipient`` (the app opens it, like every
        other composer: ``ComposeRequested``)."""
        if self._write_to is not None:
            self._write_to(recipient)
            return
        self.post_message(ComposeRequested("new", to=(recipient,)))
