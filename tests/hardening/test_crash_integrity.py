"""Durability across owners: the cache database stays private and intact when the process that
is syncing and running the operation queue dies at random points, by SIGKILL or by SIGHUP (an
SSH session that vanished), and every acknowledged operation lands exactly once.

Reuses the store+sync engineer's crash worker (``tests/sync/crash_worker.py``), adding SIGHUP,
``PRAGMA integrity_check`` and the file modes after *every* kill.
"""

from __future__ import annotations

import asyncio
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from olk_tui.domain.operations import to_json
from olk_tui.emulator.core import Emulator
from tests.sync.conftest import open_harness
from tests.sync.durability import intended, random_ops, server_state

ROOT = Path(__file__).resolve().parents[2]


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _modes(db: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode)
            for p in db.parent.glob(db.name + "*") if p.is_file()}


def _kill_and_check(cmd: list[str], db: Path, rng: random.Random) -> list[tuple[str, str]]:
    """Run the worker; kill it 6 times (SIGKILL/SIGHUP alternately) at random moments, checking
    the database after each; then let it finish. Returns (signal, integrity) per kill."""
    checks: list[tuple[str, str]] = []
    sigs = [signal.SIGKILL, signal.SIGHUP] * 3
    for _ in range(40):
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        if sigs:
            time.sleep(rng.uniform(0.3, 0.7))  # imports take ~0.3 s: kill mid-work
            if proc.poll() is None:
                sig = sigs.pop(0)
                proc.send_signal(sig)
                proc.communicate(timeout=30)
                assert proc.returncode == -sig, proc.returncode
                checks.append((sig.name, _integrity(db)))
                modes = _modes(db)
                assert modes and all(m == 0o600 for m in modes.values()), modes
                continue
        out, err = proc.communicate(timeout=90)
        assert proc.returncode == 0, err[-2000:]
        if "DONE" in out:
            return checks
    raise AssertionError("the worker never finished")


@pytest.mark.slow
async def test_sigkill_and_sighup_keep_the_cache_intact_and_private(tmp_path: Path) -> None:
    emu = Emulator.demo(size=60, seed=7)
    with emu.serve() as server:
        db = tmp_path / "crash.sqlite3"
        h = await open_harness(emu, server.base_url, db)
        await h.svc.engine.run_pass()
        inbox = h.folder("inbox")
        ids = sorted(m for m, d in h.mb.messages.items() if d["parentFolderId"] == inbox)[:40]
        folders = [inbox, h.folder("archive")]
        start = server_state(h.mb, ids)
        await h.account.close()  # type: ignore[misc]
        ops = random_ops(random.Random(21), ids, folders, 900)
        ops_file, progress = tmp_path / "ops.jsonl", tmp_path / "progress.txt"
        ops_file.write_text("\n".join(to_json(op) for op in ops) + "\n")
        if emu.mailbox("adele@contoso.example") is None:
            emu.add_mailbox("adele@contoso.example", "Adele Vance")
        cmd = [sys.executable, "-m", "tests.sync.crash_worker", server.base_url, str(db),
               str(ops_file), str(progress), "4"]
        checks = await asyncio.to_thread(_kill_and_check, cmd, db, random.Random(5))
        assert len(checks) >= 4 and {s for s, _ in checks} == {"SIGKILL", "SIGHUP"}
        assert all(result == "ok" for _, result in checks), checks
        assert _integrity(db) == "ok"
        assert server_state(h.mb, ids) == intended(start, ops, h.folder("deleteditems"))
        sent = [m["subject"] for m in h.mb.messages.values()
                if m["parentFolderId"] == h.folder("sentitems")]
        for n in range(4):
            assert sent.count(f"Crash mail {n}") == 1, n
        # after a restart and one sync, the cache equals the server
        again = await open_harness(emu, server.base_url, db)
        try:
            await again.svc.engine.run_pass()
            summaries = await again.svc.store.run(
                lambda s: {i: s.mail.summary(i) for i in ids})
        finally:
            await again.account.close()  # type: ignore[misc]
        cached = {i: (m.is_read, m.flag.status.value, tuple(m.categories), m.folder_id)
                  for i, m in summaries.items() if m is not None}
        assert cached == server_state(h.mb, ids)


_OPEN_WITH_UMASK = """
import os, stat, sys
from pathlib import Path
os.umask(0o000)
from olk_tui.store.store import Store
db = Path(sys.argv[1]) / "cache.sqlite3"
store = Store(db)
store.conn.execute("CREATE TABLE IF NOT EXISTS hx (x)")
store.conn.execute("INSERT INTO hx VALUES (1)")
store.conn.commit()
for p in sorted(db.parent.glob(db.name + "*")):
    print(p.name, oct(stat.S_IMODE(p.stat().st_mode)))
store.close()
"""


def test_cache_database_and_wal_are_0600_whatever_the_umask(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", _OPEN_WITH_UMASK, str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=True)
    modes = dict(line.split() for line in result.stdout.splitlines())
    assert "cache.sqlite3" in modes and "cache.sqlite3-wal" in modes, modes
    assert set(modes.values()) == {"0o600"}, modes
