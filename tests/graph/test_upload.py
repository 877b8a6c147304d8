"""Large attachments: upload session, ranged PUTs without the token, attachment id."""

from __future__ import annotations

import json

import httpx

from olk_tui.graph.client import GraphClient
from tests.graph.conftest import BASE


class StaticAuth(httpx.Auth):
    def auth_flow(self, request):
        request.headers["Authorization"] = "Bearer SECRET"
        yield request


async def test_ranged_upload_never_sends_the_token() -> None:
    seen: list[httpx.Request] = []
    total = 3 * 1024 * 1024 + 100

    def handler(request):
        seen.append(request)
        if request.url.path.endswith("/createUploadSession"):
            body = json.loads(request.content)
            assert body["AttachmentItem"] == {"attachmentType": "file", "name": "big.bin",
                                              "size": total, "contentType": "app/x"}
            return httpx.Response(201, json={
                "uploadUrl": "https://outlook.example/api/v2.0/Users('x')/Messages('m')/"
                             "AttachmentSessions('s')?authtoken=abc",
                "expirationDateTime": "2026-01-01T00:00:00Z",
                "nextExpectedRanges": ["0-"]})
        end = int(request.headers["Content-Range"].split("-")[1].split("/")[0])
        if end + 1 < total:
            return httpx.Response(200, json={"nextExpectedRanges": [f"{end + 1}-"]})
        return httpx.Response(201, headers={
            "Location": "https://outlook.example/api/v2.0/Users('x')/Messages('m')/"
                        "Attachments('ATT-1')"})

    client = GraphClient(BASE, StaticAuth(), transport=httpx.MockTransport(handler))
    progress: list[int] = []
    try:
        attachment_id = await client.upload_attachment(
            "m1", "big.bin", b"\1" * total, "app/x", chunk_size=1024 * 1024,
            progress=lambda done, _total: progress.append(done))
    finally:
        await client.aclose()
    puts = [r for r in seen if r.method == "PUT"]
    assert attachment_id == "ATT-1"
    assert [r.headers["Content-Range"] for r in puts] == [
        f"bytes 0-1048575/{total}", f"bytes 1048576-2097151/{total}",
        f"bytes 2097152-3145727/{total}", f"bytes 3145728-{total - 1}/{total}"]
    assert all("authorization" not in r.headers for r in puts)
    assert seen[0].headers["Authorization"] == "Bearer SECRET"
    assert sum(len(r.content) for r in puts) == total
    assert progress[-1] == total


async def test_small_attachment_is_one_post() -> None:
    bodies: list[dict] = []

    def handler(request):
        bodies.append(json.loads(request.content))
        return httpx.Response(201, json={"id": "a1", "name": "n.txt", "size": 5})

    client = GraphClient(BASE, transport=httpx.MockTransport(handler))
    try:
        assert await client.upload_attachment("m1", "n.txt", b"hello", "text/plain") == "a1"
    finally:
        await client.aclose()
    assert bodies[0]["contentBytes"] == "aGVsbG8="
    assert bodies[0]["@odata.type"] == "#microsoft.graph.fileAttachment"
