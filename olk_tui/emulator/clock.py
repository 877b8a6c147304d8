"""The emulator's clock: real time plus an offset tests can move, so tokens and upload
sessions expire under test control (``emu.clock.advance(3600)``)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class Clock:
    """Current UTC time for the emulator; frozen or offset from the wall clock."""

    def __init__(self, frozen: datetime | None = None) -> None:
        self._frozen = frozen
        self._offset = timedelta()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The emulator's current time (timezone-aware UTC)."""
        with self._lock:
            base = self._frozen if self._frozen is not None else datetime.now(UTC)
            return base + self._offset

    def timestamp(self) -> float:
        """``now()`` as seconds since the epoch."""
        return self.now().timestamp()

    def advance(self, seconds: float) -> None:
        """Move the clock forward (tokens issued before may now be expired)."""
        with self._lock:
            self._offset += timedelta(seconds=seconds)

    def freeze(self, at: datetime) -> None:
        """Stop the clock at ``at`` (then only :meth:`advance` moves it)."""
        with self._lock:
            self._frozen = at
            self._offset = timedelta()
