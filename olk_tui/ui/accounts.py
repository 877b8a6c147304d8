"""Several accounts in one app: which one is shown, starting their sync, and the Inbox
unread counts of the others for the status line.

Each account has its own screens: its modes are named ``mail``/``calendar``/``contacts`` for
the first account and ``mail@1``... for the others, registered the first time the account is
shown, so the mode keys (1, 2, 3) always mean "this account's mail/calendar/contacts". The
first account's sync starts after the first paint; the others start in the background once
the first account's first sync pass has ended, one every ``stagger`` seconds (or when the
user switches to one first), and keep syncing, so their counts and new-mail toasts follow
(see ``olk_tui.ui.switching``). An account that has never signed in (``needs_sign_in``) is
not started until it has (``olk_tui.ui.signins``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from olk_tui.domain.errors import OlkError
from olk_tui.sync.api import Account
from olk_tui.ui.text import inline

if TYPE_CHECKING:
    from olk_tui.ui.app import OlkApp

#: The app's per-account modes.
KINDS = ("mail", "calendar", "contacts")


class Accounts:
    """The accounts of the app and which one is current (see module docstring)."""

    def __init__(self, accounts: Sequence[Account]) -> None:
        if not accounts:
            raise ValueError("the app needs at least one account")
        self.all = list(accounts)
        self.index = 0
        self.started: set[int] = set()
        #: Accounts the app follows (announcements, new-mail toasts, sign-in); the app
        #: follows the first one itself from its mount.
        self.activated: set[int] = {0}
        #: Accounts whose event reminders run (the first one's from the start).
        self.reminded: set[int] = {0}
        #: Seconds between starting the other accounts in the background.
        self.stagger = 2.0
        #: Seconds after which the others start even if the first sync has not ended.
        self.others_deadline = 30.0
        self.unsubscribe: list[Callable[[], None]] = []

    @property
    def current(self) -> Account:
        """The account on screen."""
        return self.all[self.index]

    def mode(self, kind: str, index: int | None = None) -> str:
        """The mode name of ``kind`` ("mail", ...) for an account (default: the current)."""
        index = self.index if index is None else index
        return kind if index == 0 or kind not in KINDS else f"{kind}@{index}"

    def start(self, app: OlkApp, index: int) -> bool:
        """Start an account's sync (once) in a worker; True when it was started now.

        An account that has never signed in is not started (False): the sign-in starts it.
        """
        if index in self.started or self.all[index].needs_sign_in:
            return False
        self.started.add(index)
        account = self.all[index]

        async def start() -> None:
            result = account.start()  # type: ignore[misc]
            if inspect.isawaitable(result):
                await result
        if account.start is not None:
            app.run_worker(start, group=f"sync-start-{index}", exit_on_error=False,
                           description=f"start sync of {account.name}")
        return True

    async def close(self) -> None:
        """Stop listening and close every account."""
        for stop in self.unsubscribe:
            stop()
        self.unsubscribe.clear()
        for account in self.all:
            if account.close is not None:
                result = account.close()
                if inspect.isawaitable(result):
                    await result

    async def others_unread(self) -> list[tuple[str, int | None]]:
        """(name, Inbox unread count from its cache, None when unknown) of the others."""
        out: list[tuple[str, int | None]] = []
        for i, account in enumerate(self.all):
            if i == self.index:
                continue
            try:
                folders = await account.mail.folders()
            except OlkError:
                out.append((account.name, None))
                continue
            inbox = next((f for f in folders if f.well_known_name == "inbox"), None)
            out.append((account.name, inbox.unread_count if inbox else None))
        return out


def others_text(counts: list[tuple[str, int | None]]) -> str:
    """``home 3 · shared`` for the status line (names sanitised; no count when unknown)."""
    return " · ".join(inline(name, 20) + (f" {n:,}" if n else "") for name, n in counts)
