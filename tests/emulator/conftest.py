"""Fixtures for the emulator-core tests: a small two-mailbox emulator and clients over the
in-process transports (tests of the loopback server start their own)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from olk_tui.emulator import Emulator
from olk_tui.emulator.sample import build_mail_sample

BASE = "https://graph.emulator.test/v1.0"


def make_emulator(size: int = 30, *, require_auth: bool = False) -> Emulator:
    """Megan (with ``size`` sample Inbox messages and Projects/Falcon, Receipts) and Alex."""
    emu = Emulator(require_auth=require_auth)
    emu.add_mailbox("megan@contoso.example", "Megan Bowen")
    emu.add_mailbox("alex@contoso.example", "Alex Wilber")
    build_mail_sample(emu, size=size, seed=1)
    return emu


@pytest.fixture
def emu() -> Emulator:
    return make_emulator()


@pytest.fixture
def client(emu: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(transport=emu.sync_transport(), base_url=BASE) as c:
        yield c


@pytest.fixture
async def aclient(emu: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=emu.transport(), base_url=BASE) as c:
        yield c
