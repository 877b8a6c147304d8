"""The mail screen: folder tree, search bar, virtual message list and status line.

It turns repository announcements into Textual messages (``RepositoryAnnounced``), keeps the
list's source in step with the chosen folder, filters, sort order and search, and routes the
mail keys to :class:`MailCommands`. It never touches SQL or HTTP itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer

from olk_tui.domain.errors import OlkError
from olk_tui.domain.ids import FolderId
from olk_tui.domain.mail import Folder, MessageSummary
from olk_tui.domain.operations import Operation
from olk_tui.sync.api import (
    Account,
    FoldersChanged,
    ListQuery,
    MessagesChanged,
    OutboxChanged,
)
from olk_tui.ui.dialogs import ChoiceMenu
from olk_tui.ui.errors import ReportsWorkerErrors, friendly
from olk_tui.ui.footer import KeyFooter
from olk_tui.ui.mail.actions import MessageActions
from olk_tui.ui.mail.conversations import ConversationSource
from olk_tui.ui.mail.folder_actions import FolderActions
from olk_tui.ui.mail.folders import FolderTree
from olk_tui.ui.mail.message_list import MessageList
from olk_tui.ui.mail.ops import MailCommands
from olk_tui.ui.mail.search import SearchBar
from olk_tui.ui.mail.sources import QuerySource, ResultsSource
from olk_tui.ui.messages import ComposeRequested, RepositoryAnnounced
from olk_tui.ui.screen_paint import PaintsOnlyWhenVisible
from olk_tui.ui.status import StatusLine
from olk_tui.ui.text import inline

if TYPE_CHECKING:
    from olk_tui.ui.mail.reader_cache import ReaderCache

FILTERS = (("all", "a", "All messages"), ("unread", "u", "Unread"), ("flagged", "f", "Flagged"),
           ("attachments", "t", "With attachments"), ("sender", "s", "From this sender"))
#: Server search results merged in are capped here, local ones at this many rows.
LOCAL_RESULTS = 500


class FoldersLoaded(Message):
    """The folder list a worker read from the repository."""

    def __init__(self, folders: list[Folder], outbox: int | None = None) -> None:
        super().__init__()
        self.folders = folders
        self.outbox = outbox


class MailShown(Message):
    """The screen shows its first content: the Inbox's rows, or no folders at all (an empty
    cache). The app starts its background work (the network stack, sync) after this paint,
    so that work never delays the first list on screen."""


class MailScreen(MessageActions, FolderActions, ReportsWorkerErrors, PaintsOnlyWhenVisible,
                 Screen[None]):
    """The screen users live in (see module docstring)."""

    class OperationSubmitted(Message):
        """An operation was handed to the repository (patch results, clear tags)."""

        def __init__(self, op: Operation) -> None:
            super().__init__()
            self.op = op

    class SearchFinished(Message):
        """Local and server results for a search, merged."""

        def __init__(self, text: str, rows: list[MessageSummary], note: str) -> None:
            super().__init__()
            self.text, self.rows, self.note = text, rows, note

    def __init__(self, account: Account, commands: MailCommands, now: Callable[[], datetime],
                 tz: tzinfo, open_reader: Callable[[MessageSummary], None],
                 reader_cache: Callable[[], ReaderCache] | None = None) -> None:
        super().__init__()
        self.account, self.commands, self.now, self.tz = account, commands, now, tz
        self.open_reader = open_reader
        #: The reader's cache, which the message under a resting cursor is converted into.
        self.reader_cache = reader_cache
        self.folder_id: FolderId | None = None
        self.query_state = ListQuery(folder_id=None)
        self.search_text = ""
        self._unsubscribe: Callable[[], None] | None = None
        #: Conversation view (grouped by conversationId).
        self.threads = False
        #: True while the shown folder was chosen by us, not the user (see _show_folders).
        self._auto_opened = True
        self._announced_shown = False

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield FolderTree(id="folders")
            with Vertical(id="list-pane"):
                yield SearchBar(id="search")
                yield MessageList(self.now, self.tz, id="messages")
        yield StatusLine(self.account.name, self.account.is_demo, id="status")
        # No Footer yet: it makes a widget per key, ~60 ms of the first paint when it came
        # before the rows. It is mounted once the first rows are painted (see _shown).

    @property
    def messages(self) -> MessageList:
        """The message list."""
        return self.query_one(MessageList)

    @property
    def tree(self) -> FolderTree:
        """The folder tree."""
        return self.query_one(FolderTree)

    def on_mount(self) -> None:
        """Subscribe to the repository and load the folders (the Inbox opens first)."""
        self._unsubscribe = self.account.mail.subscribe(
            lambda event: self.post_message(RepositoryAnnounced(event)))
        self._unlisten = self.commands.listen(
            lambda op: self.post_message(self.OperationSubmitted(op)))
        self.messages.focus()
        self.messages.folder_name = self._folder_name
        self._load_folders()
        self.set_timer(1.0, self._add_footer)  # if the first rows never come (an error)

    def _folder_name(self, folder_id: FolderId) -> str:
        folder = self.commands.folders.get(folder_id)
        return inline(folder.display_name, 20, placeholder="?") if folder else "?"

    def on_unmount(self) -> None:
        """Stop listening."""
        if self._unsubscribe:
            self._unsubscribe()
        self._unlisten()

    def _load_folders(self) -> None:
        async def load() -> None:
            folders = await self.account.mail.folders()
            try:
                waiting: int | None = len(await self.account.outbox.outbox())
            except OlkError:  # the folders still show; the Outbox entry waits for next time
                waiting = None
            self.post_message(FoldersLoaded(folders, waiting))
        self.run_worker(load, group="folders", exclusive=True, exit_on_error=False,
                        description="load folders")

    # ------------------------------------------------------------------ announcements
    def on_repository_announced(self, message: RepositoryAnnounced) -> None:
        """React to the cache changing underneath us.

        Stopped here: the app gets its own copy of every announcement, and letting this one
        bubble up made every revert toast appear twice.
        """
        message.stop()
        event = message.event
        self.query_one(StatusLine).apply(event)
        if isinstance(event, FoldersChanged) or (
                isinstance(event, OutboxChanged) and event.progress is None):
            self._load_folders()  # upload progress changes no folder (Outbox count stays)
        elif isinstance(event, MessagesChanged):
            source = self.messages.source
            if isinstance(source, ResultsSource):
                self.messages.refresh()
            elif not event.folder_ids or source is None or source.folder_id is None \
                    or source.folder_id in event.folder_ids:
                self.messages.reload()

    @on(FoldersLoaded)
    def _folders_loaded(self, event: FoldersLoaded) -> None:
        self._show_folders(event.folders, event.outbox)

    def _show_folders(self, folders: list[Folder], outbox: int | None = None) -> None:
        if not folders:
            self._shown()
        self.commands.folders = {f.id: f for f in folders}
        self.tree.show(folders, self.folder_id, outbox)
        if self._auto_opened or self.folder_id not in self.commands.folders:
            # Until the user picks a folder, follow the Inbox: during the first sync the
            # well-known names can arrive after the folders themselves.
            inbox = self.commands.well_known("inbox") or next(
                (f.id for f in folders if f.display_name.casefold() == "inbox"), None)
            target = inbox or (folders[0].id if folders and self.folder_id is None else None)
            if target is not None and target != self.folder_id:
                self.open_folder(target)
            self._auto_opened = inbox is None
        self._update_status()

    # ------------------------------------------------------------------ source
    def open_folder(self, folder_id: FolderId) -> None:
        """Show a folder (filters are cleared, the sort order is kept)."""
        self.folder_id = folder_id
        self.search_text = ""
        self.query_state = ListQuery(folder_id, newest_first=self.query_state.newest_first)
        self.tree.select_folder(folder_id)
        self._apply_query()
        # The cache is shown at once; ask for fresh rows (they arrive as MessagesChanged).
        self.run_worker(partial(self.account.mail.refresh, folder_id), group="refresh",
                        exclusive=True, exit_on_error=False, description="refresh folder")

    def _apply_query(self) -> None:
        folder = self.commands.folders.get(self.folder_id) if self.folder_id else None
        sent_side = folder is not None and folder.well_known_name in {"sentitems", "drafts"}
        source: QuerySource | ConversationSource = QuerySource(self.account.mail,
                                                               self.query_state)
        if self.threads and not self.query_state.text:
            source = ConversationSource(source)
        self.messages.set_source(source, show_recipients=sent_side and not self.query_state.text)
        self._update_status()

    def _update_status(self) -> None:
        folder = self.commands.folders.get(self.folder_id) if self.folder_id else None
        q = self.query_state
        words = [w for w, on_ in (("unread only", q.unread_only), ("flagged", q.flagged_only),
                                  ("with attachments", q.with_attachments),
                                  ("oldest first", not q.newest_first),
                                  ("conversations", self.threads)) if on_]
        if q.from_address:
            words.append("from " + inline(q.from_address, 40))
        if self.search_text:
            words.insert(0, "search: " + inline(self.search_text, 40))
        if self.messages.tagged:
            words.append(f"{len(self.messages.tagged)} tagged")
        name = folder.display_name if folder else ""
        if self.search_text and q.folder_id is None:
            name = "All folders"
        self.query_one(StatusLine).show_folder(
            name, self.messages.count, folder.unread_count if folder else 0, ", ".join(words))

    @on(MessageList.Loaded)
    def _list_loaded(self) -> None:
        self._update_status()
        if not self.messages.count:
            self._shown()  # an empty folder: no row will ever be painted

    @on(MessageList.RowsPainted)
    def _rows_painted(self) -> None:
        self._shown()

    def _shown(self) -> None:
        if not self._announced_shown:
            self._announced_shown = True
            self.post_message(MailShown())
            self.call_after_refresh(self._add_footer)

    async def _add_footer(self) -> None:
        if not self.query(Footer):
            await self.mount(KeyFooter())
            self.refresh_bindings()  # a Footer fills itself when the bindings are announced

    @on(FolderTree.FolderOpened)
    def _folder_opened(self, event: FolderTree.FolderOpened) -> None:
        self._auto_opened = False
        self.open_folder(event.folder_id)
        self.messages.focus()

    @on(FolderTree.OutboxOpened)
    async def _outbox_opened(self) -> None:
        await self.app.run_action("app.outbox")

    @on(MessageList.CursorRested)
    def _cursor_rested(self, event: MessageList.CursorRested) -> None:
        """Convert the message under the resting cursor into the reader's cache, if its body
        is stored locally, so opening it paints it in the frame after the key."""
        if self.reader_cache is None:
            return
        from olk_tui.ui.mail.reader_cache import warm

        self.run_worker(partial(warm, self.reader_cache(), self.account.name, self.account.mail,
                                event.row), group="warm-reader", exclusive=True,
                        exit_on_error=False, description="prepare the message for the reader")

    @on(MessageList.Opened)
    def _message_opened(self, event: MessageList.Opened) -> None:
        row = event.row
        if row.is_draft:  # a draft opens where it can be finished: the composer
            self.post_message(ComposeRequested("draft", row.id))
        elif self.reader_cache is None or self.reader_cache().get(self.account.name, row):
            self.open_reader(row)  # converted already: the reader paints it in this frame
        else:
            self.run_worker(partial(self._open_prepared, row), group="open-reader",
                            exclusive=True, exit_on_error=False, description="open the message")

    async def _open_prepared(self, row: MessageSummary) -> None:
        """Open ``row`` once its stored body is converted (``prepare_to_open``)."""
        from olk_tui.ui.mail.reader_cache import prepare_to_open

        assert self.reader_cache is not None
        await prepare_to_open(self.reader_cache(), self.account.name, self.account.mail, row)
        if self.app.screen is self:  # not if the user went elsewhere meanwhile
            self.open_reader(row)

    def step(self, delta: int) -> MessageSummary | None:
        """Move the list cursor by ``delta`` and return the row there (for the reader)."""
        before = self.messages.cursor
        self.messages.move_to(before + delta)
        return self.messages.current if self.messages.cursor != before else None

    # ------------------------------------------------------------------ operations
    @on(OperationSubmitted)
    def _submitted(self, event: OperationSubmitted) -> None:
        source = self.messages.source
        if isinstance(source, ResultsSource):
            source.apply(event.op)
            self.messages.reload()
        if self.messages.tagged and set(getattr(event.op, "message_ids", ())) & \
                self.messages.tagged:
            self.messages.action_untag_all()
        self._update_status()

    # ------------------------------------------------------------------ views
    def action_toggle_sort(self) -> None:
        """Newest first / oldest first."""
        q = self.query_state
        self.query_state = ListQuery(q.folder_id, not q.newest_first, q.unread_only,
                                     q.flagged_only, q.with_attachments, q.from_address, q.text)
        self._apply_query()

    def action_toggle_threads(self) -> None:
        """Conversation view on or off."""
        self.threads = not self.threads
        self._apply_query()

    def action_filter_menu(self) -> None:
        """Quick filters: unread, flagged, with attachments, from this sender."""
        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            row = self.messages.current
            sender = (row.from_ or row.sender) if row else None
            self.query_state = ListQuery(
                self.folder_id, self.query_state.newest_first, choice == "unread",
                choice == "flagged", choice == "attachments",
                sender.address if choice == "sender" and sender else None)
            self._apply_query()
        self.app.push_screen(ChoiceMenu("Show", FILTERS), chosen)

    def action_escape(self) -> None:
        """Step back: clear tags, else leave search results, else drop the quick filter."""
        q = self.query_state
        if self.messages.tagged:
            self.messages.action_untag_all()
            self._update_status()
        elif self.search_text or isinstance(self.messages.source, ResultsSource):
            self.query_one(SearchBar).close()
            self._search_closed()
        elif q.unread_only or q.flagged_only or q.with_attachments or q.from_address:
            self.query_state = ListQuery(self.folder_id, q.newest_first)
            self._apply_query()

    def action_folder_jump(self) -> None:
        """Fuzzy-find a folder by name and open it."""
        def chosen(fid: str | None) -> None:
            if fid:
                self._auto_opened = False
                self.open_folder(FolderId(fid))
                self.messages.focus()
        self.commands.pick_folder("Go to folder", chosen)

    # ------------------------------------------------------------------ search
    async def action_search(self) -> None:
        """Open the search bar."""
        await self.query_one(SearchBar).open()

    @on(SearchBar.Changed)
    def _search_changed(self, event: SearchBar.Changed) -> None:
        self.search_text = event.text.strip()
        scope = None if event.all_folders else self.folder_id
        self.query_state = ListQuery(scope if self.search_text else self.folder_id,
                                     text=self.search_text or None)
        self._apply_query()

    @on(SearchBar.Submitted)
    def _search_submitted(self, event: SearchBar.Submitted) -> None:
        text, scope = event.text.strip(), None if event.all_folders else self.folder_id
        mail = self.account.mail

        async def search() -> None:
            local = await mail.window(ListQuery(scope, text=text), 0, LOCAL_RESULTS)
            note = ""
            try:
                remote = await mail.search_server(text, scope)
            except Exception as exc:  # shown as a warning; the local results still count
                remote, note = [], friendly(exc, "search the server")
            self.post_message(self.SearchFinished(text, local + remote, note))
        self.run_worker(search, group="search", exclusive=True, exit_on_error=False,
                        description="search")

    @on(SearchFinished)
    def _search_finished(self, event: SearchFinished) -> None:
        self.messages.set_source(ResultsSource(event.rows, self.query_state.folder_id))
        self.messages.focus()
        if event.note:
            self.notify(event.note, severity="warning", markup=False)

    @on(SearchBar.Closed)
    def _search_closed(self) -> None:
        if self.folder_id is not None:
            self.open_folder(self.folder_id)
        self.messages.focus()
