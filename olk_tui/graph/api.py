"""Typed Graph endpoint methods returning domain objects (mixed into ``GraphClient``).

The methods live in ``api_mail`` (folders, messages, attachments) and ``api_calendar``
(calendars, events, schedule, contacts, settings, people); URL templates and ``$select`` lists
come from ``endpoints``; JSON shapes are read by ``mapping`` only.
"""

from __future__ import annotations

from olk_tui.graph.api_base import DeltaPage
from olk_tui.graph.api_calendar import CalendarApi
from olk_tui.graph.api_mail import MailApi, UploadSession

__all__ = ["DeltaPage", "GraphApi", "UploadSession"]


class GraphApi(MailApi, CalendarApi):
    """Every typed endpoint method; ``GraphClient`` supplies ``request`` and ``pages``."""
