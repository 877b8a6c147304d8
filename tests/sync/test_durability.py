"""Crash and soak tests: the server ends in the intended state, nothing is applied twice and
the queue ends empty, whatever the process or the network does."""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from olk_tui.domain.errors import GraphError
from olk_tui.domain.operations import to_json
from olk_tui.emulator.core import Emulator

from .conftest import Harness, open_harness
from .durability import intended, random_ops, server_state

ROOT = Path(__file__).resolve().parents[2]


def _setup(h: Harness) -> tuple[list[str], list[str]]:
    inbox = h.folder("inbox")
    ids = sorted(m for m, d in h.mb.messages.items() if d["parentFolderId"] == inbox)[:60]
    folders = [h.folder("inbox"), h.folder("archive"),
               next(f["id"] for f in h.mb.folders.values() if f.get("displayName") == "Projects")]
    return ids, folders


def _kill_until_done(cmd: list[str], rng: random.Random) -> int:
    """Run the worker, SIGKILL it at random moments (6 times), then let it finish."""
    kills = 0
    for attempt in range(40):
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        if kills < 6 and attempt < 39:
            time.sleep(rng.uniform(0.3, 0.9))  # imports take ~0.3 s; kill mid-work
            if proc.poll() is None:
                proc.kill()  # SIGKILL
                proc.wait()
                kills += 1
                continue
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err[-2000:]
        if "DONE" in out:
            return kills
    raise AssertionError("the worker never finished")


@pytest.mark.slow
async def test_sigkill_at_random_points_ends_in_the_intended_state(tmp_path: Path) -> None:
    emu = Emulator.demo(size=80, seed=5)
    with emu.serve() as server:
        db = tmp_path / "crash.sqlite3"
        h = await open_harness(emu, server.base_url, db)
        await h.svc.engine.run_pass()
        ids, folders = _setup(h)
        start = server_state(h.mb, ids)
        count_before = len(h.mb.messages)
        await h.account.close()  # type: ignore[misc]
        ops = random_ops(random.Random(11), ids, folders, 400)
        ops_file, progress = tmp_path / "ops.jsonl", tmp_path / "progress.txt"
        ops_file.write_text("\n".join(to_json(op) for op in ops) + "\n")
        if emu.mailbox("adele@contoso.example") is None:
            emu.add_mailbox("adele@contoso.example", "Adele Vance")
        cmd = [sys.executable, "-m", "tests.sync.crash_worker", server.base_url, str(db),
               str(ops_file), str(progress), "12"]
        kills = await asyncio.to_thread(_kill_until_done, cmd, random.Random(3))
        assert kills >= 3
        trash = h.folder("deleteditems")
        assert server_state(h.mb, ids) == intended(start, ops, trash)
        sent = [m["subject"] for m in h.mb.messages.values()
                if m["parentFolderId"] == h.folder("sentitems")]
        adele = emu.mailbox("adele@contoso.example")
        received = [m["subject"] for m in adele.messages.values()]
        for n in range(12):  # every mail sent exactly once
            assert sent.count(f"Crash mail {n}") == 1, n
            assert received.count(f"Crash mail {n}") == 1, n
        # no message created twice (drafts orphaned by a kill right after their POST aside)
        others = [m for m in h.mb.messages.values()
                  if not str(m.get("subject", "")).startswith("Crash mail")]
        assert len(others) == count_before
        again = await open_harness(emu, server.base_url, db)
        try:
            assert await again.svc.store.run(lambda s: s.queue.pending_count()) == 0
        finally:
            await again.account.close()  # type: ignore[misc]


@pytest.mark.slow
async def test_soak_thousand_operations_under_faults(hi: Harness) -> None:
    h = hi
    await h.svc.engine.run_pass()
    ids, folders = _setup(h)
    start = server_state(h.mb, ids)
    count_before = len(h.mb.messages)
    ops = random_ops(random.Random(7), ids, folders, 1000)
    h.emu.faults.load_spec("seed=9,429(0.01):0.1,503(0.01):0.08,504:0.06,reset:0.06")
    rng = random.Random(1)
    failures = 0
    for i, op in enumerate(ops):
        await h.account.mail.submit(op)
        if rng.random() < 0.05 or i == len(ops) - 1:
            try:
                await h.svc.runner.run_once()
            except GraphError:
                failures += 1
    for _ in range(200):
        try:
            if await h.svc.runner.run_once() == 0:
                break
        except GraphError:
            failures += 1
    h.emu.faults.clear()
    assert await h.svc.store.run(lambda s: s.queue.pending_count()) == 0
    assert server_state(h.mb, ids) == intended(start, ops, h.folder("deleteditems"))
    assert len(h.mb.messages) == count_before
    assert failures > 0  # the faults really bit
