"""Listener registry shared by the repositories of one account.

Listeners run on the event loop that owns the repositories; a listener that raises is logged
and skipped so one broken widget cannot stop sync.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from olk_tui.sync.api import Listener, RepoEvent

log = logging.getLogger(__name__)


class Announcer:
    """Fan-out of ``RepoEvent``s to subscribed listeners."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Register ``listener``; returns a function that unregisters it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def emit(self, event: RepoEvent) -> None:
        """Call every listener with ``event``."""
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a listener bug must not stop sync
                log.exception("repository listener failed on %s", type(event).__name__)
