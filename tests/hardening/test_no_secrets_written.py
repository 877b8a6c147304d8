"""Secrets: no token, refresh token, device code or client secret in anything the app writes;
the token file is 0600 in a 0700 directory whatever the umask, replaced atomically; the keyring
is used only with a real backend."""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from olk_tui import cli
from olk_tui.emulator import Emulator
from olk_tui.graph.token_store import FileStore, KeyringStore, choose_store, usable_keyring

CLIENT_SECRET = "client-secret-Zq8~never-written-anywhere"


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("CONFIG", "STATE", "DATA", "CACHE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(tmp_path / name.lower()))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("OLK_TUI_CONFIG", raising=False)
    monkeypatch.setenv("OLK_TUI_HTTP_TRACE", str(tmp_path / "http-trace.jsonl"))
    monkeypatch.setenv("OLK_TUI_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return tmp_path


def _everything_written(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_no_secret_in_files_trace_logs_or_output(xdg: Path, capfd: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    emu = Emulator()
    emu.default_mailbox  # noqa: B018 - creates the demo user's mailbox
    issued: list[dict[str, Any]] = []
    original = emu.identity._devicecode

    def approve_after_issuing(form: Any, origin: str) -> Any:
        response = original(form, origin)
        issued.append(response.json)
        emu.identity.approve(response.json["user_code"])
        return response

    emu.identity._devicecode = approve_after_issuing  # type: ignore[method-assign]
    log_file = xdg / "logs" / "debug.log"
    log_file.parent.mkdir()
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        with emu.serve() as srv:
            url = srv.base_url
            assert cli.main(["login", "--emulator", url]) == 0
            assert cli.main(["mail", "list", "--emulator", url]) == 0          # sync
            monkeypatch.setattr(sys, "stdin", io.StringIO("hello from the secrets test\n"))
            assert cli.main(["mail", "send", "--emulator", url, "--to", "adele@contoso.example",
                             "--subject", "secrets test"]) == 0                # send
            assert cli.main(["graph", "GET", "/me/messages/nope", "--emulator", url]) == 3
            assert cli.main(["whoami", "--emulator", url]) == 0
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
    out, err = capfd.readouterr()

    access = list(emu.identity._access)
    refresh = list(emu.identity._refresh)
    assert issued and access and refresh, "the run must really have signed in"
    secrets = {"device code": [d["device_code"] for d in issued], "access token": access,
               "refresh token": refresh, "client secret": [CLIENT_SECRET]}

    written = _everything_written(xdg)
    assert any("trace" in name for name in written), "the HTTP trace must have been written"
    assert log_file.stat().st_size > 0
    written["<stdout>"] = out.encode()
    written["<stderr>"] = err.encode()
    leaks = []
    for name, data in written.items():
        if b"eyJ" in data:
            leaks.append((name, "eyJ (a JWT)"))
        for what, values in secrets.items():
            for value in values:
                if value.encode() in data:
                    leaks.append((name, what))
    # the token cache itself is the one place tokens may live: only in the token file
    leaks = [(n, w) for n, w in leaks if not Path(n).name.startswith("tokens-")]
    if leaks and os.environ.get("HX_DEBUG"):
        for n, d in written.items():
            for v in [x for vs in secrets.values() for x in vs] + ["eyJ"]:
                i = d.find(v.encode())
                if i >= 0:
                    print("LEAK", n, d[max(0, i - 300):i + 60])
    assert leaks == []


# ---- the token file ----------------------------------------------------------------------

_SAVE_WITH_UMASK = textwrap.dedent("""
    import os, stat, sys
    from pathlib import Path
    from olk_tui.graph.token_store import FileStore
    os.umask(0o000)
    path = Path(sys.argv[1]) / "state" / "olk-tui" / "tokens-x.json"
    if sys.argv[2] == "loose-dir":
        path.parent.mkdir(parents=True, mode=0o777)
        os.chmod(path.parent, 0o777)
    FileStore(path).save('{"t": 1}')
    print(oct(stat.S_IMODE(path.stat().st_mode)), oct(stat.S_IMODE(path.parent.stat().st_mode)))
""")


@pytest.mark.parametrize("case", ["new-dir", "loose-dir"])
def test_token_file_0600_in_0700_dir_whatever_the_umask(tmp_path: Path, case: str) -> None:
    result = subprocess.run([sys.executable, "-c", _SAVE_WITH_UMASK, str(tmp_path), case],
                            capture_output=True, text=True, check=True, timeout=30)
    assert result.stdout.split() == ["0o600", "0o700"]


def test_failed_replace_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    store = FileStore(tmp_path / "s" / "tokens-a.json")
    store.save('{"generation": 1}')

    def boom(*args: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        store.save('{"generation": 2}')
    monkeypatch.undo()
    assert store.load() == '{"generation": 1}'
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["tokens-a.json"]


_WRITER = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from olk_tui.graph.token_store import FileStore
    store = FileStore(Path(sys.argv[1]))
    pad = "x" * 400_000
    n = 0
    while True:
        n += 1
        store.save(json.dumps({"generation": n, "pad": pad}))
        if n == 3:
            print("ready", flush=True)
""")


@pytest.mark.parametrize("delay", [0.0, 0.013, 0.031, 0.057])
def test_kill_during_writes_leaves_old_or_new_never_truncated(tmp_path: Path,
                                                              delay: float) -> None:
    path = tmp_path / "state" / "tokens-a.json"
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
        time.sleep(delay)  # a random point in the middle of the write loop
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["generation"] >= 3 and len(data["pad"]) == 400_000
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# ---- keyring only with a real backend ----------------------------------------------------

def _backend(module: str, name: str, priority: float = 5.0, **attrs: Any) -> Any:
    cls = type(name, (), {"priority": priority, "__module__": module, **attrs})
    return cls()


_WEAK = {
    "fail": _backend("keyring.backends.fail", "Keyring", 0),
    "null": _backend("keyring.backends.null", "Keyring", -1),
    "plaintext (keyrings.alt)": _backend("keyrings.alt.file", "PlaintextKeyring", 0.5),
    "encrypted file (keyrings.alt)": _backend("keyrings.alt.file", "EncryptedKeyring", 0.6),
    "empty chainer": _backend("keyring.backends.chainer", "ChainerBackend", 10, backends=()),
    "chainer of weak ones": _backend(
        "keyring.backends.chainer", "ChainerBackend", 10,
        backends=(_backend("keyrings.alt.file", "PlaintextKeyring", 0.5),)),
    "no keyring at all": None,
}


@pytest.mark.parametrize("name", sorted(_WEAK))
def test_weak_keyring_backends_fall_back_to_the_file_with_a_notice(tmp_path: Path,
                                                                   name: str) -> None:
    backend = _WEAK[name]
    assert not usable_keyring(backend)
    store = choose_store("acct", tmp_path, backend=backend)
    assert isinstance(store, FileStore)
    assert store.notice and str(tmp_path) in store.notice


def test_real_keyring_backend_is_used(tmp_path: Path) -> None:
    real = _backend("keyring.backends.SecretService", "Keyring", 5)
    assert isinstance(choose_store("acct", tmp_path, backend=real), KeyringStore)
    chainer = _backend("keyring.backends.chainer", "ChainerBackend", 10, backends=(real,))
    assert isinstance(choose_store("acct", tmp_path, backend=chainer), KeyringStore)


def test_msal_debug_event_is_masked() -> None:
    """MSAL's token-cache DEBUG event leaves ``code``/``device_code``/``client_info`` clear."""
    from olk_tui.graph.logredact import RedactSecrets, redact

    event = json.dumps({"data": {"code": "dev-code-1234", "device_code": "dev-code-1234",
                                 "client_id": "cid"},
                        "response": {"client_info": "eyJ1aWQiOiAiYSJ9", "access_token": "x"}},
                       indent=4)
    clean = redact(event)
    assert "dev-code-1234" not in clean and "eyJ" not in clean and '"client_id": "cid"' in clean
    record = logging.LogRecord("msal.token_cache", logging.DEBUG, __file__, 1, "event=%s",
                               (event,), None)
    assert RedactSecrets().filter(record) and "dev-code-1234" not in record.getMessage()


def test_trace_in_a_missing_folder_is_created_private(tmp_path: Path) -> None:
    """``OLK_TUI_HTTP_TRACE=dir/that/does/not/exist.jsonl`` used to record nothing, silently."""
    import httpx

    from olk_tui.graph.trace import HttpTrace

    trace = HttpTrace(tmp_path / "new" / "dir" / "trace.jsonl")
    trace.record(method="GET", url="https://graph.test/v1.0/me?code=SECRET", status=200,
                 started=time.monotonic(), request_headers=httpx.Headers())
    assert stat.S_IMODE(trace.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(trace.path.parent.stat().st_mode) == 0o700
    assert "SECRET" not in trace.path.read_text()
