"""Run a terminal program in a pseudo-terminal as a user would, and time what it draws.

Used to measure the real app (and NeoMutt/aerc when installed) from the outside: time to a
string appearing on screen, keypress-to-output latency, and resident memory of the process tree.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

_ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


@dataclass
class PtyApp:
    """A child process attached to a pty of ``cols`` x ``rows``."""

    argv: Sequence[str]
    cols: int = 120
    rows: int = 40
    env: dict[str, str] | None = None
    pid: int = 0
    fd: int = -1
    started: float = 0.0
    buffer: bytearray = field(default_factory=bytearray)

    def start(self) -> None:
        """Fork the child with TERM=xterm-256color and the window size set."""
        env = dict(os.environ if self.env is None else self.env)
        env.setdefault("TERM", "xterm-256color")
        env["COLUMNS"], env["LINES"] = str(self.cols), str(self.rows)
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child
            try:
                os.execvpe(self.argv[0], list(self.argv), env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))

    def _read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return b""
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:
            return b""
        self.buffer += chunk
        return chunk

    def text(self) -> str:
        """Everything written so far with escape sequences removed."""
        return _ANSI.sub(b"", bytes(self.buffer)).decode("utf-8", "replace")

    def wait_for(self, pattern: str, timeout: float = 30.0, since: int = 0) -> float:
        """Seconds from start until ``pattern`` (a regex) appears in the output after ``since``.

        Raises:
            TimeoutError: it never appeared.
        """
        rx = re.compile(pattern.encode())
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if rx.search(_ANSI.sub(b"", bytes(self.buffer[since:]))):
                return time.perf_counter() - self.started
            self._read(0.05)
        raise TimeoutError(f"{pattern!r} did not appear within {timeout}s")

    def drain(self, idle: float = 0.25, timeout: float = 30.0) -> float:
        """Read until no output for ``idle`` s; returns the time of the last byte (perf_counter)."""
        last = time.perf_counter()
        deadline = last + timeout
        while time.perf_counter() < deadline:
            if self._read(idle):
                last = time.perf_counter()
            elif time.perf_counter() - last >= idle:
                break
        return last

    def keypress_latency(self, key: bytes, timeout: float = 5.0) -> float:
        """Seconds from writing ``key`` to the first byte of output in answer."""
        self.drain(idle=0.15)
        t0 = time.perf_counter()
        os.write(self.fd, key)
        deadline = t0 + timeout
        while time.perf_counter() < deadline:
            if self._read(deadline - time.perf_counter()):
                return time.perf_counter() - t0
        raise TimeoutError("no output after key")

    def key_until(self, key: bytes, patterns: Sequence[str], timeout: float = 10.0,
                  settle: float = 0.15) -> tuple[float, float]:
        """Write ``key`` (after ``settle`` s of quiet) and time its answer.

        Returns:
            (seconds to the first output byte, seconds until every regex of ``patterns`` has
            appeared in the output written after the key, escapes stripped).

        Raises:
            TimeoutError: a pattern did not appear within ``timeout``.
        """
        first, each = self.key_times(key, patterns, timeout, settle)
        return first, max(each)

    def key_times(self, key: bytes, patterns: Sequence[str], timeout: float = 10.0,
                  settle: float = 0.15) -> tuple[float, list[float]]:
        """Like :meth:`key_until`, with the time of each pattern (in the order given)."""
        self.drain(idle=settle)
        since = len(self.buffer)
        wanted = [re.compile(p.encode()) for p in patterns]
        found: list[float | None] = [None] * len(wanted)
        t0 = time.perf_counter()
        os.write(self.fd, key)
        first = float("nan")
        deadline = t0 + timeout
        while (now := time.perf_counter()) < deadline:
            if not self._read(min(0.05, deadline - now)):
                continue
            now = time.perf_counter()
            if first != first:
                first = now - t0
            seen = _ANSI.sub(b"", bytes(self.buffer[since:]))
            for i, rx in enumerate(wanted):
                if found[i] is None and rx.search(seen):
                    found[i] = now - t0
            if all(t is not None for t in found):
                return first, [t for t in found if t is not None]
        raise TimeoutError(f"{patterns!r} did not appear within {timeout}s after {key!r}")

    def burst(self, key: bytes, count: int, idle: float = 0.3) -> float:
        """Seconds from writing ``count`` keys at once until the output goes quiet.

        The quiet period starts counting only after the first byte of the answer: an app may
        handle every queued key before it paints once, and that can take longer than ``idle``.
        """
        self.drain(idle=0.15)
        t0 = time.perf_counter()
        os.write(self.fd, key * count)
        deadline = t0 + 60
        while time.perf_counter() < deadline and not self._read(deadline - time.perf_counter()):
            pass
        last = self.drain(idle=idle, timeout=60)
        return last - t0

    def rss_mib(self) -> float:
        """Resident memory of the child and its descendants, in MiB."""
        return sum(_rss_kib(p) for p in _tree(self.pid)) / 1024

    def close(self) -> None:
        """Terminate the child (SIGTERM, then SIGKILL)."""
        if not self.pid:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                break
            for _ in range(40):
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    self.pid = 0
                    break
                self._read(0.05)
            if not self.pid:
                break
        os.close(self.fd)


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
