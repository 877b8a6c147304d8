"""Draw a ``Layout`` into Rich ``Strip`` lines (pure drawing: no widgets, no I/O).

One pass fills a character/style buffer for the header, the all-day rows and every grid row,
then merges runs of equal style into segments, so a week with hundreds of events costs one
buffer fill, not hundreds of widgets.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from olk_tui.domain.calendar import Event
from olk_tui.domain.ids import EventId
from olk_tui.ui.calendar import style as look
from olk_tui.ui.calendar.layout import DAY_MINUTES, Layout, char_cells, truncate
from olk_tui.ui.text import inline

GUTTER = 6


@dataclass(frozen=True, slots=True)
class Geometry:
    """Where each day column starts and how wide it is (the separator is its first cell)."""

    xs: tuple[int, ...]
    widths: tuple[int, ...]

    def day_at(self, x: int) -> int | None:
        """The day index under screen column ``x``."""
        for i, (x0, w) in enumerate(zip(self.xs, self.widths, strict=True)):
            if x0 <= x < x0 + w:
                return i
        return None


def geometry(width: int, days: int) -> Geometry:
    """Split ``width`` after the hour gutter into ``days`` columns (remainder to the left)."""
    avail = max(days, width - GUTTER)
    base, extra = divmod(avail, max(1, days))
    xs, widths, x = [], [], GUTTER
    for i in range(days):
        w = base + (1 if i < extra else 0)
        xs.append(x)
        widths.append(w)
        x += w
    return Geometry(tuple(xs), tuple(widths))


class _Buffer:
    """A rectangle of characters and styles."""

    def __init__(self, width: int, height: int, fill: Style) -> None:
        self.width = width
        self.chars = [[" "] * width for _ in range(height)]
        self.wide = False
        self.styles = [[fill] * width for _ in range(height)]

    def put(self, y: int, x: int, text: str, style: Style, limit: int | None = None) -> None:
        row_c, row_s = self.chars[y], self.styles[y]
        end = self.width if limit is None else min(self.width, limit)
        for ch in text:
            size = char_cells(ch)
            if size == 0:  # a combining mark rides on the previous cell
                if 0 < x <= end:
                    row_c[x - 1] += ch
                continue
            if x + size > end:
                if x < end:
                    row_c[x], row_s[x] = " ", style  # half a wide character: blank
                break
            if x >= 0:
                row_c[x], row_s[x] = ch, style
                if size == 2:
                    row_c[x + 1], row_s[x + 1] = "", style  # covered by the wide character
                    self.wide = True
            x += size

    def fill(self, y: int, x0: int, x1: int, style: Style, char: str = " ") -> None:
        row_c, row_s = self.chars[y], self.styles[y]
        for x in range(max(0, x0), min(self.width, x1)):
            row_c[x] = char
            row_s[x] = style

    def _mend_wide(self, chars: list[str]) -> None:
        """A wide character whose second cell was overdrawn (or a lone second cell) becomes
        a blank, so every line stays exactly ``width`` cells."""
        for x, ch in enumerate(chars):
            if ch == "" and (x == 0 or not chars[x - 1] or char_cells(chars[x - 1][0]) != 2):
                chars[x] = " "
            elif ch and char_cells(ch[0]) == 2 and (x + 1 >= len(chars) or chars[x + 1] != ""):
                chars[x] = " "

    def strips(self) -> list[Strip]:
        out: list[Strip] = []
        for chars, styles in zip(self.chars, self.styles, strict=True):
            if self.wide:
                self._mend_wide(chars)
            segments: list[Segment] = []
            start = 0
            for x in range(1, len(chars) + 1):
                if x == len(chars) or styles[x] is not styles[start]:
                    segments.append(Segment("".join(chars[start:x]), styles[start]))
                    start = x
            out.append(Strip(segments, self.width))
        return out


@dataclass(frozen=True, slots=True)
class Drawn:
    """The drawn grid: fixed header lines and scrolling body lines."""

    header: list[Strip]
    body: list[Strip]
    geometry: Geometry


@dataclass(frozen=True, slots=True)
class DrawOptions:
    """What the canvas needs besides the layout."""

    zone: tzinfo
    now: datetime
    colour_of: Callable[[Event], str]
    selected: EventId | None = None
    working: tuple[int, int] = (8 * 60, 17 * 60)
    working_days: frozenset[int] = frozenset(range(5))
    max_all_day_rows: int = 3


def _hour_label(minute: int, slot: int, row: int) -> str:
    if minute % 60 == 0:
        return f"{minute // 60:02d}:00"
    return "  :30" if slot == 30 and row % 2 else ""


def draw(lay: Layout, width: int, opts: DrawOptions) -> Drawn:
    """Draw ``lay`` at ``width`` cells wide; returns header and body lines."""
    geo = geometry(width, len(lay.days))
    base = Style(bgcolor=look.BASE_BG, color="#c0c0c0")
    work = Style(bgcolor=look.WORK_BG, color="#c0c0c0")
    grid = Style(bgcolor=look.BASE_BG, color=look.GRID_FG)
    today = opts.now.astimezone(opts.zone).date()
    header = _draw_header(lay, width, geo, opts, today, base, grid)

    slot = lay.slot_minutes
    rows = lay.rows
    body = _Buffer(width, rows, base)
    for r in range(rows):
        minute = r * slot
        body.put(r, 0, _hour_label(minute, slot, r).ljust(GUTTER), grid)
        for d, day in enumerate(lay.days):
            x0, w = geo.xs[d], geo.widths[d]
            in_work = (day.date.weekday() in opts.working_days
                       and opts.working[0] <= minute < opts.working[1])
            body.fill(r, x0 + 1, x0 + w, work if in_work else base)
            body.put(r, x0, "│", grid)
    # the now-line, under the events
    local_now = opts.now.astimezone(opts.zone)
    for d, day in enumerate(lay.days):
        if day.date == today:
            r = min(rows - 1, (local_now.hour * 60 + local_now.minute) // slot)
            body.fill(r, geo.xs[d] + 1, geo.xs[d] + geo.widths[d], Style(
                color=look.NOW_FG, bgcolor=look.BASE_BG), "─")
            body.put(r, 0, local_now.strftime("%H:%M").ljust(GUTTER),
                     Style(color=look.NOW_FG, bgcolor=look.BASE_BG, bold=True))
    for block in lay.blocks:
        x0, w = geo.xs[block.day] + 1, geo.widths[block.day] - 1
        col_w = max(1, w // block.columns)
        if block.column * col_w >= w:
            continue  # more side-by-side events than cells: the rest are reachable by keys
        left = x0 + block.column * col_w
        right = x0 + w if block.column + block.span >= block.columns else left + col_w * block.span
        look_ = look.block_look(block.event, opts.colour_of(block.event),
                                selected=block.event.id == opts.selected)
        inner = right - left - 1
        lines = _block_text(block.event, block.start_min, block.continues_before,
                            block.end_row - block.row, inner)
        for i, r in enumerate(range(block.row, min(rows, block.end_row))):
            body.fill(r, left, right, look_.body)
            body.put(r, left, look_.edge, look_.edge_style)
            if i < len(lines):
                body.put(r, left + 1, lines[i], look_.body, limit=right)
    return Drawn(header, body.strips(), geo)


@functools.lru_cache(maxsize=4096)
def _safe(text: str) -> str:
    """Sanitised one-line text (cached: the same subjects are drawn again and again)."""
    return inline(text, 200)


def _block_text(event: Event, start_min: int, continued: bool, height: int,
                width: int) -> list[str]:
    subject = _safe(event.subject) or "(no subject)"
    location = _safe(event.location)
    when = "…" if continued else f"{start_min // 60:02d}:{start_min % 60:02d}"
    if width >= 12:
        first = f"{when} {subject}"
    else:
        first = subject
    lines = [first]
    if location:
        if height >= 2:
            lines.append(location)
        elif width >= 24:
            lines[0] = f"{first} · {location}"
    return [truncate(line, width) for line in lines]


def _draw_header(lay: Layout, width: int, geo: Geometry, opts: DrawOptions, today,
                 base: Style, grid: Style) -> list[Strip]:
    visible_rows = min(lay.all_day_rows, opts.max_all_day_rows)
    buf = _Buffer(width, 1 + visible_rows, base)
    buf.put(0, 0, opts.now.astimezone(opts.zone).strftime("%b").ljust(GUTTER), grid)
    for d, day in enumerate(lay.days):
        x0, w = geo.xs[d], geo.widths[d]
        label = day.date.strftime("%a %d") if w >= 8 else day.date.strftime("%a")[:2] + \
            day.date.strftime("%d")
        if day.minutes != DAY_MINUTES and w >= 14:
            label += f" ({day.minutes // 60}h)"
        style = Style(bgcolor=look.BASE_BG, color="#e0e0e0", bold=True)
        if day.date == today:
            style = Style(bgcolor=look.NOW_FG, color="#000000", bold=True)
        buf.put(0, x0, "│", grid)
        buf.fill(0, x0 + 1, x0 + w, style)
        buf.put(0, x0 + 1, truncate(label, w - 1), style, limit=x0 + w)
        for r in range(1, 1 + visible_rows):
            buf.put(r, x0, "│", grid)
    if visible_rows:
        buf.put(1, 0, "allday", grid, limit=GUTTER)
    hidden: dict[int, int] = {}
    for bar in lay.all_day:
        if bar.row >= visible_rows:
            for d in range(bar.first, bar.last + 1):
                hidden[d] = hidden.get(d, 0) + 1
            continue
        left = geo.xs[bar.first] + 1
        right = geo.xs[bar.last] + geo.widths[bar.last]
        look_ = look.block_look(bar.event, opts.colour_of(bar.event),
                                selected=bar.event.id == opts.selected)
        text = ("◂" if bar.continues_before else "") + (_safe(bar.event.subject)
                                                        or "(no subject)")
        buf.fill(1 + bar.row, left, right, look_.body)
        buf.put(1 + bar.row, left, look_.edge, look_.edge_style)
        buf.put(1 + bar.row, left + 1, truncate(text, right - left - 1), look_.body,
                limit=right)
        if bar.continues_after:
            buf.put(1 + bar.row, right - 1, "▸", look_.body)
    for d, count in hidden.items():
        x = geo.xs[d] + geo.widths[d] - len(f"+{count}")
        buf.put(visible_rows, x, f"+{count}", Style(bgcolor=look.BASE_BG, color="#ffd75f",
                                                    bold=True))
    return buf.strips()
