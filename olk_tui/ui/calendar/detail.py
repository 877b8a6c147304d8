"""Event detail: when (with the recurrence in words), where, who and how they answered, body.

A modal that returns what the user wants next ("edit", "delete", "respond") or None; it
opens or copies the join link itself (https links only). The body is converted from HTML in
a thread worker; the series master (for the recurrence) is read in an async worker.
"""

from __future__ import annotations

import importlib
from datetime import tzinfo
from urllib.parse import urlsplit

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from olk_tui.domain.calendar import Event
from olk_tui.domain.errors import OlkError
from olk_tui.render.recurrence_text import describe_recurrence
from olk_tui.sync.api import CalendarRepository
from olk_tui.ui.calendar.dialogs import DIALOG_CSS
from olk_tui.ui.calendar.period import when_text
from olk_tui.ui.text import block, inline, who

RESPONSE_MARKS = {"accepted": ("✓", "green"), "tentativelyAccepted": ("?", "yellow"),
                  "declined": ("✗", "red"), "organizer": ("★", "cyan"),
                  "notResponded": ("·", "dim"), "none": ("·", "dim")}


def join_link(event: Event) -> str:
    """The online meeting URL when it is https (anything else is not offered)."""
    url = (event.online_meeting_url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme == "https" and parts.netloc and " " not in url else ""


def body_text(event: Event) -> str:
    """The body as plain text: HTML through ``olk_tui.render.html`` when it is there."""
    if event.body_html and event.body_content_type.lower() == "html":
        try:
            html = importlib.import_module("olk_tui.render.html")
        except ImportError:
            return event.body_preview
        return html.html_to_text(event.body_html).text
    return event.body_html or event.body_preview


def detail_text(event: Event, zone: tzinfo, recurrence: str = "") -> Text:
    """Everything but the body, as a ``Text`` built from sanitised strings."""
    out = Text()
    out.append(inline(event.subject, 300, placeholder="(no subject)") + "\n", style="bold")
    if event.is_cancelled:
        out.append("Cancelled\n", style="bold red")
    rows: list[tuple[str, str]] = [("When", f"{when_text(event, zone)} ({zone})")]
    if recurrence:
        rows.append(("Repeats", recurrence))
    if event.location:
        rows.append(("Where", inline(event.location, 300)))
    if event.organizer is not None:
        rows.append(("Organizer", who(event.organizer)))
    rows.append(("Show as", event.show_as))
    if not event.is_organizer and event.response not in ("", "none", "organizer"):
        rows.append(("You", event.response))
    if event.is_reminder_on:
        rows.append(("Reminder", f"{event.reminder_minutes} min before"))
    if event.categories:
        rows.append(("Categories", ", ".join(inline(c, 60) for c in event.categories)))
    link = join_link(event)
    if link:
        rows.append(("Join", inline(link, 300)))
    elif event.online_meeting_url:
        rows.append(("Join", "(link hidden: not https)"))
    for label, value in rows:
        out.append(f"{label:>10}  ", style="dim")
        out.append(value + "\n")
    if event.attendees:
        out.append(f"{'Attendees':>10}\n", style="dim")
        for a in event.attendees:
            mark, colour = RESPONSE_MARKS.get(a.response, ("·", "dim"))
            out.append(f"{'':>10}  {mark} ", style=colour)
            out.append(who(a.who))
            extra = "" if a.type == "required" else f" ({a.type})"
            out.append(f"{extra}  {a.response}\n", style="dim")
    return out


class EventDetail(ModalScreen[str | None]):
    """The detail modal (see module docstring)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="EventDetail") + """
    EventDetail > Vertical { width: 100; height: 90%; }
    EventDetail #detail-body { height: 1fr; border-top: solid $primary; }
    """
    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close", id="calendar.detail.close"),
        Binding("e", "dismiss('edit')", "Edit", id="calendar.detail.edit"),
        Binding("d", "dismiss('delete')", "Delete", id="calendar.detail.delete"),
        Binding("r", "dismiss('respond')", "Respond", id="calendar.detail.respond"),
        Binding("o", "join('open')", "Join", id="calendar.detail.join"),
        Binding("y", "join('copy')", "Copy link", id="calendar.detail.copy"),
    ]

    class BodyReady(Message):
        """The body converted to text."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class SeriesReady(Message):
        """The series' recurrence in words."""

        def __init__(self, words: str) -> None:
            super().__init__()
            self.words = words

    def __init__(self, event: Event, repo: CalendarRepository, zone: tzinfo) -> None:
        super().__init__()
        self.event = event
        self.repo = repo
        self.zone = zone

    def compose(self) -> ComposeResult:
        """Header facts and the scrolling body."""
        with Vertical():
            yield Static(detail_text(self.event, self.zone,
                                     describe_recurrence(self.event.recurrence)), id="detail")
            with VerticalScroll(id="detail-body"):
                yield Static(Text(block(self.event.body_preview)), id="detail-text")
        yield Footer()

    def on_mount(self) -> None:
        """Convert the body and look up the series."""
        self.convert_body()
        if self.event.recurrence is None and self.event.series_master_id:
            self.load_series()

    @work(thread=True, exit_on_error=False, group="detail-body",
          description="Convert the event body to text")
    def convert_body(self) -> None:
        """HTML to text off the event loop."""
        self.post_message(self.BodyReady(body_text(self.event)))

    @work(exit_on_error=False, group="detail-series", description="Read the series")
    async def load_series(self) -> None:
        """Read the series master for its recurrence."""
        assert self.event.series_master_id is not None
        try:
            master = await self.repo.event(self.event.series_master_id)
        except OlkError:
            return
        self.post_message(self.SeriesReady(describe_recurrence(master.recurrence)))

    @on(BodyReady)
    def _body(self, message: BodyReady) -> None:
        self.query_one("#detail-text", Static).update(Text(block(message.text)))

    @on(SeriesReady)
    def _series(self, message: SeriesReady) -> None:
        if message.words:
            self.query_one("#detail", Static).update(
                detail_text(self.event, self.zone, message.words))

    def action_join(self, how: str) -> None:
        """Open or copy the join link (https only)."""
        link = join_link(self.event)
        if not link:
            self.notify("This event has no https join link.", severity="warning", markup=False)
            return
        if how == "copy":
            self.app.copy_to_clipboard(link)
            self.notify("Join link copied.", markup=False)
        else:
            self.app.open_url(link)
