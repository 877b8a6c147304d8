"""``DeferredAuth``: the real auth is made on the first request, once, off the event loop."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import httpx
import pytest

from olk_tui.commands.auth import graph_auth_for, token_slug
from olk_tui.config import AccountConfig, Settings
from olk_tui.domain.errors import AuthRequired
from olk_tui.graph.account import token_slug as graph_token_slug
from olk_tui.graph.auth import AccessToken, DeferredAuth, GraphAuth
from olk_tui.graph.client import GraphClient


class _Provider:
    def __init__(self) -> None:
        self.calls = 0

    def acquire(self, *, force_refresh: bool = False) -> AccessToken:
        self.calls += 1
        return AccessToken(f"tok{self.calls}", 1e12)


def _client(auth: httpx.Auth, seen: list[httpx.Request]) -> GraphClient:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "u1"})

    return GraphClient("https://graph.example", auth, transport=httpx.MockTransport(answer))


async def test_resolved_on_the_first_request_once_in_a_worker_thread() -> None:
    threads: list[threading.Thread] = []
    provider = _Provider()

    def resolve() -> httpx.Auth:
        threads.append(threading.current_thread())
        return GraphAuth(provider)

    auth = DeferredAuth(resolve)
    seen: list[httpx.Request] = []
    client = _client(auth, seen)
    assert not auth.resolved and not client.connected
    await asyncio.gather(*(client.get_json("/me") for _ in range(5)))
    assert len(threads) == 1 and threads[0] is not threading.main_thread()
    assert [r.headers["Authorization"] for r in seen] == ["Bearer tok1"] * 5
    await client.aclose()


async def test_no_tokens_fails_a_real_account_and_not_an_emulator() -> None:
    seen: list[httpx.Request] = []
    real = _client(DeferredAuth(lambda: None, required=True), seen)
    with pytest.raises(AuthRequired) as caught:
        await real.get_json("/me")
    assert "olk-tui login" in (caught.value.hint or "") and not seen
    emulator = _client(DeferredAuth(lambda: None, required=False), seen)
    assert await emulator.get_json("/me") == {"id": "u1"}
    assert "Authorization" not in seen[0].headers
    await real.aclose()
    await emulator.aclose()


def test_sync_flow_delegates_too() -> None:
    auth = DeferredAuth(lambda: GraphAuth(_Provider()))
    with httpx.Client(transport=httpx.MockTransport(
            lambda r: httpx.Response(200, text=r.headers.get("Authorization", "")))) as http:
        assert http.get("https://graph.example/v1.0/me", auth=auth).text == "Bearer tok1"


def test_lazy_graph_auth_for_opens_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import olk_tui.commands.auth as command

    monkeypatch.setattr(command, "session_for", lambda target: pytest.fail("opened"))
    auth = graph_auth_for(Settings(), AccountConfig(name="a", emulator="http://127.0.0.1:9"),
                          lazy=True)
    assert isinstance(auth, DeferredAuth) and not auth.resolved


@pytest.mark.parametrize("name", ["work", "a b/c", "..", "", "Ünï", "x.y-z_1"])
@pytest.mark.parametrize("emulator", ["", "http://127.0.0.1:1"])
def test_token_slug_matches_the_graph_layer(name: str, emulator: str) -> None:
    account = AccountConfig(name=name, emulator=emulator)
    assert token_slug(account) == graph_token_slug(account)


def test_has_stored_tokens_reads_the_store_without_msal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import olk_tui.commands.auth as command
    from olk_tui.graph.token_store import FileStore

    monkeypatch.setattr(command, "state_dir", lambda: tmp_path)
    account = AccountConfig(name="a", emulator="http://127.0.0.1:9")
    assert not command.has_stored_tokens(Settings(), account)
    FileStore(tmp_path / f"tokens-{token_slug(account)}.json").save('{"Account": {}}')
    assert command.has_stored_tokens(Settings(), account)


def test_a_signed_in_account_is_known_without_opening_the_keyring(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Importing keyring and probing its backends is ~0.1 s before the first paint: once an
    account is known to have signed in, a note beside the token file answers instead."""
    import olk_tui.commands.auth as command
    import olk_tui.graph.token_store as token_store

    monkeypatch.setattr(command, "state_dir", lambda: tmp_path)
    account = AccountConfig(name="work", client_id="c")
    probes: list[str] = []

    class Keyring:
        def __init__(self, tokens: str | None) -> None:
            self.tokens = tokens

        def load(self) -> str | None:
            probes.append("keyring")
            return self.tokens

    monkeypatch.setattr(token_store, "choose_store",
                        lambda *a, **k: Keyring('{"RefreshToken": {}}'))
    assert command.has_stored_tokens(Settings(), account)  # keyring asked once...
    assert probes == ["keyring"]
    note = tmp_path / f"signed-in-{token_slug(account)}"
    assert note.exists() and note.stat().st_mode & 0o077 == 0 and note.read_bytes() == b""
    assert command.has_stored_tokens(Settings(), account)  # ...then the note answers
    assert probes == ["keyring"]
    command.mark_signed_in(account, False)  # logout drops it
    monkeypatch.setattr(token_store, "choose_store", lambda *a, **k: Keyring(None))
    assert not command.has_stored_tokens(Settings(), account)
    assert not note.exists()


async def test_a_configuration_error_becomes_auth_required_on_the_request() -> None:
    from olk_tui.domain.errors import ConfigError

    def resolve() -> httpx.Auth:
        raise ConfigError("no client_id", key="client_id")

    seen: list[httpx.Request] = []
    client = _client(DeferredAuth(resolve), seen)
    with pytest.raises(AuthRequired, match="no client_id"):
        await client.get_json("/me")
    assert not seen
    await client.aclose()


async def test_reset_after_signing_in_in_the_app_picks_up_the_new_tokens() -> None:
    tokens: list[GraphAuth | None] = [None]
    auth = DeferredAuth(lambda: tokens[0], required=True)
    client = _client(auth, seen := [])
    with pytest.raises(AuthRequired):
        await client.request("GET", "/me")
    tokens[0] = GraphAuth(_Provider())  # the device-code dialog stored tokens
    with pytest.raises(AuthRequired):  # still the settled "no token" until reset
        await client.request("GET", "/me")
    auth.reset()
    await client.request("GET", "/me")
    assert seen and seen[-1].headers["authorization"] == "Bearer tok1"
    await client.aclose()
