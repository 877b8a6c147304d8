"""Response compression: gzip when the request sends ``Accept-Encoding: gzip`` (httpx does by
default) and the body is at least 1 KB, in the in-process transports and the loopback server;
plain bodies for a client that does not ask. JSON and ``$value`` downloads alike."""

from __future__ import annotations

import base64
import gzip
import http.client
import json
from urllib.parse import urlsplit

import httpx
import pytest

from olk_tui.emulator import Emulator
from olk_tui.emulator.compression import MIN_SIZE, accepts_gzip

PLAIN = {"Accept-Encoding": "identity"}
LIST = "/me/mailFolders/inbox/messages"
LIST_PARAMS = {"$top": "100"}  # the whole sample Inbox on one page: no server-state nextLink


async def _raw_and_decoded(client: httpx.AsyncClient, url: str, **kw: object
                           ) -> tuple[httpx.Response, bytes, bytes]:
    async with client.stream("GET", url, **kw) as resp:  # type: ignore[arg-type]
        raw = b"".join([chunk async for chunk in resp.aiter_raw()])
    decoded = gzip.decompress(raw) if resp.headers.get("content-encoding") == "gzip" else raw
    return resp, raw, decoded


async def test_in_process_json_is_gzipped_when_asked(aclient: httpx.AsyncClient) -> None:
    assert "gzip" in aclient.headers["accept-encoding"]  # httpx asks by default
    resp, raw, decoded = await _raw_and_decoded(aclient, LIST, params=LIST_PARAMS)
    assert resp.status_code == 200
    assert resp.headers["content-encoding"] == "gzip"
    assert int(resp.headers["content-length"]) == len(raw) < len(decoded)
    plain = await aclient.get(LIST, params=LIST_PARAMS, headers=PLAIN)
    assert "content-encoding" not in plain.headers
    assert len(plain.content) == len(decoded) >= MIN_SIZE
    assert json.loads(decoded) == plain.json()
    # and httpx decodes it transparently
    assert (await aclient.get(LIST, params=LIST_PARAMS)).json() == plain.json()


async def test_small_bodies_stay_plain(aclient: httpx.AsyncClient) -> None:
    resp = await aclient.get("/me/mailFolders/inbox", params={"$select": "displayName"})
    assert resp.status_code == 200 and len(resp.content) < MIN_SIZE
    assert "content-encoding" not in resp.headers


def test_sync_transport_follows_the_same_rule(client: httpx.Client) -> None:
    gz = client.get(LIST, params=LIST_PARAMS)
    plain = client.get(LIST, params=LIST_PARAMS, headers=PLAIN)
    assert gz.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert gz.json() == plain.json()


async def test_value_download_follows_the_same_rule(aclient: httpx.AsyncClient) -> None:
    data = (b"olk-tui attachment line\n" * 400)
    mid = (await aclient.get(LIST, params={"$top": "1", "$select": "id"})).json()["value"][0]["id"]
    att = await aclient.post(f"/me/messages/{mid}/attachments", json={
        "@odata.type": "#microsoft.graph.fileAttachment", "name": "notes.txt",
        "contentType": "text/plain", "contentBytes": base64.b64encode(data).decode()})
    assert att.status_code == 201
    url = f"/me/messages/{mid}/attachments/{att.json()['id']}/$value"
    resp, raw, decoded = await _raw_and_decoded(aclient, url)
    assert resp.headers["content-encoding"] == "gzip" and decoded == data
    assert len(raw) < len(data)
    plain = await aclient.get(url, headers=PLAIN)
    assert "content-encoding" not in plain.headers and plain.content == data
    mime = await aclient.get(f"/me/messages/{mid}/$value", headers=PLAIN)
    assert mime.status_code == 200 and "content-encoding" not in mime.headers


@pytest.fixture
def server(emu: Emulator):  # type: ignore[no-untyped-def]
    with emu.serve(port=0) as srv:
        yield srv


def test_loopback_server_gzips_when_asked(server) -> None:  # type: ignore[no-untyped-def]
    base = server.base_url + "/v1.0"
    with httpx.Client(base_url=base) as client:
        with client.stream("GET", LIST, params=LIST_PARAMS) as resp:
            raw = b"".join(resp.iter_raw())
        assert resp.headers["content-encoding"] == "gzip"
        assert int(resp.headers["content-length"]) == len(raw)
        decoded = gzip.decompress(raw)
        assert len(raw) < len(decoded)
        plain = client.get(LIST, params=LIST_PARAMS, headers=PLAIN)
        assert "content-encoding" not in plain.headers
        assert json.loads(decoded) == plain.json()
        assert client.get(LIST, params=LIST_PARAMS).json() == plain.json()
    # a bare HTTP client that does not ask for gzip gets plain JSON
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", f"{parts.path}{LIST}?%24top=100")
        bare = conn.getresponse()
        body = bare.read()
    finally:
        conn.close()
    assert bare.status == 200 and bare.getheader("Content-Encoding") is None
    assert json.loads(body) == json.loads(decoded)


@pytest.mark.parametrize(("value", "expected"), [
    ("gzip, deflate", True), ("br;q=1.0, gzip;q=0.8", True), ("*", True), ("x-gzip", True),
    ("identity", False), ("", False), (None, False), ("gzip;q=0", False),
    ("deflate, br", False), ("*;q=0", False), ("gzip;q=junk", False), ("GZIP", True),
])
def test_accept_encoding_parsing(value: str | None, expected: bool) -> None:
    assert accepts_gzip(value) is expected
