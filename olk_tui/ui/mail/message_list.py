"""The virtual message list: a line-API ``ScrollView`` that reads only the pages it shows.

Rows come from a :class:`RowSource` in pages of :data:`PAGE` rows, fetched by async workers
and kept in a small cache, so 100,000 messages cost what 50 do. A new source (folder switch,
filter, search) bumps a generation number and cancels the stale loads; results of an older
generation are ignored. A reload (after ``MessagesChanged``) keeps showing the old pages until
the fresh ones arrive, so rows never flicker.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from functools import partial
from time import monotonic

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import MessageSummary
from olk_tui.ui.errors import ReportsWorkerErrors
from olk_tui.ui.keymap import bindings
from olk_tui.ui.mail.rows import RowStyles, row_text
from olk_tui.ui.mail.sources import RowSource

PAGE = 128
#: Seconds the cursor stays on a row before ``CursorRested`` (the screen then prepares that
#: message for the reader). Longer than the gap between held-down keys, shorter than a look.
REST = 0.3
#: Pages kept in memory (the ones nearest the cursor win).
MAX_PAGES = 12


class MessageList(ReportsWorkerErrors, ScrollView, can_focus=True):
    """Message rows of the current folder, filter or search (see module docstring)."""

    BINDINGS = bindings("mail")
    COMPONENT_CLASSES = {"message-list--cursor", "message-list--unread", "message-list--flag",
                         "message-list--overdue", "message-list--dim", "message-list--tagged"}

    class Loaded(Message):
        """A (re)load finished: ``count`` rows; bubbles so the screen can update the status."""

        def __init__(self, generation: int, count: int,
                     pages: dict[int, list[MessageSummary]]) -> None:
            super().__init__()
            self.generation, self.count, self.pages = generation, count, pages

    class PageLoaded(Message):
        """One page arrived (internal)."""

        def __init__(self, generation: int, page: int, rows: list[MessageSummary]) -> None:
            super().__init__()
            self.generation, self.page, self.rows = generation, page, rows

    class RowsPainted(Message):
        """The first real rows went into a frame (once per list); bubbles to the screen,
        which starts the app's background work only then (see ``MailShown``)."""

    class CursorRested(Message):
        """The cursor stayed on ``row`` for ``rest`` seconds; bubbles to the screen."""

        def __init__(self, row: MessageSummary) -> None:
            super().__init__()
            self.row = row

    class Opened(Message):
        """The user opened the message under the cursor."""

        def __init__(self, row: MessageSummary) -> None:
            super().__init__()
            self.row = row

    def __init__(self, now: Callable[[], datetime], tz: tzinfo, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.now, self.tz = now, tz
        self.source: RowSource | None = None
        self.show_recipients = False
        self.generation = 0
        self.count = 0
        self.cursor = 0
        self.pages: dict[int, list[MessageSummary]] = {}
        self._pending: set[int] = set()
        self._wanted: set[int] = set()
        self.tagged: set[MessageId] = set()
        self._last_tag: int | None = None
        self.loaded = False
        self._rows_painted = False
        #: Folder id -> sanitised name, for rows of searches across every folder.
        self.folder_name: Callable[[FolderId], str] | None = None
        self._style_cache: tuple[object, tuple[Style, Style, RowStyles]] | None = None
        self.rest = REST
        self._moved_at = 0.0
        self._rest_timer_set = False

    # ------------------------------------------------------------------ loading
    def set_source(self, source: RowSource, *, show_recipients: bool = False) -> None:
        """Show a new source from the top, cancelling loads of the old one."""
        self.source, self.show_recipients = source, show_recipients
        self.cursor, self.tagged, self._last_tag = 0, set(), None
        self.pages, self.loaded = {}, False
        self.scroll_to(y=0, animate=False)
        self.reload()

    def reload(self) -> None:
        """Fetch the count and the visible pages again (old pages stay shown meanwhile)."""
        if self.source is None:
            return
        self.generation += 1
        self._pending.clear()
        self.workers.cancel_group(self, "list-pages")
        first = max(0, int(self.scroll_offset.y)) // PAGE
        last = (max(0, int(self.scroll_offset.y)) + max(self.size.height, 1)) // PAGE
        wanted = sorted({first, last, self.cursor // PAGE})
        self.run_worker(partial(self._load, self.source, self.generation, wanted), group="list",
                        exclusive=True, exit_on_error=False, description="load message list")

    async def _load(self, source: RowSource, generation: int, pages: list[int]) -> None:
        count = await source.count()
        # The last page too, so ``G`` shows rows at once rather than placeholders first: a
        # keyset window costs about a millisecond at any depth.
        wanted = sorted({*pages, max(0, count - 1) // PAGE})
        loaded = {p: await source.window(p * PAGE, PAGE) for p in wanted if p * PAGE < count}
        self.post_message(self.Loaded(generation, count, loaded))

    async def _fetch(self, source: RowSource, generation: int, page: int) -> None:
        rows = await source.window(page * PAGE, PAGE)
        self.post_message(self.PageLoaded(generation, page, rows))

    def on_message_list_loaded(self, event: Loaded) -> None:
        """Apply a finished load (ignored when stale); let it bubble to the screen."""
        if event.generation != self.generation:
            event.stop()
            return
        # Keep the cursor on its message when rows shift (new mail above it, a sync...);
        # read it now, not when the load started, as the user may have moved meanwhile.
        current = self.current
        anchor = current.id if current is not None and self.loaded else None
        first = not self.loaded
        self.count, self.pages, self.loaded = event.count, dict(event.pages), True
        self.virtual_size = Size(self.scrollable_content_region.width, self.count)
        moved = self.index_of(anchor) if anchor is not None else None
        if moved is not None and moved != self.cursor:
            # Scroll with it, so the row stays where the eye is.
            self.scroll_to(y=self.scroll_offset.y + moved - self.cursor, animate=False,
                           immediate=True)
            self.cursor = moved
        self.cursor = min(self.cursor, max(0, self.count - 1))
        self._scroll_cursor_visible()
        self.refresh()
        if first:  # the cursor "arrived" on the first row
            self._moved()

    def on_message_list_page_loaded(self, event: PageLoaded) -> None:
        """Store a page and repaint."""
        event.stop()
        self._pending.discard(event.page)
        if event.generation != self.generation:
            return
        self.pages[event.page] = event.rows
        self._evict()
        self.refresh()

    def _evict(self) -> None:
        if len(self.pages) <= MAX_PAGES:
            return
        here = self.cursor // PAGE
        for page in sorted(self.pages, key=lambda p: abs(p - here))[MAX_PAGES:]:
            del self.pages[page]

    def _want(self, page: int) -> None:
        if page in self._pending or page in self._wanted:
            return
        if not self._wanted:
            self.call_later(self._start_fetches)
        self._wanted.add(page)

    def _start_fetches(self) -> None:
        for page in sorted(self._wanted - self._pending):
            if self.source is None or page in self.pages:
                continue
            self._pending.add(page)
            self.run_worker(partial(self._fetch, self.source, self.generation, page),
                            group="list-pages",
                            exit_on_error=False, description=f"load rows {page * PAGE}+")
        self._wanted.clear()

    # ------------------------------------------------------------------ rows
    def row_at(self, index: int) -> MessageSummary | None:
        """The row at ``index`` when its page is loaded."""
        rows = self.pages.get(index // PAGE)
        if rows is None or index % PAGE >= len(rows) or index >= self.count:
            return None
        return rows[index % PAGE]

    @property
    def current(self) -> MessageSummary | None:
        """The row under the cursor."""
        return self.row_at(self.cursor)

    def index_of(self, message_id: MessageId) -> int | None:
        """The index of a loaded row by id."""
        for page, rows in self.pages.items():
            for i, r in enumerate(rows):
                if r.id == message_id:
                    return page * PAGE + i
        return None

    def selection(self) -> list[MessageId]:
        """The tagged ids, or the row under the cursor."""
        if self.tagged:
            return sorted(self.tagged)
        row = self.current
        members = getattr(self.source, "members", None)
        if row is not None and members is not None:
            return members(row)
        return [row.id] if row else []

    def _styles(self) -> tuple[Style, Style, RowStyles]:
        """(base, cursor, row styles), looked up once per theme and focus state."""
        key = (self.app.theme, self.has_focus)
        if self._style_cache is None or self._style_cache[0] != key:
            def part(name: str) -> Style:
                return self.get_component_rich_style(f"message-list--{name}", partial=True)
            rows = RowStyles(unread=part("unread"), flag=part("flag"), overdue=part("overdue"),
                             dim=part("dim"), important=part("overdue"), tagged=part("tagged"))
            self._style_cache = (key, (self.rich_style, part("cursor"), rows))
        return self._style_cache[1]

    def on_focus(self) -> None:
        """The cursor colour depends on focus."""
        self.refresh()

    def on_blur(self) -> None:
        """The cursor colour depends on focus."""
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """One visible line: a row, a loading placeholder, or blank."""
        index = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        base, cursor, styles = self._styles()
        if index >= self.count:
            return Strip.blank(width, base)
        row = self.row_at(index)
        if row is None:
            self._want(index // PAGE)
            return Strip([Segment("      …".ljust(width), base + styles.dim)], width)
        if not self._rows_painted:
            # Posted, not handled now: it runs after this frame has gone to the terminal.
            self._rows_painted = True
            self.post_message(self.RowsPainted())
        prefix_of = getattr(self.source, "prefix", None)
        prefix = prefix_of(row) if prefix_of else ""
        if self.source is not None and self.source.folder_id is None and self.folder_name:
            prefix = f"{self.folder_name(row.folder_id)} · {prefix}"  # results of all folders
        text = row_text(row, width, now=self.now(), tz=self.tz, tagged=row.id in self.tagged,
                        show_recipients=self.show_recipients, styles=styles, prefix=prefix)
        if index == self.cursor:
            base = base + cursor
        segments = [Segment(s.text, base + s.style if s.style else base)
                    for s in text.render(self.app.console, end="")]
        return Strip(segments, width).crop(0, width)

    # ------------------------------------------------------------------ cursor
    def move_to(self, index: int) -> None:
        """Put the cursor on ``index`` (clamped) and scroll it into view."""
        old = self.cursor
        self.cursor = max(0, min(index, self.count - 1)) if self.count else 0
        # ``refresh_line`` takes a virtual line and subtracts the scroll offset itself.
        self.refresh_line(old)
        self.refresh_line(self.cursor)
        self._scroll_cursor_visible()
        self._moved()

    def _moved(self) -> None:
        """Note a cursor move; ``CursorRested`` follows once it stays put for ``rest`` s.
        One timer at a time, re-armed for the time left, so a burst of keys costs none."""
        self._moved_at = monotonic()
        if self.rest <= 0:  # no wait (tests)
            self._check_rest()
        elif not self._rest_timer_set:
            self._rest_timer_set = True
            self.set_timer(self.rest, self._check_rest, name="cursor rest")

    def _check_rest(self) -> None:
        left = self.rest - (monotonic() - self._moved_at)
        if left > 0.005:
            self.set_timer(left, self._check_rest, name="cursor rest")
            return
        self._rest_timer_set = False
        if (row := self.current) is not None:
            self.post_message(self.CursorRested(row))

    def _scroll_cursor_visible(self) -> None:
        top, height = int(self.scroll_offset.y), max(1, self.size.height)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def watch_scroll_y(self, old: float, new: float) -> None:
        """Repaint everything after a scroll."""
        super().watch_scroll_y(old, new)
        self.refresh()

    def action_cursor_down(self) -> None:
        """Next row."""
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        """Previous row."""
        self.move_to(self.cursor - 1)

    def action_page_down(self) -> None:
        """One screen down."""
        self.move_to(self.cursor + max(1, self.size.height - 1))

    def action_page_up(self) -> None:
        """One screen up."""
        self.move_to(self.cursor - max(1, self.size.height - 1))

    def action_top(self) -> None:
        """First row."""
        self.move_to(0)

    def action_bottom(self) -> None:
        """Last row."""
        self.move_to(self.count - 1)

    def action_open(self) -> None:
        """Open the message under the cursor."""
        if (row := self.current) is not None:
            self.post_message(self.Opened(row))

    def action_toggle_thread(self) -> None:
        """Open or close the conversation under the cursor (conversation view only)."""
        toggle = getattr(self.source, "toggle", None)
        if toggle is not None and (row := self.current) is not None:
            toggle(row)
            self.reload()

    def action_tag(self) -> None:
        """Tag or untag the row under the cursor, then move down."""
        if (row := self.current) is None:
            return
        self.tagged ^= {row.id}
        self._last_tag = self.cursor
        self.move_to(self.cursor + 1)
        self.refresh()

    def action_tag_range(self) -> None:
        """Tag every row from the last tagged one to the cursor."""
        start = self._last_tag if self._last_tag is not None else self.cursor
        lo, hi = sorted((start, self.cursor))
        for i in range(lo, hi + 1):
            if (row := self.row_at(i)) is not None:
                self.tagged.add(row.id)
        self.refresh()

    def action_untag_all(self) -> None:
        """Clear every tag."""
        self.tagged.clear()
        self._last_tag = None
        self.refresh()
