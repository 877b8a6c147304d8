"""Fixtures of the scripting CLI tests: isolated XDG dirs, an in-process demo emulator the test
keeps a handle on (wired into ``--demo`` through ``commands.app.demo_account``), a loopback
server, and a ``cli(...)`` helper that runs ``olk_tui.cli.main`` and captures its output."""

from __future__ import annotations

import io
import json
import socket
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from olk_tui import cli as cli_module
from olk_tui.emulator import Emulator
from olk_tui.graph import client as client_module
from olk_tui.graph.retry import RetryPolicy

#: Small demo: fast to build and sync (the demo still has a few hundred messages in all).
DEMO_SIZE = 30


@dataclass
class Result:
    """What one ``olk-tui`` run printed and returned."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture(autouse=True)
def xdg(tmp_path, monkeypatch):
    """Every platform path in tmp; no config file; tokens in files, never a keyring."""
    for name in ("CONFIG", "STATE", "DATA", "CACHE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(tmp_path / name.lower()))
    monkeypatch.setenv("OLK_TUI_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.delenv("OLK_TUI_HTTP_TRACE", raising=False)
    monkeypatch.delenv("OLK_TUI_EMULATOR_FAULTS", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return tmp_path


@pytest.fixture
def fast_retry(monkeypatch):
    """Graph clients give up at once (offline tests would otherwise back off for ~15 s)."""
    monkeypatch.setattr(client_module, "RetryPolicy", lambda: RetryPolicy(max_attempts=1))


@pytest.fixture
def emu(monkeypatch) -> Emulator:
    """The demo emulator ``--demo`` uses in this test."""
    from olk_tui.commands import app

    emulator = Emulator.demo(size=DEMO_SIZE)
    original = app.demo_account

    def demo_account(settings, size=None, seed_dir=None, emulator_=None, **kw):
        return original(settings, size, seed_dir, emulator=emulator)

    monkeypatch.setattr(app, "demo_account", demo_account)
    return emulator


@pytest.fixture
def cli(capsys, monkeypatch) -> Callable[..., Result]:
    """``cli("mail", "list", stdin="...")`` runs ``olk-tui mail list`` and captures it."""

    def run(*argv: str, stdin: str = "") -> Result:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = cli_module.main(list(argv))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def demo(cli, emu) -> Callable[..., Result]:
    """``demo("mail", "list")``: like ``cli`` with ``--demo`` over the test's emulator."""

    def run(*argv: str, stdin: str = "") -> Result:
        return cli(*argv, "--demo", stdin=stdin)

    return run


@pytest.fixture
def served() -> Iterator[tuple[Emulator, str]]:
    """A demo emulator that requires sign-in, over real loopback HTTP."""
    emulator = Emulator.demo(size=DEMO_SIZE, require_auth=True)
    with emulator.serve() as server:
        yield emulator, server.base_url


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def assert_one_line_error(result: Result, code: int) -> None:
    """The run failed with ``code`` and said why in one line (plus an optional hint)."""
    assert result.code == code, (result.code, result.err)
    lines = result.err.strip().splitlines()
    assert lines and lines[0].startswith("olk-tui: ")
    assert len(lines) <= 2
    assert "Traceback" not in result.err
