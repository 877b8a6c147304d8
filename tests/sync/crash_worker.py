"""Subprocess of the crash test: opens the account, submits the remaining operations while the
runner sends them, and prints DONE when the queue is empty. It is killed with SIGKILL at random
moments; progress (operations submitted) is appended to a file after each submit."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import TextIO

from olk_tui.domain.mail import Draft, MessageBody, Recipient
from olk_tui.domain.operations import Operation, from_json
from olk_tui.graph.client import GraphClient
from olk_tui.graph.retry import RetryPolicy
from olk_tui.store.outbox import ACTIVE_STATES
from olk_tui.sync.account import build_account


def _load(ops_file: str, progress_file: str) -> tuple[list[Operation], int]:
    ops = [from_json(line) for line in Path(ops_file).read_text().splitlines() if line]
    progress = Path(progress_file)
    done = len(progress.read_text().split()) if progress.exists() else 0
    return ops, done


def _note(log: TextIO, i: int) -> None:
    log.write(f"{i}\n")
    log.flush()
    os.fsync(log.fileno())


async def main(base_url: str, db: str, ops_file: str, progress_file: str,
               mails: str = "0") -> None:
    ops, done = _load(ops_file, progress_file)
    client = GraphClient(base_url, retry=RetryPolicy(base_delay=0.01, max_delay=0.05,
                                                     max_retry_after=0.05))
    account = build_account("crash", client, db, debounce=0.005)
    svc = account.services  # type: ignore[attr-defined]
    await svc.start(account, background=False)
    svc.runner.start()
    svc.outbox_loop.start()
    subjects = {i.draft.subject for i in await svc.store.run(lambda s: s.outbox.items())}
    for n in range(int(mails)):
        subject = f"Crash mail {n}"
        if subject not in subjects:  # queued by an earlier run already
            await account.outbox.send(Draft(
                subject=subject, to=(Recipient("adele@contoso.example"),),
                body=MessageBody("text", f"Mail {n}")))
    with open(progress_file, "a") as log:  # noqa: ASYNC230 - a test worker
        for i in range(done, len(ops)):
            await account.mail.submit(ops[i])
            _note(log, i)
            await asyncio.sleep(0.002)
    while await svc.store.run(lambda s: s.queue.pending_count()
                              + len(s.outbox.items(ACTIVE_STATES))):
        svc.runner.wake()
        svc.outbox_loop.wake()
        await asyncio.sleep(0.01)
    print("DONE", flush=True)
    await account.close()  # type: ignore[misc]


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
