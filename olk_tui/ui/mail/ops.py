"""Message and folder actions shared by the list and the reader: dialogs, then ``submit``.

Each action builds one operation from ``olk_tui.domain.operations`` and submits it in a worker
(the repository applies it to the cache and announces the change, so the UI shows it at once);
a later revert arrives as ``OperationFailed`` and is shown as a toast by the app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

from textual.app import App

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import Flag, FlagStatus, Folder, MessageSummary
from olk_tui.domain.operations import (
    CreateFolder,
    DeleteFolder,
    DeleteMessages,
    MarkRead,
    MoveFolder,
    MoveMessages,
    Operation,
    RenameFolder,
    SetCategories,
    SetFlag,
)
from olk_tui.render.dates import parse_date
from olk_tui.sync.api import Account
from olk_tui.ui.dialogs import ChoiceMenu, ConfirmDialog, FuzzyPicker, TextPrompt
from olk_tui.ui.mail.folders import ordered
from olk_tui.ui.text import inline

FLAG_CHOICES = (("today", "t", "Today"), ("tomorrow", "m", "Tomorrow"),
                ("this_week", "w", "This week"), ("next_week", "n", "Next week"),
                ("custom", "d", "Choose a date…"), ("complete", "c", "Mark complete"),
                ("clear", "x", "Clear flag"))


def flag_for(choice: str, now: datetime, tz: tzinfo, day: datetime | None = None) -> Flag:
    """The follow-up flag for a menu choice; due dates are 17:00 local, starts 08:00."""
    local = now.astimezone(tz)
    if choice == "clear":
        return Flag()
    if choice == "complete":
        return Flag(FlagStatus.COMPLETE, completed=now)
    today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    start = today
    if choice == "today":
        due = today
    elif choice == "tomorrow":
        due = start = today + timedelta(days=1)
    elif choice == "this_week":
        due = today + timedelta(days=max(0, 4 - today.weekday()))
    elif choice == "next_week":
        start = today + timedelta(days=7 - today.weekday())
        due = start + timedelta(days=4)
    elif day is not None:
        due = start = day.replace(tzinfo=tz)
    else:
        raise ValueError(f"unknown flag choice {choice!r}")
    return Flag(FlagStatus.FLAGGED, start=start.replace(hour=8), due=due.replace(hour=17))


class MailCommands:
    """The actions behind the mail keys (one instance per app, shared by list and reader)."""

    def __init__(self, app: App, account: Account, now: Callable[[], datetime],
                 tz: tzinfo) -> None:
        self.app, self.account, self.now, self.tz = app, account, now, tz
        self.folders: dict[FolderId, Folder] = {}
        self.recent_targets: list[FolderId] = []
        self._listeners: list[Callable[[Operation], None]] = []

    def listen(self, listener: Callable[[Operation], None]) -> Callable[[], None]:
        """Call ``listener`` after each submit (screens post themselves a message from it);
        returns the function that stops listening."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def submit(self, op: Operation) -> None:
        """Submit ``op`` in a worker; errors go to the app's central handler."""
        async def run() -> None:
            await self.account.mail.submit(op)
            for listener in list(self._listeners):
                listener(op)
        self.app.run_worker(run, group="ops", exit_on_error=False,
                            description=op.describe())

    def well_known(self, name: str) -> FolderId | None:
        """The id of a well-known folder, when the tree has it."""
        return next((f.id for f in self.folders.values() if f.well_known_name == name), None)

    # ------------------------------------------------------------------ messages
    def toggle_read(self, ids: list[MessageId], rows: list[MessageSummary]) -> None:
        """Mark read when any of them is unread, else mark them unread."""
        if ids:
            self.submit(MarkRead(tuple(ids), is_read=any(not r.is_read for r in rows)))

    def mark_read(self, ids: list[MessageId], is_read: bool = True) -> None:
        """Mark read or unread."""
        if ids:
            self.submit(MarkRead(tuple(ids), is_read=is_read))

    def flag_menu(self, ids: list[MessageId]) -> None:
        """Ask how to flag, then flag (custom dates are typed: "fri", "3 dec")."""
        if not ids:
            return

        def chosen(choice: str | None) -> None:
            if choice == "custom":
                self.app.push_screen(TextPrompt("Due date", placeholder="fri, 3 dec, 2026-12-03"),
                                     lambda text: self._custom_flag(ids, text))
            elif choice:
                self.submit(SetFlag(tuple(ids), flag_for(choice, self.now(), self.tz)))
        self.app.push_screen(ChoiceMenu("Flag for follow-up", FLAG_CHOICES), chosen)

    def _custom_flag(self, ids: list[MessageId], text: str | None) -> None:
        if not text:
            return
        try:
            day = parse_date(text, self.now().astimezone(self.tz))
        except ValueError as exc:
            self.app.notify(str(exc), severity="warning", markup=False)
            return
        when = datetime(day.year, day.month, day.day)
        self.submit(SetFlag(tuple(ids), flag_for("custom", self.now(), self.tz, when)))

    def categories(self, ids: list[MessageId], current: tuple[str, ...]) -> None:
        """Edit categories as a comma-separated list."""
        if not ids:
            return

        def done(text: str | None) -> None:
            if text is not None:
                cats = tuple(dict.fromkeys(c.strip() for c in text.split(",") if c.strip()))
                self.submit(SetCategories(tuple(ids), cats))
        self.app.push_screen(TextPrompt("Categories (comma separated)",
                                        ", ".join(inline(c) for c in current)), done)

    def delete(self, ids: list[MessageId], folder_id: FolderId | None) -> None:
        """Delete to Deleted Items; from Deleted Items itself, permanently after asking."""
        if not ids:
            return
        if folder_id is not None and folder_id == self.well_known("deleteditems"):
            question = f"Delete {len(ids)} message(s) permanently? This cannot be undone."
            self.app.push_screen(ConfirmDialog(question), lambda ok: ok and self.submit(
                DeleteMessages(tuple(ids), permanent=True)))
            return
        self.submit(DeleteMessages(tuple(ids)))

    def archive(self, ids: list[MessageId], folder_id: FolderId | None) -> None:
        """Move to Archive."""
        target = self.well_known("archive")
        if target is None:
            self.app.notify("This mailbox has no Archive folder", severity="warning", markup=False)
        elif ids:
            self.submit(MoveMessages(tuple(ids), target, folder_id))

    def move(self, ids: list[MessageId], folder_id: FolderId | None) -> None:
        """Pick a folder (fuzzy, recent targets first) and move there."""
        if not ids:
            return

        def chosen(target: str | None) -> None:
            if target:
                fid = FolderId(target)
                self.recent_targets = [fid, *[t for t in self.recent_targets if t != fid]][:5]
                self.submit(MoveMessages(tuple(ids), fid, folder_id))
        self.pick_folder(f"Move {len(ids)} message(s) to", chosen, exclude=folder_id)

    def pick_folder(self, title: str, callback: Callable[[str | None], None],
                    exclude: FolderId | None = None) -> None:
        """Open the fuzzy folder picker."""
        items = [(f.id, "  " * depth + inline(f.display_name, 60, placeholder="(unnamed)"))
                 for depth, f in ordered(list(self.folders.values())) if f.id != exclude]
        self.app.push_screen(FuzzyPicker(title, items, self.recent_targets), callback)

    async def undo(self) -> None:
        """Undo the last operation and say what was undone."""
        op = await self.account.mail.undo()
        self.app.notify(f"Undone: {op.describe()}" if op else "Nothing to undo", markup=False)

    # ------------------------------------------------------------------ folders
    def new_folder(self, parent: FolderId | None) -> None:
        """Ask for a name and create a folder under ``parent``."""
        def done(name: str | None) -> None:
            if name and name.strip():
                self.submit(CreateFolder(name.strip(), parent))
        self.app.push_screen(TextPrompt("New folder name"), done)

    def rename_folder(self, folder: Folder) -> None:
        """Ask for a new name."""
        def done(name: str | None) -> None:
            if name and name.strip() and name.strip() != folder.display_name:
                self.submit(RenameFolder(folder.id, name.strip()))
        self.app.push_screen(TextPrompt("Rename folder", folder.display_name), done)

    def move_folder(self, folder: Folder) -> None:
        """Pick a new parent, confirm, move."""
        name = inline(folder.display_name, 40)

        def chosen(target: str | None) -> None:
            if target:
                dest = inline(self.folders[FolderId(target)].display_name, 40)
                self.app.push_screen(ConfirmDialog(f"Move folder {name} into {dest}?"),
                                     lambda ok: ok and self.submit(
                                         MoveFolder(folder.id, FolderId(target))))
        self.pick_folder(f"Move folder {name} into", chosen, exclude=folder.id)

    def delete_folder(self, folder: Folder) -> None:
        """Confirm, then delete (well-known folders cannot be deleted)."""
        if folder.well_known_name:
            self.app.notify("Outlook's own folders cannot be deleted", severity="warning",
                            markup=False)
            return
        question = (f"Delete folder {inline(folder.display_name, 40)} and its "
                    f"{folder.total_count} message(s)?")
        self.app.push_screen(ConfirmDialog(question),
                             lambda ok: ok and self.submit(DeleteFolder(folder.id)))
