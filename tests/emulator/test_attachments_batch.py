"""Attachments (small POST, upload sessions with ranges) and $batch rules."""

from __future__ import annotations

import base64

import httpx
import pytest

from olk_tui.emulator import Emulator

MB = 1024 * 1024


def _draft(client: httpx.Client) -> str:
    return client.post("/me/messages", json={"subject": "with file"}).json()["id"]


def _session(client: httpx.Client, mid: str, size: int) -> httpx.Response:
    return client.post(f"/me/messages/{mid}/attachments/createUploadSession", json={
        "AttachmentItem": {"attachmentType": "file", "name": "big.bin", "size": size}})


def test_small_attachment_roundtrip(client: httpx.Client) -> None:
    mid = _draft(client)
    made = client.post(f"/me/messages/{mid}/attachments", json={
        "@odata.type": "#microsoft.graph.fileAttachment", "name": "a.txt",
        "contentType": "text/plain", "contentBytes": base64.b64encode(b"hello").decode()})
    assert made.status_code == 201 and made.json()["size"] == 5
    aid = made.json()["id"]
    listed = client.get(f"/me/messages/{mid}/attachments",
                        params={"$filter": "ignored eq 1"}).json()["value"]
    assert [a["id"] for a in listed] == [aid]
    assert client.get(f"/me/messages/{mid}/attachments/{aid}/$value").content == b"hello"
    assert client.get(f"/me/messages/{mid}").json()["hasAttachments"] is True
    assert client.delete(f"/me/messages/{mid}/attachments/{aid}").status_code == 204
    assert client.get(f"/me/messages/{mid}").json()["hasAttachments"] is False
    too_big = client.post(f"/me/messages/{mid}/attachments", json={
        "@odata.type": "#microsoft.graph.fileAttachment", "name": "b.bin",
        "contentBytes": base64.b64encode(b"x" * (3 * MB + 1)).decode()})
    assert too_big.status_code == 413


def test_upload_session_in_ranges(client: httpx.Client, emu: Emulator) -> None:
    data = bytes(range(256)) * (5 * MB // 256) + b"tail"
    mid = _draft(client)
    resp = _session(client, mid, len(data))
    assert resp.status_code == 201
    session = resp.json()
    assert session["nextExpectedRanges"] == ["0-"] and session["expirationDateTime"]
    url = session["uploadUrl"]
    raw = httpx.Client(transport=emu.sync_transport())
    with_auth = raw.put(url, content=data[:MB], headers={
        "Authorization": "Bearer x", "Content-Range": f"bytes 0-{MB - 1}/{len(data)}"})
    assert with_auth.status_code == 401
    over = raw.put(url, content=data[: 4 * MB + 1],
                   headers={"Content-Range": f"bytes 0-{4 * MB}/{len(data)}"})
    assert over.status_code == 413
    first = raw.put(url, content=data[: 4 * MB],
                    headers={"Content-Range": f"bytes 0-{4 * MB - 1}/{len(data)}"})
    assert first.status_code == 200
    assert first.json()["NextExpectedRanges"] == [str(4 * MB)]
    overlap = raw.put(url, content=data[MB: 2 * MB],
                      headers={"Content-Range": f"bytes {MB}-{2 * MB - 1}/{len(data)}"})
    assert overlap.status_code == 416
    last = raw.put(url, content=data[4 * MB:],
                   headers={"Content-Range": f"bytes {4 * MB}-{len(data) - 1}/{len(data)}"})
    assert last.status_code == 201 and last.content == b""
    aid = last.headers["Location"].rsplit("/", 1)[-1]
    assert client.get(f"/me/messages/{mid}/attachments/{aid}/$value").content == data
    assert raw.put(url, content=b"x", headers={
        "Content-Range": f"bytes 0-0/{len(data)}"}).status_code == 404


def test_upload_session_cancel_and_limits(client: httpx.Client, emu: Emulator) -> None:
    mid = _draft(client)
    assert _session(client, mid, 1024).status_code == 400
    assert _session(client, mid, 151 * MB).status_code == 400
    url = _session(client, mid, 4 * MB).json()["uploadUrl"]
    raw = httpx.Client(transport=emu.sync_transport())
    assert raw.delete(url).status_code == 204
    assert raw.put(url, content=b"x", headers={
        "Content-Range": f"bytes 0-0/{4 * MB}"}).status_code == 404
    tampered = url.replace("authtoken=", "authtoken=x")
    url2 = _session(client, mid, 4 * MB).json()["uploadUrl"]
    assert raw.put(tampered, content=b"x").status_code == 404
    emu.clock.advance(3 * 3600)
    assert raw.put(url2, content=b"x", headers={
        "Content-Range": f"bytes 0-0/{4 * MB}"}).status_code == 404


def _batch(client: httpx.Client, requests: list[dict]) -> httpx.Response:
    return client.post("/$batch", json={"requests": requests})


def test_batch_limits_and_validation(client: httpx.Client) -> None:
    many = [{"id": str(i), "method": "GET", "url": "/me"} for i in range(21)]
    assert _batch(client, many).status_code == 400
    assert _batch(client, many[:20]).status_code == 200
    dup = [{"id": "a", "method": "GET", "url": "/me"}, {"id": "A", "method": "GET", "url": "/me"}]
    assert _batch(client, dup).status_code == 400
    absolute = [{"id": "1", "method": "GET", "url": "https://graph.microsoft.com/v1.0/me"}]
    assert _batch(client, absolute).status_code == 400
    no_ctype = [{"id": "1", "method": "POST", "url": "/me/messages", "body": {}}]
    assert _batch(client, no_ctype).status_code == 400
    unknown_dep = [{"id": "1", "method": "GET", "url": "/me", "dependsOn": ["9"]}]
    assert _batch(client, unknown_dep).status_code == 400


def test_batch_items_depends_on_and_424(client: httpx.Client, emu: Emulator) -> None:
    resp = _batch(client, [
        {"id": "1", "method": "POST", "url": "/me/messages",
         "headers": {"Content-Type": "application/json"}, "body": {"subject": "b"}},
        {"id": "2", "method": "GET", "url": "/me/messages/missing"},
        {"id": "3", "method": "GET", "url": "/me", "dependsOn": ["2"]},
        {"id": "4", "method": "GET", "url": "me/mailFolders/inbox", "dependsOn": ["1"]},
    ])
    assert resp.status_code == 200
    by_id = {r["id"]: r for r in resp.json()["responses"]}
    assert by_id["1"]["status"] == 201 and by_id["1"]["body"]["subject"] == "b"
    assert by_id["2"]["status"] == 404
    assert by_id["3"]["status"] == 424
    assert by_id["4"]["status"] == 200


def test_batch_responses_come_in_shuffled_order(client: httpx.Client) -> None:
    reqs = [{"id": str(i), "method": "GET", "url": "/me"} for i in range(10)]
    orders = {tuple(r["id"] for r in _batch(client, reqs).json()["responses"])
              for _ in range(3)}
    assert all(sorted(o, key=int) == [str(i) for i in range(10)] for o in orders)
    assert any(list(o) != [str(i) for i in range(10)] for o in orders)


def test_batch_items_are_throttled_per_item(client: httpx.Client, emu: Emulator) -> None:
    mb = emu.default_mailbox
    slots = [emu.try_slot(mb) for _ in range(4)]
    try:
        resp = _batch(client, [{"id": "1", "method": "GET", "url": "/me/messages"},
                               {"id": "2", "method": "GET",
                                "url": "/users/alex@contoso.example/messages"}])
    finally:
        for s in slots:
            assert s is not None
            emu.release_slot(s)
    assert resp.status_code == 200
    by_id = {r["id"]: r for r in resp.json()["responses"]}
    assert by_id["1"]["status"] == 429
    assert by_id["1"]["body"]["error"]["code"] == "ApplicationThrottled"
    assert "Retry-After" in by_id["1"]["headers"]
    assert by_id["2"]["status"] == 200


@pytest.mark.parametrize("body", [b"{", b"[]", b'{"requests": "x"}'])
def test_malformed_batch_is_400(client: httpx.Client, body: bytes) -> None:
    resp = client.post("/$batch", content=body, headers={"Content-Type": "application/json"})
    assert resp.status_code == 400


def test_item_attachment_expands_only_on_request(client: httpx.Client, emu: Emulator) -> None:
    mid = _draft(client)
    made = client.post(f"/me/messages/{mid}/attachments", json={
        "@odata.type": "#microsoft.graph.itemAttachment", "name": "Fwd",
        "item": {"@odata.type": "#microsoft.graph.message", "subject": "Inner",
                 "body": {"contentType": "text", "content": "inside"}}})
    assert made.status_code == 201
    aid = made.json()["id"]
    plain = client.get(f"/me/messages/{mid}/attachments/{aid}").json()
    assert "item" not in plain
    expanded = client.get(f"/me/messages/{mid}/attachments/{aid}",
                          params={"$expand": "microsoft.graph.itemAttachment/item"}).json()
    assert expanded["item"]["subject"] == "Inner" and "item@odata.context" in expanded
    assert b"Subject: Inner" in client.get(
        f"/me/messages/{mid}/attachments/{aid}/$value").content
    bad = client.post(f"/me/messages/{mid}/attachments", json={"@odata.type": None})
    assert bad.status_code == 400


def test_parallel_batch_items_compete_for_the_mailbox_slots(client: httpx.Client,
                                                            emu: Emulator) -> None:
    mb = emu.default_mailbox
    parallel = [{"id": str(i), "method": "GET", "url": "/me/mailFolders"} for i in range(8)]
    assert {r["status"] for r in _batch(client, parallel).json()["responses"]} == {200}
    held = [emu.try_slot(mb) for _ in range(2)]
    try:
        statuses = sorted(r["status"] for r in _batch(client, parallel).json()["responses"])
        chain = [{"id": "1", "method": "GET", "url": "/me"}] + [
            {"id": str(i), "method": "GET", "url": "/me", "dependsOn": [str(i - 1)]}
            for i in range(2, 6)]
        sequential = {r["status"] for r in _batch(client, chain).json()["responses"]}
    finally:
        for key in held:
            assert key is not None
            emu.release_slot(key)
    # Two waves of 4 with 2 slots taken: 2 items of each wave are throttled.
    assert statuses == [200] * 4 + [429] * 4
    assert sequential == {200}
