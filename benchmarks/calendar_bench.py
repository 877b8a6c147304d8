"""Calendar week figures: laying out and drawing a week with 500 events.

Uses the pure ``olk_tui.ui.calendar.layout.layout`` and the canvas's ``draw`` (what the week
grid calls on a resize or a new week), at 120 columns. ``run()`` returns (metric, value, unit).
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from olk_tui.domain.calendar import Event
from olk_tui.domain.ids import EventId

ZONE = ZoneInfo("Europe/Berlin")
WEEK = date(2026, 11, 16)  # a Monday


def week_events(count: int = 500, seed: int = 5) -> list[Event]:
    """``count`` events over one week: mostly 30-120 minute meetings, some all-day, overlaps."""
    rnd = random.Random(seed)
    events = []
    for i in range(count):
        day = WEEK + timedelta(days=rnd.randrange(7))
        if i % 25 == 0:
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
            end = start + timedelta(days=rnd.choice((1, 1, 2)))
            events.append(Event(EventId(f"e{i}"), f"All-day {i}", start, end, is_all_day=True))
            continue
        start = datetime(day.year, day.month, day.day, rnd.randrange(6, 20),
                         rnd.choice((0, 15, 30, 45)), tzinfo=ZONE)
        end = start + timedelta(minutes=rnd.choice((30, 30, 60, 60, 90, 120)))
        events.append(Event(EventId(f"e{i}"), f"Meeting {i} about the roadmap", start, end,
                            location=f"Room {i % 12}"))
    return events


def _median_ms(fn: object, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def run() -> list[tuple[str, float, str]]:
    """Layout and draw timings of a 500-event week (median of 7, milliseconds)."""
    from olk_tui.ui.calendar.layout import layout, make_day, slot_for_height, week_dates

    events = week_events()
    days = [make_day(d, ZONE) for d in week_dates(WEEK)]
    slot = slot_for_height(36)
    rows = [("calendar: week layout, 500 events", _median_ms(lambda: layout(events, days,
                                                                         slot_minutes=slot)),
             "ms")]
    try:
        from olk_tui.ui.calendar import canvas
    except ImportError:  # the canvas is optional for this figure
        return rows
    opts = canvas.DrawOptions(zone=ZONE, now=datetime(2026, 11, 18, 10, 0, tzinfo=ZONE),
                              colour_of=lambda _e: "#4a90d9")
    rows.append(("calendar: week layout + draw at 120 columns, 500 events",
                 _median_ms(lambda: canvas.draw(layout(events, days, slot_minutes=slot), 120,
                                                opts)), "ms"))
    return rows


if __name__ == "__main__":
    for metric, value, unit in run():
        print(f"{metric}: {value:.2f} {unit}")
