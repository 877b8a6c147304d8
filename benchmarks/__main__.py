"""``python -m benchmarks`` (``./dev bench``): every olk-tui benchmark in one command.

Builds emulator servers of 10,000 and 100,000 messages, warms a cache for each by running the
real app once until the Inbox has synced (timing it and counting its requests and bytes), writes
Maildirs of the same sizes for NeoMutt and aerc, measures all three clients in a 120x40 pty
(first paint, keypresses at the top and bottom, 500-key bursts, RSS; medians of 3 runs), times
the reader (opening a cached message, ``J`` to the prefetched next, body requests) at both sizes,
then in a fresh process on the same cache (opening messages whose bodies that session left on
disk, each for the first time in the process: after the list cursor rested, and at once; their
body requests), and switching cached calendar weeks at the larger one, adds the internal figures
(cache, sync, HTML, calendar), prints one Markdown table with the machine it ran on, and writes
it to ``benchmarks/results.md``.

Options: ``--quick`` (10k only, one run: a smoke check), ``--no-peers``, ``--runs N``,
``--keys N``, ``--out FILE``.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import (
    calendar_bench,
    calendar_ui_bench,
    peers,
    reader_bench,
    render_bench,
    rows,
    store_bench,
)
from benchmarks.servers import (
    OLK,
    CountingProxy,
    EmulatorServer,
    WarmResult,
    refresh_counts,
    trace_records,
    warm_cache,
    xdg_env,
)
from benchmarks.table import Row, render
from benchmarks.ui_bench import Client, RunResult, run_once

NEWEST = "Benchmark newest message 4711"
HERE = Path(__file__).resolve().parent


def _log(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _olk_runs(server: EmulatorServer, proxy: CountingProxy, root: Path, runs: int, keys: int,
              fps: str | None = None) -> tuple[list[RunResult], list[int]]:
    """Measured runs of the app on its warm cache; also the HTTP requests of each run."""
    out, requests = [], []
    pattern = server.newest_pattern()
    for i in range(runs):
        trace = root / f"run-{fps or 'default'}-{i}.jsonl"
        env = xdg_env(root, OLK_TUI_HTTP_TRACE=str(trace), **({"TEXTUAL_FPS": fps} if fps
                                                                 else {}))
        client = Client("olk-tui", [OLK, "--emulator", proxy.base_url], env, pattern, b"G")
        out.append(run_once(client, keys=keys))
        requests.append(len(trace_records(trace)))
        _log(f"olk-tui {server.size}{' fps ' + fps if fps else ''} run {i + 1}: "
             f"paint {out[-1].first_paint:.2f}s, {requests[-1]} requests")
    return out, requests


def _peer_runs(size: int, work: Path, runs: int, keys: int) -> rows.Runs:
    cache = Path(tempfile.gettempdir()) / "olk-tui-bench-maildirs" / str(size)
    t = time.perf_counter()
    box = peers.write_maildir(cache, size, NEWEST)
    _log(f"Maildir of {size} ready in {time.perf_counter() - t:.1f}s")
    out: rows.Runs = {}
    ready = NEWEST[:24]
    mutt = peers.neomutt(box, work / f"neomutt-{size}")
    if mutt:
        shutil.rmtree(work / f"neomutt-{size}" / "hcache", ignore_errors=True)
        client = Client("neomutt", mutt.argv, mutt.env, ready, b"*")
        out["neomutt cold"] = [run_once(client, paint_only=True)]
        out["neomutt warm"] = [run_once(client, keys=keys) for _ in range(runs)]
        _log(f"neomutt {size}: cold {out['neomutt cold'][0].first_paint:.2f}s, warm "
             f"{[round(r.first_paint, 2) for r in out['neomutt warm']]}")
    aerc = peers.aerc(box, work / f"aerc-{size}")
    if aerc:
        client = Client("aerc", aerc.argv, aerc.env, ready, b"G")
        out["aerc"] = [run_once(client, keys=keys) for _ in range(runs)]
        _log(f"aerc {size}: {[round(r.first_paint, 2) for r in out['aerc']]}")
    return out


def _baseline_rows(work: Path, runs: int) -> list[Row]:
    """First paint and RSS of a minimal Textual app (the floor under olk-tui's figures)."""
    env = xdg_env(work / "baseline", PYTHONPATH=str(HERE.parent))
    client = Client("textual", [sys.executable, "-m", "benchmarks.baseline_app",
                                "Baseline ready 4711"], env, "Baseline ready", b"G")
    done = [run_once(client, paint_only=True) for _ in range(runs)]
    return [Row("reference: minimal Textual app (Static + Footer), first paint", "s",
                [r.first_paint for r in done]),
            Row("reference: minimal Textual app, RSS", "MiB", [r.rss_mib for r in done])]


def _warm_rows(size: int, warm: WarmResult, server: EmulatorServer) -> list[Row]:
    s = rows.label(size)
    scale = size / 100_000
    req = Row(f"app's first sync of a {s} Inbox: requests (all folders, until Inbox done)",
              "requests", [warm.requests], f"≤{200 * scale:.0f} (200 per 100k)")
    req.ok = warm.requests <= 200 * scale
    gzipped = warm.gzip_ratio != warm.gzip_ratio  # NaN: the server compressed the transfer
    got = Row(f"app's first sync of a {s} Inbox: bytes received on the wire "
              f"({'gzipped' if gzipped else 'plain: the emulator did not gzip'})", "MB",
              [warm.received / 1e6], f"≤{40 * scale:.0f} MB (40 MB per 100k)")
    got.ok = warm.received / 1e6 <= 40 * scale
    extra = []
    if not gzipped:
        gz = Row(f"app's first sync of a {s} Inbox: bytes if gzipped as Graph does (estimate)",
                 "MB", [warm.received * warm.gzip_ratio / 1e6], f"≤{40 * scale:.0f} MB")
        gz.ok = gz.median <= 40 * scale
        extra.append(gz)
    return [
        Row(f"emulator --size {size}: build until serving", "s", [server.build_seconds]),
        Row(f"empty cache, {s}: newest on screen after start (first page)", "s",
            [warm.first_paint]),
        Row(f"empty cache, {s}: Inbox fully synced after start", "s", [warm.synced]),
        req,
        Row(f"app's first sync of a {s} Inbox: requests to the Inbox", "requests",
            [warm.inbox_requests]),
        got, *extra,
        Row(f"app's first sync of a {s} Inbox: bytes sent", "MB", [warm.sent / 1e6]),
        Row(f"RSS right after the first sync of {s}", "MiB", [warm.rss_mib], "≤100 MiB",
            ok=warm.rss_mib <= 100),
    ]


def _refresh_rows(size: int, requests: int, received: int, paths: list[str]) -> list[Row]:
    s = rows.label(size)
    delta = [p for p in paths if p.endswith("/delta")]
    scopes = len(set(delta))
    row = Row(f"app start-up refresh, nothing changed, {s}: requests ({len(delta)} delta "
              f"requests for {scopes} delta scopes, {requests - len(delta)} others)",
              "requests", [float(requests)], "1 per folder")
    row.ok = len(delta) <= scopes
    return [row, Row(f"app start-up refresh, nothing changed, {s}: bytes received", "KB",
                     [received / 1e3])]


def _open_rows(server: EmulatorServer, proxy: CountingProxy, root: Path, quick: bool,
               calendar: bool) -> list[Row]:
    """The reader (cached open, J, body requests), then the reader in a fresh process
    (opening messages whose bodies the first session left on disk) and, when ``calendar``,
    week switching.

    Runs after the measured list runs: opening messages marks them read and caches bodies.
    A failure loses that part's rows only.
    """
    s = rows.label(server.size)
    out: list[Row] = []
    parts: list[tuple[str, Callable[[], list[Row]]]] = [
        ("reader", lambda: reader_bench.rows(s, reader_bench.run(
            server, proxy.base_url, root, opens=3 if quick else 10, nexts=3 if quick else 10,
            log=_log))),
        # after the reader session, which left the bodies of the messages it opened on disk
        ("reader after restart", lambda: reader_bench.restart_rows(s, reader_bench.run_restart(
            server, proxy.base_url, root, opens=2 if quick else 5, log=_log)))]
    if calendar:
        parts.append(("calendar ui", lambda: calendar_ui_bench.rows(s, calendar_ui_bench.run(
            proxy.base_url, root, server.newest_pattern(), sweeps=1 if quick else 3,
            log=_log))))
    for name, part in parts:
        t = time.perf_counter()
        try:
            out += part()
        except (OSError, TimeoutError, RuntimeError, ValueError, StopIteration) as exc:
            _log(f"{name} bench at {s} FAILED: {exc!r}")
            out.append(Row(f"{name} bench at {s} FAILED ({type(exc).__name__}: {exc})"[:150],
                           "", []))
        _log(f"{name} bench at {s}: {time.perf_counter() - t:.1f}s")
    return out


def _internal(quick: bool, work: Path) -> list[tuple[str, float, str]]:
    figures: list[tuple[str, float, str]] = []
    parts = [("store", lambda: store_bench.store_rows(10_000, "10k", work)
              + asyncio.run(store_bench._sync_rows(10_000, work)) if quick
              else store_bench.run()),
             ("render", render_bench.run), ("calendar", calendar_bench.run)]
    for name, part in parts:
        t = time.perf_counter()
        try:
            figures += part()
        except Exception as exc:  # one broken bench must not lose the whole table
            _log(f"{name} bench FAILED: {exc!r}")
            figures.append((f"{name} bench FAILED ({type(exc).__name__}: {exc})"[:150],
                            float("nan"), ""))
        _log(f"{name} bench {time.perf_counter() - t:.1f}s")
    return figures


def _byte_compile() -> None:
    """Compile olk_tui's modules to bytecode first, as ``pip install`` does: otherwise, on a
    machine with PYTHONDONTWRITEBYTECODE set, every start compiles ~100 modules from source
    (about 0.2 s of the first paint that no installed copy pays)."""
    import compileall

    import olk_tui

    compileall.compile_dir(str(Path(olk_tui.__file__).parent), quiet=1, workers=0)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true",
                   help="10k only, one run, no TEXTUAL_FPS variant (smoke check)")
    p.add_argument("--no-peers", action="store_true", help="skip NeoMutt and aerc")
    p.add_argument("--runs", type=int, help="runs per client and size (default 3)")
    p.add_argument("--keys", type=int, help="single keypresses per position (default 50)")
    p.add_argument("--no-fps", action="store_true", help="skip the TEXTUAL_FPS=120 variant")
    p.add_argument("--out", type=Path, default=HERE / "results.md", help="where to write")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run everything, print the table, write the results file; returns the exit code."""
    args = _parse(argv)
    sizes = [10_000] if args.quick else [10_000, 100_000]
    runs = args.runs or (1 if args.quick else 3)
    keys = args.keys or (20 if args.quick else 50)
    _byte_compile()
    header = rows.machine()
    started = time.perf_counter()
    table: list[Row] = []
    opened: list[Row] = []
    by_size: dict[int, rows.Runs] = {}
    with tempfile.TemporaryDirectory(prefix="olk-tui-bench-") as tmp:
        work = Path(tmp)
        setup: list[Row] = []
        for size in sizes:
            server = EmulatorServer(size)
            proxy = CountingProxy(server.base_url)
            try:
                _log(f"emulator {size} at {server.base_url} ({server.build_seconds:.1f}s)")
                root = work / f"olk-{size}"
                warm = warm_cache(server, proxy, root)
                _log(f"warm cache {size}: synced in {warm.synced:.1f}s, {warm.requests} req")
                setup += _warm_rows(size, warm, server)
                setup += _refresh_rows(size, *refresh_counts(server, proxy, root))
                olk, requests = _olk_runs(server, proxy, root, runs, keys)
                by_size[size] = {"olk-tui": olk}
                setup.append(Row(f"HTTP requests during one measured run, {rows.label(size)} "
                                 f"(start-up refresh, {2 * keys} keys, 1000-key bursts)",
                                 "requests", [float(n) for n in requests]))
                if size == sizes[-1] and not (args.no_fps or args.quick):
                    by_size[size]["olk-tui fps120"] = _olk_runs(server, proxy, root, 1, keys,
                                                                "120")[0]
                opened += _open_rows(server, proxy, root, args.quick, size == sizes[-1])
            finally:
                proxy.close()
                server.close()
            if not args.no_peers:
                try:
                    by_size[size].update(_peer_runs(size, work, runs, keys))
                except (OSError, TimeoutError) as exc:  # a peer that hangs loses its rows only
                    _log(f"peers at {size} FAILED: {exc!r}")
        for size in sizes:
            table += rows.ui_rows(size, by_size[size])
        if len(sizes) == 2:
            table += rows.scaling_rows(by_size[sizes[0]], by_size[sizes[1]])
        if "olk-tui fps120" in by_size[sizes[-1]]:
            fps = {"olk-tui": by_size[sizes[-1]]["olk-tui fps120"]}
            table += [r for r in rows.ui_rows(sizes[-1], fps) if "keypress" in r.metric
                      or "at once" in r.metric]
            for r in table[-6:]:
                r.metric += " (TEXTUAL_FPS=120)"
        table += opened
        table += _baseline_rows(work, runs)
        table += setup
        table += rows.internal_rows(_internal(args.quick, work))
    took = time.perf_counter() - started
    command = " ".join(["python -m benchmarks", *(sys.argv[1:] if argv is None else argv)])
    text = "\n".join([
        "# olk-tui benchmark results", "",
        f"`{command}`: {runs} run(s) per client and size, {keys} single keys per position, "
        f"{took / 60:.1f} min", "", header, "", render(table), ""])
    print(text)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
