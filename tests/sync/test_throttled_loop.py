"""A throttled background loop waits what the server asked and is not shown as offline."""

from __future__ import annotations

import asyncio

from olk_tui.domain.errors import Throttled
from olk_tui.sync.announce import Announcer
from olk_tui.sync.loop import MAX_THROTTLE_WAIT, WakeLoop
from olk_tui.sync.status import StatusTracker


async def _run(retry_after: float | None) -> tuple[list[float], StatusTracker]:
    waits: list[float] = []
    done = asyncio.Event()
    calls = 0

    async def work() -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise Throttled("Too many requests", status=429, retry_after=retry_after)
        done.set()

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    status = StatusTracker(Announcer())
    loop = WakeLoop("test", work, status, sleep=sleep)
    loop.start()
    await asyncio.wait_for(done.wait(), 5)
    await loop.close()
    return waits, status


async def test_long_retry_after_is_waited_out_and_not_offline() -> None:
    waits, status = await _run(600.0)
    assert waits == [600.0]
    assert status.online


async def test_absurd_retry_after_is_bounded_and_missing_falls_back_to_backoff() -> None:
    assert (await _run(10.0**9))[0] == [MAX_THROTTLE_WAIT]
    assert (await _run(None))[0] == [1.0]
