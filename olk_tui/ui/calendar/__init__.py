"""The calendar UI: week/day/agenda views, event detail and form, invitations, reminders.

``CalendarScreen`` is what the app's "calendar" mode shows; ``RsvpDialog`` answers an
invitation from anywhere (the mail reader opens it). Names are loaded lazily so the pure
``layout`` module can be imported without Textual.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CalendarScreen", "RsvpDialog"]


def __getattr__(name: str) -> Any:
    if name == "CalendarScreen":
        from olk_tui.ui.calendar.screen import CalendarScreen
        return CalendarScreen
    if name == "RsvpDialog":
        from olk_tui.ui.calendar.rsvp import RsvpDialog
        return RsvpDialog
    raise AttributeError(name)
