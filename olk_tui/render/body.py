"""A message body ready for the reader: safe text, numbered links, notices, quoted lines.

:func:`text_body` handles ``text/plain`` mail; :func:`olk_tui.render.html.html_to_text` handles
HTML and finishes through :func:`finish` here, so both paths share the bounds (input size,
line count, line length), the final :func:`~olk_tui.render.safe.safe_block` pass and the
quoted-history detection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from olk_tui.render.links import Link, LinkTable, find_urls
from olk_tui.render.safe import safe_block

#: Bodies longer than this (characters) are converted truncated, with a notice.
MAX_INPUT_CHARS = 2_000_000
#: At most this many lines are shown; the rest is cut with a notice.
MAX_LINES = 20_000
#: Lines longer than this are cut (a 2 MB line without spaces would stall the display).
MAX_LINE_CHARS = 4_000
#: Private-use character marking the start of quoted history in converted HTML.
QUOTE_SENTINEL = "\ue000"

_HISTORY_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(?:original message|forwarded message|begin forwarded message|"
    r"ursprüngliche nachricht|message d'origine|mensaje original)\s*:?\s*-{2,}\s*$",
    re.IGNORECASE)
_WROTE = re.compile(r"^\s*On\b.{4,300}\bwrote:\s*$")
_HEADER = re.compile(r"^\s*[*_]*\s*(From|Sent|Date|To|Subject|Cc)\s*:", re.IGNORECASE)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_QUOTED = re.compile(r"^\s*>")
#: The first visible character of every line the patterns above can match at its start:
#: "-" separators, "On ... wrote:", underscores, and "From:" after optional "*"/"_".
_MAY_START_HISTORY = frozenset("-O_*Ff")


@dataclass(frozen=True, slots=True)
class RenderedBody:
    """A converted body. ``text`` is safe plain text (only ``\\n`` as control character).

    Attributes:
        text: The body, with ``[n]`` after each link and a "Links:" list at the end.
        links: The numbered links, in order; ``links[n - 1].number == n``.
        notices: Things the user should know (blocked images, hidden text removed, truncation).
        quote_start_line: Index in ``text.split("\\n")`` where quoted history starts (reply or
            forward header); everything from there to the link list can be dimmed or folded.
        quoted_lines: Indexes of lines that are quoted (``>`` lines and the history block).
        truncated: True when input or output bounds cut the body (offer "view raw / save").
    """

    text: str
    links: list[Link] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    quote_start_line: int | None = None
    quoted_lines: frozenset[int] = frozenset()
    truncated: bool = False


def cap_input(raw: str | None, notices: list[str], limit: int = MAX_INPUT_CHARS) -> str:
    """Cut an oversized body to ``limit`` characters and say so in ``notices``."""
    raw = raw or ""
    if len(raw) > limit:
        notices.append(f"This message is large ({len(raw) / 1_000_000:.1f} MB): only the first "
                       f"{limit / 1_000_000:.1f} MB is shown. View raw or save it to see all.")
        return raw[:limit]
    return raw


def find_history_start(lines: list[str]) -> int | None:
    """The first line of quoted reply/forward history, or None.

    Recognises ``-----Original Message-----`` style separators, Outlook's header block
    (``From:`` followed by ``Sent:``/``Date:`` within a few lines, with an optional line of
    underscores above it) and ``On <date>, <name> wrote:``. A match on the first non-blank line
    is ignored: there is nothing above it to fold.
    """
    seen_content = False
    for index, line in enumerate(lines):
        stripped = line.lstrip()  # what the patterns' leading \s* skips
        if not stripped:
            continue
        if stripped[0] not in _MAY_START_HISTORY:  # a quoted (">") or an ordinary line
            seen_content = True
            continue
        start = None
        if _HISTORY_SEPARATOR.match(line) or _WROTE.match(line):
            start = index
        elif _UNDERSCORES.match(line) and _outlook_header_at(lines, index + 1):
            start = index
        elif _outlook_header_at(lines, index):
            start = index
        if start is not None and seen_content:
            return start
        seen_content = True
    return None


def _outlook_header_at(lines: list[str], index: int) -> bool:
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines):
        return False
    first = _HEADER.match(lines[index])
    if not first or first.group(1).lower() != "from":
        return False
    names = {m.group(1).lower() for line in lines[index + 1:index + 7]
             if (m := _HEADER.match(line))}
    return bool(names & {"sent", "date"}) and bool(names & {"to", "subject"})


def _include_separator(lines: list[str], start: int) -> int:
    """Move the start of the history up over the rule drawn above it (``<hr>``, underscores)."""
    above = start - 1
    while above >= 0 and not lines[above]:
        above -= 1
    if above > 0 and (lines[above].strip() == "* * *" or _UNDERSCORES.match(lines[above])):
        return above
    return start


def finish(text: str, table: LinkTable, notices: list[str], *, truncated: bool = False
           ) -> RenderedBody:
    """Sanitise, bound and annotate converted text; append the link list.

    Args:
        text: Converted text, possibly holding :data:`QUOTE_SENTINEL` lines.
        table: The links numbered while converting.
        notices: Notices gathered so far (extended here).
        truncated: Whether the input was already cut.

    Returns:
        The finished body.
    """
    lines: list[str] = []
    quote_start: int | None = None
    blank_run = 0
    for raw_line in safe_block(text).split("\n"):
        line = raw_line.rstrip()
        if QUOTE_SENTINEL in line:
            if quote_start is None and any(x for x in lines):
                quote_start = len(lines)
            continue
        blank_run = blank_run + 1 if not line else 0
        if blank_run > 2 or (not line and not lines):
            continue  # no leading blank lines, at most two in a row
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    if len(lines) > MAX_LINES:
        notices.append(f"This message is very long: only the first {MAX_LINES:,} lines are "
                       "shown.")
        lines = lines[:MAX_LINES]
        truncated = True
    long_lines = 0
    for index, line in enumerate(lines):
        if len(line) > MAX_LINE_CHARS:
            lines[index] = line[:MAX_LINE_CHARS] + "…"
            long_lines += 1
    if long_lines:
        notices.append(f"{long_lines} very long line(s) were cut.")
        truncated = True
    if quote_start is None:
        quote_start = find_history_start(lines)
    while quote_start is not None and quote_start < len(lines) and not lines[quote_start]:
        quote_start += 1  # start on the first line of the history, not a blank above it
    if quote_start is not None and quote_start >= len(lines):
        quote_start = None
    if quote_start is not None:
        quote_start = _include_separator(lines, quote_start)
    quoted = {i for i, line in enumerate(lines) if _QUOTED.match(line)}
    if quote_start is not None:
        quoted.update(range(quote_start, len(lines)))
    listing = table.listing()
    if listing:
        lines.extend(["", *listing.split("\n")])
    return RenderedBody("\n".join(lines), list(table.links), notices, quote_start,
                        frozenset(quoted), truncated)


def text_body(text: str | None) -> RenderedBody:
    """Prepare a ``text/plain`` body: shown as sent, links numbered in a list at the end.

    Args:
        text: The untrusted body.

    Returns:
        The finished body; quoted ``>`` lines and reply history are marked.
    """
    notices: list[str] = []
    raw = cap_input(text, notices)
    table = LinkTable()
    for _start, _end, url in find_urls(raw):
        target = "https://" + url if url.lower().startswith("www.") else url
        table.add(url, target)
    return finish(raw.replace(QUOTE_SENTINEL, "\ufffd"), table, notices,
                  truncated=bool(notices))
