"""Several accounts in one app: which one is shown, starting the others lazily, and the Inbox
unread counts of the others for the status line.

Each account has its own screens: its modes are named ``mail``/``calendar``/``contacts`` for
the first account and ``mail@1``... for the others, registered the first time the account is
shown, so the mode keys (1, 2, 3) always mean "this account's mail/calendar/contacts". Only
the first account's sync starts with the app; another one starts when it is first shown, and
keeps syncing in the background after the user switches away (its counts stay fresh).
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
        """Start an account's sync (once) in a worker; True when it was started now."""
        if index in self.started:
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
