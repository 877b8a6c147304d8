"""Outlook's per app id + mailbox budgets (FACTS #15): requests per 10 minutes and upload bytes
per 5 minutes, sliding windows on the emulator clock, 429 with Retry-After when spent."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import httpx
import pytest

from olk_tui.emulator import Emulator
from olk_tui.emulator.budgets import MB, BudgetLimits
from tests.emulator.conftest import BASE, make_emulator

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ALEX = "/users/alex@contoso.example"


def _emu(**limits: float) -> Emulator:
    emu = make_emulator(5)
    emu.clock.freeze(T0)
    emu.budgets.limits = BudgetLimits(**limits)  # type: ignore[arg-type]
    return emu


def _client(emu: Emulator, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(transport=emu.sync_transport(), base_url=BASE, headers=headers)


def _assert_too_many_requests(resp: httpx.Response, retry_after: int) -> None:
    assert resp.status_code == 429
    assert resp.headers["Retry-After"] == str(retry_after)
    error = resp.json()["error"]
    assert error["code"] == "TooManyRequests"
    assert error["message"] == "Please retry again later."
    assert error["innerError"]["code"] == "429" and error["innerError"]["status"] == "429"


def test_defaults_are_graphs() -> None:
    for emu in (Emulator(), Emulator.demo(size=10)):
        limits = emu.budgets.limits
        assert (limits.requests, limits.request_window) == (10_000, 600)
        assert (limits.upload_bytes, limits.upload_window) == (150 * MB, 300)


def test_limits_can_be_given_to_the_constructor() -> None:
    emu = Emulator(require_auth=False, limits=BudgetLimits(requests=1))
    emu.add_mailbox("megan@contoso.example", "Megan Bowen")
    with _client(emu) as c:
        assert [c.get("/me").status_code for _ in range(2)] == [200, 429]


def test_over_the_request_budget_is_429_until_the_window_slides() -> None:
    emu = _emu(requests=5, request_window=60)
    with _client(emu) as c:
        assert [c.get("/me/mailFolders").status_code for _ in range(5)] == [200] * 5
        _assert_too_many_requests(c.get("/me/mailFolders"), 60)
        # Another mailbox of the same app is not affected.
        assert c.get(f"{ALEX}/mailFolders").status_code == 200
        emu.clock.advance(30)
        # Throttled requests count too: the early retry is refused and pushes the wait out.
        _assert_too_many_requests(c.get("/me/messages"), 30)
        emu.clock.advance(29.5)
        _assert_too_many_requests(c.get("/me/messages"), 1)
        emu.clock.advance(0.5)
        assert c.get("/me/messages").status_code == 200
    assert emu.budgets.usage(None, "megan@contoso.example") == (3, 0)


def test_the_request_window_slides_per_request() -> None:
    emu = _emu(requests=4, request_window=60)
    with _client(emu) as c:
        for _ in range(2):
            assert c.get("/me").status_code == 200
        emu.clock.advance(40)
        for _ in range(2):
            assert c.get("/me").status_code == 200
        emu.clock.advance(10)
        # Full; the first two leave the window at T0+60: 10 s from now.
        _assert_too_many_requests(c.get("/me"), 10)
        emu.clock.advance(10)
        assert c.get("/me").status_code == 200
        assert c.get("/me").status_code == 429  # 2 + 1 refused + 1 = back at the limit


def test_another_app_on_the_same_mailbox_is_unaffected() -> None:
    emu = make_emulator(5, require_auth=True)
    emu.clock.freeze(T0)
    emu.budgets.limits = BudgetLimits(requests=3)
    first = emu.identity.issue_token("megan@contoso.example", client_id="app-one")
    second = emu.identity.issue_token("megan@contoso.example", client_id="app-two")
    same_app = emu.identity.issue_token("megan@contoso.example", client_id="app-one")
    with _client(emu, first) as c1, _client(emu, second) as c2, _client(emu, same_app) as c3:
        assert [c1.get("/me/messages").status_code for _ in range(3)] == [200] * 3
        assert c1.get("/me/messages").status_code == 429
        # A second token of the same app shares the budget; another app has its own.
        assert c3.get("/me/messages").status_code == 429
        assert c2.get("/me/messages").status_code == 200
    assert emu.budgets.usage("app-two", "megan@contoso.example") == (1, 0)


def test_requests_that_reach_no_mailbox_do_not_count() -> None:
    emu = _emu(requests=2)
    with _client(emu) as c:
        assert c.get("/users/nobody@contoso.example/messages").status_code == 404
        assert c.get("/me/nonsense/segment").status_code == 400
        assert c.get("/me").status_code == 200
    assert emu.budgets.usage(None, "megan@contoso.example") == (1, 0)


def _draft(c: httpx.Client, prefix: str = "/me") -> str:
    return str(c.post(f"{prefix}/messages", json={"subject": "files"}).json()["id"])


def _attachment(size: int) -> dict[str, str]:
    return {"@odata.type": "#microsoft.graph.fileAttachment", "name": "f.bin",
            "contentBytes": base64.b64encode(b"\0" * size).decode()}


def test_large_post_attachments_spend_the_upload_budget() -> None:
    emu = _emu(upload_bytes=6 * MB, upload_window=300)
    with _client(emu) as c:
        mid = _draft(c)
        # 2 MB of content is ~2.7 MB of JSON body: two fit in 6 MB, a third does not.
        assert c.post(f"/me/messages/{mid}/attachments", json=_attachment(2 * MB)
                      ).status_code == 201
        emu.clock.advance(100)
        assert c.post(f"/me/messages/{mid}/attachments", json=_attachment(2 * MB)
                      ).status_code == 201
        third = c.post(f"/me/messages/{mid}/attachments", json=_attachment(2 * MB))
        assert third.status_code == 429
        assert third.headers["Retry-After"] == "200"  # the first body leaves at T0+300
        assert third.json()["error"]["code"] == "ApplicationThrottled"
        assert third.json()["error"]["message"] == "Application is over its IncomingBytes limit."
        assert len(c.get(f"/me/messages/{mid}/attachments").json()["value"]) == 2
        # Reads still work (only the request budget applies), and Alex can upload.
        assert c.get(f"/me/messages/{mid}").status_code == 200
        alex_mid = _draft(c, ALEX)
        assert c.post(f"{ALEX}/messages/{alex_mid}/attachments", json=_attachment(2 * MB)
                      ).status_code == 201
        emu.clock.advance(200)
        assert c.post(f"/me/messages/{mid}/attachments", json=_attachment(2 * MB)
                      ).status_code == 201
    _, used = emu.budgets.usage(None, "megan@contoso.example")
    assert 5 * MB < used <= 6 * MB


def test_large_puts_to_an_upload_session_spend_the_upload_budget() -> None:
    emu = _emu(upload_bytes=10 * MB, upload_window=300)
    data = bytes(range(256)) * (12 * MB // 256)
    with _client(emu) as c, httpx.Client(transport=emu.sync_transport()) as raw:
        mid = _draft(c)
        url = c.post(f"/me/messages/{mid}/attachments/createUploadSession", json={
            "AttachmentItem": {"attachmentType": "file", "name": "big.bin",
                               "size": len(data)}}).json()["uploadUrl"]

        def put(start: int) -> httpx.Response:
            end = min(start + 4 * MB, len(data)) - 1
            return raw.put(url, content=data[start: end + 1], headers={
                "Content-Range": f"bytes {start}-{end}/{len(data)}"})

        assert put(0).status_code == 200
        emu.clock.advance(60)
        assert put(4 * MB).status_code == 200
        third = put(8 * MB)
        assert third.status_code == 429
        assert third.headers["Retry-After"] == "240"  # the first 4 MB leave at T0+300
        assert third.json()["error"]["code"] == "ApplicationThrottled"
        # The mailbox is still readable; another mailbox can still upload.
        assert c.get(f"/me/messages/{mid}/attachments").json()["value"] == []
        alex_mid = _draft(c, ALEX)
        assert c.post(f"{ALEX}/messages/{alex_mid}/attachments", json=_attachment(2 * MB)
                      ).status_code == 201
        emu.clock.advance(240)
        last = put(8 * MB)  # the refused range was not stored: the same PUT again
        assert last.status_code == 201
    aid = last.headers["Location"].rsplit("/", 1)[-1]
    with _client(emu) as c:
        assert c.get(f"/me/messages/{mid}/attachments/{aid}/$value").content == data


def test_upload_url_requests_count_against_the_request_budget() -> None:
    emu = _emu(requests=3)
    with _client(emu) as c, httpx.Client(transport=emu.sync_transport()) as raw:
        mid = _draft(c)
        url = c.post(f"/me/messages/{mid}/attachments/createUploadSession", json={
            "AttachmentItem": {"attachmentType": "file", "name": "big.bin",
                               "size": 4 * MB}}).json()["uploadUrl"]
        first = raw.put(url, content=b"x" * MB, headers={
            "Content-Range": f"bytes 0-{MB - 1}/{4 * MB}"})
        assert first.status_code == 200
        _assert_too_many_requests(raw.put(url, content=b"x" * MB, headers={
            "Content-Range": f"bytes {MB}-{2 * MB - 1}/{4 * MB}"}), 600)


def _batch(c: httpx.Client, requests: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    resp = c.post("/$batch", json={"requests": requests})
    assert resp.status_code == 200
    return {r["id"]: r for r in resp.json()["responses"]}


@pytest.mark.parametrize("ordered", [False, True])
def test_batch_items_count_and_are_throttled_one_by_one(ordered: bool) -> None:
    emu = _emu(requests=3, request_window=60)
    items: list[dict[str, object]] = [
        {"id": str(i), "method": "GET", "url": "/me/mailFolders/inbox"} for i in range(1, 6)]
    items.append({"id": "alex", "method": "GET", "url": f"{ALEX}/mailFolders/inbox"})
    if ordered:
        for i in range(2, 6):  # a chain 1 <- 2 <- ... <- 5; Alex's item stands alone
            items[i - 1]["dependsOn"] = [str(i - 1)]
    with _client(emu) as c:
        by_id = _batch(c, items)
        statuses = [by_id[str(i)]["status"] for i in range(1, 6)]
        if ordered:  # one at a time: item 4 is throttled, so 5 fails its dependency
            assert statuses == [200, 200, 200, 429, 424]
        else:  # waves of 4: which three of the first wave win is not fixed
            assert sorted(statuses) == [200, 200, 200, 429, 429]  # type: ignore[type-var]
        assert by_id["alex"]["status"] == 200
        throttled = next(r for r in by_id.values() if r["status"] == 429)
        headers = throttled["headers"]
        assert isinstance(headers, dict) and headers["Retry-After"] == "60"
        body = throttled["body"]
        assert isinstance(body, dict) and body["error"]["code"] == "TooManyRequests"
        # The $batch request itself reaches no mailbox and is not charged.
        used, _ = emu.budgets.usage(None, "megan@contoso.example")
        assert used == (5 if not ordered else 4)
        emu.clock.advance(60)
        again = _batch(c, [{"id": "1", "method": "GET", "url": "/me/mailFolders/inbox"}])
        assert again["1"]["status"] == 200


def test_batch_item_bodies_spend_the_upload_budget() -> None:
    emu = _emu(upload_bytes=9 * MB // 2)
    with _client(emu) as c:
        mid = _draft(c)
        post = {"method": "POST", "url": f"/me/messages/{mid}/attachments",
                "headers": {"Content-Type": "application/json"}, "body": _attachment(MB)}
        by_id = _batch(c, [{"id": str(i), **post} for i in range(1, 5)])
    assert sorted(int(str(r["status"])) for r in by_id.values()) == [201, 201, 201, 429]
    body = next(r["body"] for r in by_id.values() if r["status"] == 429)
    assert isinstance(body, dict) and body["error"]["code"] == "ApplicationThrottled"


async def test_graph_client_waits_out_the_budget_and_succeeds() -> None:
    from olk_tui.graph.client import GraphClient

    emu = _emu(requests=2, request_window=90)
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)
        emu.clock.advance(seconds)

    client = GraphClient(BASE, transport=emu.transport(), sleep=sleep)
    try:
        for _ in range(3):
            resp = await client.request("GET", "/me/mailFolders")
            assert resp.status_code == 200
    finally:
        await client.aclose()
    assert 90 in waited
