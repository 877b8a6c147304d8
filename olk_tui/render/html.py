"""HTML mail to safe, readable plain text with numbered links; pure and thread-safe.

The untrusted HTML is first parsed into a bounded tree by :mod:`olk_tui.render.htmltree`
(scripts, styles, hidden preheaders and images removed, nesting flattened, time-boxed), then
fed to html2text as parser events (so html2text lays out lines but never parses the raw HTML):
every link is followed by ``[n]``, quoted history is marked and layout tables are unwrapped.
The result passes through :func:`~olk_tui.render.safe.safe_block` (html2text turns ``&#27;``
into a raw ESC). Nothing is ever fetched: the code has no network access at all.

Each call builds its own parser and converter objects, so calls may run concurrently in
worker threads.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import html2text
from html2text.utils import pad_tables_in_text

from olk_tui.render.body import (
    MAX_INPUT_CHARS,
    QUOTE_SENTINEL,
    RenderedBody,
    cap_input,
    finish,
    text_body,
)
from olk_tui.render.htmltree import MAX_DEPTH, Node, ParseStats, is_quote_start, parse_html
from olk_tui.render.links import Link, LinkTable
from olk_tui.render.wrap import wrap_paragraphs

__all__ = ["Link", "RenderedBody", "html_to_text", "text_body", "wrap_paragraphs"]

#: Seconds the HTML parse may take before the rest of the body is cut (with a notice).
DEFAULT_TIME_BUDGET = 2.0
#: A table whose cells hold more text than this is layout, not data.
_DATA_CELL_CHARS = 80

_BLOCK_TAGS = {
    "p": "p", "div": "div", "ul": "ul", "ol": "ol", "li": "li", "dl": "dl", "dt": "dt",
    "dd": "dd", "blockquote": "blockquote", "pre": "pre", "br": "br", "hr": "hr",
    "h1": "p", "h2": "p", "h3": "p", "h4": "p", "h5": "p", "h6": "p",
    "center": "div", "section": "div", "article": "div", "header": "div", "footer": "div",
    "main": "div", "nav": "div", "aside": "div", "address": "div", "figure": "div",
    "figcaption": "div", "form": "div", "fieldset": "div", "legend": "div", "caption": "div",
    "details": "div", "summary": "div", "body": "div", "html": "div",
}
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"})
_NOT_IN_DATA_TABLES = frozenset({"table", "ul", "ol", "blockquote", "pre"})


class _Converter(html2text.HTML2Text):
    """html2text configured for a terminal reader rather than Markdown.

    It lays out blocks but does not wrap (``body_width = 0``): :func:`wrap_paragraphs` does
    that once in :meth:`result`, faster than html2text's own pass.
    """

    def __init__(self, width: int) -> None:
        super().__init__(bodywidth=0)
        self.wrap_width = max(20, width)
        self.unicode_snob = True
        self.ignore_emphasis = True
        self.ignore_images = True
        self.ignore_links = True
        self.pad_tables = True
        self.wrap_list_items = True

    def handle_data(self, data: str, entity_char: bool = False) -> None:
        # The output is shown, not parsed as Markdown: skip html2text's Markdown escaping
        # ("1\\." at a line start, "\\-", ...), which would only corrupt the text.
        super().handle_data(data, entity_char=True)

    def result(self) -> str:
        """The text laid out from the events fed so far (what ``handle()`` returns)."""
        return pad_tables_in_text(wrap_paragraphs(self.finish(), self.wrap_width))


def _text_of(node: Node, limit: int = 400) -> str:
    """The text inside ``node`` (iterative, bounded), for link texts and table heuristics."""
    parts: list[str] = []
    size = 0
    pending: list[Node | str] = [node]
    while pending and size < limit:
        item = pending.pop()
        if isinstance(item, str):
            parts.append(item)
            size += len(item)
        else:
            pending.extend(reversed(item.children))
    return " ".join("".join(parts).split())[:limit]


def _is_data_table(table: Node) -> bool:
    """A real data table (kept as a grid) rather than a layout table (unwrapped).

    Data tables have at least two rows and two columns of short cells and no nested tables or
    lists; newsletters' layout tables fail one of these. The shape is checked first, in one
    walk of the subtree, so the cells' text is read only for tables that could be data.
    """
    widest = rows = 0
    cells: list[Node] = []
    pending: list[Node | str] = list(table.children)
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            continue
        tag = item.tag
        if tag in _NOT_IN_DATA_TABLES:
            return False
        if tag == "tr":
            row = [c for c in item.children if isinstance(c, Node) and c.tag in ("td", "th")]
            widest = max(widest, len(row))
            rows += bool(row)
        elif tag in ("td", "th"):
            cells.append(item)
        pending.extend(item.children)
    if widest < 2 or rows < 2:  # one row is a layout strip (buttons, a menu)
        return False
    return all(len(_text_of(cell, _DATA_CELL_CHARS + 1)) <= _DATA_CELL_CHARS for cell in cells)


def _holds_only_blocks(node: Node) -> bool:
    """True when ``node``'s children are block elements and whitespace only."""
    for child in node.children:
        if isinstance(child, str):
            if child and not child.isspace():
                return False
        elif child.tag not in _BLOCK_TAGS and child.tag not in _TABLE_PARTS:
            return False
    return True


class _OutOfTimeError(Exception):
    """Raised inside the emitter to stop laying out a body that has used its time."""


class _Events:
    """The emitter's events on their way to html2text, with the no-op ones left out.

    A newsletter's tree gives html2text runs of ``<div>``/``<p>`` starts and ends (layout
    tables become divs) and text in many small pieces; about two thirds of those calls change
    nothing html2text writes. With html2text's state as :class:`_Converter` sets it (links,
    images and emphasis ignored, so no ``astack`` and no ``stressed`` text) this holds:

    - a run of ``p``/``div`` events is one event: each one only sets the paragraph break
      (``p()``), or, in a table cell after ``<td>`` (``split_next_td``), nothing;
    - whitespace-only text next to an effective ``p``/``div`` event (outside ``<pre>``) only
      sets ``space``, which the paragraph break then clears before it is ever written;
    - ``handle_data(a); handle_data(b)`` writes what ``handle_data(a + b)`` writes, except
      inside ``<pre>`` and when ``a`` has visible text and ``b`` starts with whitespace while
      ``a`` ends with whitespace (two spaces, not one) or ``b`` is whitespace only (its space
      is written later, or not at all): those are passed on separately.
    """

    def __init__(self, converter: _Converter) -> None:
        self.converter = converter
        self.texts: list[str] = []
        self.visible = False  # self.texts holds a non-whitespace character
        self.block: tuple[str, bool] | None = None  # a pending p/div start or end

    def tag(self, tag: str, start: bool) -> None:
        if tag in ("p", "div"):
            if self.texts:
                if self.visible or self.converter.split_next_td:
                    self._flush_texts()
                else:
                    self.texts.clear()  # its space would be cleared by the break
            self.block = (tag, start)  # replaces a pending one: same effect
            return
        self.flush()
        self.converter.handle_tag(tag, {}, start)

    def data(self, text: str) -> None:
        if not text:
            return
        converter = self.converter
        if self.block is not None:
            if text.isspace() and not converter.split_next_td and not converter.pre:
                return  # the pending paragraph break clears the space it would set
            self._flush_block()
        if converter.pre:  # text is written as it is: no merging
            converter.handle_data(text)
            return
        texts = self.texts
        if texts and self.visible and text[0].isspace() and (
                texts[-1][-1].isspace() or text.isspace()):
            self._flush_texts()
        texts.append(text)
        if not self.visible and not text.isspace():
            self.visible = True

    def flush(self) -> None:
        """Pass on what is pending."""
        if self.block is not None:
            self._flush_block()
        elif self.texts:
            self._flush_texts()

    def _flush_block(self) -> None:
        tag, start = self.block  # type: ignore[misc]
        self.block = None
        self.converter.handle_tag(tag, {}, start)

    def _flush_texts(self) -> None:
        texts = self.texts
        self.converter.handle_data(texts[0] if len(texts) == 1 else "".join(texts))
        texts.clear()
        self.visible = False


class _Emitter:
    """Feeds the tree to html2text as parser events, numbering links on the way.

    Driving html2text's ``handle_starttag``/``handle_endtag``/``handle_data`` callbacks from
    the already-parsed tree avoids serialising and parsing the HTML a second time, and means
    html2text only ever sees the few attribute-free tags chosen here.
    """

    def __init__(self, links: LinkTable, converter: _Converter, deadline: float = math.inf,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.links = links
        self.events = _Events(converter)
        self.quote_marked = False
        self.deadline = deadline
        self.clock = clock

    def _start(self, tag: str) -> None:
        self.events.tag(tag, True)

    def _end(self, tag: str) -> None:
        self.events.tag(tag, False)

    def _data(self, text: str) -> None:
        self.events.data(text)

    def run(self, root: Node) -> None:
        """Emit the whole tree (what was emitted is passed on even when time runs out)."""
        try:
            self.emit(root)
        finally:
            self.events.flush()

    def emit(self, node: Node, *, data_table: bool = False, in_cell: bool = False,
             blocks_only: bool | None = None) -> None:
        if blocks_only is None:
            blocks_only = not in_cell and _holds_only_blocks(node)
        for child in node.children:
            if isinstance(child, str):
                if not (blocks_only and child.isspace()):  # whitespace between blocks
                    self._data(child)
            else:
                self._element(child, data_table=data_table, in_cell=in_cell)

    def _element(self, node: Node, *, data_table: bool, in_cell: bool) -> None:
        if self.clock() > self.deadline:
            raise _OutOfTimeError
        tag = node.tag
        if not self.quote_marked and node.attrs and is_quote_start(tag, node.attrs):
            self.quote_marked = True
            self._start("p")
            self._data(QUOTE_SENTINEL)
            self._end("p")
        if tag == "a":
            self._link(node, data_table=data_table, in_cell=in_cell)
        elif tag in _TABLE_PARTS:
            self._table_part(node, data_table=data_table, in_cell=in_cell)
        elif tag in _BLOCK_TAGS and not in_cell:
            name = _BLOCK_TAGS[tag]
            if name in ("br", "hr"):
                self._start(name)
                return
            if name == "div" and _holds_only_blocks(node):
                # A wrapper adds no line breaks.
                self.emit(node, data_table=data_table, blocks_only=True)
                return
            self._start(name)
            self.emit(node, data_table=data_table)
            self._end(name)
        elif in_cell and tag in _BLOCK_TAGS:
            self._data(" ")
            self.emit(node, data_table=data_table, in_cell=True)
            self._data(" ")
        else:
            self.emit(node, data_table=data_table, in_cell=in_cell)

    def _link(self, node: Node, *, data_table: bool, in_cell: bool) -> None:
        self.emit(node, data_table=data_table, in_cell=in_cell)
        href = node.attrs.get("href", "")
        if not href.strip() or href.strip().startswith("#"):
            return
        number = self.links.add(_text_of(node), href)
        if number is not None:
            self._data(f" [{number}]")

    def _table_part(self, node: Node, *, data_table: bool, in_cell: bool) -> None:
        tag = node.tag
        if tag == "table":
            data_table = not in_cell and _is_data_table(node)
        if in_cell:
            self._data(" ")
            self.emit(node, data_table=data_table, in_cell=True)
            self._data(" ")
        elif not data_table:  # layout table: every row and cell becomes a block
            self._start("div")
            self.emit(node, data_table=False)
            self._end("div")
        elif tag in ("td", "th"):
            self._start(tag)
            self.emit(node, data_table=True, in_cell=True)
            self._end(tag)
        elif tag in ("table", "tr"):
            self._start(tag)
            self.emit(node, data_table=True)
            self._end(tag)
        else:  # thead, tbody, tfoot, caption
            self.emit(node, data_table=True)


def _notices(stats: ParseStats) -> list[str]:
    notices: list[str] = []
    if stats.remote_images:
        pixels = (f", {stats.tracking_pixels} of them tracking pixels"
                  if stats.tracking_pixels else "")
        notices.append(f"{stats.remote_images} remote image(s) blocked{pixels}.")
    if stats.hidden:
        notices.append(f"{stats.hidden} hidden text fragment(s) removed.")
    if stats.embedded:
        notices.append(f"{stats.embedded} embedded object(s) blocked.")
    if stats.flattened:
        notices.append(f"Nesting deeper than {MAX_DEPTH} levels was flattened.")
    if stats.timed_out:
        notices.append("This message took too long to convert: the rest is not shown. "
                       "View raw or save it to see all.")
    return notices


def html_to_text(html: str | None, *, width: int = 78, max_input_chars: int = MAX_INPUT_CHARS,
                 time_budget: float = DEFAULT_TIME_BUDGET) -> RenderedBody:
    """Convert an untrusted HTML body to safe plain text.

    Args:
        html: The HTML body as Graph returned it.
        width: Wrap width in columns.
        max_input_chars: Larger bodies are cut to this and get a notice.
        time_budget: Seconds parsing and layout may take before the rest is cut (with a
            notice); the final wrap and clean-up come on top and are linear in the output.

    Returns:
        The text (links as ``[n]`` plus a list at the end), links, notices and quote marks.
    """
    notices: list[str] = []
    raw = cap_input(html, notices, max_input_chars)
    truncated = bool(notices)
    start = time.perf_counter()
    # The parse gets the first part of the budget, layout the rest: stopping the parse alone
    # would leave html2text a tree as large as the parse could build in the whole budget.
    root, stats = parse_html(raw, time_budget=time_budget * 0.6)
    links = LinkTable()
    converter = _Converter(width)
    try:
        _Emitter(links, converter, deadline=start + time_budget).run(root)
    except _OutOfTimeError:
        stats.timed_out = True
    text = converter.result()
    notices.extend(_notices(stats))
    return finish(text, links, notices, truncated=truncated or stats.timed_out)
