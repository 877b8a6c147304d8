"""A linear-time HTML tokenizer for untrusted mail.

Why not :class:`html.parser.HTMLParser`: it re-scans its buffer while a construct is
unterminated, so hostile input is quadratic. Measured on CPython 3.11: ``'<a b="' * 50000``
(300 KB) takes about 400 s, ``'<!--' * 50000`` about 30 s, ``'<a' * 100000`` about 35 s. This
tokenizer consumes every character once: an unterminated tag, comment or quoted value runs to
the end of the input (as the HTML standard's end-of-file rules say) instead of being retried.

It yields only what rendering needs: start tags (lower-case name, attributes with entities
decoded, self-closing flag), end tags and text (entities decoded). Comments, doctypes,
processing instructions and CDATA sections are skipped. The content of raw-text elements
(``script``, ``style``, ...) is skipped up to their end tag without being parsed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

#: Elements whose content is not markup; it is skipped up to the matching end tag.
RAW_TEXT = frozenset({"script", "style", "textarea", "title", "iframe", "noembed", "noframes",
                      "xmp", "plaintext"})

_WS = "\\t\\n\\f\\r "
# A well-formed start tag in one match (the common case); anything else takes the careful
# path below. It cannot backtrack badly: names, separators and values are disjoint classes.
_FAST_TAG = re.compile(
    rf"""([a-zA-Z][^{_WS}/>]*)((?:[{_WS}]+[^{_WS}/>"'=][^{_WS}/>"'=]*"""
    rf"""(?:[{_WS}]*=[{_WS}]*(?:"[^"]*"|'[^']*'|[^{_WS}>"'=<`]+))?)*)[{_WS}]*(/?)>""")
_FAST_ATTR = re.compile(
    rf"""([^{_WS}/>"'=][^{_WS}/>"'=]*)(?:[{_WS}]*=[{_WS}]*(?:"([^"]*)"|'([^']*)'|"""
    rf"""([^{_WS}>"'=<`]+)))?""")
_TAG_NAME = re.compile(r"[a-zA-Z][^\t\n\f\r />]*")
_ATTR_NAME = re.compile(r"[^\t\n\f\r />][^\t\n\f\r /=>]*")
_UNQUOTED = re.compile(r"[^\t\n\f\r >]*")
_SPACE = re.compile(r"[\t\n\f\r /]*")
_SPACE_ONLY = re.compile(r"[\t\n\f\r ]*")
#: Distinct attribute strings whose parse is remembered, per call.
_PARSED_ATTRS = 1024
#: The next "<" that starts markup, and the character after it.
_MARKUP = re.compile(r"<([a-zA-Z!?/])")


@dataclass(slots=True)
class StartTag:
    """``<name attr=value ...>``; ``attrs`` keeps the first of repeated attributes."""

    name: str
    attrs: dict[str, str]
    self_closing: bool = False


@dataclass(slots=True)
class EndTag:
    """``</name>``."""

    name: str


Token = StartTag | EndTag | str


def _attributes(raw: str, max_attrs: int) -> dict[str, str]:
    """The attributes of a well-formed start tag's attribute part (see :data:`_FAST_TAG`)."""
    attrs: dict[str, str] = {}
    for attr in _FAST_ATTR.finditer(raw):
        key = attr.group(1).lower()
        if key not in attrs and len(attrs) < max_attrs:
            value = attr.group(2) or attr.group(3) or attr.group(4) or ""
            attrs[key] = html.unescape(value) if "&" in value else value
    return attrs


def _careful_start_tag(source: str, start: int, end_of_input: int,
                       max_attrs: int) -> tuple[StartTag | None, int]:
    """The general start-tag parser, one step at a time, for what :data:`_FAST_TAG` rejects."""
    match = _TAG_NAME.match(source, start)
    assert match is not None  # the caller checked for a letter
    name = match.group().lower()
    attrs: dict[str, str] = {}
    pos = match.end()
    self_closing = False
    while True:
        space = _SPACE.match(source, pos)
        self_closing = space is not None and space.group().endswith("/")
        pos = space.end() if space else pos
        if pos >= end_of_input:
            return None, end_of_input
        if source[pos] == ">":
            return StartTag(name, attrs, self_closing), pos + 1
        attr = _ATTR_NAME.match(source, pos)
        if attr is None:  # cannot happen: the class excludes only what _SPACE consumed and ">"
            pos += 1
            continue
        key = attr.group().lower()
        pos = attr.end()
        value = ""
        after = _SPACE_ONLY.match(source, pos)
        look = after.end() if after else pos
        if look < end_of_input and source[look] == "=":
            pos = _SPACE_ONLY.match(source, look + 1).end()  # type: ignore[union-attr]
            if pos >= end_of_input:
                return None, end_of_input
            quote = source[pos]
            if quote in "\"'":
                close = source.find(quote, pos + 1)
                if close == -1:
                    return None, end_of_input
                value = source[pos + 1:close]
                pos = close + 1
            else:
                unquoted = _UNQUOTED.match(source, pos)
                value = unquoted.group() if unquoted else ""
                pos = unquoted.end() if unquoted else pos
        if key not in attrs and len(attrs) < max_attrs:
            attrs[key] = html.unescape(value) if "&" in value else value


class TokenSink(Protocol):
    """What :func:`scan` feeds, one call per token in document order (raise to stop it)."""

    def start(self, name: str, attrs: dict[str, str], self_closing: bool) -> None:
        """A start tag: lower-case name, attributes (entities decoded), ``/>`` flag."""

    def end(self, name: str) -> None:
        """An end tag (also sent after a raw-text element's skipped content)."""

    def text(self, text: str) -> None:
        """Text with its entities decoded (never empty)."""


class _Collector:
    """A :class:`TokenSink` that keeps the tokens, for :func:`tokenize`."""

    def __init__(self) -> None:
        self.tokens: list[Token] = []

    def start(self, name: str, attrs: dict[str, str], self_closing: bool) -> None:
        self.tokens.append(StartTag(name, attrs, self_closing))

    def end(self, name: str) -> None:
        self.tokens.append(EndTag(name))

    def text(self, text: str) -> None:
        self.tokens.append(text)


def tokenize(source: str, *, max_attrs: int = 32) -> Iterator[Token]:
    """Yield the tokens of ``source`` in order; linear in ``len(source)``.

    Args:
        source: Untrusted HTML.
        max_attrs: Attributes kept per tag (the rest are read and ignored).

    Yields:
        :class:`StartTag`, :class:`EndTag`, or decoded text (``str``).
    """
    collector = _Collector()
    scan(source, collector, max_attrs=max_attrs)
    yield from collector.tokens


def scan(source: str, sink: TokenSink, *, max_attrs: int = 32) -> None:
    """Feed the tokens of ``source`` to ``sink`` in order; linear in ``len(source)``.

    The tree builder takes its tokens this way (no token objects, no generator), and stops
    the scan at its time budget by raising from a sink method.

    Args:
        source: Untrusted HTML.
        sink: Receives the start tags, end tags and text.
        max_attrs: Attributes kept per tag (the rest are read and ignored).
    """
    on_start, on_end, on_text = sink.start, sink.end, sink.text
    end_of_input = len(source)
    pos = text_start = 0
    find_markup = _MARKUP.search
    fast_tag = _FAST_TAG.match
    unescape = html.unescape
    # Newsletters repeat the same attributes (style="...") on hundreds of tags: parsed once.
    parsed: dict[str, dict[str, str]] = {}
    while True:
        # A "<" that starts no markup (not followed by a letter, "!", "?" or "/") stays text.
        found = find_markup(source, pos)
        if found is None:
            break
        lt = found.start()
        following = found.group(1)
        if lt > text_start:
            raw = source[text_start:lt]
            on_text(unescape(raw) if "&" in raw else raw)
        if following == "/":
            end_name = _TAG_NAME.match(source, lt + 2)
            close = source.find(">", lt + 2)
            pos = end_of_input if close == -1 else close + 1
            if end_name and close != -1:
                on_end(end_name.group().lower())
        elif following == "!" or following == "?":
            if source.startswith("<!--", lt):
                close = source.find("-->", lt + 4)
                pos = end_of_input if close == -1 else close + 3
            else:  # doctype, CDATA, processing instruction, bogus comment
                close = source.find(">", lt + 2)
                pos = end_of_input if close == -1 else close + 1
        else:
            fast = fast_tag(source, lt + 1)
            if fast:  # a well-formed start tag, the common case
                name, raw, slash = fast.groups()
                if raw:
                    attrs = parsed.get(raw)
                    if attrs is None:
                        attrs = _attributes(raw, max_attrs)
                        if len(parsed) < _PARSED_ATTRS:
                            parsed[raw] = attrs
                    attrs = attrs.copy()
                else:
                    attrs = {}
                name = name.lower()
                self_closing = slash == "/"
                pos = fast.end()
            else:
                tag, pos = _careful_start_tag(source, lt + 1, end_of_input, max_attrs)
                if tag is None:  # cut off by the end of the input
                    return
                name, attrs, self_closing = tag.name, tag.attrs, tag.self_closing
            on_start(name, attrs, self_closing)
            if name in RAW_TEXT and not self_closing:
                # Their content is dropped (xmp and plaintext too: legacy, never needed in mail).
                pos = _skip_raw_text(source, pos, name)
                on_end(name)
        text_start = pos
    if text_start < end_of_input:
        raw = source[text_start:]
        on_text(unescape(raw) if "&" in raw else raw)


def _skip_raw_text(source: str, pos: int, name: str) -> int:
    """Position after ``</name>`` (case-insensitive), or the end of the input."""
    closer = re.compile(rf"</{re.escape(name)}[\t\n\f\r />]", re.IGNORECASE)
    match = closer.search(source, pos)
    if match is None:
        return len(source)
    close = source.find(">", match.end() - 1)
    return len(source) if close == -1 else close + 1
