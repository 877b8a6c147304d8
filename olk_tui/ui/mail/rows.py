"""One message-list row as plain ``Text``: marks, sender or recipients, subject, date, preview.

Columns fit the width. Marks are glyphs so they read without colour (16-colour terminals,
colour-blind users): ``*`` tagged, ``●`` unread (else ``↩`` replied or replied to all, ``↪``
forwarded, in the same column as NeoMutt's ``r``), ``⚑`` flagged (``!`` after it when overdue),
``✓`` flag complete, ``@`` attachment, ``↑``/``↓`` high/low importance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from rich.style import Style
from rich.text import Text

from olk_tui.domain.mail import FlagStatus, Importance, LastVerb, MessageSummary
from olk_tui.ui.text import inline, name_of, relative_date


@dataclass(frozen=True, slots=True)
class RowStyles:
    """Rich styles for the parts of a row (taken from the widget's component classes)."""

    unread: Style = Style(bold=True)
    flag: Style = Style(color="yellow", bold=True)
    overdue: Style = Style(color="red", bold=True)
    dim: Style = Style(dim=True)
    important: Style = Style(color="red", bold=True)
    tagged: Style = Style(color="magenta", bold=True)


@dataclass(frozen=True, slots=True)
class Columns:
    """Widths of the columns for a given total width."""

    sender: int
    date: int
    preview: bool

    @classmethod
    def for_width(cls, width: int) -> Columns:
        """Narrow terminals get a narrower sender column and no preview."""
        if width < 56:
            return cls(sender=12, date=6, preview=False)
        if width < 70:
            return cls(sender=14, date=9, preview=False)
        if width < 100:
            return cls(sender=18, date=9, preview=False)
        return cls(sender=24, date=11, preview=width >= 120)


#: The glyph of each reply/forward mark (reply and reply-all look alike, as in NeoMutt).
VERB_MARKS = {LastVerb.REPLIED: "↩", LastVerb.REPLIED_ALL: "↩", LastVerb.FORWARDED: "↪"}


def status_mark(row: MessageSummary, styles: RowStyles) -> tuple[str, Style | None]:
    """The status glyph: ``●`` unread wins; a read message shows ``↩`` replied or ``↪``
    forwarded (one column, so 80 columns keep their layout)."""
    if not row.is_read:
        return "●", styles.unread
    verb = VERB_MARKS.get(row.last_verb)
    return (verb, styles.dim) if verb else (" ", styles.unread)


def flag_mark(row: MessageSummary, now: datetime, styles: RowStyles) -> tuple[str, Style | None]:
    """The flag glyph and its style: ⚑ flagged, ⚑! overdue, ✓ complete."""
    flag = row.flag
    if flag.status is FlagStatus.COMPLETE:
        return "✓", styles.dim
    if flag.status is FlagStatus.FLAGGED:
        if flag.due is not None and flag.due < now:
            return "!", styles.overdue
        return "⚑", styles.flag
    return " ", None


def row_text(row: MessageSummary, width: int, *, now: datetime, tz: tzinfo,
             tagged: bool, show_recipients: bool, styles: RowStyles, prefix: str = "") -> Text:
    """Build the row for ``row`` at ``width`` cells (plain text, sanitised fields)."""
    cols = Columns.for_width(width)
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("*" if tagged else " ", styles.tagged if tagged else None)
    text.append(*status_mark(row, styles))
    text.append(*flag_mark(row, now, styles))
    text.append("@" if row.has_attachments else " ")
    if row.importance is Importance.HIGH:
        text.append("↑", styles.important)
    elif row.importance is Importance.LOW:
        text.append("↓", styles.dim)
    else:
        text.append(" ")
    text.append(" ")
    if show_recipients:
        first = row.to[0] if row.to else None
        who = "To " + name_of(first, cols.sender) if first else "(no recipients)"
    else:
        who = name_of(row.from_ or row.sender, cols.sender)
    who_text = Text(who, style=styles.unread if not row.is_read else "")
    who_text.truncate(cols.sender, overflow="ellipsis", pad=True)
    text.append_text(who_text)
    text.append(" ")
    date = relative_date(row.received or row.sent, now, tz, short=cols.date < 9)
    rest = max(1, width - text.cell_len - cols.date - 1)
    subject = Text(prefix, style=styles.dim)
    subject.append(inline(row.subject, 300, placeholder="(no subject)"),
                   style=styles.unread if not row.is_read else "")
    if row.categories:
        subject.append(" [" + ", ".join(inline(c, 20) for c in row.categories) + "]",
                       styles.dim)
    if cols.preview and row.preview and subject.cell_len < rest - 4:
        subject.append("  " + inline(row.preview, 200), styles.dim)
    subject.truncate(rest, overflow="ellipsis", pad=True)
    text.append_text(subject)
    text.append(" ")
    text.append(date.rjust(cols.date)[: cols.date], styles.dim if row.is_read else styles.unread)
    text.truncate(width, overflow="ellipsis", pad=True)
    return text
