"""One account's sync status (online/offline, syncing, pending operations, progress), announced
as ``SyncStatus`` whenever it changes."""

from __future__ import annotations

from dataclasses import replace

from olk_tui.sync.announce import Announcer
from olk_tui.sync.api import SyncState, SyncStatus


class StatusTracker:
    """Merges what the sync engine and the operation runner report into one ``SyncStatus``."""

    def __init__(self, announcer: Announcer) -> None:
        self._announce = announcer
        self._status = SyncStatus()
        self._syncing = False
        self._online = True
        self._auth = False

    @property
    def current(self) -> SyncStatus:
        """The last announced status."""
        return self._status

    @property
    def online(self) -> bool:
        """Whether the last network exchange worked."""
        return self._online

    def _state(self) -> SyncState:
        if self._auth:
            return SyncState.AUTH_REQUIRED
        if not self._online:
            return SyncState.OFFLINE
        return SyncState.SYNCING if self._syncing else SyncState.IDLE

    def _publish(self, **changes: object) -> None:
        new = replace(self._status, state=self._state(), **changes)  # type: ignore[arg-type]
        if new != self._status:
            self._status = new
            self._announce.emit(new)

    def set_pending(self, count: int) -> None:
        """Operations waiting in the queue."""
        self._publish(pending_operations=count)

    def set_syncing(self, syncing: bool, detail: str = "", progress: float | None = None) -> None:
        """The sync engine started or finished a pass (``progress`` 0..1 while history loads)."""
        self._syncing = syncing
        self._publish(detail=detail, progress=progress if syncing else None)

    def set_online(self, online: bool, error: str = "") -> None:
        """The network worked (or did not)."""
        self._online = online
        if online:
            self._auth = False
        self._publish(last_error="" if online else error)

    def set_auth_required(self, error: str) -> None:
        """Sign-in is needed."""
        self._auth = True
        self._publish(last_error=error)

    def set_error(self, error: str) -> None:
        """A sync step failed while the network works (shown, not "offline")."""
        self._publish(last_error=error)
