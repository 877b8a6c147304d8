"""Smoke test of the benchmark suite: its modules import, and the cheapest internal figure runs.

The benchmarks are numbers, not timed tests; this only makes CI notice a benchmark that no
longer runs against the current code (renamed functions, changed signatures).
"""

from __future__ import annotations

import importlib
import math

import pytest

MODULES = ("benchmarks.__main__", "benchmarks.baseline_app", "benchmarks.calendar_bench",
           "benchmarks.calendar_ui_bench", "benchmarks.peers",
           "benchmarks.pty_runner", "benchmarks.reader_bench", "benchmarks.render_bench",
           "benchmarks.rows", "benchmarks.servers", "benchmarks.store_bench", "benchmarks.table",
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


def test_reader_rows_judge_latency_by_the_frame_and_requests_by_count() -> None:
    from benchmarks import reader_bench, table

    result = reader_bench.ReaderResult(
        open_first_byte=[0.012, 0.013, 0.011], open_headers=[0.02] * 3,
        open_body=[0.048, 0.050, 0.047], next_first_byte=[0.009] * 3,
        next_headers=[0.009] * 3, next_body=[0.034] * 3, gets_startup_scroll=0,
        gets_open_own=1, gets_open_prefetch=1, gets_open_other=0, gets_next=0)
    out = {r.metric: r for r in reader_bench.rows("10k", result)}
    first = next(r for m, r in out.items() if "(enter), key to first output byte, median" in m)
    body = next(r for m, r in out.items() if "(enter), key to its body text on screen, med" in m)
    assert (first.ok, body.ok) == (True, False)  # 12 ms within a frame, 48 ms is not
    counts = [r for r in out.values() if r.unit == "requests"]
    assert [r.ok for r in counts] == [True, True, True]
    assert "1 + 1 + 0" in table.render(counts)
    result.gets_open_prefetch = 0  # no prefetch: the open row fails
    assert not next(r for r in reader_bench.rows("10k", result)
                    if "never opened" in r.metric).ok


def test_restart_rows_judge_both_opens_by_the_frame_and_leave_the_first_unjudged() -> None:
    from benchmarks import reader_bench, table

    result = reader_bench.RestartResult(
        rested_headers=[0.011] * 3, rested_body=[0.012, 0.011, 0.013],
        at_once_headers=[0.010] * 3, at_once_body=[0.032, 0.031, 0.040],
        first_open=(0.03, 0.035, 0.039), candidates=14, gets_opened=0, gets_other=1)
    out = {r.metric: r for r in reader_bench.restart_rows("10k", result)}
    assert all("first time this session" in m or "first message" in m for m in out
               if m.startswith("reader, 10k"))
    rested = next(r for m, r in out.items() if "rested 0.6 s, key to its body text" in m
                  and m.endswith("median of 3"))
    at_once = next(r for m, r in out.items() if "at once" in m and "body text" in m
                   and m.endswith("median of 3"))
    first = next(r for m, r in out.items() if "first message opened after the restart" in m)
    assert (rested.ok, at_once.ok, first.ok) == (True, False, None)  # at once: 32 ms, a miss
    assert first.target.startswith("—") and first.samples == [39.0]
    (gets,) = [r for r in out.values() if r.unit == "requests"]
    assert gets.ok is True and "0 + 1" in table.render([gets])  # others are not judged
    result.rested_body, result.gets_opened = [0.02] * 3, 2  # a miss and fetched bodies
    out = {r.metric: r for r in reader_bench.restart_rows("10k", result)}
    assert [r.ok for m, r in out.items() if "rested 0.6 s, key to its body" in m
            and "median" in m] == [False]
    assert [r.ok for r in out.values() if r.unit == "requests"] == [False]
    empty = reader_bench.restart_rows("10k", reader_bench.RestartResult())
    assert "n/a" in table.render(empty)  # not measured: no figure, no verdict


def test_cached_bodies_reads_the_bodies_table_read_only(tmp_path) -> None:
    import sqlite3

    from benchmarks.reader_bench import cached_bodies

    db = tmp_path / "data" / "olk-tui" / "a.sqlite3"
    db.parent.mkdir(parents=True)
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE bodies (message_id TEXT PRIMARY KEY, content TEXT)")
    con.executemany("INSERT INTO bodies VALUES (?, '')", [("m1",), ("m3",)])
    con.commit()
    con.close()
    ids = ["m1", "m2", "m3"] + [f"x{i}" for i in range(600)]  # more than one IN (...) chunk
    assert cached_bodies(tmp_path, ids) == {"m1", "m3"}
    assert cached_bodies(tmp_path / "nothing", ids) == set()


def test_body_gets_finds_message_gets_and_body_selects_only() -> None:
    from benchmarks.reader_bench import body_gets

    base = "http://127.0.0.1:1/v1.0/me"
    records = [
        {"method": "GET", "url": f"{base}/messages/AAMk%3D%3D?$select=id,body"},
        {"method": "GET", "url": f"{base}/mailFolders/X/messages/delta?$select=id,bodyPreview"},
        {"method": "GET", "url": f"{base}/mailFolders/X/messages?$select=subject,body"},
        {"method": "PATCH", "url": f"{base}/messages/AAMk%3D%3D"},
        {"method": "GET", "url": f"{base}/mailboxSettings"},
    ]
    assert body_gets(records) == ["AAMk==", "?"]


def test_calendar_week_patterns_match_the_title_they_are_parsed_from() -> None:
    import re
    from datetime import date

    from benchmarks import calendar_ui_bench

    title = "23 Nov – 29 Nov 2026 · week 48 · America/Los_Angeles  Mon 23 │ Tue 24"
    monday = calendar_ui_bench.shown_monday(title)
    assert monday == date(2026, 11, 23)
    assert all(re.search(p, title) for p in calendar_ui_bench.week_patterns(monday))
    result = calendar_ui_bench.CalendarResult([0.011, 0.012, 0.013], [0.011, 0.02, 0.03], 1)
    rows = calendar_ui_bench.rows("100k", result)
    assert [r.ok for r in rows] == [True, None, False, None, False]  # 12 ms, 20 ms, 1 loading
    assert "100k" in rows[0].metric


def test_key_times_waits_for_every_pattern_after_the_key() -> None:
    from benchmarks.pty_runner import PtyApp

    app = PtyApp(["sh", "-c", "read x; echo got-$x-done; exec sleep 5"], 40, 5)
    app.start()
    try:
        first, (each,) = app.key_times(b"abc\n", [r"got-abc-done"], timeout=5, settle=0.05)
    finally:
        app.close()
    assert 0 <= first <= each < 5
