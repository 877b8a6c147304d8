"""GraphAuth (bearer + one shared refresh on 401), MSAL error hints, token stores."""

from __future__ import annotations

import asyncio
import os
import stat
import threading

import httpx
import pytest

from olk_tui.domain.errors import AuthRequired
from olk_tui.graph.auth import AccessToken, GraphAuth, auth_error
from olk_tui.graph.client import GraphClient
from olk_tui.graph.token_store import (
    FileStore,
    KeyringStore,
    MemoryStore,
    choose_store,
    save_with_fallback,
    usable_keyring,
)
from tests.graph.conftest import BASE

EXPIRED = {"error": {"code": "InvalidAuthenticationToken",
                     "message": "Access token has expired or is not yet valid."}}


class FakeProvider:
    def __init__(self) -> None:
        self.calls: list[bool] = []
        self.n = 0
        self.lock = threading.Lock()

    def acquire(self, *, force_refresh: bool = False) -> AccessToken:
        with self.lock:
            self.calls.append(force_refresh)
            self.n += 1
            return AccessToken(f"tok{self.n}", 1e12)


async def test_bearer_added_and_refreshed_once_for_many_waiters() -> None:
    provider = FakeProvider()
    auth = GraphAuth(provider)
    gate = asyncio.Event()
    arrived = 0

    async def handler(request):
        nonlocal arrived
        if request.headers["Authorization"] == "Bearer tok1":
            arrived += 1
            if arrived >= 10:
                gate.set()
            await gate.wait()
            return httpx.Response(401, json=EXPIRED)
        return httpx.Response(200, json={"auth": request.headers["Authorization"]})

    client = GraphClient(BASE, auth, transport=httpx.MockTransport(handler), max_in_flight=10)
    try:
        results = await asyncio.gather(*(client.get_json("/me") for _ in range(10)))
    finally:
        await client.aclose()
    assert {r["auth"] for r in results} == {"Bearer tok2"}
    assert auth.refreshes == 1
    assert provider.calls == [False, True]


async def test_second_401_becomes_auth_required() -> None:
    provider = FakeProvider()
    seen: list[str] = []

    def handler(request):
        seen.append(request.headers["Authorization"])
        return httpx.Response(401, json=EXPIRED)

    client = GraphClient(BASE, GraphAuth(provider), transport=httpx.MockTransport(handler))
    try:
        with pytest.raises(AuthRequired) as info:
            await client.get_json("/me")
    finally:
        await client.aclose()
    assert seen == ["Bearer tok1", "Bearer tok2"]
    assert info.value.hint


async def test_other_401_codes_do_not_refresh() -> None:
    provider = FakeProvider()
    body = {"error": {"code": "ErrorAccessDenied", "message": "no"}}
    client = GraphClient(BASE, GraphAuth(provider),
                         transport=httpx.MockTransport(lambda r: httpx.Response(401, json=body)))
    try:
        with pytest.raises(AuthRequired):
            await client.get_json("/me")
    finally:
        await client.aclose()
    assert provider.calls == [False]


async def test_token_cached_until_near_expiry() -> None:
    now = [1000.0]

    class Expiring(FakeProvider):
        def acquire(self, *, force_refresh: bool = False) -> AccessToken:
            super().acquire(force_refresh=force_refresh)
            return AccessToken(f"tok{self.n}", now[0] + 3600)

    provider = Expiring()
    auth = GraphAuth(provider, clock=lambda: now[0])
    client = GraphClient(BASE, auth, transport=httpx.MockTransport(
        lambda r: httpx.Response(200, json={"a": r.headers["Authorization"]})))
    try:
        assert (await client.get_json("/me"))["a"] == "Bearer tok1"
        assert (await client.get_json("/me"))["a"] == "Bearer tok1"
        now[0] += 3600 - 60
        assert (await client.get_json("/me"))["a"] == "Bearer tok2"
    finally:
        await client.aclose()


def test_provider_auth_required_propagates_without_traceback_noise() -> None:
    class NoLogin:
        def acquire(self, *, force_refresh: bool = False) -> AccessToken:
            raise AuthRequired("Not signed in", hint="Run 'olk-tui login'.")

    async def go():
        client = GraphClient(BASE, GraphAuth(NoLogin()),
                             transport=httpx.MockTransport(lambda r: httpx.Response(200)))
        try:
            await client.get_json("/me")
        finally:
            await client.aclose()

    with pytest.raises(AuthRequired):
        asyncio.run(go())


@pytest.mark.parametrize(("result", "code", "words"), [
    ({"error": "invalid_grant", "error_description": "AADSTS65001: The user or administrator "
      "has not consented"}, "AADSTS65001", "consent"),
    ({"error": "interaction_required", "error_description": "AADSTS50076: Due to a config",
      "error_codes": [50076]}, "AADSTS50076", "second factor"),
    ({"error": "invalid_grant", "error_description": "AADSTS700082: The refresh token has "
      "expired due to inactivity."}, "AADSTS700082", "olk-tui login"),
    ({"error": "invalid_grant", "error_description": "AADSTS70008: expired"}, "AADSTS70008",
     "olk-tui login"),
    ({"error": "invalid_grant", "error_description": "something new\r\nTrace ID: x"},
     "invalid_grant", "olk-tui login"),
    (None, "NotSignedIn", "olk-tui login"),
])
def test_auth_error_hints(result, code, words) -> None:
    err = auth_error(result)
    assert isinstance(err, AuthRequired)
    assert err.code == code
    assert words in (err.hint + str(err))
    assert "Trace ID" not in str(err)


# ------------------------------------------------------------------ token stores


def test_file_store_is_private_and_atomic(tmp_path) -> None:
    store = FileStore(tmp_path / "state" / "tokens-a.json")
    assert store.load() is None
    store.save('{"secret": 1}')
    store.save('{"secret": 2}')
    assert store.load() == '{"secret": 2}'
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(store.path.parent).st_mode) == 0o700
    assert [p.name for p in store.path.parent.iterdir()] == ["tokens-a.json"]
    assert store.delete() is True and store.delete() is False


class FakeBackend:
    priority = 5

    def __init__(self, fail_set: bool = False) -> None:
        self.data: dict[tuple[str, str], str] = {}
        self.fail_set = fail_set

    def get_password(self, service, user):
        return self.data.get((service, user))

    def set_password(self, service, user, value):
        if self.fail_set:
            raise RuntimeError("keyring locked")
        self.data[(service, user)] = value

    def delete_password(self, service, user):
        del self.data[(service, user)]


def test_usable_keyring_detection() -> None:
    from keyring.backends import chainer, fail, null

    assert not usable_keyring(fail.Keyring())
    assert not usable_keyring(null.Keyring())
    empty = chainer.ChainerBackend.__new__(chainer.ChainerBackend)
    empty.__dict__["backends"] = []
    assert not usable_keyring(empty)
    assert usable_keyring(FakeBackend())

    class PlaintextKeyring(FakeBackend):
        pass

    assert not usable_keyring(PlaintextKeyring())
    assert not usable_keyring(None)


def test_choose_store(tmp_path) -> None:
    from keyring.backends import fail

    store = choose_store("acc", tmp_path, backend=fail.Keyring())
    assert isinstance(store, FileStore) and "keyring" in store.notice
    assert store.path == tmp_path / "tokens-acc.json"
    assert isinstance(choose_store("acc", tmp_path, backend=FakeBackend()), KeyringStore)
    emulated = choose_store("acc", tmp_path, backend=FakeBackend(), prefer_file=True)
    assert isinstance(emulated, FileStore) and emulated.notice == ""


def test_keyring_store_round_trip_and_fallback(tmp_path) -> None:
    backend = FakeBackend()
    store = KeyringStore("msal-cache:a", backend)
    store.save("cache")
    assert store.load() == "cache" and store.delete() and store.load() is None
    fallback = FileStore(tmp_path / "t.json")
    used = save_with_fallback(KeyringStore("u", FakeBackend(fail_set=True)), "cache", fallback)
    assert used is fallback and fallback.load() == "cache" and "refused" in fallback.notice
    assert MemoryStore("x").delete() is True
