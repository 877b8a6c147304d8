"""Wrapping of converted HTML text at the reader's width, as html2text's ``optwrap`` would.

:func:`wrap_paragraphs` is the one wrapping pass of :mod:`olk_tui.render.html` (html2text
runs with ``body_width = 0``). Paragraphs that need wrapping go through :func:`wrap_simple`
when they hold only words and single-space-like gaps (most prose), which finds each line
break with one ``rfind`` instead of splitting the paragraph into chunks; anything else (tabs,
hyphens, other whitespace) goes to :mod:`textwrap`, whose result :func:`wrap_simple` gives
exactly where it applies.
"""

from __future__ import annotations

import re
import textwrap

#: Whitespace that :mod:`textwrap` rewrites (tabs expanded, the others made spaces).
_REWRITTEN_SPACE = re.compile("[\t\x0b\x0c\r]")
#: Items html2text leaves unwrapped ("1. ", "+ "), matched after leading whitespace.
_NUMBERED_ITEM = re.compile(r"(?:\d+\.|\+)\s")
#: html2text drops kept lines that start with a space and a "+".
_SPACE_PLUS = re.compile(r"\s\+")
#: What :func:`wrap_simple` does not handle: hyphens (textwrap breaks after some) and any
#: whitespace but the plain space (textwrap rewrites some, ``str.strip`` drops the others).
_NOT_SIMPLE = re.compile(r"[^\S ]|-")
_SPACES = re.compile(" +")


def _keeps_layout(para: str) -> bool:
    """True for a line that is shown as laid out, never re-wrapped (code, tables, items)."""
    if para.startswith(("    ", "\t")):
        return True
    stripped = para.lstrip()
    if stripped.startswith("--") and stripped[2:3] not in ("", "-"):
        return False  # an em dash written as "--", wrapped like prose
    if stripped[:1] in ("-", "*") and not stripped.startswith("**"):
        return False  # "* " items are wrapped (with a hanging indent)
    return " | " in para or bool(_NUMBERED_ITEM.match(stripped))


def wrap_simple(para: str, width: int, indent: str = "") -> str | None:
    """``"\\n".join(textwrap.wrap(para, width, break_long_words=False, subsequent_indent=indent))``
    for a paragraph of words separated by spaces; None when it is not such a paragraph.

    textwrap splits such a paragraph into words and runs of spaces and fills each line
    greedily, so a line ends at the last word end within the width (a longer word stands
    alone on its line), the spaces at a break are dropped, and the first line keeps the
    paragraph's leading spaces. That is found here with ``rfind`` per line.

    Args:
        para: One paragraph (no newline).
        width: Line width, more than ``len(indent)``.
        indent: Put before every line but the first.

    Returns:
        The wrapped lines joined by newlines, or None for paragraphs this does not handle
        (hyphens, whitespace other than spaces, only spaces, leading spaces before a first
        word that does not fit).
    """
    if _NOT_SIMPLE.search(para):
        return None
    end = len(para.rstrip(" "))
    if not end:
        return None
    start = 0
    if para[0] == " ":
        first_end = para.find(" ", len(para) - len(para.lstrip(" ")))
        if (end if first_end == -1 else first_end) > width:
            return None  # textwrap drops the leading spaces there: leave it to textwrap
    lines: list[str] = []
    room = width
    while end - start > room:
        cut = para.rfind(" ", start, start + room + 1)
        line = para[start:cut].rstrip(" ") if cut > start else ""
        if not line:  # a word longer than the line stands alone, never broken
            cut = para.find(" ", start, end)
            if cut == -1:
                break
            line = para[start:cut]
        lines.append(line)
        start = _SPACES.match(para, cut).end()  # type: ignore[union-attr]
        room = width - len(indent)
    lines.append(para[start:end])
    return ("\n" + indent).join(lines)


def wrap_paragraphs(text: str, width: int) -> str:
    """Wrap html2text's unwrapped output at ``width``, as html2text's own ``optwrap`` would.

    The converter runs with ``body_width = 0`` and the wrapping happens here, once: the same
    rules (code, table rows and numbered items kept; ``* `` items and ``> `` quotes get a
    hanging indent; words never broken), but lines that already fit, most of a newsletter,
    skip :mod:`textwrap` entirely, and plain prose is wrapped by :func:`wrap_simple`.

    Args:
        text: The converter's output with one paragraph per line.
        width: Wrap width in columns.

    Returns:
        The wrapped text.
    """
    out: list[str] = []
    newlines = 0
    for para in text.split("\n"):
        if not para:
            if newlines < 2:
                out.append("\n")
                newlines += 1
            continue
        if _keeps_layout(para):
            if not _SPACE_PLUS.match(para):
                out.append(para + "\n")
                newlines = 1
            continue
        indent = "    " if para.startswith("  *") else "> " if para.startswith("> ") else ""
        if len(para) <= width and not para[-1].isspace() and not _REWRITTEN_SPACE.search(para):
            out.append(para)  # textwrap would return it unchanged
        else:
            wrapped = wrap_simple(para, width, indent)
            if wrapped is None:
                wrapped = "\n".join(textwrap.wrap(para, width, break_long_words=False,
                                                  subsequent_indent=indent))
            out.append(wrapped)
        if para.endswith("  "):
            out.append("  \n")
            newlines = 1
        elif indent:
            out.append("\n")
            newlines = 1
        else:
            out.append("\n\n")
            newlines = 2
    return "".join(out)
