"""The message actions of the mail screen (a mixin): operations on the selection and tagging.

Split from ``screen.py`` to keep each module small; every action reads the selection from the
message list and hands the work to :class:`MailCommands`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import MessageSummary
from olk_tui.sync.api import Account
from olk_tui.ui.dialogs import TextPrompt
from olk_tui.ui.mail.message_list import PAGE, MessageList
from olk_tui.ui.mail.ops import MailCommands
from olk_tui.ui.messages import ComposeRequested

if TYPE_CHECKING:
    from textual.app import App


class TagScanFinished(Message):
    """Ids a tag scan found."""

    def __init__(self, ids: list[MessageId]) -> None:
        super().__init__()
        self.ids = ids


def pattern_matcher(pattern: str) -> Callable[[MessageSummary], bool]:
    """A test for rows: every term must match; ``from:x`` the sender (name or address),
    ``subject:x`` the subject, a bare word either of them (case-insensitive)."""
    terms = [t.casefold() for t in pattern.split()]

    def keep(row: MessageSummary) -> bool:
        sender = str(row.from_ or row.sender or "").casefold()
        subject = row.subject.casefold()
        for term in terms:
            field, _, value = term.partition(":")
            if value and field == "from":
                ok = value in sender
            elif value and field == "subject":
                ok = value in subject
            else:
                ok = term in sender or term in subject
            if not ok:
                return False
        return True
    return keep


class MessageActions:
    """Actions bound to the list keys; mixed into ``MailScreen``."""

    account: Account
    commands: MailCommands
    folder_id: FolderId | None
    messages: MessageList
    app: App

    def _selection(self) -> tuple[list[MessageId], list[MessageSummary]]:
        ids = self.messages.selection()
        rows = [r for i in ids if (idx := self.messages.index_of(i)) is not None
                and (r := self.messages.row_at(idx)) is not None]
        return ids, rows

    def _update_status(self) -> None:
        raise NotImplementedError

    def action_toggle_read(self) -> None:
        """Toggle read state of the selection."""
        self.commands.toggle_read(*self._selection())

    def action_flag_menu(self) -> None:
        """Flag menu for the selection."""
        self.commands.flag_menu(self._selection()[0])

    def action_categories(self) -> None:
        """Edit categories of the selection."""
        ids, rows = self._selection()
        self.commands.categories(ids, rows[0].categories if rows else ())

    def action_delete(self) -> None:
        """Delete the selection."""
        self.commands.delete(self._selection()[0], self.folder_id)

    def action_archive(self) -> None:
        """Archive the selection."""
        self.commands.archive(self._selection()[0], self.folder_id)

    def action_move(self) -> None:
        """Move the selection to a folder."""
        self.commands.move(self._selection()[0], self.folder_id)

    def action_undo(self) -> None:
        """Undo the last operation."""
        self.run_worker(self.commands.undo, group="ops", exit_on_error=False,
                        description="undo")

    def action_compose(self, kind: str) -> None:
        """Ask the composer for new mail, a reply or a forward."""
        row = self.messages.current
        if kind != "new" and row is None:
            return
        self.post_message(ComposeRequested(kind, row.id if row and kind != "new" else None))

    def action_refresh(self) -> None:
        """Ask for a background sync of this folder."""
        self.run_worker(partial(self.account.mail.refresh, self.folder_id), group="refresh",
                        exit_on_error=False, description="refresh")
        self.notify("Syncing…", timeout=2, markup=False)

    # ------------------------------------------------------------------ tagging
    def action_tag_all(self) -> None:
        """Tag every row of the list (fetched page by page)."""
        self._tag_matching(lambda row: True)

    def action_tag_pattern(self) -> None:
        """Tag rows matching a pattern: words, ``from:`` and ``subject:`` terms, all needed."""
        def done(pattern: str | None) -> None:
            if pattern and pattern.strip():
                self._tag_matching(pattern_matcher(pattern))
        self.app.push_screen(TextPrompt("Tag messages matching (words, from:…, subject:…)"),
                             done)

    def _tag_matching(self, keep: Callable[[MessageSummary], bool]) -> None:
        source = self.messages.source
        if source is None:
            return

        async def scan() -> None:
            count, found = await source.count(), []
            for offset in range(0, count, PAGE * 8):
                found += [r.id for r in await source.window(offset, PAGE * 8) if keep(r)]
            self.post_message(TagScanFinished(found))
        self.run_worker(scan, group="tag", exclusive=True, exit_on_error=False,
                        description="tag messages")

    def on_tag_scan_finished(self, message: TagScanFinished) -> None:
        """Tag what the scan found."""
        self.messages.tagged.update(message.ids)
        self.messages.refresh()
        self._update_status()
        self.notify(f"{len(self.messages.tagged)} tagged", markup=False)
