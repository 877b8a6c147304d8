"""A bounded, fetch-free parse of untrusted mail HTML into a small tree.

This pass runs before html2text and is where the dangerous and the invisible are removed:
``<script>``, ``<style>``, ``<head>`` and friends are dropped, CSS-hidden elements (preheaders)
are dropped and counted, images become ``[image: alt]`` text (nothing is ever fetched),
nesting deeper than :data:`MAX_DEPTH` is flattened (its text kept), and parsing stops at a time
budget. The tree is then turned back into a small, attribute-free HTML for html2text by
:mod:`olk_tui.render.html`.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from olk_tui.render.htmltokens import scan

#: Elements nested deeper than this are flattened into their ancestor (their text is kept).
MAX_DEPTH = 48
#: Lists nested deeper than this are flattened.
MAX_LIST_DEPTH = 8
#: How far up the open-element stack an end tag may look for its start tag.
_END_TAG_SEARCH = 64
#: Check the time budget after this many tokens.
_CHECK_EVERY = 512
#: Private-use character that marks where quoted history starts; removed from all data.
SENTINEL = "\ue000"

_DROPPED = frozenset({"script", "style", "head", "title", "template", "svg", "math", "select",
                      "textarea", "object", "iframe", "frame", "frameset", "applet", "audio",
                      "video", "canvas", "noembed", "xml"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr", "image", "basefont", "bgsound", "keygen"})
_LISTS = frozenset({"ul", "ol", "dl"})
_BLOCKS = frozenset({"p", "div", "ul", "ol", "dl", "table", "blockquote", "pre", "h1", "h2", "h3",
                     "h4", "h5", "h6", "hr", "section", "article", "header", "footer", "form"})
_ZERO = r"0*(?:\.0*)?(?:px|pt|em|rem|%|ex|ch|vh|vw)?(?![\d.])"
_HIDDEN_STYLE = re.compile(
    r"display:none|visibility:hidden|mso-hide:all|"
    rf"(?<![-\w])(?:font-size|max-height|max-width|opacity):{_ZERO}", re.IGNORECASE)
_CSS_SPACE = re.compile(r"\s+")
_ZERO_BOX = re.compile(rf"(?<![-\w])(?:height|width):{_ZERO}", re.IGNORECASE)
_QUOTE_CLASSES = ("gmail_quote", "moz-cite-prefix", "yahoo_quoted", "protonmail_quote",
                  "zmail_extra")
_QUOTE_IDS = ("divrplyfwdmsg", "appendonsend", "mail-editor-reference-message-container",
              "divtagdefaultwrapper_quoted")


@dataclass(slots=True)
class Node:
    """An element: lower-case tag, the few attributes we use, and children (nodes or text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)


@dataclass(slots=True)
class ParseStats:
    """What the parse removed or blocked, for the notices shown above a body."""

    hidden: int = 0
    images: int = 0
    remote_images: int = 0
    tracking_pixels: int = 0
    embedded: int = 0
    flattened: bool = False
    timed_out: bool = False


def is_hidden(attrs: dict[str, str]) -> bool:
    """True when inline CSS or attributes make an element invisible (a preheader trick)."""
    if not attrs:
        return False
    if "hidden" in attrs:
        return True
    style = attrs.get("style")
    if style:
        style = _CSS_SPACE.sub("", style)
        if _HIDDEN_STYLE.search(style) or (
                _ZERO_BOX.search(style) and "overflow:hidden" in style.lower()):
            return True
    classes = attrs.get("class")
    return bool(classes) and "preheader" in classes.lower()


def is_quote_start(tag: str, attrs: dict[str, str]) -> bool:
    """True for the containers mail clients put around (or before) quoted history."""
    element_id = attrs.get("id", "").lower()
    if element_id.startswith(_QUOTE_IDS):
        return True
    classes = attrs.get("class", "").lower()
    return tag in ("div", "blockquote") and any(c in classes for c in _QUOTE_CLASSES)


def _is_pixel(attrs: dict[str, str]) -> bool:
    def small(value: str) -> bool:
        digits = re.match(r"\s*(\d+)", value)
        return bool(digits) and int(digits.group(1)) <= 2
    return small(attrs.get("width", "")) or small(attrs.get("height", "")) or is_hidden(attrs)


class _OutOfTimeError(Exception):
    """Raised from the builder to stop the scan at the time budget."""


class _TreeBuilder:
    """Builds the tree from tokens (a :class:`~olk_tui.render.htmltokens.TokenSink`), with a
    depth cap, tolerant end-tag matching and a time budget checked every few hundred tokens.
    """

    def __init__(self, stats: ParseStats, time_budget: float = math.inf,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.stats = stats
        self.clock = clock
        self.time_budget = time_budget
        self.started = clock()
        self.until_check = _CHECK_EVERY
        self.root = Node("root")
        # (tag, node or None when flattened, hidden flag, the node current before it)
        self.stack: list[tuple[str, Node | None, bool, Node]] = []
        # Newsletters repeat the same style/class on hundreds of elements: decide once.
        self._hidden_by_attrs: dict[tuple[str | None, str | None, bool], bool] = {}
        self.current = self.root
        self.node_depth = 0
        self.list_depth = 0
        self.skipping = 0

    def _text(self, text: str) -> None:
        # Appended, never concatenated: "a<!---->b<!---->..." must stay linear.
        self.current.children.append(text)

    def _tick(self) -> None:
        """Count a token; every :data:`_CHECK_EVERY` tokens, stop when over the budget."""
        self.until_check = _CHECK_EVERY
        if self.clock() - self.started > self.time_budget:
            self.stats.timed_out = True
            raise _OutOfTimeError

    def text(self, data: str) -> None:
        if not self.skipping and data:
            self.current.children.append(data.replace(SENTINEL, "\ufffd"))
        self.until_check -= 1
        if not self.until_check:
            self._tick()

    def end(self, tag: str) -> None:
        self.handle_endtag(tag)
        self.until_check -= 1
        if not self.until_check:
            self._tick()

    def start(self, tag: str, attributes: dict[str, str], self_closing: bool) -> None:
        if tag in _VOID:
            if not self.skipping:
                self._void(tag, attributes)
        else:
            self._open(tag, attributes)
            if self_closing:
                self.handle_endtag(tag)
        self.until_check -= 1
        if not self.until_check:
            self._tick()

    def _open(self, tag: str, attributes: dict[str, str]) -> None:
        stack = self.stack
        if stack:
            top = stack[-1][0]
            if top == "p" or top == tag or tag in ("td", "th", "tr"):  # else nothing to close
                self._close_implied(tag)
        hidden = False
        if not self.skipping and (tag in _DROPPED or (attributes and self._is_hidden(attributes))):
            hidden = True
            if tag in ("object", "iframe", "frame", "applet", "audio", "video", "svg"):
                self.stats.embedded += 1
                self._text(f" [{'image' if tag == 'svg' else 'embedded content'}: blocked] ")
            elif tag not in _DROPPED:
                self.stats.hidden += 1
        node: Node | None = None
        parent = self.current
        is_list = tag in _LISTS
        if (not self.skipping and not hidden and self.node_depth < MAX_DEPTH
                and not (is_list and self.list_depth >= MAX_LIST_DEPTH)):
            kept: dict[str, str] = {}
            if attributes:  # only these are used after the parse
                if "id" in attributes:
                    kept["id"] = attributes["id"]
                if "class" in attributes:
                    kept["class"] = attributes["class"]
                if "href" in attributes:
                    kept["href"] = attributes["href"]
            node = Node(tag, kept)
            self.current.children.append(node)
            self.current = node
            self.node_depth += 1
            self.list_depth += is_list
        elif not self.skipping and not hidden:
            self.stats.flattened = True
            children = self.current.children
            if (tag in _BLOCKS or tag in ("li", "tr", "td", "th")) and not (
                    children and isinstance(children[-1], Node) and children[-1].tag == "br"):
                children.append(Node("br"))  # one line break per run of flattened blocks
        self.stack.append((tag, node, hidden, parent))
        self.skipping += hidden

    def _is_hidden(self, attrs: dict[str, str]) -> bool:
        """:func:`is_hidden`, cached on the attributes it reads."""
        if not attrs:
            return False
        key = (attrs.get("style"), attrs.get("class"), "hidden" in attrs)
        hidden = self._hidden_by_attrs.get(key)
        if hidden is None:
            hidden = self._hidden_by_attrs[key] = is_hidden(attrs)
        return hidden

    def _void(self, tag: str, attrs: dict[str, str]) -> None:
        if tag in ("img", "image"):
            self.stats.images += 1
            src = attrs.get("src", "").strip().lower()
            remote = src.startswith(("http:", "https:", "//"))
            self.stats.remote_images += remote
            if _is_pixel(attrs):
                self.stats.tracking_pixels += remote
                return
            alt = " ".join(attrs.get("alt", "").split())[:200]
            self._text(f"[image: {alt}]" if alt else "[image]")
        elif tag in ("br", "hr"):
            self.current.children.append(Node(tag))
        elif tag == "embed":
            self.stats.embedded += 1
            self._text(" [embedded content: blocked] ")

    def _close_implied(self, tag: str) -> None:
        """HTML's implied end tags for the cases that change layout (p, li, td, tr, option)."""
        if not self.stack:
            return
        top = self.stack[-1][0]
        if (tag in _BLOCKS and top == "p") or (tag == top and tag in ("li", "p", "dt", "dd")):
            self.handle_endtag(top)
        elif tag in ("td", "th") and top in ("td", "th"):
            self.handle_endtag(top)
        elif tag == "tr":
            for name in ("td", "th", "tr"):
                if self.stack and self.stack[-1][0] == name:
                    self.handle_endtag(name)

    def handle_endtag(self, tag: str) -> None:
        stack = self.stack
        if stack and stack[-1][0] == tag:  # the common case: it closes the current element
            self._pop()
            return
        for index in range(len(stack) - 2, max(-1, len(stack) - 1 - _END_TAG_SEARCH), -1):
            if stack[index][0] == tag:
                while len(self.stack) > index:
                    self._pop()
                return

    def _pop(self) -> None:
        tag, node, hidden, parent = self.stack.pop()
        self.skipping -= hidden
        if node is not None:
            self.node_depth -= 1
            self.list_depth -= tag in _LISTS
            self.current = parent


def parse_html(html: str, *, time_budget: float,
               clock: Callable[[], float] = time.perf_counter) -> tuple[Node, ParseStats]:
    """Parse ``html`` into a bounded tree.

    Args:
        html: Untrusted HTML, already cut to the input size cap (tokenized in linear time).
        time_budget: Seconds after which parsing stops (the rest is not shown).
        clock: A ``() -> float`` clock, injectable for tests.

    Returns:
        The root node and the statistics of what was removed.
    """
    stats = ParseStats()
    builder = _TreeBuilder(stats, time_budget, clock)
    try:
        scan(html, builder)
    except _OutOfTimeError:
        pass  # the rest is not shown (stats.timed_out says so)
    return builder.root, stats
