"""One terminal mail client measured in a pty as a user would use it.

A run: start the client, time the first paint (a regex for the newest subject), let it settle,
press ``j`` one at a time at the top of the folder, send 500 ``j`` at once, jump to the bottom,
press ``k`` one at a time there, send 500 ``k`` at once, and read the RSS of its process tree.
The same run serves olk-tui, NeoMutt and aerc.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from benchmarks.pty_runner import PtyApp
from benchmarks.table import Row


@dataclass
class Client:
    """How to start one client and which keys move in its message list."""

    name: str
    argv: list[str]
    env: dict[str, str]
    ready: str  # regex: the newest message's subject
    bottom: bytes  # key that jumps to the last message
    down: bytes = b"j"
    up: bytes = b"k"


@dataclass
class RunResult:
    """What one run measured (seconds, MiB)."""

    first_paint: float
    key_top: list[float] = field(default_factory=list)
    key_bottom: list[float] = field(default_factory=list)
    burst_top: float = float("nan")
    burst_bottom: float = float("nan")
    rss_mib: float = float("nan")
    missed_keys: int = 0
    silent_after_bottom: int = 0  # keys after the jump to the bottom that drew nothing


def p90(values: list[float]) -> float:
    """The 90th percentile (inclusive method) of ``values``."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


#: Textual's default frame (60 fps): the target of "at most one frame after the key".
FRAME_MS = 1000 / 60


def frame_rows(median_label: str, p90_label: str, seconds: list[float]) -> list[Row]:
    """Two rows for key latencies against one frame: ``"<median_label> of N"`` (judged) and
    the p90 (shown). NaN samples (keys that timed out) are left out."""
    ms = [s * 1000 for s in seconds if s == s]
    median = Row(f"{median_label} of {len(ms)}", "ms", ms, f"≤{FRAME_MS:.1f} ms (a frame)")
    if ms:
        median.ok = median.median <= FRAME_MS
    return [median, Row(p90_label, "ms", [p90(ms)] if ms else [])]


def _latencies(app: PtyApp, key: bytes, count: int, result: RunResult) -> list[float]:
    out = []
    for _ in range(count):
        try:
            out.append(app.keypress_latency(key, timeout=3.0))
        except TimeoutError:
            result.missed_keys += 1
    return out


def _silent_keys(app: PtyApp, key: bytes, limit: int) -> int:
    """Press ``key`` until it draws something (at most ``limit`` times); how many drew nothing.

    olk-tui's list once drew nothing for a screenful of keys after a jump to the bottom (the
    cursor repaint went to the wrong lines); this makes such a bug a number in the table.
    """
    for silent in range(limit):
        try:
            app.keypress_latency(key, timeout=0.25)
        except TimeoutError:
            continue
        return silent
    return limit


def run_once(client: Client, *, keys: int = 50, paint_only: bool = False,
             cols: int = 120, rows: int = 40) -> RunResult:
    """Start ``client`` in a ``cols`` x ``rows`` pty and measure one run.

    After the jump to the bottom, keys that draw nothing are counted (0.4 s each) before the
    timed ones, so that a repaint bug shows as a number instead of 3-second timeouts.
    """
    app = PtyApp(client.argv, cols, rows, client.env)
    app.start()
    try:
        result = RunResult(app.wait_for(client.ready, timeout=180))
        if paint_only:
            result.rss_mib = app.rss_mib()
            return result
        app.drain(idle=0.5, timeout=20)  # start-up refresh, late widgets
        result.key_top = _latencies(app, client.down, keys, result)
        result.burst_top = app.burst(client.down, 500)
        app.drain(idle=0.3, timeout=5)
        app.burst(client.bottom, 1, idle=0.5)  # jump, and wait until it is drawn
        result.silent_after_bottom = _silent_keys(app, client.up, rows + 5)
        result.key_bottom = _latencies(app, client.up, keys, result)
        result.burst_bottom = app.burst(client.up, 500)
        result.rss_mib = app.rss_mib()
        return result
    finally:
        app.close()
