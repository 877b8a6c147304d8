"""Smoke test of the benchmark suite: its modules import, and the cheapest internal figure runs.

The benchmarks are numbers, not timed tests; this only makes CI notice a benchmark that no
longer runs against the current code (renamed functions, changed signatures).
"""

from __future__ import annotations

import importlib
import math

import pytest

MODULES = ("benchmarks.__main__", "benchmarks.baseline_app", "benchmarks.calendar_bench",
           "benchmarks.peers",
           "benchmarks.pty_runner", "benchmarks.render_bench", "benchmarks.rows",
           "benchmarks.servers", "benchmarks.store_bench", "benchmarks.table",
           "benchmarks.ui_bench")


@pytest.mark.parametrize("name", MODULES)
def test_benchmark_module_imports(name: str) -> None:
    importlib.import_module(name)


def test_calendar_week_figure_runs_and_renders_as_a_row() -> None:
    from benchmarks import calendar_bench, rows, table

    figures = calendar_bench.run()
    assert figures and figures[0][0].startswith("calendar: week layout")
    assert all(value > 0 and math.isfinite(value) for _, value, _ in figures)
    text = table.render(rows.internal_rows(figures))
    assert "calendar: week layout, 500 events" in text
    assert "≤50 ms" in text


def test_ui_rows_give_ratios_against_peers() -> None:
    from benchmarks import rows, table
    from benchmarks.ui_bench import RunResult

    olk = RunResult(0.3, [0.004] * 5, [0.005] * 5, 0.2, 0.2, 60.0)
    aerc = RunResult(0.9, [0.008] * 5, [0.008] * 5, 1.0, 1.0, 90.0)
    out = rows.ui_rows(100_000, {"olk-tui": [olk], "aerc": [aerc]})
    paint = out[0]
    assert paint.ok is True  # 0.3 s <= 0.5 x 0.9 s
    assert "0.33x" in table.render([paint])
    burst = next(r for r in out if r.metric.startswith("500 j"))
    assert burst.ok is True  # 0.2 s <= 0.3 x 1.0 s
