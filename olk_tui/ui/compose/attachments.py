"""Attachments in the composer: size classes, the add-by-path dialog and its completion.

Graph takes files under 3 MB inline and 3-150 MB through an upload session (FACTS.md #35,
#36); bigger files are refused here, before anything is queued.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label

from olk_tui.render.safe import safe_filename_display

MB = 1024 * 1024
INLINE_LIMIT = 3 * MB
UPLOAD_LIMIT = 150 * MB


class AttachMode(StrEnum):
    """How a file will travel."""

    INLINE = "inline"
    UPLOAD = "upload session"
    TOO_BIG = "too big"
    UNREADABLE = "unreadable"


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    """A file chosen for attaching: where, what it is called, how big, how it travels."""

    path: str
    name: str
    size: int
    mode: AttachMode
    problem: str = ""

    @property
    def ok(self) -> bool:
        """True when the file can be sent."""
        return self.mode in (AttachMode.INLINE, AttachMode.UPLOAD)

    def label(self) -> str:
        """One line for the attachment list (file name made safe to show)."""
        text = f"{safe_filename_display(self.name, 60)}  {human_size(self.size)}"
        if self.mode is AttachMode.UPLOAD:
            text += "  (upload session)"
        if self.problem:
            text += f"  ! {self.problem}"
        return text


def human_size(size: int) -> str:
    """``512 B``, ``12.3 KB``, ``4.0 MB`` (binary units, as Outlook shows them)."""
    if size < 1024:
        return f"{size} B"
    if size < MB:
        return f"{size / 1024:.1f} KB"
    if size < 1024 * MB:
        return f"{size / MB:.1f} MB"
    return f"{size / (1024 * MB):.1f} GB"


def inspect_attachment(path: str) -> AttachmentInfo:
    """Look at a path (``~`` expanded) and say whether and how it can be attached."""
    full = Path(path).expanduser()
    name = full.name or path
    try:
        full = full.resolve(strict=True)
        st = full.stat()
    except (OSError, RuntimeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not found"
        return AttachmentInfo(str(full), name, 0, AttachMode.UNREADABLE,
                              f"cannot read {safe_filename_display(name, 60)}: {reason}")
    if not full.is_file():
        return AttachmentInfo(str(full), name, 0, AttachMode.UNREADABLE,
                              f"{safe_filename_display(name, 60)} is not a file")
    if not os.access(full, os.R_OK):
        return AttachmentInfo(str(full), name, st.st_size, AttachMode.UNREADABLE,
                              f"{safe_filename_display(name, 60)} is not readable")
    if st.st_size > UPLOAD_LIMIT:
        return AttachmentInfo(str(full), name, st.st_size, AttachMode.TOO_BIG,
                              f"{safe_filename_display(name, 60)} is {human_size(st.st_size)}; "
                              "Outlook attachments can be at most 150 MB")
    mode = AttachMode.INLINE if st.st_size < INLINE_LIMIT else AttachMode.UPLOAD
    return AttachmentInfo(str(full), name, st.st_size, mode)


def _complete_path(value: str) -> str | None:
    """The first directory entry that extends ``value`` (hidden files only when asked)."""
    if not value:
        return None
    expanded = os.path.expanduser(value)
    directory, prefix = os.path.split(expanded)
    try:
        names = sorted(os.listdir(directory or "."))
    except OSError:
        return None
    for name in names:
        if name.startswith(prefix) and name != prefix and \
                (prefix.startswith(".") or not name.startswith(".")):
            completed = os.path.join(directory, name)
            if os.path.isdir(completed):
                completed += os.sep
            # Keep the user's "~" so the suggestion extends what they typed.
            return value + completed[len(expanded):]
    return None


class PathSuggester(Suggester):
    """Completes file paths (accept with the right arrow, like a shell's tab)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        """The value extended to the first matching directory entry."""
        return await asyncio.to_thread(_complete_path, value)


class AttachDialog(ModalScreen[str | None]):
    """Ask for a file path; returns it, or None when cancelled."""

    DEFAULT_CSS = """
    AttachDialog { align: center middle; }
    AttachDialog > Vertical { width: 70; max-width: 95%; height: auto; border: thick $accent;
        background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="compose.attach.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Attach a file (→ completes the path, Enter adds, Esc cancels)")
            yield Input(placeholder="~/path/to/file", suggester=PathSuggester(), id="path")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Return the typed path."""
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        """Return nothing."""
        self.dismiss(None)
