"""HTTP trace: one JSON line per exchange, secrets redacted."""

from __future__ import annotations

import json

import httpx

from olk_tui.graph.trace import redact_url


class StaticAuth(httpx.Auth):
    def auth_flow(self, request):
        request.headers["Authorization"] = "Bearer SECRET-ACCESS-TOKEN"
        yield request


def test_redact_url() -> None:
    url = ("https://graph.test/v1.0/me/messages?$skiptoken=abc&code=SECRETCODE&access_token=AT"
           "&client_secret=CS&authtoken=UP&$select=id")
    out = redact_url(url)
    for secret in ("SECRETCODE", "AT&", "CS", "UP"):
        assert secret not in out
    assert "skiptoken=abc" in out and "select=id" in out


async def test_trace_lines(make_client, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("OLK_TUI_HTTP_TRACE", raising=False)
    trace = tmp_path / "trace.jsonl"

    def handler(request):
        return httpx.Response(200, json={"access_token": "x"}, headers={"request-id": "rid-1"})

    client = make_client(handler, trace_path=trace, auth=StaticAuth())
    await client.request("POST", "/me/sendMail?code=QUERYCODE",
                         json={"message": {"subject": "TOPSECRETSUBJECT"},
                               "saveToSentItems": True})
    await client.request("GET", "/me/messages", params={"$skiptoken": "page2"})
    text = trace.read_text()
    for secret in ("SECRET-ACCESS-TOKEN", "QUERYCODE", "TOPSECRETSUBJECT", "Bearer"):
        assert secret not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) == 2
    first = lines[0]
    assert first["method"] == "POST" and first["status"] == 200
    assert first["request_id"] == "rid-1"
    assert first["body_keys"] == ["message", "saveToSentItems"]
    assert first["prefer"] == ['IdType="ImmutableId"']
    assert isinstance(first["duration_ms"], float)
    assert "skiptoken=page2" in lines[1]["url"]


async def test_trace_from_env(make_client, tmp_path, monkeypatch) -> None:
    trace = tmp_path / "env.jsonl"
    monkeypatch.setenv("OLK_TUI_HTTP_TRACE", str(trace))
    client = make_client(lambda r: httpx.Response(204))
    await client.request("DELETE", "/me/messages/1")
    assert json.loads(trace.read_text())["status"] == 204
