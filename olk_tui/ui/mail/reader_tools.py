"""Reader tools (a mixin of ``ReaderScreen``): links by number and attachments.

Links are opened or copied only when the user asks for one by number and confirms; only
http, https and mailto are ever opened, and without a display the link is copied instead.
Attachments are saved through the repository, which never overwrites a file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from olk_tui.domain.mail import Message, MessageSummary
from olk_tui.render.body import RenderedBody
from olk_tui.render.safe import safe_filename_display
from olk_tui.sync.api import Account
from olk_tui.ui.dialogs import ChoiceMenu, ConfirmDialog, TextPrompt
from olk_tui.ui.text import inline

if TYPE_CHECKING:
    from textual.app import App

SAFE_SCHEMES = ("https://", "http://", "mailto:")


class ReaderTools:
    """Link and attachment actions; expects the reader's attributes below."""

    account: Account
    app: App
    row: MessageSummary
    message: Message | None
    body: RenderedBody | None
    download_dir: Path
    ask_folder: bool

    def action_link(self, how: str) -> None:
        """Ask for a link number, then open (after confirming) or copy it."""
        links = self.body.links if self.body else []
        if not links:
            self.notify("This message has no links", timeout=2)
            return

        def chosen(text: str | None) -> None:
            if not text or not text.strip().isdigit() or not 1 <= int(text) <= len(links):
                if text:
                    self.notify(f"Type a number from 1 to {len(links)}", severity="warning")
                return
            link = links[int(text) - 1]
            if how == "copy":
                self.app.copy_to_clipboard(link.url)
                self.notify(f"Copied link {link.number}: {inline(link.url, 80)}")
            else:
                self._open_url(link.url, link.warning, link.openable)
        self.app.push_screen(TextPrompt(f"{how.title()} link number (1-{len(links)})"), chosen)

    def action_open_web(self) -> None:
        """Open the message in Outlook on the web (after confirming)."""
        if self.row.web_link:
            self._open_url(self.row.web_link, "", True)

    def _open_url(self, url: str, warning: str, openable: bool) -> None:
        if not openable or not url.lower().startswith(SAFE_SCHEMES):
            self.notify("Only http, https and mailto links can be opened", severity="warning")
            return
        has_display = sys.platform in {"darwin", "win32"} or bool(
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        question = f"Open {inline(url, 200)}?" + (f"\n⚠ {inline(warning, 200)}" if warning else "")
        if not has_display:
            question += "\n(no display: the link will be copied to the clipboard instead)"

        def answer(ok: bool | None) -> None:
            if not ok:
                return
            if has_display:
                self.app.open_url(url)
            else:
                self.app.copy_to_clipboard(url)
                self.notify("Copied the link")
        self.app.push_screen(ConfirmDialog(question), answer)

    def action_save_attachments(self) -> None:
        """Save one attachment (or all) to the download folder, never overwriting."""
        message = self.message
        files = [a for a in (message.attachments if message else ()) if a.kind == "file"]
        if message is None or not files:
            self.notify("No attachments to save", timeout=2)
            return
        choices = [(a.id, str(i), safe_filename_display(a.name, 50)) for i, a in
                   list(enumerate(files, 1))[:9]]
        if len(files) > 1:
            choices.append(("*", "a", "All of them"))

        def chosen(value: str | None) -> None:
            if value:
                wanted = files if value == "*" else [a for a in files if a.id == value]
                self._ask_folder(message, wanted)
        if len(files) == 1:
            self._ask_folder(message, files)
        else:
            self.app.push_screen(ChoiceMenu("Save which attachment?", choices), chosen)

    def _ask_folder(self, message: Message, files: list) -> None:
        """Ask for the folder (default pre-filled) unless the config says not to."""
        if not self.ask_folder:
            self._save(message, files, self.download_dir)
            return

        def answered(text: str | None) -> None:
            if text and text.strip():
                self._save(message, files, Path(text.strip()).expanduser())
        self.app.push_screen(TextPrompt("Save to folder", str(self.download_dir)), answered)

    def _save(self, message: Message, files: list, folder: Path) -> None:
        async def save() -> None:
            saved = [await self.account.mail.save_attachment(message.id, a.id, folder)
                     for a in files]
            names = ", ".join(safe_filename_display(p.name, 40) for p in saved)
            self.notify(f"Saved {names} in {inline(str(folder), 60)}")
        self.run_worker(save, group="save", exit_on_error=False, description="save attachment")
