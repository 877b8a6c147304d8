"""The mailbox settings screen: automatic replies, time zone and working hours, shown and
changed through ``UpdateMailboxSettings`` operations.

A change is applied to ``account.settings`` at once (so the calendar and dates follow it) and
queued through the account's submitter (``account.mail.submit``); if Graph refuses it for
good, the previous settings come back when ``OperationFailed`` arrives.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from olk_tui.domain.operations import UpdateMailboxSettings
from olk_tui.domain.settings import MailboxSettings
from olk_tui.sync.api import Account, OperationFailed, RepoEvent
from olk_tui.ui.dialogs import FuzzyPicker
from olk_tui.ui.errors import ReportsWorkerErrors
from olk_tui.ui.listening import subscribe
from olk_tui.ui.settings.dialogs import AutomaticRepliesDialog, WorkingHoursDialog
from olk_tui.ui.settings.fields import (
    AUDIENCES,
    STATUSES,
    SettingsError,
    apply_patch,
    format_when,
    local_zone_names,
    message_text,
    time_zone_patch,
)
from olk_tui.ui.text import block, inline, mailbox_zone

#: Loads the mailbox's supportedTimeZones as (name, display name) pairs.
ZoneLoader = Callable[[], Awaitable[list[tuple[str, str]]]]


def summary(settings: MailboxSettings) -> Text:
    """The settings as plain text (every server string sanitised)."""
    tz = mailbox_zone(settings)
    a, w = settings.automatic_replies, settings.working_hours
    out = Text()

    def row(label: str, value: str) -> None:
        out.append(f"{label:<20}", style="dim")
        out.append(value + "\n")

    out.append("Automatic replies  (a to change)\n", style="bold")
    row("Status", dict(STATUSES).get(a.status, inline(a.status, 30)))
    if a.status == "scheduled":
        row("From", format_when(a.scheduled_start, tz))
        row("Until", format_when(a.scheduled_end, tz))
    row("Outside replies to", dict(AUDIENCES).get(a.external_audience,
                                                  inline(a.external_audience, 30)))
    for label, message in (("Inside message", a.internal_message),
                           ("Outside message", a.external_message)):
        text = block(message_text(message)).strip()
        row(label, (text[:300] + "…" if len(text) > 300 else text).replace(
            "\n", "\n" + " " * 20) if text else "(none)")
    out.append("\nTime zone  (z to change)\n", style="bold")
    row("Mailbox zone", inline(settings.time_zone, 60))
    out.append("\nWorking hours  (h to change)\n", style="bold")
    row("Days", ", ".join(inline(d, 12).title() for d in w.days) or "(none)")
    row("Hours", f"{inline(w.start[:5], 8)} – {inline(w.end[:5], 8)}")
    row("In zone", inline(w.time_zone, 60))
    return out


class SettingsScreen(ReportsWorkerErrors, Screen[None]):
    """Mailbox settings.

    Args:
        account: the account; None takes ``app.account`` when mounted.
        time_zones: loads the mailbox's supportedTimeZones; None uses the calendar
            repository's ``supported_time_zones`` when it has one, else the local IANA list.
    """

    DEFAULT_CSS = """
    SettingsScreen #settings-summary { padding: 1 2; }
    """

    BINDINGS = [
        Binding("a", "automatic_replies", "Automatic replies", id="settings.auto_replies"),
        Binding("h", "working_hours", "Working hours", id="settings.working_hours"),
        Binding("z", "time_zone", "Time zone", id="settings.time_zone"),
        Binding("escape", "close", "Back", id="settings.close"),
    ]

    class Announced(Message):
        """A repository announcement, carried onto the screen's message queue."""

        def __init__(self, event: RepoEvent) -> None:
            super().__init__()
            self.event = event

    def __init__(self, account: Account | None = None, *,
                 time_zones: ZoneLoader | None = None) -> None:
        super().__init__()
        self._account = account
        self._time_zones = time_zones
        self._known: set[str] | None = None
        self._before: list[tuple[UpdateMailboxSettings, MailboxSettings]] = []
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def account(self) -> Account:
        """The account shown (the app's when none was given)."""
        if self._account is None:
            self._account = self.app.account  # type: ignore[attr-defined]
        return self._account

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(summary(self.account.settings), id="settings-summary")
        yield Footer()

    def on_mount(self) -> None:
        """Listen for failed changes."""
        self._unsubscribe = subscribe(self.account,
                                      lambda e: self.post_message(self.Announced(e)))

    def on_unmount(self) -> None:
        """Stop listening."""
        if self._unsubscribe is not None:
            self._unsubscribe()

    def show(self) -> None:
        """Redraw from ``account.settings``."""
        self.query_one("#settings-summary", Static).update(summary(self.account.settings))

    @on(Announced)
    def _announced(self, message: Announced) -> None:
        event = message.event
        if isinstance(event, OperationFailed) and isinstance(event.operation,
                                                             UpdateMailboxSettings):
            for i, (op, before) in enumerate(self._before):
                if op == event.operation:
                    self.account.settings = before
                    del self._before[i]
                    break
            self.show()

    # ------------------------------------------------------------------ actions
    def action_automatic_replies(self) -> None:
        """Change automatic replies."""
        settings = self.account.settings
        self.app.push_screen(AutomaticRepliesDialog(settings, mailbox_zone(settings)),
                             self.submit)

    def action_working_hours(self) -> None:
        """Change working hours."""
        self.app.push_screen(WorkingHoursDialog(self.account.settings, self._known),
                             self.submit)

    def action_time_zone(self) -> None:
        """Pick the mailbox time zone."""

        async def run() -> None:
            items = await self._zone_items()
            self.app.call_later(self._pick_zone, items)

        self.run_worker(run, group="settings-zones", exclusive=True, exit_on_error=False,
                        description="list time zones")

    async def _zone_items(self) -> list[tuple[str, str]]:
        loader = self._time_zones or getattr(self.account.calendar, "supported_time_zones",
                                             None)
        if loader is not None:
            pairs = await loader()
            if pairs:
                self._known = {name for name, _ in pairs}
                return [(name, inline(f"{label}  ({name})" if label != name else name, 100))
                        for name, label in pairs]
        return [(name, name) for name in local_zone_names()]

    def _pick_zone(self, items: list[tuple[str, str]]) -> None:
        def chosen(name: str | None) -> None:
            if not name:
                return
            try:
                patch = time_zone_patch(name, self._known)
            except SettingsError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.submit(patch)

        self.app.push_screen(FuzzyPicker("Mailbox time zone", items,
                                         recent=[self.account.settings.time_zone]), chosen)

    def action_close(self) -> None:
        """Back to where the screen was opened from."""
        if len(self.app.screen_stack) > 1 and self.app.screen is self:
            self.dismiss(None)

    def submit(self, patch: dict[str, Any] | None) -> None:
        """Apply ``patch`` to ``account.settings`` at once and queue it for Graph."""
        if not patch:
            return
        op = UpdateMailboxSettings(fields=patch)
        self._before.append((op, self.account.settings))
        self.account.settings = apply_patch(self.account.settings, patch)
        self.show()
        repo = self.account.mail

        async def run() -> None:
            await repo.submit(op)

        self.run_worker(run, group="settings-submit", exit_on_error=False,
                        description="change mailbox settings")
