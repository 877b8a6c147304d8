"""The reader: headers, meeting panel, body (converted off the UI thread), attachments.

Opening shows the row's headers at once; the full message is loaded by an async worker and
its body converted by ``html_to_text``/``text_body`` in a thread worker, both exclusive so
``J``/``K`` through a folder never shows a stale body. Links are numbered and only opened or
copied when the user asks by number and confirms; nothing is fetched for images.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, tzinfo
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message as TMessage
from textual.screen import Screen
from textual.widgets import Button, Label, Static
from textual.worker import Worker, WorkerState

from olk_tui.domain.calendar import Event
from olk_tui.domain.errors import OlkError
from olk_tui.domain.ids import EventId
from olk_tui.domain.mail import Message, MessageSummary
from olk_tui.domain.operations import DeleteMessages, MarkRead, MoveMessages, Operation
from olk_tui.render.body import RenderedBody
from olk_tui.render.safe import safe_filename_display
from olk_tui.sync.api import Account
from olk_tui.ui.errors import ReportsWorkerErrors, friendly
from olk_tui.ui.footer import KeyFooter
from olk_tui.ui.keymap import bindings
from olk_tui.ui.mail.ops import MailCommands
from olk_tui.ui.mail.reader_cache import ReaderCache, convert, converted
from olk_tui.ui.mail.reader_tools import ReaderTools
from olk_tui.ui.mail.reader_view import body_text, header_text, is_invitation, meeting_text
from olk_tui.ui.mail.sources import patched
from olk_tui.ui.messages import ComposeRequested, RsvpRequested
from olk_tui.ui.screen_paint import KeepsStylesOnResume
from olk_tui.ui.text import block, human_size, inline


class ReaderScreen(ReaderTools, ReportsWorkerErrors, KeepsStylesOnResume, Screen[None]):
    """One message; ``J``/``K`` walk the list without going back to it.

    The app keeps one installed per account and shows it again with ``reopen`` (building a
    screen, its Footer and buttons costs a frame of its own). While it is not on screen it
    ignores operations, and leaving it (``dismiss``) cancels what the last message had
    pending.
    """

    BINDINGS = bindings("reader")

    class Loaded(TMessage):
        """The full message arrived, converted (``body``) unless the conversion failed."""

        def __init__(self, generation: int, message: Message,
                     body: RenderedBody | None = None) -> None:
            super().__init__()
            self.generation, self.message, self.body = generation, message, body

    class OperationSubmitted(TMessage):
        """An operation went to the repository (from here or elsewhere)."""

        def __init__(self, op: Operation) -> None:
            super().__init__()
            self.op = op

    class EventLoaded(TMessage):
        """The invitation's event (or why it could not be read) and its conflicts."""

        def __init__(self, generation: int, event: Event | None, conflicts: list[Event],
                     problem: str) -> None:
            super().__init__()
            self.generation, self.event = generation, event
            self.conflicts, self.problem = conflicts, problem

    class BodyRendered(TMessage):
        """The body was converted (in a thread)."""

        def __init__(self, generation: int, body: RenderedBody) -> None:
            super().__init__()
            self.generation, self.body = generation, body

    def __init__(self, account: Account, commands: MailCommands, row: MessageSummary, *,
                 step: Callable[[int], MessageSummary | None],
                 peek: Callable[[int], MessageSummary | None],
                 now: Callable[[], datetime], tz: tzinfo, mark_read: str,
                 download_dir: Path, ask_folder: bool = False,
                 cache: ReaderCache | None = None) -> None:
        super().__init__()
        self.cache = cache if cache is not None else ReaderCache()
        self.account, self.commands, self.row = account, commands, row
        self.step_list, self.peek, self.now, self.tz = step, peek, now, tz
        self.mark_read_setting, self.download_dir = mark_read, download_dir
        self.ask_folder = ask_folder
        self.message: Message | None = None
        self.body: RenderedBody | None = None
        self.generation = 0
        self.view = "body"
        self.fold_quotes = False
        self.load_error = ""
        self._following: MessageSummary | None = None
        self._open = True
        self._headers_shown: Text | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="headers")
        with Horizontal(id="meeting"):
            yield Label(Text("Meeting invitation:", style="bold"))
            yield Button("Accept", id="accept", compact=True)
            yield Button("Tentative", id="tentativelyAccept", compact=True)
            yield Button("Decline", id="decline", compact=True)
        yield Static(id="meeting-info")
        with VerticalScroll(id="body-scroll"):
            yield Static(id="body")
        yield Static(id="attachments")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Show the first message; follow operations on it."""
        self._unlisten = self.commands.listen(
            lambda op: self.post_message(self.OperationSubmitted(op)))
        self.show(self.row)
        self.query_one("#body-scroll").focus()

    def reopen(self, row: MessageSummary, *, step: Callable[[int], MessageSummary | None],
               peek: Callable[[int], MessageSummary | None]) -> None:
        """Show ``row`` again in this (installed, not shown) screen, as a new reader would."""
        self.step_list, self.peek = step, peek
        self.fold_quotes, self._following = False, None
        if self.is_mounted:
            self.show(row)
            body = self.query_one("#body-scroll")
            if self.focused is not body:  # focus() repaints the widget even when focused
                body.focus()
        else:
            self.row = row  # on_mount shows it

    def dismiss(self, result: None = None) -> AwaitComplete:
        """Leave the reader (back to the list). What the last message had pending no longer
        applies (a delayed mark-read, a load under way), and until ``reopen`` operations
        on it are not followed. A dialog over the reader is not leaving it."""
        self._open = False
        self.generation += 1
        return super().dismiss(result)

    # ------------------------------------------------------------------ loading
    def show(self, row: MessageSummary) -> None:
        """Show ``row``: headers now, the body when loaded and converted."""
        self.row, self.message, self.body, self.load_error = row, None, None, ""
        self._open = True
        self.generation += 1
        self.view = "body"
        invitation = is_invitation(row)
        self.query_one("#meeting").display = invitation
        info = self.query_one("#meeting-info", Static)
        info.display = invitation
        info.update(Text("Loading the event…", style="dim"))
        cached = self.cache.get(self.account.name, row)
        if cached is not None:  # shown or prefetched before: the whole message in this frame
            self.message, self.body = cached
            self._arrived(self.generation, self.message)
        else:
            self._paint()
            self.run_worker(partial(self._load, self.generation, row), group="reader",
                            exclusive=True, exit_on_error=False, description="open message")
        self.query_one("#body-scroll", VerticalScroll).scroll_home(animate=False)
        if not row.is_read:
            setting = self.mark_read_setting
            if setting == "immediately":
                self.commands.mark_read([row.id])
            elif setting.isdigit():
                generation = self.generation
                self.set_timer(float(setting), lambda: self._mark_after_delay(generation))

    def _mark_after_delay(self, generation: int) -> None:
        if generation == self.generation and not self.row.is_read:
            self.commands.mark_read([self.row.id])

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Besides the app's toast, say in the body why the message could not be shown."""
        super().on_worker_state_changed(event)
        if event.state is WorkerState.ERROR and event.worker.group in {"reader", "render"}:
            self.load_error = friendly(event.worker.error, "show this message")
            self._paint()

    async def _load(self, generation: int, row: MessageSummary) -> None:
        """Load and convert in one go, so the message is painted whole, a frame sooner than
        painting it between the two. A failed conversion is retried (and reported) by
        ``_convert``; the conversion runs in a thread."""
        message = await self.account.mail.message(row.id)
        self.post_message(self.Loaded(generation, message, await converted(message)))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        if event.generation != self.generation:
            return
        self.message, self.body = event.message, event.body
        if event.body is not None:
            self.cache.put(self.account.name, event.message, event.body)
        self._arrived(event.generation, event.message)

    def _arrived(self, generation: int, message: Message) -> None:
        """The message is here (``self.body`` too when it came converted): paint it, convert
        it if need be, prefetch the next one and read an invitation's event."""
        self._paint()
        if self.body is None:
            self._convert(generation, message)
        following = self.peek(1)
        if following is not None:
            self.run_worker(partial(self._prefetch, following), group="prefetch",
                            exclusive=True, exit_on_error=False, description="prefetch")
        if is_invitation(message.summary) and message.event_id:
            self.run_worker(partial(self._load_event, generation, message.event_id),
                            group="reader-event", exclusive=True, exit_on_error=False,
                            description="load the invitation's event")

    async def _prefetch(self, row: MessageSummary) -> None:
        """Fetch and convert the next message, so ``J`` paints it in the frame after the key.

        A failure here is only logged: the message is fetched or converted again (and the
        failure reported) when opened. The conversion runs in a thread; the result is kept
        in the reader cache.
        """
        if self.cache.get(self.account.name, row) is not None:
            return
        try:
            message = await self.account.mail.message(row.id)
        except OlkError as exc:
            self.log.warning("prefetch failed", str(exc))
            return
        if (body := await converted(message)) is not None:
            self.cache.put(self.account.name, message, body)

    async def _load_event(self, generation: int, event_id: str) -> None:
        """The invited event and what else is in the calendar then (conflicts)."""
        try:
            found = await self.account.calendar.event(EventId(event_id))
            around = await self.account.calendar.events(found.start, found.end)
        except OlkError as exc:
            self.post_message(self.EventLoaded(generation, None, [], friendly(exc)))
            return
        clashes = [e for e in around if e.id != found.id and not e.is_cancelled
                   and e.show_as != "free" and e.response != "declined"]
        self.post_message(self.EventLoaded(generation, found, clashes, ""))

    @on(EventLoaded)
    def _event_loaded(self, event: EventLoaded) -> None:
        if event.generation == self.generation:
            self.query_one("#meeting-info", Static).update(
                meeting_text(event.event, event.conflicts, event.problem, self.tz))

    @work(thread=True, group="render", exclusive=True, exit_on_error=False,
          description="convert body")
    def _convert(self, generation: int, message: Message) -> None:
        """Convert the body off the UI thread (html2text can take tens of milliseconds)."""
        self.post_message(self.BodyRendered(generation, convert(message)))

    @on(BodyRendered)
    def _rendered(self, event: BodyRendered) -> None:
        if event.generation == self.generation:
            self.body = event.body
            if self.message is not None:
                self.cache.put(self.account.name, self.message, event.body)
            self._paint()

    # ------------------------------------------------------------------ painting
    def _paint(self) -> None:
        self._paint_headers()
        self.query_one("#body", Static).update(self._body_view())
        attachments = self.message.attachments if self.message else ()
        files = Text()
        for i, att in enumerate(attachments, 1):
            files.append(f"[{i}] ", "bold")
            files.append(safe_filename_display(att.name, 50))
            files.append(f"  {inline(att.content_type, 40)}, {human_size(att.size)}\n", "dim")
        widget = self.query_one("#attachments", Static)
        widget.update(files)
        widget.display = bool(attachments)

    def _paint_headers(self) -> None:
        """Update the headers, unless they read the same (an update lays out and repaints
        the screen, and a mark-read, which opening an unread message submits, changes no
        header)."""
        row = self.message.summary if self.message else self.row
        text = header_text(row, self.message, self.tz)
        if text != self._headers_shown:
            self._headers_shown = text
            self.query_one("#headers", Static).update(text)

    def _body_view(self) -> Text:
        if self.load_error:
            return Text(self.load_error, style="bold")
        if self.message is None:
            return Text("Loading…", style="dim")
        if self.view == "headers":
            out = Text()
            for h in self.message.headers:
                out.append(inline(h.name, 60) + ": ", "bold")
                out.append(inline(h.value, 2000) + "\n")
            return out or Text("(no headers)", style="dim")
        if self.view == "source":
            return Text(block(self.message.body.content), no_wrap=False)
        if self.body is None:
            return Text("Formatting…", style="dim")
        return body_text(self.body, fold_quotes=self.fold_quotes)

    def action_toggle_headers(self) -> None:
        """All headers / body."""
        self.view = "body" if self.view == "headers" else "headers"
        self._paint()

    def action_toggle_source(self) -> None:
        """Raw HTML source (shown as plain text) / body."""
        self.view = "body" if self.view == "source" else "source"
        self._paint()

    def action_toggle_quotes(self) -> None:
        """Fold or unfold quoted history."""
        self.fold_quotes = not self.fold_quotes
        self._paint()

    def action_scroll_body(self, lines: int) -> None:
        """Scroll the body."""
        self.query_one("#body-scroll", VerticalScroll).scroll_relative(y=lines, animate=False)

    # ------------------------------------------------------------------ navigation
    def action_back(self) -> None:
        """Back to the list."""
        self.dismiss(None)

    def action_step(self, delta: int) -> None:
        """Next or previous message of the list."""
        row = self.step_list(delta)
        if row is None:
            self.notify("No more messages", timeout=2, markup=False)
        else:
            self.show(row)

    def on_unmount(self) -> None:
        """Stop following operations."""
        self._unlisten()

    def _remember_next(self) -> None:
        """Before the message may leave the folder, note which one to show after it."""
        self._following = self.peek(1) or self.peek(-1)

    @on(OperationSubmitted)
    def _operation(self, event: OperationSubmitted) -> None:
        if not self._open or self.row.id not in getattr(event.op, "message_ids", ()):
            return
        if isinstance(event.op, MoveMessages | DeleteMessages):
            following, self._following = self._following, None
            if following is None or following.id == self.row.id:
                self.dismiss(None)
            else:
                self.show(following)
        else:
            self.row = patched(self.row, event.op)
            if self.message is not None:
                self.message = dataclasses.replace(self.message, summary=self.row)
            self._paint_headers()  # a flag, category or read state: the body is the same

    # ------------------------------------------------------------------ actions
    def action_compose(self, kind: str) -> None:
        """Reply, reply all or forward (handled by the composer)."""
        self.post_message(ComposeRequested(kind, self.row.id))

    def action_mark_unread(self) -> None:
        """Mark unread and go back to the list."""
        self.commands.submit(MarkRead((self.row.id,), is_read=False))
        self.dismiss(None)

    def action_flag_menu(self) -> None:
        """Flag menu."""
        self.commands.flag_menu([self.row.id])

    def action_move(self) -> None:
        """Move to a folder, then show the next message."""
        self._remember_next()
        self.commands.move([self.row.id], self.row.folder_id)

    def action_delete(self) -> None:
        """Delete, then show the next message."""
        self._remember_next()
        self.commands.delete([self.row.id], self.row.folder_id)

    def action_archive(self) -> None:
        """Archive, then show the next message."""
        self._remember_next()
        self.commands.archive([self.row.id], self.row.folder_id)

    @on(Button.Pressed, "#meeting Button")
    def _rsvp(self, event: Button.Pressed) -> None:
        message = self.message
        self.post_message(RsvpRequested(self.row.id, message.event_id if message else "",
                                        event.button.id or "accept"))
        self.notify(f"Response: {event.button.label}", markup=False)
