"""Drafts that are never lost: the composer's local and server saves, and what closing or
discarding does with the draft.

A mixin for ``ComposeScreen`` (plain ``on_*`` handlers and methods, so Textual finds them
through the class hierarchy). Every change marks the draft dirty; it is saved locally after
``save_delay`` seconds of quiet and at least every ``save_every`` seconds while dirty
(``outbox.save_local_draft``), and to the server's Drafts folder every ``server_every`` seconds
while it changes (quietly: the local copy is the safety net) and when the composer is left.
It expects ``self.account``, ``self.key``, ``self.build_draft(rendered=...)``,
``self.has_invalid_addresses()``, ``self._server_id`` and a ``DraftSaved`` message class.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from textual.css.query import NoMatches
from textual.timer import Timer

from olk_tui.domain.errors import OlkError
from olk_tui.domain.mail import Draft
from olk_tui.domain.operations import DeleteMessages
from olk_tui.ui.compose.dialogs import ConfirmDiscardDialog
from olk_tui.ui.compose.widgets import toast


class DraftKeeping:
    """Screen behaviour: save the draft locally and to Drafts; close and discard it."""

    account: Any
    app: Any
    key: str
    build_draft: Any
    has_invalid_addresses: Any
    DraftSaved: Any
    _server_id: Any
    set_timer: Any
    set_interval: Any
    post_message: Any
    dismiss: Any
    log: Any

    def _setup_saving(self, *, save_delay: float, save_every: float, server_every: float,
                      reopened: bool) -> None:
        """The saving state, before mount (see the composer's ``__init__`` arguments)."""
        self._save_delay, self._save_every = save_delay, save_every
        self._debounce: Timer | None = None
        self._periodic: Timer | None = None
        self._server_timer: Timer | None = None
        self._server_every = server_every
        self._server_saved: Draft | None = None
        self._dirty = False
        self._finished = False
        self._busy = False
        #: Reopened drafts are never thrown away on close, even when left unchanged.
        self._reopened = reopened

    def start_saving(self) -> None:
        """Take the mounted fields as the baseline and start the periodic saves."""
        self._baseline = self.build_draft()
        #: What the local store holds (the starting state counts: nothing to save yet).
        self._stored = self._baseline
        self._periodic = self.set_interval(self._save_every, self._save_if_dirty)
        self._server_timer = self.set_interval(self._server_every, self._save_server_quietly)

    # ----------------------------------------------------------------- local saves

    def mark_dirty(self) -> None:
        """Note a change and (re)start the quiet-period timer for the local save."""
        if self._finished or not hasattr(self, "_baseline"):
            return
        try:
            # Kept current so a quit (widgets already gone) can still save the last keys.
            self._latest = self.build_draft()
        except NoMatches:
            return
        if self._latest == self._stored:
            # Events from filling the fields at mount, or an edit undone: nothing to save.
            self._dirty = False
            return
        self._dirty = True
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(self._save_delay, self._save_if_dirty)

    async def _save_if_dirty(self) -> None:
        if self._dirty and not self._finished and not self._busy:
            await self.save_local()

    async def save_local(self, draft: Draft | None = None) -> bool:
        """Save the draft (default: as the widgets hold it) locally now; True when stored."""
        draft = draft or self.build_draft()
        self._dirty = False
        try:
            await self.account.outbox.save_local_draft(self.key, draft)
        except OlkError as exc:
            self._dirty = True
            toast(self, f"Draft not saved locally: {exc}", severity="error")
            return False
        self._stored = draft
        self.post_message(self.DraftSaved(self.key))
        return True

    async def _save_server_quietly(self) -> None:
        """Periodic save to the Drafts folder; failures are only logged (the local draft
        holds everything, and leaving the composer tries again and says so)."""
        if self._finished or self._busy:
            return
        draft = self.build_draft(rendered=True)
        if draft == self._server_saved or self.build_draft() == self._baseline:
            return
        try:
            saved = await self.account.outbox.save_server_draft(draft)
        except OlkError as exc:
            self.log.warning(f"periodic server draft save failed: {exc}")
            return
        self._server_id = saved.server_id
        self._server_saved = dataclasses.replace(draft, server_id=saved.server_id)

    def _stop_timers(self) -> None:
        self._finished = True
        for timer in (self._debounce, self._periodic, self._server_timer):
            if timer is not None:
                timer.stop()

    async def on_unmount(self) -> None:
        """Closing the app with the composer open: save what the debounce has not yet."""
        pending = self._dirty and not self._finished and not self._busy
        self._stop_timers()
        if pending:
            await self.save_local(self._latest)

    # ----------------------------------------------------------------- close, discard

    def _unchanged(self) -> bool:
        return self.build_draft() == self._baseline

    async def action_close(self) -> None:
        """Save the draft (locally, then to the server's Drafts folder) and close."""
        if self._busy or self._finished:
            return
        self._busy = True
        if self._unchanged() and self._server_id is None and not self._reopened:
            self._stop_timers()
            await self._forget_local()
            self.dismiss(None)
            return
        stored = await self.save_local()
        self._stop_timers()
        draft = self.build_draft(rendered=True)
        try:
            async with asyncio.timeout(15):
                saved = await self.account.outbox.save_server_draft(draft)
        except (OlkError, TimeoutError) as exc:
            reason = str(exc) or "timed out"
            where = "kept locally and offered at the next start" if stored else "NOT saved"
            toast(self, f"Draft not saved to Drafts ({reason}); {where}.",
                        severity="warning" if stored else "error", timeout=10)
            if not stored:
                self._finished = self._busy = False
                return
            self.dismiss(None)
            return
        self._server_id = saved.server_id
        if self.has_invalid_addresses():
            toast(self, "Saved to Drafts without the invalid addresses; the full draft is "
                        "kept locally too.", severity="warning")
        else:
            await self._forget_local()
            toast(self, "Saved to Drafts")
        self.dismiss(None)

    async def _forget_local(self) -> None:
        try:
            await self.account.outbox.discard_local_draft(self.key)
        except OlkError as exc:
            toast(self, f"Local draft not removed: {exc}", severity="warning")

    def action_discard(self) -> None:
        """Ask, then throw the draft away."""
        self.app.push_screen(ConfirmDiscardDialog(), self._discard)

    async def _discard(self, discard: bool | None) -> None:
        if not discard:
            return
        self._stop_timers()
        await self._forget_local()
        if self._server_id is not None:
            # The copy in the Drafts folder goes to Deleted Items (recoverable), queued.
            try:
                await self.account.mail.submit(DeleteMessages((self._server_id,)))
            except OlkError as exc:
                toast(self, f"The copy in Drafts was not deleted: {exc}", severity="warning")
        self.dismiss(None)
