"""Faults in the Graph client: throttling storms, ambiguous failures, token expiry mid-queue,
where the bearer token may go, and hostile bodies (request level, mapping level, sync level)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from olk_tui.domain.errors import GraphError, OutcomeUnknown, ServerError, Throttled
from olk_tui.graph.auth import AccessToken, GraphAuth
from olk_tui.graph.client import GraphClient, json_object
from olk_tui.graph.jsontext import loads
from olk_tui.graph.mapping.calendar import event_from_json
from olk_tui.graph.mapping.mail import message_from_json, summary_from_json
from olk_tui.graph.retry import RetryPolicy

BASE = "https://graph.test"
HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"


class Sleeps:
    """A fake clock: records every wait instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


def client_for(handler: Any, sleep: Sleeps, **kw: Any) -> GraphClient:
    return GraphClient(BASE, kw.pop("auth", None), transport=httpx.MockTransport(handler),
                       sleep=sleep, **kw)


# ---- throttling storms -------------------------------------------------------------------

#: (Retry-After header or None, the wait it must cause: a number, or a (low, high) range for
#: backoff with jitter, depending on the attempt).
_VARIANTS: list[tuple[str | None, Any]] = [
    ("2.128", 2.128), (None, "backoff"), ("0", 0.0), ("-5", "backoff"), ("soon", "backoff"),
    ("date", (25.0, 31.0)), ("99999999", 120.0), ("0.25", 0.25), ("nan", "backoff"),
    ("1e400", "backoff"), ("", "backoff"),
]


async def test_hundred_consecutive_429s_each_retry_after_honoured() -> None:
    sleep = Sleeps()
    calls: list[int] = []
    headers_sent: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) <= 100:
            value, _ = _VARIANTS[(len(calls) - 1) % len(_VARIANTS)]
            if value == "date":
                value = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
            headers_sent.append(value)
            headers = {"Retry-After": value} if value is not None else {}
            return httpx.Response(429, headers=headers, json={"error": {"code": "TooManyRequests"}})
        return httpx.Response(200, json={"ok": True})

    policy = RetryPolicy(max_attempts=101, max_total_wait=10**9, max_delay=30.0)
    client = client_for(handler, sleep, retry=policy)
    try:
        response = await client.request("GET", "/me/messages")
    finally:
        await client.aclose()
    assert response.status_code == 200 and len(calls) == 101
    assert len(sleep.waits) == 100
    for i, wait in enumerate(sleep.waits):
        expected = _VARIANTS[i % len(_VARIANTS)][1]
        attempt = i + 1
        if expected == "backoff":
            ceiling = min(30.0, 0.5 * 2 ** (attempt - 1))
            assert ceiling / 2 <= wait <= ceiling, (i, headers_sent[i], wait)
        elif isinstance(expected, tuple):
            assert expected[0] <= wait <= expected[1], (i, headers_sent[i], wait)
        else:
            assert wait == pytest.approx(expected), (i, headers_sent[i], wait)
        assert 0 <= wait <= 120.0


async def test_429_storm_with_default_policy_gives_typed_errors_and_recovers() -> None:
    sleep = Sleeps()
    count = {"n": 0, "storm": True}

    def handler(request: httpx.Request) -> httpx.Response:
        count["n"] += 1
        if count["storm"]:
            return httpx.Response(429, headers={"Retry-After": "1"})
        return httpx.Response(200, json={"value": []})

    client = client_for(handler, sleep)
    failures = 0
    try:
        while count["n"] < 100:
            with pytest.raises(Throttled):
                await client.request("GET", "/me/messages")
            failures += 1
        count["storm"] = False
        assert (await client.request("GET", "/me/messages")).status_code == 200
    finally:
        await client.aclose()
    assert failures >= 100 // RetryPolicy().max_attempts
    assert all(w == 1.0 for w in sleep.waits)


async def test_never_more_than_four_in_flight_during_a_storm() -> None:
    sleep = Sleeps()
    in_flight = {"now": 0, "max": 0}
    seen: dict[str, int] = {}

    async def handler(request: httpx.Request) -> httpx.Response:
        in_flight["now"] += 1
        in_flight["max"] = max(in_flight["max"], in_flight["now"])
        try:
            for _ in range(3):
                await asyncio.sleep(0)
            key = request.url.path
            seen[key] = seen.get(key, 0) + 1
            if seen[key] <= 3:
                return httpx.Response(429, headers={"Retry-After": "0.01"})
            return httpx.Response(200, json={})
        finally:
            in_flight["now"] -= 1

    client = client_for(handler, sleep)
    try:
        results = await asyncio.gather(*(client.request("GET", f"/me/messages/m{i}")
                                         for i in range(40)))
    finally:
        await client.aclose()
    assert all(r.status_code == 200 for r in results)
    assert in_flight["max"] <= 4 and in_flight["max"] >= 2
    assert sum(seen.values()) == 160


# ---- ambiguous failures ------------------------------------------------------------------

@pytest.mark.parametrize(("method", "retried"), [
    ("GET", True), ("PUT", True), ("DELETE", True), ("PATCH", True), ("POST", False)])
async def test_only_idempotent_requests_retried_after_a_read_timeout(method: str,
                                                                     retried: bool) -> None:
    sleep = Sleeps()
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) == 1:
            raise httpx.ReadTimeout("timed out", request=request)
        return httpx.Response(200, json={})

    client = client_for(handler, sleep)
    try:
        if retried:
            assert (await client.request(method, "/me/messages/x", json={})).status_code == 200
        else:
            with pytest.raises(OutcomeUnknown):
                await client.request(method, "/me/sendMail", json={})
    finally:
        await client.aclose()
    assert len(calls) == (2 if retried else 1)


# ---- token expiry in the middle of a queue -----------------------------------------------

class Provider:
    """A token provider that counts forced refreshes (blocking, as MSAL is)."""

    def __init__(self) -> None:
        self.generation = 0
        self.forced = 0

    def acquire(self, *, force_refresh: bool = False) -> AccessToken:
        if force_refresh:
            self.forced += 1
            self.generation += 1
        return AccessToken(f"opaque-token-{self.generation}", expires_at=10**10)


async def test_token_expiry_mid_queue_refreshes_once_for_all() -> None:
    provider = Provider()
    auth = GraphAuth(provider)
    expired = asyncio.Event()
    seen: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        token = request.headers.get("authorization", "")
        seen.append(token)
        if len(seen) == 6:
            expired.set()  # the token dies while the rest of the queue is in flight
        await asyncio.sleep(0)
        if expired.is_set() and token == "Bearer opaque-token-0":
            return httpx.Response(401, json={"error": {"code": "InvalidAuthenticationToken"}})
        return httpx.Response(200, json={})

    client = client_for(handler, Sleeps(), auth=auth)
    try:
        results = await asyncio.gather(*(client.request("GET", f"/me/messages/{i}")
                                         for i in range(30)))
    finally:
        await client.aclose()
    assert all(r.status_code == 200 for r in results)
    assert provider.forced == 1
    assert seen.count("Bearer opaque-token-1") >= 1


# ---- where the bearer token may go -------------------------------------------------------

@pytest.mark.parametrize("foreign", [
    "https://evil.example/v1.0/me/messages?$skip=10",
    "http://graph.test/v1.0/me/messages?$skip=10",
    "https://graph.test.evil.example/v1.0/me/messages",
    "https://graph.test@evil.example/v1.0/me/messages",
    "https://graph.test:444/v1.0/me/messages",
])
async def test_bearer_token_only_sent_to_the_graph_host(foreign: str) -> None:
    provider = Provider()
    hosts: list[tuple[str, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append((str(request.url), request.headers.get("authorization")))
        return httpx.Response(200, json={"value": [{"id": "1"}], "@odata.nextLink": foreign})

    client = client_for(handler, Sleeps(), auth=GraphAuth(provider))
    pages = []
    try:
        with pytest.raises(GraphError):
            async for page in client.pages("/me/messages"):
                pages.append(page)
    finally:
        await client.aclose()
    assert len(pages) <= 1
    assert all(url.startswith(BASE + "/") for url, _ in hosts), hosts


async def test_next_link_loop_stops() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"value": [{"id": "1"}],
                                         "@odata.nextLink": f"{BASE}/v1.0/me/messages?$skip=1"})

    client = client_for(handler, Sleeps())
    count = 0
    try:
        with pytest.raises(GraphError):
            async for _ in client.pages("/me/messages"):
                count += 1
                assert count < 1000
    finally:
        await client.aclose()


# ---- bad bodies: the request alone fails, with a typed error -----------------------------

_BAD_BODIES = {
    "truncated": b'{"value": [{"id": "1", "subject": "hel',
    "html-error-page": b"<html><body><h1>502 Bad Gateway</h1></body></html>",
    "invalid-utf8": b'{"value": [{"subject": "\xff\xfe\xc3"}]}',
    "deep": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "deep-list": b"[" * 100_000 + b"]" * 100_000,
    "not-an-object": b"[1, 2, 3]",
}


@pytest.mark.parametrize("name", sorted(_BAD_BODIES))
async def test_bad_body_fails_that_request_alone(name: str) -> None:
    body = _BAD_BODIES[name]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/bad"):
            return httpx.Response(200, content=body, headers={"content-type": "application/json"})
        return httpx.Response(200, json={"id": "good"})

    client = client_for(handler, Sleeps())
    try:
        with pytest.raises(ServerError):
            await client.get_json("/me/bad")
        assert (await client.get_json("/me/good"))["id"] == "good"
    finally:
        await client.aclose()


def test_lone_surrogates_become_replacement_characters_and_pairs_survive() -> None:
    raw = (b'{"subject": "a\\ud800b\\udfffc\\udbff", "ok": "\\ud83d\\ude00", '
           b'"\\udc00key": ["x\\ud800", {"deep": "\\uDFFF"}]}')
    data = loads(raw)
    assert data["subject"] == "a\ufffdb\ufffdc\ufffd"
    assert data["ok"] == "\U0001F600"
    assert data["\ufffdkey"] == ["x\ufffd", {"deep": "\ufffd"}]
    json.dumps(data, ensure_ascii=False).encode("utf-8")  # encodable everywhere now
    response = httpx.Response(200, content=raw)
    assert json_object(response)["subject"] == "a\ufffdb\ufffdc\ufffd"


def test_cesu_encoded_surrogate_bytes_are_repaired() -> None:
    assert loads(b'{"s": "a\xed\xa0\x80b"}')["s"] == "a\ufffdb"


# ---- bad fields: mapping never raises, the field alone degrades, with a reason -----------

@pytest.mark.parametrize("when", [
    "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "0000-00-00T00:00:00Z",
    "not a date", "", None, 12345, "2026-13-45T99:99:99Z", "\ud800"])
def test_message_dates_never_raise(when: Any) -> None:
    warnings: list[str] = []
    data = {"id": "m1", "subject": "s", "receivedDateTime": when, "sentDateTime": when}
    summary = summary_from_json(data, "inbox", warnings)
    message_from_json(data, "inbox", warnings)
    assert summary.id == "m1"


@pytest.mark.parametrize(("zone", "stamp"), [
    ("Customized Time Zone", "2026-03-01T09:00:00.0000000"),
    ("Not A Real Windows Zone", "2026-03-01T09:00:00.0000000"),
    ("tzone://Microsoft/Custom", "2026-03-01T09:00:00.0000000"),
    ("UTC", "0001-01-01T00:00:00.0000000"),
    ("Pacific Standard Time", "0001-01-01T00:00:00.0000000"),
    ("Dateline Standard Time", "9999-12-31T23:59:59.9999999"),
    ("Line Islands Standard Time", "9999-12-31T23:59:59.9999999"),
    ("", "garbage"),
])
def test_event_times_with_hostile_zones_never_raise(zone: str, stamp: str,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    warnings: list[str] = []
    data = {"id": "e1", "subject": "x", "start": {"dateTime": stamp, "timeZone": zone},
            "end": {"dateTime": stamp, "timeZone": zone}, "originalStartTimeZone": zone}
    with caplog.at_level(logging.DEBUG):
        event = event_from_json(data, warnings)
    assert event.id == "e1"
    if zone not in ("UTC", "Pacific Standard Time", "Dateline Standard Time",
                    "Line Islands Standard Time") or stamp == "garbage":
        assert warnings, "a degraded field must say why"


# ---- sync level: one hostile mailbox syncs whole -----------------------------------------

async def test_hostile_mailbox_syncs_every_message(tmp_path: Path) -> None:
    """Lone surrogates in one subject used to abort the whole Inbox page at the cache insert
    (UnicodeEncodeError in store/mail.py), so the hostile Inbox showed 0 messages."""
    from olk_tui.config import SyncConfig
    from olk_tui.emulator import Emulator
    from olk_tui.sync.account import build_account

    emu = Emulator.from_seed_dir(HOSTILE)
    client = GraphClient("https://graph.emulator.test", None, transport=emu.transport())
    account = build_account("h", client, tmp_path / "c.sqlite3", sync=SyncConfig())
    services = account.services  # type: ignore[attr-defined]
    try:
        await services.mail_sync.sync_folders()
        await services.mail_sync.sync_folder("inbox")
        count = await services.store.run(
            lambda s: s.conn.execute("SELECT count(*) FROM messages").fetchone()[0])
    finally:
        await account.close()
    expected = len(list((HOSTILE / "mail" / "inbox").glob("[0-9]*.json")))
    assert count >= expected


class _Corrupting(httpx.AsyncBaseTransport):
    """Passes requests to the emulator, but answers one folder's message delta with ``body``."""

    def __init__(self, inner: httpx.AsyncBaseTransport, needle: str, body: bytes) -> None:
        self.inner, self.needle, self.body, self.hits = inner, needle, body, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.needle in request.url.path and request.url.path.endswith("/messages/delta"):
            self.hits += 1
            return httpx.Response(200, content=self.body,
                                  headers={"content-type": "application/json"})
        return await self.inner.handle_async_request(request)


@pytest.mark.parametrize("body", [_BAD_BODIES["html-error-page"], _BAD_BODIES["truncated"],
                                  _BAD_BODIES["deep"]], ids=["html", "truncated", "deep"])
async def test_one_folder_with_a_bad_body_does_not_stop_the_sync(
        tmp_path: Path, body: bytes, caplog: pytest.LogCaptureFixture) -> None:
    from olk_tui.config import SyncConfig
    from olk_tui.emulator import Emulator
    from olk_tui.sync.account import build_account

    emu = Emulator.demo(size=30, seed=9)
    inbox = emu.default_mailbox.well_known["inbox"]
    transport = _Corrupting(emu.transport(), inbox, body)
    client = GraphClient("https://graph.emulator.test", None, transport=transport,
                         sleep=Sleeps())
    account = build_account("bad", client, tmp_path / "c.sqlite3", sync=SyncConfig())
    services = account.services  # type: ignore[attr-defined]
    try:
        with caplog.at_level(logging.WARNING), contextlib.suppress(GraphError):
            await services.engine.run_pass()
        counts = await services.store.run(lambda s: (
            s.conn.execute("SELECT count(*) FROM messages WHERE folder_id != ?",
                           (inbox,)).fetchone()[0],
            s.conn.execute("SELECT count(*) FROM contacts").fetchone()[0]))
    finally:
        await account.close()
    assert transport.hits >= 1
    others = [m for m in emu.default_mailbox.messages.values() if m["parentFolderId"] != inbox]
    assert others, "the demo must have mail outside the Inbox for this test to mean anything"
    assert counts[0] > 0, "folders after the broken one were never synced"
    assert counts[1] > 0, "contacts were never synced"
    assert any("not JSON" in r.getMessage() for r in caplog.records), "a logged reason"
    assert "not JSON" in services.status.current.last_error


_ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=20)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_ANY_TEXT, inner, max_size=4),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(_JSON)
def test_decoded_json_is_always_encodable_and_otherwise_unchanged(value: Any) -> None:
    raw = json.dumps(value, ensure_ascii=True).encode()
    decoded = loads(raw)
    json.dumps(decoded, ensure_ascii=False).encode("utf-8")  # never UnicodeEncodeError
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return  # it held a lone surrogate: replaced, checked above
    assert decoded == json.loads(raw)
