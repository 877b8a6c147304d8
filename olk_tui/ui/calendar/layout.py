"""Pure layout of a day or week of events (no Textual): which day, rows and columns each
event occupies.

* Days are bounded by *local* midnights in the mailbox zone, so a DST day is 23 or 25 hours
  long (``Day.minutes``) and the next day still starts at 00:00.
* Timed events are placed by wall-clock time and split at midnight into one ``Block`` per day.
* Overlapping blocks of a day go side by side: each connected cluster of overlapping blocks is
  coloured greedily (interval-graph colouring, optimal for intervals), and a block stretches
  over free columns to its right.
* All-day events (and timed events of 24 hours or more) become ``AllDayBar`` rows across the
  days they cover, stacked with the same colouring.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from olk_tui.domain.calendar import Event

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_MINUTES = 24 * 60


@dataclass(frozen=True, slots=True)
class Day:
    """One column: its date and its local-midnight bounds (``minutes`` is 1380/1440/1500)."""

    date: date
    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        """Real length of the day in minutes (23 or 25 hours on DST change days)."""
        return int((self.end.astimezone(UTC) - self.start.astimezone(UTC)).total_seconds()
                   // 60)


@dataclass(frozen=True, slots=True)
class Block:
    """The part of a timed event inside one day, in rows of ``slot_minutes``."""

    event: Event
    day: int
    start_min: int
    end_min: int
    row: int
    end_row: int
    column: int = 0
    columns: int = 1
    span: int = 1
    continues_before: bool = False
    continues_after: bool = False


@dataclass(frozen=True, slots=True)
class AllDayBar:
    """An all-day (or 24 h+) event across days ``first..last`` (inclusive) on ``row``."""

    event: Event
    first: int
    last: int
    row: int = 0
    continues_before: bool = False
    continues_after: bool = False


@dataclass(frozen=True, slots=True)
class Layout:
    """Everything a week or day grid needs to draw."""

    days: tuple[Day, ...]
    blocks: tuple[Block, ...]
    all_day: tuple[AllDayBar, ...]
    slot_minutes: int

    @property
    def rows(self) -> int:
        """Rows of the time grid (one per slot of a 24-hour wall clock)."""
        return -(-DAY_MINUTES // self.slot_minutes)

    @property
    def all_day_rows(self) -> int:
        """How many stacked all-day rows there are."""
        return max((b.row + 1 for b in self.all_day), default=0)


def make_day(day: date, zone: tzinfo) -> Day:
    """A ``Day`` from local midnight to the next local midnight in ``zone``."""
    return Day(day, datetime.combine(day, time(0), tzinfo=zone),
               datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone))


def week_dates(anchor: date, *, week_start: str = "monday", work_week: bool = False,
               working_days: Iterable[str] = WEEKDAY_NAMES[:5]) -> list[date]:
    """The dates of the week holding ``anchor``; only working days when ``work_week``."""
    first = WEEKDAY_NAMES.index(week_start.lower()) if week_start.lower() in WEEKDAY_NAMES \
        else 0
    begin = anchor - timedelta(days=(anchor.weekday() - first) % 7)
    dates = [begin + timedelta(days=i) for i in range(7)]
    if work_week:
        keep = {d.lower() for d in working_days}
        chosen = [d for d in dates if WEEKDAY_NAMES[d.weekday()] in keep]
        return chosen or dates
    return dates


def is_bar(event: Event) -> bool:
    """Shown in the all-day row: all-day events and timed events of a day or more."""
    return event.is_all_day or (event.end.astimezone(UTC) - event.start.astimezone(UTC)
                                >= timedelta(hours=24))


def _wall_minutes(moment: datetime, zone: tzinfo) -> int:
    local = moment.astimezone(zone)
    return local.hour * 60 + local.minute


def _bar_dates(event: Event, zone: tzinfo) -> tuple[date, date]:
    """First and last (inclusive) dates an all-day bar covers."""
    if event.is_all_day:
        # All-day events are midnight-to-midnight in their own zone: keep their dates.
        first, after = event.start.date(), event.end.date()
        return first, max(first, after - timedelta(days=1))
    first = event.start.astimezone(zone).date()
    last = (event.end - timedelta(microseconds=1)).astimezone(zone).date()
    return first, max(first, last)


def _segments(event: Event, bounds: Sequence[tuple[datetime, datetime]], zone: tzinfo,
              slot: int) -> list[Block]:
    # Compare and subtract in UTC: aware datetimes sharing a tzinfo compare by wall clock.
    out: list[Block] = []
    start, end = event.start.astimezone(UTC), event.end.astimezone(UTC)
    if end < bounds[0][0] or start >= bounds[-1][1]:
        return out
    for index, (day_start, day_end) in enumerate(bounds):
        if start == end:
            inside = day_start <= start < day_end
        else:
            inside = start < day_end and end > day_start
        if not inside:
            continue
        seg_start = max(start, day_start)
        seg_end = min(end, day_end)
        start_min = 0 if seg_start == day_start else _wall_minutes(seg_start, zone)
        end_min = DAY_MINUTES if seg_end == day_end else _wall_minutes(seg_end, zone)
        if end_min <= start_min:  # zero-length, or a fall-back hour folding the wall clock
            real = int((seg_end - seg_start).total_seconds() // 60)
            end_min = min(DAY_MINUTES, start_min + max(real, 1))
        row = min(start_min // slot, (DAY_MINUTES - 1) // slot)
        end_row = max(row + 1, -(-end_min // slot))
        out.append(Block(event, index, start_min, end_min, row, end_row,
                         continues_before=start < day_start,
                         continues_after=end > day_end))
    return out


def _colour(items: list[tuple[int, int, int]]
            ) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """Greedy colouring of intervals ``(start, end, key)``.

    Items must be sorted by start. Returns key -> column, key -> columns of its cluster and
    key -> cluster number (each connected cluster gets its own column count).
    """
    column: dict[int, int] = {}
    columns: dict[int, int] = {}
    cluster_of: dict[int, int] = {}
    cluster: list[int] = []
    ends: list[int] = []  # per column: where its last interval ends
    cluster_end = -1
    number = 0
    for start, end, key in items:
        if start >= cluster_end and cluster:
            for k in cluster:
                columns[k] = len(ends)
            cluster, ends = [], []
            number += 1
        for i, col_end in enumerate(ends):
            if col_end <= start:
                ends[i] = end
                column[key] = i
                break
        else:
            column[key] = len(ends)
            ends.append(end)
        cluster.append(key)
        cluster_of[key] = number
        cluster_end = max(cluster_end, end) if len(cluster) > 1 else end
    for k in cluster:
        columns[k] = len(ends)
    return column, columns, cluster_of


def _spans(blocks: list[Block], clusters: list[int]) -> list[Block]:
    """Let each block stretch over the free columns to its right, within its cluster.

    Blocks in one column of a cluster never overlap, so for each column to the right only
    the block starting last before this one ends can be in the way (found by bisection).
    """
    by_column: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for b, c in zip(blocks, clusters, strict=True):
        by_column.setdefault((c, b.column), []).append((b.row, b.end_row))
    for rows in by_column.values():
        rows.sort()
    out: list[Block] = []
    for b, c in zip(blocks, clusters, strict=True):
        span = 1
        for col in range(b.column + 1, b.columns):
            rows = by_column.get((c, col), [])
            i = bisect.bisect_left(rows, (b.end_row, -1))
            if i and rows[i - 1][1] > b.row:
                break
            span += 1
        out.append(Block(b.event, b.day, b.start_min, b.end_min, b.row, b.end_row, b.column,
                         b.columns, span, b.continues_before, b.continues_after))
    return out


def layout(events: Iterable[Event], days: Sequence[Day], *, slot_minutes: int = 30) -> Layout:
    """Lay out ``events`` over ``days`` in rows of ``slot_minutes``.

    Events outside the days are ignored; the zone is that of ``days[0].start``.
    """
    if not days:
        return Layout((), (), (), slot_minutes)
    zone = days[0].start.tzinfo
    assert zone is not None
    slot = max(1, slot_minutes)
    timed: list[list[Block]] = [[] for _ in days]
    bounds = [(d.start.astimezone(UTC), d.end.astimezone(UTC)) for d in days]
    bars: list[AllDayBar] = []
    for event in events:
        if is_bar(event):
            first, last = _bar_dates(event, zone)
            hit = [i for i, d in enumerate(days) if first <= d.date <= last]
            if hit:
                bars.append(AllDayBar(event, hit[0], hit[-1],
                                      continues_before=first < days[hit[0]].date,
                                      continues_after=last > days[hit[-1]].date))
            continue
        for block in _segments(event, bounds, zone, slot):
            timed[block.day].append(block)

    placed: list[Block] = []
    for day_blocks in timed:
        day_blocks.sort(key=lambda b: (b.row, -b.end_row, b.event.start, b.event.subject))
        column, columns, cluster = _colour([(b.row, b.end_row, i)
                                            for i, b in enumerate(day_blocks)])
        coloured = [Block(b.event, b.day, b.start_min, b.end_min, b.row, b.end_row, column[i],
                          columns[i], 1, b.continues_before, b.continues_after)
                    for i, b in enumerate(day_blocks)]
        placed.extend(_spans(coloured, [cluster[i] for i in range(len(day_blocks))]))
    placed.sort(key=lambda b: (b.day, b.row, b.column))

    bars.sort(key=lambda b: (b.first, -(b.last - b.first), b.event.subject))
    row, _ = _colour_rows(bars)
    stacked = tuple(AllDayBar(b.event, b.first, b.last, row[i], b.continues_before,
                              b.continues_after) for i, b in enumerate(bars))
    return Layout(tuple(days), tuple(placed), stacked, slot)


def _colour_rows(bars: list[AllDayBar]) -> tuple[dict[int, int], int]:
    """Stack bars: each gets the first row free over its days."""
    row: dict[int, int] = {}
    ends: list[int] = []
    for i, bar in enumerate(bars):
        for r, end in enumerate(ends):
            if end < bar.first:
                ends[r] = bar.last
                row[i] = r
                break
        else:
            row[i] = len(ends)
            ends.append(bar.last)
    return row, len(ends)


def slot_for_height(body_rows: int) -> int:
    """Slot size for the grid: 30 minutes when there is room for a working day, else 60."""
    return 30 if body_rows >= 18 else 60


def working_row(working_start: str, slot_minutes: int) -> int:
    """The grid row of the start of the working day ("08:00:00"); 8:00 when unreadable."""
    try:
        hours, minutes = (int(x) for x in working_start.split(":")[:2])
    except ValueError:
        hours, minutes = 8, 0
    return (hours * 60 + minutes) // max(1, slot_minutes)


def char_cells(ch: str) -> int:
    """Terminal cells one character takes: 2 for wide East Asian, 0 for combining marks."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cells(text: str) -> int:
    """Terminal cells ``text`` takes."""
    return sum(char_cells(ch) for ch in text)


def truncate(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` terminal cells, marking the cut with an ellipsis."""
    if width <= 0:
        return ""
    if cells(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        size = char_cells(ch)
        if used + size > width - 1:
            break
        out.append(ch)
        used += size
    return "".join(out) + "…" if width > 1 else (text[:1] if char_cells(text[0]) == 1 else "…")
