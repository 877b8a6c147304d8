"""The calendar as a user meets it, in a pty: switching weeks that are already cached.

One session of the real app on a warm cache (``run``): switch to the calendar (``2``), wait
for the week to paint, then page forward and back (``n``/``p``) a few weeks around today, slowly,
so that the sync engine fetches their month windows into the cache and the screen's range
cache holds each week's neighbours. Then the timed part: ``n`` and ``p`` sweeps over those
weeks, each from the key to the first output byte and to the new week on screen (its title
"23 Nov – 29 Nov 2026 · week 48" and the grid's first day header "Mon 23").

A week counts as cached when the title never says "(loading…)" after the key; a switch that
did is counted in its own row (it would mean the method timed an uncached week).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from benchmarks.pty_runner import _ANSI, PtyApp
from benchmarks.servers import OLK, xdg_env
from benchmarks.table import Row
from benchmarks.ui_bench import frame_rows

TITLE = re.compile(r"(\d\d) (\w{3}) – (\d\d) (\w{3}) (\d{4}) · week (\d+)")


@dataclass
class CalendarResult:
    """What one calendar session measured (seconds)."""

    first_byte: list[float] = field(default_factory=list)
    week_on_screen: list[float] = field(default_factory=list)
    loading_seen: int = 0  # timed switches whose title said "(loading…)"
    first_week_paint: float = float("nan")  # ``2`` to the week on screen (first visit)


def week_patterns(monday: date) -> list[str]:
    """Regexes for the week starting ``monday``: its title and its first day's header."""
    sunday = monday + timedelta(days=6)
    title = (f"{monday:%d %b} – {sunday:%d %b %Y} · week {monday.isocalendar().week}")
    return [re.escape(title), re.escape(f"{monday:%a} {monday.day:02d}")]


def shown_monday(text: str) -> date:
    """The first day of the last week title in ``text`` (the screen's text)."""
    found = TITLE.findall(text)
    if not found:
        raise ValueError("no week title on screen")
    _d1, _m1, d2, m2, year, _week = found[-1]
    last = datetime.strptime(f"{d2} {m2} {year}", "%d %b %Y").date()
    return last - timedelta(days=6)


def run(base_url: str, root: Path, ready: str, *, sweeps: int = 3, span: int = 3,
        log: Callable[[str], None] = lambda _s: None) -> CalendarResult:
    """One calendar session on the warm cache in ``root``; ``sweeps`` times ``span`` weeks
    forward and back, timed."""
    out = CalendarResult()
    app = PtyApp([OLK, "--emulator", base_url], 120, 40, xdg_env(root))
    app.start()
    try:
        app.wait_for(ready, timeout=120)
        app.drain(idle=1.0, timeout=30)
        since = len(app.buffer)
        _fb, out.first_week_paint = app.key_until(b"2", [TITLE.pattern], timeout=30)
        app.drain(idle=1.0, timeout=30)
        monday = shown_monday(_ANSI.sub(b"", bytes(app.buffer[since:])).decode("utf-8",
                                                                                "replace"))
        # fill: visit every week of the timed range, waiting for its sync to settle
        for key, step in ((b"n", 1),) * span + ((b"p", -1),) * span:
            monday += timedelta(days=7 * step)
            app.key_until(key, week_patterns(monday), timeout=30, settle=0.3)
            app.drain(idle=1.5, timeout=30)
        for _ in range(sweeps):
            for key, step in ((b"n", 1),) * span + ((b"p", -1),) * span:
                monday += timedelta(days=7 * step)
                since = len(app.buffer)
                first, shown = app.key_until(key, week_patterns(monday), timeout=30,
                                             settle=0.4)
                out.first_byte.append(first)
                out.week_on_screen.append(shown)
                if "(loading…)" in _ANSI.sub(b"", bytes(app.buffer[since:])).decode(
                        "utf-8", "replace"):
                    out.loading_seen += 1
        log(f"calendar: {len(out.first_byte)} switches, {out.loading_seen} showed loading")
        return out
    finally:
        app.close()


def rows(size_label: str, result: CalendarResult) -> list[Row]:
    """Table rows: key to first byte and to the new week on screen (median, p90)."""
    out: list[Row] = []
    for name, samples in (("key to first output byte", result.first_byte),
                          ("key to the new week's dates on screen", result.week_on_screen)):
        out += frame_rows(
            f"calendar, {size_label}: switching to a cached week (n/p), {name}, median",
            f"calendar, {size_label}: switching to a cached week, {name}, p90", samples)
    if result.loading_seen:
        out.append(Row(f"calendar, {size_label}: timed week switches that showed "
                       "\"(loading…)\" (not cached)", "keys", [float(result.loading_seen)],
                       "0", ok=False))
    if result.first_week_paint == result.first_week_paint:
        out.append(Row(f"calendar, {size_label}: first switch to the calendar (2) until the "
                       "week is on screen", "ms", [result.first_week_paint * 1000]))
    return out
