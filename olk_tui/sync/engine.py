"""The sync engine: background passes over folders, messages, calendar windows and contacts.

The first pass brings the folder tree, then the Inbox (its newest page first), then the other
folders, calendars and contacts. Later passes poll the Inbox every ``interval`` seconds and the
other folders every fourth pass, each with its delta link (one request per unchanged folder).
``request(folder)`` runs a pass at once with that folder first. Failures mark the account
offline and retry with backoff up to 60 s; the cache keeps answering meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from olk_tui.domain.errors import AuthRequired, GraphError, Offline
from olk_tui.domain.mail import WellKnownFolder
from olk_tui.store import AsyncStore
from olk_tui.sync.loop import WakeLoop
from olk_tui.sync.mailsync import MailSync
from olk_tui.sync.pimsync import PimSync, month_windows
from olk_tui.sync.status import StatusTracker

log = logging.getLogger(__name__)

#: Folders synced right after the Inbox, in this order.
_NEXT = (WellKnownFolder.SENT_ITEMS, WellKnownFolder.DRAFTS, WellKnownFolder.ARCHIVE,
         WellKnownFolder.DELETED_ITEMS, WellKnownFolder.JUNK_EMAIL)


class SyncEngine:
    """Schedules ``MailSync`` and ``PimSync`` passes."""

    def __init__(self, store: AsyncStore, mail: MailSync, pim: PimSync, status: StatusTracker,
                 *, interval: float = 60.0,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self._store = store
        self.mail = mail
        self.pim = pim
        self._status = status
        self._passes = 0
        self._wanted: list[str] = []
        self._calendar_due = True
        self._loop = WakeLoop("olk-sync", self.run_pass, status, sleep=sleep,
                              interval=interval)

    def start(self) -> None:
        """Start background passes (the first runs at once)."""
        self._loop.start()

    async def close(self) -> None:
        """Stop."""
        await self._loop.close()

    def request(self, folder_id: str | None = None) -> None:
        """Run a pass soon, with ``folder_id`` first."""
        if folder_id and folder_id not in self._wanted:
            self._wanted.append(folder_id)
        self._loop.wake()

    def watch(self, start: datetime, end: datetime) -> None:
        """Keep the calendar months covering ``[start, end)`` in sync (refresh them now)."""
        new = set(month_windows(start, end)) - self.pim.windows
        self.pim.windows.update(new)
        self._calendar_due = True
        if new:
            self._loop.wake()

    async def _order(self, everything: bool) -> list[str]:
        def order(s: Any) -> list[str]:
            folders = s.mail.folders()
            known = {f.id for f in folders}
            first = [f for f in self._wanted if f in known]
            inbox = s.mail.folder_id_by_well_known(WellKnownFolder.INBOX.value)
            out = [*first, *([inbox] if inbox else [])]
            if everything:
                for name in _NEXT:
                    fid = s.mail.folder_id_by_well_known(name.value)
                    if fid:
                        out.append(fid)
                out += [f.id for f in folders if not f.is_hidden]
            return list(dict.fromkeys(out))

        return await self._store.run(order)

    async def run_pass(self) -> None:
        """One pass.

        A failure that concerns one folder, window or the contacts (a bad answer, a refused
        query) is logged and reported in the status, and the pass goes on with the rest; a
        lost connection or sign-in (``Offline``, ``AuthRequired``) stops it and is raised for
        the loop to back off.
        """
        everything = self._passes % 4 == 0
        self._status.set_syncing(True, "Checking for changes")
        problems: list[str] = []
        try:
            await self.mail.sync_folders()
            self._status.set_online(True)
            for folder_id in await self._order(everything):
                await self._guard(problems, self.mail.sync_folder(folder_id))
                if folder_id in self._wanted:
                    self._wanted.remove(folder_id)
            if everything or self._calendar_due:
                if everything:
                    await self._guard(problems, self.pim.sync_calendars())
                for start, end in sorted(self.pim.windows):
                    await self._guard(problems, self.pim.sync_window(start, end))
                self._calendar_due = False
            if everything:
                await self._guard(problems, self.pim.sync_contacts())
            self._passes += 1
        finally:
            self._status.set_syncing(False)
        if problems:
            self._status.set_error(problems[0])

    @staticmethod
    async def _guard(problems: list[str], work: Awaitable[Any]) -> None:
        try:
            await work
        except (Offline, AuthRequired):
            raise
        except GraphError as exc:
            log.warning("sync step failed: %s", exc)
            problems.append(str(exc))
