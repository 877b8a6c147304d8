"""Fixtures for sync tests: an emulator served over loopback, a counting transport, and an
account wired to both with a fast sleeper (no real waiting on backoff)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from olk_tui.emulator.core import Emulator
from olk_tui.graph.client import GraphClient
from olk_tui.graph.retry import RetryPolicy
from olk_tui.sync.account import AccountServices, build_account
from olk_tui.sync.api import Account, RepoEvent


async def fast_sleep(seconds: float) -> None:
    """Yield to the loop without waiting."""
    await asyncio.sleep(0)


class CountingTransport(httpx.AsyncBaseTransport):
    """Counts requests and bytes on their way to a real transport."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[tuple[str, str]] = []
        self.bytes_in = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.method, request.url.path))
        response = await self.inner.handle_async_request(request)
        # Count wire bytes (gzip as sent) and pass them on unread, headers unchanged; a mock's
        # response was read when it was built, so its decoded content is passed on instead.
        try:
            body = b"".join([chunk async for chunk in response.aiter_raw()])
            headers = httpx.Headers(response.headers)
        except httpx.StreamConsumed:
            body = response.content
            headers = httpx.Headers({k: v for k, v in response.headers.items()
                                     if k.lower() not in ("content-encoding", "content-length")})
        self.bytes_in += len(body)
        return httpx.Response(response.status_code, headers=headers,
                              stream=httpx.ByteStream(body), request=request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def reset(self) -> None:
        self.requests.clear()
        self.bytes_in = 0


def make_client(base_url: str, transport: httpx.AsyncBaseTransport) -> GraphClient:
    return GraphClient(base_url, transport=transport, sleep=fast_sleep,
                       retry=RetryPolicy(max_attempts=4, base_delay=0.001, max_delay=0.01,
                                         max_retry_after=0.01, max_total_wait=1.0))


class Harness:
    """An account on an emulator, with the events it announced and the request counter."""

    def __init__(self, emu: Emulator, account: Account, counter: CountingTransport) -> None:
        self.emu = emu
        self.account = account
        self.counter = counter
        self.events: list[RepoEvent] = []
        account.mail.subscribe(self.events.append)

    @property
    def svc(self) -> AccountServices:
        return self.account.services  # type: ignore[attr-defined,no-any-return]

    @property
    def mb(self) -> Any:
        return self.emu.default_mailbox

    def folder(self, well_known: str) -> str:
        return str(self.mb.well_known[well_known])

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]


@pytest.fixture
def emu() -> Emulator:
    return Emulator.demo(size=120, seed=1)


@pytest.fixture
def server(emu: Emulator) -> Iterator[Any]:
    srv = emu.serve()
    try:
        yield srv
    finally:
        srv.close()


async def open_harness(emu: Emulator, base_url: str, db: Path,
                       inner: httpx.AsyncBaseTransport | None = None) -> Harness:
    counter = CountingTransport(inner or httpx.AsyncHTTPTransport())
    client = make_client(base_url, counter)
    account = build_account("test", client, db, sleep=fast_sleep, debounce=0)
    h = Harness(emu, account, counter)
    await h.svc.start(account, background=False)
    return h


@pytest.fixture
async def h(emu: Emulator, server: Any, tmp_path: Path) -> AsyncIterator[Harness]:
    harness = await open_harness(emu, server.base_url, tmp_path / "acct.sqlite3")
    try:
        yield harness
    finally:
        await harness.account.close()  # type: ignore[misc]


@pytest.fixture
async def hi(emu: Emulator, tmp_path: Path) -> AsyncIterator[Harness]:
    """The same, over the in-process transport (faster, for request counting)."""
    harness = await open_harness(emu, "https://graph.emulator.test", tmp_path / "i.sqlite3",
                                 emu.transport(sleep=fast_sleep))
    try:
        yield harness
    finally:
        await harness.account.close()  # type: ignore[misc]
