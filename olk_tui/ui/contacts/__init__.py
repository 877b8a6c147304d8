"""The contacts mode: ``ContactsScreen(account)`` (search, folders, detail, create, edit,
delete, write mail to) and its ``ContactForm`` dialog."""

from olk_tui.ui.contacts.form import ContactForm
from olk_tui.ui.contacts.screen import ContactsScreen

__all__ = ["ContactForm", "ContactsScreen"]
