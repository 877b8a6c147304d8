"""Full garbage collections moved to moments when the user is not typing.

A full (oldest-generation) collection walks every long-lived object that is not frozen. In
the UI, after ``startup_gc`` froze the start-up heap, the network stack, the sync workers and
the caches add some 40,000-50,000 such objects within seconds, and CPython's automatic full
collection then takes 12-29 ms (measured with ``gc.callbacks`` in the pty benchmark). It
strikes whenever an allocation crosses the threshold: during a keypress it pushes the reader's
``enter`` or ``J`` past a frame (a 20 ms one turned a 10 ms ``J`` into 30 ms).

:class:`IdleCollector` takes over the full collections only: CPython keeps doing the young
and middle ones (under 2 ms each), and the app calls :meth:`IdleCollector.tick` from a timer.
A full collection runs when CPython would have been due for one (as many middle collections
as its threshold) and no key or mouse event came for :data:`QUIET` seconds, or, during
endless activity, once :data:`OVERDUE` seconds have passed since the last, so cyclic garbage
is still freed at a bounded pace. The first of them also freezes what survived (like
``startup_gc`` after the first paint): by then the start-up's second wave of long-lived
objects is in, and later full collections walk only what came after it.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

#: Seconds without input before a due full collection runs.
QUIET = 0.4
#: Seconds after which a due full collection runs even while keys keep coming.
OVERDUE = 30.0
#: Middle-generation collections that make a full one due (CPython's default threshold).
DUE_AFTER = 10
#: The threshold that keeps CPython from starting full collections on its own.
NEVER = 2**31 - 1


class IdleCollector:
    """Runs the full collections when input is quiet (see the module docstring).

    Args:
        clock: Monotonic seconds.
        collect: Runs a collection of the given generation.
        counts: The collector's counts per generation (``gc.get_count``).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 collect: Callable[[int], int] = gc.collect,
                 counts: Callable[[], tuple[int, int, int]] = gc.get_count,
                 freeze: Callable[[], None] = gc.freeze) -> None:
        self._clock, self._collect, self._counts = clock, collect, counts
        self._freeze = freeze
        self._refrozen = False
        self._saved: tuple[int, int, int] | None = None
        self._last_input = self._last_full = clock()

    @property
    def active(self) -> bool:
        """Whether full collections are ours (between ``take_over`` and ``give_back``)."""
        return self._saved is not None

    def take_over(self) -> None:
        """Stop CPython's automatic full collections; ``tick`` runs them from now on."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            young, middle, _full = self._saved
            gc.set_threshold(young, middle, NEVER)

    def give_back(self) -> None:
        """Restore CPython's own thresholds (at exit, or in a test)."""
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def input_seen(self) -> None:
        """A key or mouse event arrived."""
        self._last_input = self._clock()

    def input_quiet(self) -> bool:
        """No key or mouse event for :data:`QUIET` seconds (a moment for deferred work)."""
        return self._clock() - self._last_input >= QUIET

    def tick(self) -> bool:
        """Run a due full collection if input is quiet or it is overdue; True if it ran."""
        if self._saved is None or self._counts()[2] < DUE_AFTER:
            return False
        now = self._clock()
        if not self.input_quiet() and now - self._last_full < OVERDUE:
            return False
        self._collect(2)
        if not self._refrozen:
            # The first one runs once the start-up's second wave (network stack, sync
            # workers, the reader's modules) is in: those live as long as the process, so
            # later full collections need not walk them again.
            self._freeze()
            self._refrozen = True
        self._last_full = self._clock()
        return True
