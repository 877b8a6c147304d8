"""The status line: account, folder, sync state and progress, queue, offline badge, last error.

Everything shown that came from the network (folder names, error details) is sanitised; the
line is built as plain ``Text``.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from olk_tui.sync.api import RepoEvent, SyncState, SyncStatus
from olk_tui.ui.text import inline


class StatusLine(Widget):
    """One line at the bottom of the mail screen."""

    DEFAULT_CSS = "StatusLine { height: 1; }"

    def __init__(self, account_name: str, is_demo: bool, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.account_name, self.is_demo = account_name, is_demo
        self.folder, self.total, self.unread = "", 0, 0
        self.view = ""
        self.sync = SyncStatus()
        self.others = ""

    def on_mount(self) -> None:
        """Start with the other accounts' counts the app already knows."""
        self.others = str(getattr(self.app, "others_text", "") or "")

    def show_others(self, text: str) -> None:
        """The other accounts and their unread counts (``home 3 · shared``)."""
        self.others = text
        self.refresh()

    def show_folder(self, name: str, total: int, unread: int, view: str = "") -> None:
        """What the list shows: folder name, row count, unread count, filter/sort words."""
        self.folder, self.total, self.unread, self.view = name, total, unread, view
        self.refresh()

    def apply(self, event: RepoEvent) -> None:
        """Take a repository announcement (only ``SyncStatus`` matters here)."""
        if isinstance(event, SyncStatus):
            self.sync = event
            self.refresh()

    def render(self) -> Text:
        """Build the line."""
        line = Text(no_wrap=True, overflow="ellipsis")
        if self.is_demo:
            line.append(" DEMO MAILBOX ", "reverse bold")
            line.append(" ")
        line.append(inline(self.account_name, 30), "bold")
        if self.folder:
            line.append(" │ ")
            line.append(inline(self.folder, 30))
            line.append(f" {self.total:,}", "dim")
            if self.unread:
                line.append(f" ({self.unread:,} unread)", "bold")
        if self.view:
            line.append(f" │ {self.view}", "italic")
        s = self.sync
        if s.state is SyncState.SYNCING:
            pct = f" {int(s.progress * 100)}%" if s.progress is not None else ""
            line.append(f" │ ⟳ syncing{pct}")
        elif s.state is SyncState.OFFLINE:
            line.append(" │ ")
            line.append(" OFFLINE ", "reverse bold")
        elif s.state is SyncState.AUTH_REQUIRED:
            line.append(" │ ")
            line.append(" SIGN-IN NEEDED ", "reverse bold")
        if s.pending_operations:
            line.append(f" │ {s.pending_operations} queued")
        if s.last_error:
            line.append(" │ ")
            line.append("⚠ " + inline(s.last_error, 60), "bold")
        if self.others:
            line.append(" │ also: ", "dim")
            line.append(self.others)
        return line
