"""The week/day grid widget: one line-API widget drawing a precomputed ``Layout``.

It owns the scroll position (hour rows), the selected event and the keyboard moves between
events; it posts ``EventChosen`` on Enter and ``EdgeReached`` when the cursor walks off the
first or last day, so the screen can turn the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from olk_tui.domain.calendar import Event
from olk_tui.ui.calendar import canvas
from olk_tui.ui.calendar.layout import (
    AllDayBar,
    Block,
    Day,
    Layout,
    layout,
    slot_for_height,
    working_row,
)


class WeekGrid(Widget, can_focus=True):
    """Days side by side with hours down the side (see module docstring)."""

    DEFAULT_CSS = """
    WeekGrid { height: 1fr; width: 1fr; }
    """
    BINDINGS = [
        Binding("j,down", "step(1)", "Next event", show=False, id="calendar.grid.next"),
        Binding("k,up", "step(-1)", "Previous event", show=False, id="calendar.grid.previous"),
        Binding("l,right", "day(1)", "Next day", show=False, id="calendar.grid.right"),
        Binding("h,left", "day(-1)", "Previous day", show=False, id="calendar.grid.left"),
        Binding("pagedown,ctrl+d", "scroll_rows(8)", "Later", show=False,
                id="calendar.grid.page_down"),
        Binding("pageup,ctrl+u", "scroll_rows(-8)", "Earlier", show=False,
                id="calendar.grid.page_up"),
        Binding("enter", "open", "Open", id="calendar.grid.open"),
    ]

    class EventChosen(Message):
        """Enter on an event (or a click on the selected one)."""

        def __init__(self, event: Event) -> None:
            super().__init__()
            self.event = event

    class SelectionChanged(Message):
        """The selected event changed (None: an empty day is under the cursor)."""

        def __init__(self, event: Event | None) -> None:
            super().__init__()
            self.event = event

    class EdgeReached(Message):
        """The cursor walked off the first (-1) or last (+1) day."""

        def __init__(self, direction: int) -> None:
            super().__init__()
            self.direction = direction

    def __init__(self, *, zone: tzinfo, clock: Callable[[], datetime],
                 colour_of: Callable[[Event], str], working_start: str = "08:00:00",
                 working_end: str = "17:00:00", working_days: frozenset[int] = frozenset(
                     range(5)), id: str | None = None) -> None:
        super().__init__(id=id)
        self.zone = zone
        self.clock = clock
        self.colour_of = colour_of
        self.working_start = working_start
        self.working_end = working_end
        self.working_days = working_days
        self.days: list[Day] = []
        self.events: list[Event] = []
        self.plan: Layout | None = None
        self.top_row: int | None = None
        self.cursor_day = 0
        self.selected: Event | None = None
        self._drawn: canvas.Drawn | None = None
        self._drawn_key: tuple[object, ...] = ()

    # ------------------------------------------------------------------ data

    def set_events(self, days: Sequence[Day], events: Sequence[Event], *,
             cursor_day: int | None = None, keep_selection: bool = True) -> None:
        """Show ``events`` over ``days`` (cheap: one layout, drawn on the next refresh)."""
        self.days = list(days)
        self.events = list(events)
        if cursor_day is not None:
            self.cursor_day = max(0, min(len(self.days) - 1, cursor_day))
        self.cursor_day = max(0, min(len(self.days) - 1, self.cursor_day))
        self._relayout()
        before = self.selected
        if not keep_selection or (self.selected is not None and not any(
                e.id == self.selected.id for e in self.events)):
            self.selected = None
        elif self.selected is not None:
            self.selected = next(e for e in self.events if e.id == self.selected.id)
        if self.selected != before:
            self.post_message(self.SelectionChanged(self.selected))
        self.refresh()

    def _relayout(self) -> None:
        self.plan = layout(self.events, self.days, slot_minutes=self._slot())
        self._drawn = None

    def _slot(self) -> int:
        header = 1 + min(3, self._all_day_rows_guess())
        return slot_for_height(max(0, self.size.height - header) or 24)

    def _all_day_rows_guess(self) -> int:
        return 0 if self.plan is None else self.plan.all_day_rows

    # ------------------------------------------------------------------ drawing

    def _max_all_day(self) -> int:
        return 1 if self.size.height < 20 else 3

    def _drawn_now(self) -> canvas.Drawn:
        assert self.plan is not None
        now = self.clock()
        key = (id(self.plan), self.size.width, None if self.selected is None
               else self.selected.id, now.replace(second=0, microsecond=0),
               self._max_all_day())
        if self._drawn is None or key != self._drawn_key:
            opts = canvas.DrawOptions(
                zone=self.zone, now=now, colour_of=self.colour_of,
                selected=None if self.selected is None else self.selected.id,
                working=(working_row(self.working_start, 1), working_row(self.working_end, 1)),
                working_days=self.working_days, max_all_day_rows=self._max_all_day())
            self._drawn = canvas.draw(self.plan, self.size.width, opts)
            self._drawn_key = key
        return self._drawn

    def body_height(self) -> int:
        """How many grid rows fit under the header."""
        if self.plan is None:
            return 0
        return max(1, self.size.height - len(self._drawn_now().header))

    def render_line(self, y: int) -> Strip:
        """One screen line: a header line or grid row ``top_row + y - header``."""
        if self.plan is None or not self.days or self.size.width <= canvas.GUTTER:
            return Strip.blank(self.size.width)
        drawn = self._drawn_now()
        if y < len(drawn.header):
            return drawn.header[y]
        self._ensure_top()
        row = (self.top_row or 0) + y - len(drawn.header)
        if 0 <= row < len(drawn.body):
            return drawn.body[row]
        return Strip.blank(self.size.width)

    def _ensure_top(self) -> None:
        assert self.plan is not None
        height = self.body_height()
        if self.top_row is None:
            self.top_row = working_row(self.working_start, self.plan.slot_minutes)
        self.top_row = max(0, min(self.top_row, self.plan.rows - height))

    def on_resize(self, event: events.Resize) -> None:
        """A new size may change the slot length and the column widths."""
        if self.days:
            old_slot = self.plan.slot_minutes if self.plan else 30
            self._relayout()
            if self.top_row is not None and self.plan is not None:
                self.top_row = self.top_row * old_slot // self.plan.slot_minutes
        self.refresh()

    # ------------------------------------------------------------------ navigation

    def _order(self) -> list[tuple[int, int, int, Event]]:
        """Every selectable item as (day, row, column, event); bars first in each day."""
        if self.plan is None:
            return []
        items: list[tuple[int, int, int, Event]] = []
        seen: set[tuple[int, str]] = set()
        for bar in self.plan.all_day:
            for d in range(bar.first, bar.last + 1):
                items.append((d, -10 + bar.row, 0, bar.event))
        for b in self.plan.blocks:
            if (b.day, b.event.id) not in seen:
                seen.add((b.day, b.event.id))
                items.append((b.day, b.row, b.column, b.event))
        items.sort(key=lambda t: (t[0], t[1], t[2]))
        return items

    def _position(self) -> int:
        order = self._order()
        if self.selected is None:
            return -1
        for i, (day, _, _, event) in enumerate(order):
            if event.id == self.selected.id and day == self.cursor_day:
                return i
        return next((i for i, t in enumerate(order) if t[3].id == self.selected.id), -1)

    def select_event(self, event: Event | None, day: int | None = None) -> None:
        """Select ``event`` (in ``day`` when given) and scroll it into view."""
        self.selected = event
        if day is not None:
            self.cursor_day = day
        self._scroll_to_selected()
        self.refresh()
        self.post_message(self.SelectionChanged(event))

    def _scroll_to_selected(self) -> None:
        if self.plan is None or self.selected is None:
            return
        block = self._block_of(self.selected, self.cursor_day)
        if block is None:
            return
        self._ensure_top()
        height = self.body_height()
        top = self.top_row or 0
        if block.row < top:
            self.top_row = block.row
        elif block.row >= top + height:
            self.top_row = max(0, min(block.end_row, block.row + height) - height)

    def _block_of(self, event: Event, day: int) -> Block | None:
        assert self.plan is not None
        return next((b for b in self.plan.blocks if b.event.id == event.id and b.day == day),
                    None)

    def action_step(self, delta: int) -> None:
        """Select the next/previous event in time order (across days)."""
        order = self._order()
        if not order:
            return
        pos = self._position()
        if pos < 0:
            here = [i for i, t in enumerate(order) if t[0] >= self.cursor_day]
            pos = (here[0] if here else len(order)) - (1 if delta > 0 else 0)
        new = pos + delta
        if not 0 <= new < len(order):
            self.post_message(self.EdgeReached(1 if new >= len(order) else -1))
            return
        day, _, _, event = order[new]
        self.select_event(event, day)

    def action_day(self, delta: int) -> None:
        """Move to the previous/next day, selecting the event nearest the current time."""
        target = self.cursor_day + delta
        if not 0 <= target < len(self.days):
            self.post_message(self.EdgeReached(delta))
            return
        current_row = self._current_row()
        candidates = [t for t in self._order() if t[0] == target]
        self.cursor_day = target
        if not candidates:
            self.select_event(None, target)
            return
        best = min(candidates, key=lambda t: abs(t[1] - current_row))
        self.select_event(best[3], target)

    def _current_row(self) -> int:
        if self.selected is not None and (b := self._block_of(self.selected, self.cursor_day)):
            return b.row
        return self.top_row or 0

    def action_scroll_rows(self, delta: int) -> None:
        """Scroll the hours."""
        self._ensure_top()
        self.top_row = (self.top_row or 0) + delta
        self._ensure_top()
        self.refresh()

    def action_open(self) -> None:
        """Open the selected event."""
        if self.selected is not None:
            self.post_message(self.EventChosen(self.selected))

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        """Wheel: later hours."""
        self.action_scroll_rows(2)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        """Wheel: earlier hours."""
        self.action_scroll_rows(-2)

    def on_click(self, event: events.Click) -> None:
        """Select what is under the pointer; a click on the selected event opens it."""
        if self.plan is None:
            return
        drawn = self._drawn_now()
        day = drawn.geometry.day_at(event.x)
        if day is None:
            return
        hit: Event | None = None
        header = len(drawn.header)
        if 1 <= event.y < header:
            bar = next((b for b in self.plan.all_day if b.row == event.y - 1
                        and b.first <= day <= b.last), None)
            hit = bar.event if isinstance(bar, AllDayBar) else None
        elif event.y >= header:
            row = (self.top_row or 0) + event.y - header
            hit = self._hit(day, row, event.x - drawn.geometry.xs[day] - 1,
                            drawn.geometry.widths[day] - 1)
        if hit is not None and self.selected is not None and hit.id == self.selected.id:
            self.post_message(self.EventChosen(hit))
        self.select_event(hit, day)

    def _hit(self, day: int, row: int, x: int, width: int) -> Event | None:
        assert self.plan is not None
        for b in self.plan.blocks:
            if b.day != day or not b.row <= row < b.end_row:
                continue
            col_w = max(1, width // b.columns)
            if b.column * col_w <= x < (b.column + b.span) * col_w or (
                    b.column + b.span >= b.columns and x >= b.column * col_w):
                return b.event
        return None
