"""Stand-in screens for the calendar and contacts modes until their engineers' screens land.

The app registers these by name; swapping in a real screen is a one-line import change in
``ui/app.py``.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static


class _ComingSoon(Screen[None]):
    """A screen that says which mode is coming."""

    WHAT = ""

    def compose(self) -> ComposeResult:
        yield Static(Text(f"{self.WHAT} is coming.\n\nPress 1 for mail, ? for help."),
                     classes="placeholder")
        yield Footer()


class CalendarPlaceholder(_ComingSoon):
    """Placeholder for the calendar mode."""

    WHAT = "The calendar"


class ContactsPlaceholder(_ComingSoon):
    """Placeholder for the contacts mode."""

    WHAT = "Contacts"
