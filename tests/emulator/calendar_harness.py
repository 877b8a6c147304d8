"""Test helpers for the calendar engineer's emulator tests: an emulator with Megan and Adele
and a frozen clock, and httpx clients on its in-process transport."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from olk_tui.emulator.clock import Clock
from olk_tui.emulator.core import Emulator

BASE = "https://graph.emulator.test/v1.0"
FROZEN = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # a Monday, 08:00 Pacific


def make_emulator() -> Emulator:
    """A fresh emulator (no auth) with Megan (the default /me) and Adele, clock frozen."""
    emu = Emulator(require_auth=False, clock=Clock(frozen=FROZEN))
    emu.add_mailbox("megan@contoso.example", "Megan Bowen")
    emu.add_mailbox("adele@contoso.example", "Adele Vance")
    return emu


def client(emu: Emulator, user: str | None = None) -> httpx.AsyncClient:
    """An AsyncClient on ``emu``; ``user`` targets ``/users/{user}`` instead of ``/me``."""
    base = BASE + (f"/users/{user}" if user else "/me")
    return httpx.AsyncClient(transport=emu.transport(), base_url=base)
