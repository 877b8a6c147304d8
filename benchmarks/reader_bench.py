"""The reader as a user meets it, in a pty: opening a cached message (in memory, or on disk
after a restart), ``J`` to the prefetched next one, and which message bodies the app fetches
(from its HTTP trace).

One session of the real app on a warm cache (``run``):

1. start, let the start-up refresh finish, scroll the list (``j``, ``ctrl+d``, ``G``, ``g``):
   body requests so far are counted (target 0);
2. open a message never opened before (``enter``): its body GET and the prefetch of the next
   one are counted (target 1 + 1); ``J`` to that next one: GETs of it after the key (target 0);
3. back to the list (``q``) and open the same, now cached, message again and again: key to the
   first output byte, to its ``Subject:`` header and to its body text on screen;
4. in the reader, ``J`` through the following messages, each prefetched while the previous one
   was shown (the trace confirms the prefetch landed before the key): the same three times.

A second session (``run_restart``), a fresh app process on the same cache after ``run``: the
messages ``run`` opened have their bodies on disk (the ``bodies`` table) but are in no
in-memory cache of the new process. Walking up the Inbox from below the lowest of them
(``k``: opening a message prefetches the one below it, already measured), each is opened once:

5. the first open of the process (the reader screen is built then) is kept apart;
6. then alternately "cursor rested": ``k`` onto it, 0.6 s of quiet output (the list warms the
   reader from the local store for a resting cursor), ``enter``; and "at once": ``enter`` as
   soon as the paint of the ``k`` arrived (the app then converts the stored body before it
   opens the reader). Key to first byte, ``Subject:`` and body text as in 3, both variants
   judged against a frame (5 is informational); body requests during the samples are
   counted (target 0: the bodies are on disk).

The first output byte of ``enter`` is Textual's pointer-shape escape (OSC 22) written when the
screen changes, not a paint: the header figure says when the reader is visible.

Which message is under the cursor comes from the app's own cache (``messages`` ordered by
``rk``, as the list orders them); what its body says comes from the emulator, converted with
the app's ``html_to_text``/``text_body``, so the wait is for this message's text and no other.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from benchmarks.pty_runner import PtyApp
from benchmarks.servers import OLK, EmulatorServer, trace_records, xdg_env
from benchmarks.table import Row
from benchmarks.ui_bench import frame_rows


@dataclass
class ReaderResult:
    """What one reader session measured (seconds; request counts)."""

    open_first_byte: list[float] = field(default_factory=list)
    open_headers: list[float] = field(default_factory=list)
    open_body: list[float] = field(default_factory=list)
    next_first_byte: list[float] = field(default_factory=list)
    next_headers: list[float] = field(default_factory=list)
    next_body: list[float] = field(default_factory=list)
    next_not_prefetched: int = 0  # ``J`` samples whose message the app had to GET
    gets_startup_scroll: int = -1  # body GETs during start-up, refresh and scrolling
    gets_open_own: int = -1  # GETs of the opened message's body
    gets_open_prefetch: int = -1  # GETs of the next message's body (the prefetch)
    gets_open_other: int = -1  # body GETs of any other message while opening
    gets_next: int = -1  # GETs of the next message after ``J`` (it was prefetched)


def body_gets(records: list[dict]) -> list[str]:
    """The message ids of the trace's body requests (``GET /messages/{id}``, or any GET whose
    ``$select`` asks for ``body``), one per request; "?" when the id is not in the path."""
    out = []
    for r in records:
        if r.get("method") != "GET":
            continue
        parts = urlsplit(r.get("url", ""))
        segments = parts.path.split("/")
        query = unquote(parts.query)
        select = re.search(r"\$select=([^&]*)", query)
        fields = select.group(1).split(",") if select else []
        if len(segments) >= 2 and segments[-2] == "messages" and segments[-1] != "delta":
            out.append(unquote(segments[-1]))
        elif "body" in fields:
            out.append("?")
    return out


def inbox_order(root: Path, inbox_id: str, limit: int) -> list[str]:
    """The ids of the cached Inbox's first ``limit`` rows, newest first (the list's order)."""
    for db in (root / "data").rglob("*.sqlite3"):
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=2)
        try:
            rows = con.execute("SELECT id FROM messages WHERE folder_id = ? ORDER BY rk DESC "
                               "LIMIT ?", (inbox_id, limit)).fetchall()
        except sqlite3.Error:
            rows = []
        finally:
            con.close()
        if rows:
            return [str(r[0]) for r in rows]
    raise RuntimeError(f"no cached Inbox under {root}")


def message_patterns(server: EmulatorServer, message_id: str) -> tuple[str, str] | None:
    """Regexes for the message as the reader shows it: its ``Subject:`` header line, and the
    start of the first body line of at least 20 characters, converted as the app converts it.
    None when either is missing (an empty body, no subject)."""
    from olk_tui.render.html import html_to_text, text_body

    data = server.get(f"/me/messages/{quote(message_id, safe='')}?$select=subject,body")
    body = data.get("body") or {}
    content = str(body.get("content") or "")
    if str(body.get("contentType", "")).lower() == "html":
        text = html_to_text(content, width=78).text
    else:
        text = text_body(content).text
    line = next((x.strip() for x in text.splitlines() if len(x.strip()) >= 20), None)
    subject = " ".join(str(data.get("subject") or "").split())[:20]
    if not line or not subject:
        return None
    return r"Subject:\s+" + re.escape(subject), re.escape(line[:20])


def _wait(check: Callable[[], bool], app: PtyApp, timeout: float) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if check():
            return True
        app.drain(idle=0.05, timeout=0.1)
    return check()


def _sample(app: PtyApp, key: bytes, patterns: tuple[str, str], first_byte: list[float],
            headers: list[float], body: list[float]) -> None:
    fb, (head, text) = app.key_times(key, patterns, timeout=30, settle=0.3)
    first_byte.append(fb)
    headers.append(head)
    body.append(text)


def _press(app: PtyApp, key: bytes, idle: float = 0.1) -> None:
    """Write ``key`` and read until the output has been quiet for ``idle`` s (at most 2 s)."""
    app.drain(idle=0.05, timeout=1)
    os.write(app.fd, key)
    app.drain(idle=idle, timeout=2)


def _settle(app: PtyApp, trace: Path, quiet: float = 0.5, timeout: float = 30.0) -> None:
    """Until neither the screen nor the trace has changed for ``quiet`` s."""
    deadline = time.perf_counter() + timeout
    count, since = -1, time.perf_counter()
    while time.perf_counter() < deadline:
        app.drain(idle=0.1, timeout=0.5)
        now = len(trace_records(trace))
        if now != count:
            count, since = now, time.perf_counter()
        elif time.perf_counter() - since >= quiet:
            return


def run(server: EmulatorServer, base_url: str, root: Path, *, opens: int = 10,
        nexts: int = 10, log: Callable[[str], None] = lambda _s: None) -> ReaderResult:
    """One reader session of the app on the warm cache in ``root`` (see the module)."""
    trace = root / "reader-trace.jsonl"
    trace.unlink(missing_ok=True)
    out = ReaderResult()
    inbox = server.inbox_id()
    app = PtyApp([OLK, "--emulator", base_url], 120, 40,
                 xdg_env(root, OLK_TUI_HTTP_TRACE=str(trace)))
    app.start()
    try:
        app.wait_for(server.newest_pattern(), timeout=120)
        _settle(app, trace, quiet=1.0)
        for key, times in ((b"j", 20), (b"\x04", 3), (b"G", 1), (b"g", 1)):
            for _ in range(times):
                _press(app, key)
        _settle(app, trace)
        out.gets_startup_scroll = len(body_gets(trace_records(trace)))
        ids = inbox_order(root, inbox, 60)
        patterns = {i: message_patterns(server, i) for i in ids}
        # the first row from which `nexts + 2` messages in a row have a body text to wait for
        start = next(s for s in range(len(ids) - nexts - 2)
                     if all(patterns[ids[s + k]] for k in range(nexts + 3)))
        for _ in range(start):
            _press(app, b"j")
        first, second = ids[start], ids[start + 1]
        # 2. a message never opened: one GET of it, one prefetch of the next
        before = len(trace_records(trace))
        app.key_until(b"\r", patterns[first], timeout=30)
        _wait(lambda: second in body_gets(trace_records(trace)[before:]), app, 10)
        _settle(app, trace)
        got = body_gets(trace_records(trace)[before:])
        out.gets_open_own, out.gets_open_prefetch = got.count(first), got.count(second)
        out.gets_open_other = len(got) - out.gets_open_own - out.gets_open_prefetch
        before = len(trace_records(trace))
        _sample(app, b"J", patterns[second], out.next_first_byte, out.next_headers,
                out.next_body)
        _wait(lambda: ids[start + 2] in body_gets(trace_records(trace)[before:]), app, 10)
        _settle(app, trace)
        out.gets_next = body_gets(trace_records(trace)[before:]).count(second)
        log(f"reader: body GETs start-up+scroll {out.gets_startup_scroll}, open "
            f"{out.gets_open_own}+{out.gets_open_prefetch} (+{out.gets_open_other}), "
            f"J {out.gets_next}")
        # 3. the cached message (``second``, under the list cursor now) opened again and again
        _press(app, b"q", 0.3)
        for _ in range(opens):
            _sample(app, b"\r", patterns[second], out.open_first_byte, out.open_headers,
                    out.open_body)
            app.drain(idle=0.3)
            _press(app, b"q", 0.3)
        # 4. J through prefetched messages
        app.key_until(b"\r", patterns[second], timeout=30, settle=0.3)
        for k in range(2, nexts + 1):
            this, after = ids[start + k], ids[start + k + 1]
            _wait(lambda m=this: m in body_gets(trace_records(trace)), app, 10)
            _settle(app, trace, quiet=0.3)
            before = len(trace_records(trace))
            _sample(app, b"J", patterns[this], out.next_first_byte, out.next_headers,
                    out.next_body)
            _wait(lambda m=after, b=before: m in body_gets(trace_records(trace)[b:]), app, 10)
            if this in body_gets(trace_records(trace)[before:]):
                out.next_not_prefetched += 1
        return out
    finally:
        app.close()


def rows(size_label: str, result: ReaderResult) -> list[Row]:
    """Table rows of one session: latencies (median and p90) and body request counts."""
    out: list[Row] = []
    for what, first, head, body in (
            ("opening a cached message (enter)", result.open_first_byte, result.open_headers,
             result.open_body),
            ("next message in the reader (J, prefetched)", result.next_first_byte,
             result.next_headers, result.next_body)):
        for name, samples in (("key to first output byte", first),
                              ("key to its Subject header on screen", head),
                              ("key to its body text on screen", body)):
            out += frame_rows(f"reader, {size_label}: {what}, {name}, median",
                              f"reader, {size_label}: {what}, {name}, p90", samples)
    if result.next_not_prefetched:
        out.append(Row(f"reader, {size_label}: J samples whose message was not prefetched",
                       "keys", [float(result.next_not_prefetched)], "0", ok=False))
    counts = [
        (f"body requests during start-up, refresh and scrolling the list, {size_label}",
         [result.gets_startup_scroll], "0", result.gets_startup_scroll == 0),
        (f"body requests opening a message never opened, {size_label} (its own + prefetch "
         f"of the next + others)",
         [result.gets_open_own, result.gets_open_prefetch, result.gets_open_other],
         "1 + 1 prefetch",
         (result.gets_open_own, result.gets_open_prefetch, result.gets_open_other) == (1, 1, 0)),
        (f"body requests for the next message after J in the reader, {size_label}",
         [result.gets_next], "0", result.gets_next == 0),
    ]
    for metric, values, target, ok in counts:
        if min(values) < 0:  # not measured
            out.append(Row(metric, "requests", [], target))
            continue
        row = Row(metric, "requests", [float(sum(values))], target, ok=ok)
        if len(values) > 1:
            row.metric += f": {' + '.join(str(v) for v in values)}"
        out.append(row)
    return out


@dataclass
class RestartResult:
    """What one restart session measured (seconds; request counts): each sample opened a
    different message whose body was on disk and that this app process had not opened."""

    rested_first_byte: list[float] = field(default_factory=list)
    rested_headers: list[float] = field(default_factory=list)
    rested_body: list[float] = field(default_factory=list)
    at_once_first_byte: list[float] = field(default_factory=list)
    at_once_headers: list[float] = field(default_factory=list)
    at_once_body: list[float] = field(default_factory=list)
    #: the first message opened in the process (cursor rested), kept out of the lists above:
    #: (first byte, Subject, body)
    first_open: tuple[float, float, float] | None = None
    candidates: int = 0  # Inbox rows near the top with a body on disk and a text to wait for
    gets_opened: int = -1  # body GETs of the opened messages (their bodies were on disk)
    gets_other: int = -1  # body GETs of any other message during the samples


def cached_bodies(root: Path, ids: list[str]) -> set[str]:
    """Those of ``ids`` whose body is in the app's cache (the ``bodies`` table), read-only."""
    found: set[str] = set()
    for db in (root / "data").rglob("*.sqlite3"):
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=2)
        try:
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                marks = ",".join("?" * len(chunk))
                found.update(str(r[0]) for r in con.execute(
                    f"SELECT message_id FROM bodies WHERE message_id IN ({marks})", chunk))
        except sqlite3.Error:
            pass
        finally:
            con.close()
    return found


def _move(app: PtyApp, key: bytes, times: int) -> None:
    """``key`` ``times`` times in one write, then until the output is quiet: the cursor never
    rests on the rows it passes."""
    if times > 0:
        app.drain(idle=0.05, timeout=1)
        os.write(app.fd, key * times)
        app.drain(idle=0.3, timeout=5)


def _move_painted(app: PtyApp, key: bytes) -> None:
    """Write ``key`` and return as soon as its paint has arrived (the first output after it,
    read to the end of that burst of writes: 10 ms quiet), not waiting any longer."""
    app.keypress_latency(key, timeout=3)
    app.drain(idle=0.01, timeout=0.2)


def run_restart(server: EmulatorServer, base_url: str, root: Path, *, opens: int = 10,
                log: Callable[[str], None] = lambda _s: None) -> RestartResult:
    """A fresh app process on the warm cache in ``root`` opening messages whose bodies an
    earlier session left on disk, each for the first time in this process (see the module).

    Up to ``opens`` samples per variant ("cursor rested", "at once"), alternating, each on a
    different message; fewer when the cache holds fewer such bodies near the top of the Inbox.
    The walk goes up the list (``k``): opening a message prefetches the one below it, which has
    then already been measured.

    Raises:
        RuntimeError: no cached Inbox, or no body on disk to open.
    """
    trace = root / "restart-trace.jsonl"
    trace.unlink(missing_ok=True)
    out = RestartResult()
    inbox = server.inbox_id()
    ids = inbox_order(root, inbox, 60)
    on_disk = cached_bodies(root, ids)
    # row 0 is where the cursor starts (and may be loaded while it rests there): not a sample
    patterns = {k: p for k in range(1, len(ids) - 1) if ids[k] in on_disk
                and (p := message_patterns(server, ids[k]))}
    out.candidates = len(patterns)
    chosen = sorted(patterns)[:2 * opens + 1]
    if not chosen:
        raise RuntimeError(f"no Inbox body on disk under {root} to open (run `run` first)")
    app = PtyApp([OLK, "--emulator", base_url], 120, 40,
                 xdg_env(root, OLK_TUI_HTTP_TRACE=str(trace)))
    app.start()
    try:
        app.wait_for(server.newest_pattern(), timeout=120)
        _settle(app, trace, quiet=1.0)
        _press(app, b"g")
        row = chosen[-1] + 1  # below the last sample: resting here loads no sample
        _move(app, b"j", row)
        _settle(app, trace)
        before = len(trace_records(trace))
        for n, k in enumerate(reversed(chosen)):
            _move(app, b"k", row - k - 1)
            rested = n % 2 == 0  # n = 0 too: the process's first open, kept apart
            if rested:
                os.write(app.fd, b"k")  # key_times waits for 0.6 s of quiet output
            else:
                _move_painted(app, b"k")
            first, (head, text) = app.key_times(b"\r", patterns[k], timeout=30,
                                                settle=0.6 if rested else 0.0)
            if n == 0:
                out.first_open = (first, head, text)
            else:
                for where, value in zip((out.rested_first_byte, out.rested_headers,
                                         out.rested_body) if rested else
                                        (out.at_once_first_byte, out.at_once_headers,
                                         out.at_once_body), (first, head, text), strict=True):
                    where.append(value)
            row = k
            app.drain(idle=0.3)
            _press(app, b"q", 0.3)
        _settle(app, trace)
        got = body_gets(trace_records(trace)[before:])
        opened = {ids[k] for k in chosen}
        out.gets_opened = sum(1 for m in got if m in opened)
        out.gets_other = len(got) - out.gets_opened
        log(f"reader after restart: {len(chosen)} of {out.candidates} messages on disk "
            f"opened, body GETs {out.gets_opened} (+{out.gets_other} others)")
        return out
    finally:
        app.close()


def restart_rows(size_label: str, result: RestartResult) -> list[Row]:
    """Table rows of one restart session: key to Subject and to body text (median and p90),
    judged against a frame whether the cursor rested or the key came at once (the first open
    of the process, which also builds the reader screen, is informational); and the body
    requests (target 0: the bodies were on disk)."""
    what = (f"reader, {size_label}: opening a message cached on disk, first time this "
            f"session")
    out: list[Row] = []
    if result.first_open is not None:
        out.append(Row(f"{what}, the first message opened after the restart (cursor rested "
                       f"0.6 s), key to its body text on screen", "ms",
                       [result.first_open[2] * 1000], "— (informational, 1 sample)"))
    for variant, head, body in (
            ("cursor rested 0.6 s", result.rested_headers, result.rested_body),
            ("enter at once after the cursor move", result.at_once_headers,
             result.at_once_body)):
        for name, samples in (("key to its Subject header on screen", head),
                              ("key to its body text on screen", body)):
            label = f"{what}, {variant}, {name}"
            out += frame_rows(f"{label}, median", f"{label}, p90", samples)
    metric = (f"body requests opening messages cached on disk, first time this session, "
              f"{size_label} (the opened messages + others)")
    if min(result.gets_opened, result.gets_other) < 0:
        out.append(Row(metric, "requests", [], "0"))
    else:
        out.append(Row(f"{metric}: {result.gets_opened} + {result.gets_other}", "requests",
                       [float(result.gets_opened + result.gets_other)], "0 (opened)",
                       ok=result.gets_opened == 0))
    return out
