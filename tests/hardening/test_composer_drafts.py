"""The composer's text survives the process: saved locally at least every 5 s while typing goes
on, and on SIGHUP (SSH drop) / SIGTERM; the next start offers it back.

The real app runs in a pty against a loopback emulator (``--emulator URL``, signed in with the
CLI first), so the local cache survives between runs as it does for a user.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from olk_tui import cli
from olk_tui.emulator import Emulator

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from benchmarks.pty_runner import PtyApp  # noqa: E402

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


class Env:
    """A signed-in account on a loopback emulator, and the environment the app runs in."""

    def __init__(self, url: str, home: Path, env: dict[str, str]) -> None:
        self.url, self.home, self.env = url, home, env

    def app(self) -> PtyApp:
        app = PtyApp([sys.executable, "-m", "olk_tui", "--emulator", self.url], cols=100,
                     rows=30, env=self.env)
        app.start()
        return app

    def stored(self, marker: str) -> bool:
        """The marker is in the account's local cache files (database or its WAL)."""
        return any(marker.encode() in p.read_bytes()
                   for p in (self.home / "data").rglob("*") if p.is_file())


@pytest.fixture
def signed_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Env]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OLK_TUI", "XDG_"))}
    env.update(TERM="xterm-256color", CI="true", HOME=str(tmp_path),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", TZ="UTC")
    for name in ("CONFIG", "STATE", "DATA", "CACHE"):
        env[f"XDG_{name}_HOME"] = str(tmp_path / name.lower())
    for key, value in env.items():
        if key.startswith(("XDG_", "PYTHON_KEYRING", "HOME")):
            monkeypatch.setenv(key, value)
    emu = Emulator.demo(size=30, seed=2)
    emu.identity.auto_approve = True
    with emu.serve() as srv:
        assert cli.main(["login", "--emulator", srv.base_url]) == 0
        yield Env(srv.base_url, tmp_path, env)


def _open_composer(app: PtyApp) -> None:
    app.wait_for("Inbox", timeout=30)
    app.drain(idle=0.5, timeout=15)
    mark = len(app.buffer)
    os.write(app.fd, b"n")
    app.wait_for("Subject", timeout=15, since=mark)
    app.drain(idle=0.3, timeout=5)


def _stop(app: PtyApp, sig: signal.Signals) -> None:
    os.kill(app.pid, sig)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and os.waitpid(app.pid, os.WNOHANG)[0] == 0:
        app._read(0.05)
    app.pid = 0
    os.close(app.fd)


def test_typing_is_saved_at_least_every_5s_and_offered_after_a_kill(signed_in: Env) -> None:
    app = signed_in.app()
    try:
        _open_composer(app)
        os.write(app.fd, b"EVERY5S")
        deadline = time.monotonic() + 6.5   # keep typing: the quiet-period save never fires
        while time.monotonic() < deadline:
            os.write(app.fd, b"x")
            app._read(0.3)
        assert signed_in.stored("EVERY5S")
    finally:
        if app.pid:
            _stop(app, signal.SIGKILL)
    again = signed_in.app()
    try:
        again.wait_for("unsent draft", timeout=30)
    finally:
        again.close()


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_text_typed_just_before_sighup_or_sigterm_is_kept(signed_in: Env,
                                                          sig: signal.Signals) -> None:
    app = signed_in.app()
    try:
        _open_composer(app)
        mark = len(app.buffer)
        os.write(app.fd, b"JUSTBEFORE")
        # Signal as soon as the app shows the text (well inside its 1 s quiet period): a fixed
        # 0.15 s wait lost the race on a loaded machine, the keys still unread when it died.
        app.wait_for("JUSTBEFORE", timeout=15, since=mark)
    finally:
        _stop(app, sig)
    assert signed_in.stored("JUSTBEFORE")
