"""Fixtures for the Graph client tests: sample loading, a fake clock and a mock Graph."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.samples import SAMPLES as _SAMPLES_DIR

SAMPLES = _SAMPLES_DIR
BASE = "https://graph.test"


def sample(name: str) -> Any:
    """A response sample by its stem, e.g. ``message-get.1``."""
    return json.loads((SAMPLES / "responses" / f"{name}.json").read_text(encoding="utf-8"))


class FakeSleep:
    """Records waits instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def fake_sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
async def make_client(fake_sleep: FakeSleep) -> Any:
    """Build a GraphClient over a MockTransport handler; closes them at teardown."""
    from olk_tui.graph.client import GraphClient

    made: list[GraphClient] = []

    def build(handler: Callable[[httpx.Request], Any], **kw: Any) -> GraphClient:
        kw.setdefault("sleep", fake_sleep)
        client = GraphClient(BASE, transport=httpx.MockTransport(handler), **kw)
        made.append(client)
        return client

    yield build
    for c in made:
        await c.aclose()
