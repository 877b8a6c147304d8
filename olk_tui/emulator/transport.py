"""In-process httpx transports over an :class:`~olk_tui.emulator.core.Emulator`.

The async transport yields to the event loop between taking a mailbox slot and answering, so
requests a client fires concurrently really overlap, and the emulator's 4-per-mailbox limit
(429 ``ApplicationThrottled``) bites exactly as the real service's would.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import httpx

from olk_tui.emulator.compression import encode

if TYPE_CHECKING:
    from olk_tui.emulator.core import Emulator
    from olk_tui.emulator.router import Response


def _to_httpx(resp: Response, request: httpx.Request) -> httpx.Response:
    if resp.reset:
        raise httpx.RemoteProtocolError(
            "Server disconnected without sending a response.", request=request)
    headers, content = encode(resp.all_headers(), resp.content(),
                              request.headers.get("accept-encoding"))
    if resp.status != 204:
        headers["Content-Length"] = str(len(content))
    # A stream, not ``content=``: httpx would decode given content at once, and the client must
    # receive the bytes as they would come off the wire (its raw stream, its byte counts).
    return httpx.Response(resp.status, headers=headers, stream=httpx.ByteStream(content),
                          request=request)


class AsyncEmulatorTransport(httpx.AsyncBaseTransport):
    """``httpx.AsyncClient(transport=emu.transport())``: answers any host in-process."""

    def __init__(self, emulator: Emulator,
                 sleep: Callable[[float], Awaitable[None]] | None = None) -> None:
        self._emu = emulator
        self._sleep = sleep or asyncio.sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Run one request through the emulator's pipeline."""
        body = await request.aread()
        emu = self._emu
        ex = emu.begin(request.method, str(request.url), request.headers, body)
        try:
            # Let other concurrently started requests take their slots before we answer.
            await asyncio.sleep(0)
            if ex.delay:
                await self._sleep(ex.delay)
            resp = emu.finish(ex)
            await asyncio.sleep(0)
        finally:
            emu.release(ex)
        return _to_httpx(resp, request)


class SyncEmulatorTransport(httpx.BaseTransport):
    """``httpx.Client(transport=emu.sync_transport())``: answers any host in-process."""

    def __init__(self, emulator: Emulator,
                 sleep: Callable[[float], None] | None = None) -> None:
        self._emu = emulator
        self._sleep = sleep or time.sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Run one request through the emulator's pipeline."""
        body = request.read()
        resp = self._emu.handle(request.method, str(request.url), request.headers, body,
                                sleep=self._sleep)
        return _to_httpx(resp, request)
