"""The request choke point: Prefer headers, URL safety, retries, concurrency, paging."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from olk_tui.domain.errors import (
    NotFound,
    Offline,
    OutcomeUnknown,
    ServerError,
    Throttled,
)
from olk_tui.graph.errors import UnsafeUrl
from olk_tui.graph.retry import RetryPolicy, parse_retry_after
from tests.graph.conftest import BASE


def ok(payload=None, status=200, headers=None):
    return httpx.Response(status, json=payload if payload is not None else {}, headers=headers)


async def test_prefer_immutable_id_and_timezone(make_client) -> None:
    seen: list[httpx.Request] = []

    def handler(request):
        seen.append(request)
        return ok({"value": []})

    client = make_client(handler, time_zone="Pacific Standard Time")
    await client.request("GET", "/me/messages")
    await client.request("GET", "/me/calendarView", params={"startDateTime": "a"},
                         headers={"Prefer": 'outlook.body-content-type="text"'})
    assert seen[0].headers["Prefer"] == 'IdType="ImmutableId"'
    assert seen[0].url == f"{BASE}/v1.0/me/messages"
    prefer = seen[1].headers["Prefer"]
    assert 'IdType="ImmutableId"' in prefer
    assert 'outlook.timezone="Pacific Standard Time"' in prefer
    assert 'outlook.body-content-type="text"' in prefer


async def test_mailbox_rewrites_me(make_client) -> None:
    seen: list[str] = []
    client = make_client(lambda r: seen.append(str(r.url)) or ok(), mailbox="adele@contoso.com")
    await client.request("GET", "/me/mailFolders")
    await client.request("GET", "/v1.0/me")
    await client.request("GET", "/users/x/events")
    assert seen == [f"{BASE}/v1.0/users/adele@contoso.com/mailFolders",
                    f"{BASE}/v1.0/users/adele@contoso.com", f"{BASE}/v1.0/users/x/events"]


@pytest.mark.parametrize("url", [
    "https://evil.example/v1.0/me/messages", "http://graph.test/v1.0/me",
    "https://graph.test:444/v1.0/me", "https://graph.test.evil.example/v1.0/me",
])
async def test_foreign_hosts_refused(make_client, url) -> None:
    calls: list[httpx.Request] = []
    client = make_client(lambda r: calls.append(r) or ok())
    with pytest.raises(UnsafeUrl):
        await client.request("GET", url)
    assert calls == []


# ------------------------------------------------------------------ Retry-After


@pytest.mark.parametrize(("value", "expected"), [
    ("2.128", 2.128), ("0", 0.0), ("7", 7.0), (" 1.5 ", 1.5), ("", None), ("soon", None),
    ("-3", None), ("nan", None), ("inf", None), (None, None), ("1e400", None),
])
def test_parse_retry_after(value, expected) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_http_date() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    value = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(value, now) == 30.0
    past = format_datetime(now - timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(past, now) == 0.0


def throttle_then_ok(retry_after_values):
    values = list(retry_after_values)

    def handler(request):
        if values:
            v = values.pop(0)
            headers = {"Retry-After": v} if v is not None else {}
            return httpx.Response(429, headers=headers,
                                  json={"error": {"code": "TooManyRequests", "message": "slow"}})
        return ok({"id": "1"})

    return handler


async def test_fractional_retry_after_honoured(make_client, fake_sleep) -> None:
    client = make_client(throttle_then_ok(["2.128", "0.5"]))
    response = await client.request("GET", "/me")
    assert response.json() == {"id": "1"}
    assert fake_sleep.waits == [2.128, 0.5]


async def test_missing_and_garbage_retry_after_use_backoff(make_client, fake_sleep) -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=30.0)
    client = make_client(throttle_then_ok([None, "garbage", "-1"]), retry=policy)
    await client.request("GET", "/me")
    assert len(fake_sleep.waits) == 3
    # backoff with jitter: attempt n waits in [ceiling/2, ceiling], ceiling = 1, 2, 4
    for wait, ceiling in zip(fake_sleep.waits, (1.0, 2.0, 4.0), strict=True):
        assert ceiling / 2 <= wait <= ceiling


async def test_http_date_retry_after(make_client, fake_sleep) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    client = make_client(throttle_then_ok([when]))
    await client.request("GET", "/me")
    assert len(fake_sleep.waits) == 1 and 15 <= fake_sleep.waits[0] <= 21


async def test_huge_retry_after_capped_then_budget_raises(make_client, fake_sleep) -> None:
    policy = RetryPolicy(max_retry_after=60.0, max_total_wait=100.0)
    client = make_client(throttle_then_ok(["99999"] * 10), retry=policy)
    with pytest.raises(Throttled) as info:
        await client.request("GET", "/me")
    assert fake_sleep.waits == [60.0]
    assert info.value.retry_after == 99999.0
    assert info.value.code == "TooManyRequests"


async def test_long_plausible_retry_after_is_not_cut_short(make_client, fake_sleep) -> None:
    # Outlook's 10-minute budget answers up to 600 s: retrying after 120 s would be refused
    # again and count against the budget (FACTS #18), so the call gives up at once instead.
    client = make_client(throttle_then_ok(["600"] * 3), retry=RetryPolicy())
    with pytest.raises(Throttled) as info:
        await client.request("GET", "/me")
    assert fake_sleep.waits == []
    assert info.value.retry_after == 600.0


async def test_max_attempts(make_client, fake_sleep) -> None:
    client = make_client(throttle_then_ok(["0.1"] * 10), retry=RetryPolicy(max_attempts=3))
    with pytest.raises(Throttled):
        await client.request("GET", "/me")
    assert fake_sleep.waits == [0.1, 0.1]


async def test_503_and_504_retried_for_get(make_client, fake_sleep) -> None:
    statuses = [503, 504]

    def handler(request):
        return httpx.Response(statuses.pop(0)) if statuses else ok({"ok": True})

    client = make_client(handler)
    assert (await client.request("GET", "/me")).json() == {"ok": True}
    assert len(fake_sleep.waits) == 2


async def test_post_504_is_outcome_unknown_not_retried(make_client) -> None:
    calls: list[httpx.Request] = []
    client = make_client(lambda r: calls.append(r) or httpx.Response(504))
    with pytest.raises(OutcomeUnknown):
        await client.request("POST", "/me/sendMail", json={"message": {}})
    assert len(calls) == 1


async def test_post_429_is_retried(make_client, fake_sleep) -> None:
    client = make_client(throttle_then_ok(["1"]))
    await client.request("POST", "/me/sendMail", json={})
    assert fake_sleep.waits == [1.0]


async def test_post_read_timeout_is_outcome_unknown(make_client) -> None:
    calls: list[httpx.Request] = []

    def handler(request):
        calls.append(request)
        raise httpx.ReadTimeout("slow", request=request)

    client = make_client(handler)
    with pytest.raises(OutcomeUnknown):
        await client.request("POST", "/me/messages/1/send")
    assert len(calls) == 1


async def test_post_connect_error_is_retried(make_client, fake_sleep) -> None:
    calls: list[httpx.Request] = []

    def handler(request):
        calls.append(request)
        if len(calls) < 3:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(202)

    client = make_client(handler)
    assert (await client.request("POST", "/me/sendMail", json={})).status_code == 202
    assert len(calls) == 3


async def test_get_transport_error_becomes_offline(make_client, fake_sleep) -> None:
    def handler(request):
        raise httpx.ReadError("reset", request=request)

    client = make_client(handler, retry=RetryPolicy(max_attempts=4))
    with pytest.raises(Offline):
        await client.request("GET", "/me")
    assert len(fake_sleep.waits) == 3


async def test_post_idempotent_flag_allows_retry(make_client, fake_sleep) -> None:
    statuses = [504]
    client = make_client(lambda r: httpx.Response(statuses.pop(0)) if statuses else ok())
    await client.request("POST", "/me/calendar/getSchedule", json={}, idempotent=True)
    assert len(fake_sleep.waits) == 1


async def test_not_found_not_retried(make_client, fake_sleep) -> None:
    client = make_client(lambda r: httpx.Response(404, json={"error": {
        "code": "ErrorItemNotFound", "message": "gone"}}, headers={"request-id": "rid"}))
    with pytest.raises(NotFound) as info:
        await client.request("GET", "/me/messages/x")
    assert info.value.request_id == "rid" and fake_sleep.waits == []


# ------------------------------------------------------------------ concurrency


async def test_at_most_four_in_flight_under_fifty_calls(make_client) -> None:
    in_flight = 0
    peak = 0
    gate = asyncio.Event()

    async def handler(request):
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        if in_flight >= 4:
            gate.set()
        await gate.wait()
        await asyncio.sleep(0)
        in_flight -= 1
        return ok({"n": 1})

    from olk_tui.graph.client import GraphClient

    client = GraphClient(BASE, transport=httpx.MockTransport(handler))
    try:
        results = await asyncio.gather(*(client.request("GET", f"/me/messages/{i}")
                                         for i in range(50)))
    finally:
        await client.aclose()
    assert len(results) == 50
    assert peak == 4


# ------------------------------------------------------------------ paging


async def test_pages_follow_whole_next_link_and_return_delta(make_client) -> None:
    urls: list[str] = []

    def handler(request):
        urls.append(str(request.url))
        page = int(request.url.params.get("page", "0"))
        if page < 4:
            return ok({"value": [{"id": str(page)}],
                       "@odata.nextLink": f"{BASE}/v1.0/me/messages/delta?$skiptoken=x&page="
                                          f"{page + 1}"})
        return ok({"value": [{"id": "4"}, "junk"],
                   "@odata.deltaLink": f"{BASE}/v1.0/me/messages/delta?$deltatoken=d"})

    client = make_client(handler)
    pages = [p async for p in client.pages("/me/messages/delta", params={"$select": "id"},
                                           headers={"Prefer": "odata.maxpagesize=1"})]
    assert [i["id"] for p in pages for i in p.items] == ["0", "1", "2", "3", "4"]
    assert pages[-1].delta_link.endswith("$deltatoken=d")
    assert all(p.delta_link is None for p in pages[:-1])
    assert "%24select=id" in urls[0] or "$select=id" in urls[0]
    assert "select" not in urls[1]  # the nextLink is used as sent


async def test_foreign_next_link_refused(make_client) -> None:
    calls: list[str] = []

    def handler(request):
        calls.append(str(request.url))
        return ok({"value": [{"id": "a"}], "@odata.nextLink": "https://evil.example/steal"})

    client = make_client(handler)
    with pytest.raises(UnsafeUrl):
        async for _page in client.pages("/me/messages"):
            pass
    assert len(calls) == 1


async def test_next_link_loop_stops(make_client) -> None:
    calls: list[str] = []

    def handler(request):
        calls.append(str(request.url))
        return ok({"value": [], "@odata.nextLink": f"{BASE}/v1.0/me/messages?$skip=10"})

    client = make_client(handler)
    with pytest.raises(ServerError):
        async for _page in client.pages("/me/messages"):
            pass
    assert len(calls) == 2


async def test_non_json_success_body(make_client) -> None:
    client = make_client(lambda r: httpx.Response(200, text="<html>proxy</html>"))
    with pytest.raises(ServerError):
        await client.get_json("/me")


async def test_json_body_sent(make_client) -> None:
    bodies = []
    client = make_client(lambda r: bodies.append(json.loads(r.content)) or ok())
    await client.request("PATCH", "/me/messages/1", json={"isRead": True})
    assert bodies == [{"isRead": True}]
