"""A background task that does its work when woken, backing off (up to 60 s) on failures."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from olk_tui.domain.errors import AuthRequired, GraphError, Throttled
from olk_tui.sync.status import StatusTracker
from olk_tui.sync.tasks import stop_task

#: The longest wait a server's Retry-After can impose on the loop.
MAX_THROTTLE_WAIT = 3600.0

log = logging.getLogger(__name__)


class WakeLoop:
    """Runs ``work()`` whenever ``wake()`` is called (and every ``interval`` seconds if set)."""

    def __init__(self, name: str, work: Callable[[], Awaitable[Any]], status: StatusTracker,
                 *, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
                 interval: float | None = None, max_backoff: float = 60.0) -> None:
        self._name = name
        self._work = work
        self._status = status
        self._sleep = sleep
        self._interval = interval
        self._max_backoff = max_backoff
        self._event = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Ask for a run as soon as possible."""
        self._event.set()

    def start(self) -> None:
        """Start the task (it runs once at once)."""
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name=self._name)
            self._event.set()

    async def close(self) -> None:
        """Stop the task."""
        task, self._task = self._task, None
        await stop_task(task)

    async def _wait(self) -> None:
        # A timer that sets the event, not ``wait_for``: cancelling a task inside
        # ``wait_for`` can be lost on Python 3.11 (close() then waits forever).
        timer = None
        if self._interval is not None:
            timer = asyncio.get_running_loop().call_later(self._interval, self._event.set)
        try:
            await self._event.wait()
        finally:
            if timer is not None:
                timer.cancel()

    async def _loop(self) -> None:
        backoff = 1.0
        while True:
            await self._wait()
            self._event.clear()
            try:
                await self._work()
                backoff = 1.0
                self._status.set_online(True)
                continue
            except asyncio.CancelledError:
                raise
            except AuthRequired as exc:
                self._status.set_auth_required(str(exc))
            except Throttled as exc:
                # Throttled is not offline; wait what the server asked (FACTS #18), at least
                # the current backoff, at most an hour.
                wait = max(backoff, min(exc.retry_after or 0.0, MAX_THROTTLE_WAIT))
                log.info("%s: throttled; retrying in %.0fs", self._name, wait)
                self._status.set_error(f"Microsoft asked to slow down; retrying in {wait:.0f} s")
                await self._sleep(wait)
                backoff = min(self._max_backoff, backoff * 2)
                self._event.set()
                continue
            except GraphError as exc:
                log.info("%s: %s; retrying in %.0fs", self._name, type(exc).__name__, backoff)
                self._status.set_online(False, str(exc))
            except Exception:  # a bug must not stop the loop for good
                log.exception("%s failed", self._name)
            await self._sleep(backoff)
            backoff = min(self._max_backoff, backoff * 2)
            self._event.set()
