"""What the pty benchmarks need around the app: emulator servers, a byte-counting proxy, private
XDG folders, and a warm cache made by running the real app once until the Inbox has synced.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from benchmarks.pty_runner import PtyApp

OLK = str(Path(sys.executable).with_name("olk-tui"))


class EmulatorServer:
    """``olk-tui emulator --port 0 --no-auth --size N`` as a subprocess."""

    def __init__(self, size: int) -> None:
        self.size = size
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [OLK, "emulator", "--port", "0", "--no-auth", "--size", str(size)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("http"):
            self.close()
            raise RuntimeError(f"emulator --size {size} did not print its URL: {line!r}")
        self.base_url = line
        #: seconds from spawn to the printed URL (building the mailbox)
        self.build_seconds = time.perf_counter() - started

    def get(self, path: str) -> dict:
        """GET a Graph path (already URL-encoded) and decode the JSON."""
        with urllib.request.urlopen(f"{self.base_url}/v1.0{path}", timeout=60) as resp:
            return json.loads(resp.read())

    def inbox_id(self) -> str:
        """The Inbox folder's Graph id."""
        return str(self.get("/me/mailFolders/inbox")["id"])

    def newest_pattern(self) -> str:
        """A regex matching any subject among the messages with the newest received time."""
        data = self.get("/me/mailFolders/inbox/messages?$top=10&$select=subject,receivedDateTime"
                        "&$orderby=receivedDateTime%20desc")
        items = data["value"]
        newest = items[0]["receivedDateTime"]
        subjects = {i["subject"][:24].strip() for i in items if i["receivedDateTime"] == newest}
        return "|".join(re.escape(s) for s in sorted(subjects) if s)

    def close(self) -> None:
        """Stop the server (SIGTERM, then kill)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class CountingProxy:
    """A loopback TCP forwarder to ``target_url`` that counts the bytes in each direction."""

    def __init__(self, target_url: str) -> None:
        host, port = target_url.split("//", 1)[1].split(":")
        self.target = (host, int(port))
        self.sent = self.received = 0
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False),
                             daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, upward: bool) -> None:
        try:
            while data := src.recv(1 << 16):
                dst.sendall(data)
                with self._lock:
                    if upward:
                        self.sent += len(data)
                    else:
                        self.received += len(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        """Stop accepting (open connections end with the app)."""
        self._server.close()


def xdg_env(root: Path, **extra: str) -> dict[str, str]:
    """The environment of a process whose config, data, state and cache live under ``root``."""
    env = dict(os.environ, XDG_DATA_HOME=str(root / "data"), XDG_STATE_HOME=str(root / "state"),
               XDG_CONFIG_HOME=str(root / "config"), XDG_CACHE_HOME=str(root / "cache"),
               HOME=str(root / "home"))
    env.pop("OLK_TUI_HTTP_TRACE", None)
    env.update(extra)
    for name in ("data", "state", "config", "cache", "home"):
        (root / name).mkdir(parents=True, exist_ok=True)
    return env


@dataclass
class WarmResult:
    """The first run of the app against an empty cache."""

    first_paint: float  # s from spawn to the newest subject on screen (cold cache)
    synced: float  # s from spawn until the Inbox's delta link was stored
    requests: int  # HTTP requests until then (all folders)
    inbox_requests: int  # of which went to the Inbox
    sent: int  # bytes app -> emulator until then
    received: int  # bytes emulator -> app until then
    rss_mib: float  # app RSS once the Inbox had synced
    gzip_ratio: float  # gzipped/plain size of a delta page; NaN when the server gzips already


def _inbox_synced(root: Path, inbox_id: str) -> bool:
    for db in (root / "data").rglob("*.sqlite3"):
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.5)
            try:
                row = con.execute("SELECT 1 FROM delta_links WHERE scope = ?",
                                  (f"messages:{inbox_id}",)).fetchone()
            finally:
                con.close()
        except sqlite3.Error:
            continue
        if row:
            return True
    return False


def _gzip_ratio(server: EmulatorServer, records: list[dict], inbox: str) -> float:
    """Fetch the Inbox's first delta page again, as the app asked for it, and gzip it.

    Returns NaN when the emulator answers gzipped itself (then the proxy's counts are already
    the compressed wire size and need no estimate).
    """
    first = next((r for r in records if inbox in unquote(r.get("url", ""))
                  and "delta" in r.get("url", "")), None)
    if first is None:
        return float("nan")
    url = server.base_url + first["url"].split("//", 1)[1].split("/", 1)[1].join(("/", ""))
    request = urllib.request.Request(url, headers={"Prefer": ", ".join(first.get("prefer", [])),
                                                   "Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=60) as resp:
        if resp.headers.get("Content-Encoding", "").lower() == "gzip":
            return float("nan")  # the server compresses: the proxy counted gzipped bytes
        body = resp.read()
    return len(gzip.compress(body, 6)) / max(1, len(body))


def warm_cache(server: EmulatorServer, proxy: CountingProxy, root: Path,
               timeout: float = 600.0) -> WarmResult:
    """Run the app once against ``server`` through ``proxy`` until the Inbox has synced.

    Later runs must use the same ``proxy.base_url``: the cache keeps absolute delta links, and
    the client refuses to follow them to another host:port.
    """
    proxy.sent = proxy.received = 0
    trace = root / "http-trace.jsonl"
    env = xdg_env(root, OLK_TUI_HTTP_TRACE=str(trace))
    app = PtyApp([OLK, "--emulator", proxy.base_url], 120, 40, env)
    inbox = server.inbox_id()
    pattern = server.newest_pattern()
    app.start()
    try:
        paint = app.wait_for(pattern, timeout=120)
        deadline = time.perf_counter() + timeout
        while not _inbox_synced(root, inbox):
            if time.perf_counter() > deadline:
                raise TimeoutError(f"Inbox of {server.size} messages not synced in {timeout}s")
            app.drain(idle=0.1, timeout=0.3)
        synced = time.perf_counter() - app.started
        lines = trace.read_text().splitlines() if trace.exists() else []
        records = [json.loads(line) for line in lines]
        urls = [unquote(r.get("url", "")) for r in records]
        result = WarmResult(paint, synced, len(urls), sum(inbox in u for u in urls), proxy.sent,
                            proxy.received, app.rss_mib(), _gzip_ratio(server, records, inbox))
    finally:
        app.close()
    return result


def trace_records(path: Path) -> list[dict]:
    """The lines of an ``OLK_TUI_HTTP_TRACE`` file (none when it does not exist)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def refresh_counts(server: EmulatorServer, proxy: CountingProxy, root: Path,
                   settle: float = 2.0) -> tuple[int, int, list[str]]:
    """Start the app on its warm cache and count the start-up refresh (nothing changed).

    The app is started twice: the first start finishes whatever the warm-up left (the other
    folders' first sync), the second one is counted.

    Returns:
        (requests, bytes received, the request paths without query strings, one per request).
    """
    trace = root / "refresh-trace.jsonl"
    for _ in range(2):
        trace.unlink(missing_ok=True)
        received = _one_refresh(server, proxy, root, trace, settle)
    records = trace_records(trace)
    paths = [unquote(r.get("url", "")).split("?")[0].split("/v1.0", 1)[-1] for r in records]
    return len(records), received, paths


def _one_refresh(server: EmulatorServer, proxy: CountingProxy, root: Path, trace: Path,
                 settle: float) -> int:
    app = PtyApp([OLK, "--emulator", proxy.base_url], 120, 40,
                 xdg_env(root, OLK_TUI_HTTP_TRACE=str(trace)))
    proxy.sent = proxy.received = 0
    app.start()
    try:
        app.wait_for(server.newest_pattern(), timeout=120)
        app.drain(idle=settle, timeout=30)
        return proxy.received
    finally:
        app.close()
