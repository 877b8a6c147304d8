"""Reader tools (a mixin of ``ReaderScreen``): links by number and attachments.

Links are opened or copied only when the user asks for one by number and confirms; only
http, https and mailto are ever opened, and without a display the link is copied instead.
Attachments are fetched with ``account.mail.attachment_bytes`` and written in a thread by
``olk_tui.render.filenames.save_attachment``: a safe name inside the chosen folder, created
exclusively with ``O_NOFOLLOW`` and mode 0600, never overwriting and never following a link.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from olk_tui.domain.mail import Attachment, Message, MessageSummary
from olk_tui.render.body import RenderedBody
from olk_tui.render.filenames import save_attachment
from olk_tui.render.safe import safe_filename_display
from olk_tui.sync.api import Account
from olk_tui.ui.dialogs import ChoiceMenu, ConfirmDialog, TextPrompt
from olk_tui.ui.text import inline

if TYPE_CHECKING:
    from textual.app import App

SAFE_SCHEMES = ("https://", "http://", "mailto:")


def has_display() -> bool:
    """Whether a desktop is there to open things on (not over plain SSH)."""
    return sys.platform in {"darwin", "win32"} or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def opener_argv(path: Path) -> list[str]:
    """The system opener for a file, as argv (never a shell)."""
    if sys.platform == "darwin":
        return ["open", str(path)]
    return ["xdg-open", str(path)]


def launch(argv: list[str]) -> None:
    """Start a viewer detached from the terminal (no shell, no terminal I/O)."""
    subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,  # noqa: S603
                     stderr=subprocess.DEVNULL, start_new_session=True)


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
            self.notify("This message has no links", timeout=2, markup=False)
            return

        def chosen(text: str | None) -> None:
            if not text or not text.strip().isdigit() or not 1 <= int(text) <= len(links):
                if text:
                    self.notify(f"Type a number from 1 to {len(links)}", severity="warning",
                                markup=False)
                return
            link = links[int(text) - 1]
            if how == "copy":
                self.app.copy_to_clipboard(link.url)
                self.notify(f"Copied link {link.number}: {inline(link.url, 80)}", markup=False)
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
        display = has_display()
        question = f"Open {inline(url, 200)}?" + (f"\n⚠ {inline(warning, 200)}" if warning else "")
        if not display:
            question += "\n(no display: the link will be copied to the clipboard instead)"

        def answer(ok: bool | None) -> None:
            if not ok:
                return
            if display:
                self.app.open_url(url)
            else:
                self.app.copy_to_clipboard(url)
                self.notify("Copied the link", markup=False)
        self.app.push_screen(ConfirmDialog(question), answer)

    def action_save_attachments(self) -> None:
        """Save one attachment (or all) to the download folder, never overwriting."""
        message = self.message
        files = [a for a in (message.attachments if message else ()) if a.kind == "file"]
        if message is None or not files:
            self.notify("No attachments to save", timeout=2, markup=False)
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

    def action_open_attachment(self) -> None:
        """Save an attachment to a private temporary folder and open it with the system
        viewer (after confirming); without a display, say where it was saved."""
        message = self.message
        files = [a for a in (message.attachments if message else ()) if a.kind == "file"]
        if message is None or not files:
            self.notify("No attachments to open", timeout=2, markup=False)
            return

        def chosen(value: str | None) -> None:
            wanted = [a for a in files if a.id == value]
            if wanted:
                self.app.push_screen(
                    ConfirmDialog(f"Open {safe_filename_display(wanted[0].name, 60)} with the "
                                  "system viewer? Attachments can be dangerous."),
                    lambda ok: ok and self._open_file(message, wanted[0]))
        if len(files) == 1:
            chosen(files[0].id)
        else:
            self.app.push_screen(ChoiceMenu("Open which attachment?", [
                (a.id, str(i), safe_filename_display(a.name, 50))
                for i, a in list(enumerate(files, 1))[:9]]), chosen)

    def _open_file(self, message: Message, attachment: Attachment) -> None:
        async def run() -> None:
            folder = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="olk-tui-open-"))
            path = await self._write(message, attachment, folder)
            if has_display():
                await asyncio.to_thread(launch, opener_argv(path))
            else:
                self.notify(f"No display to open it on; saved as {inline(str(path), 80)}",
                            markup=False)
        self.run_worker(run, group="open-attachment", exit_on_error=False,
                        description="open the attachment")

    async def _write(self, message: Message, attachment: Attachment, folder: Path) -> Path:
        """Fetch the bytes, then create the file exclusively (0600, no link followed) under
        a safe name in ``folder``; the disk work runs in a thread."""
        data = await self.account.mail.attachment_bytes(message.id, attachment.id)

        def write() -> Path:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            return save_attachment(folder, attachment.name, data)
        return await asyncio.to_thread(write)

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
            saved = [await self._write(message, a, folder) for a in files]
            names = ", ".join(safe_filename_display(p.name, 40) for p in saved)
            self.notify(f"Saved {names} in {inline(str(folder), 60)}", markup=False)
        self.run_worker(save, group="save", exit_on_error=False, description="save attachment")
