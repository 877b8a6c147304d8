"""$batch: groups of 20, answers matched by id, per-item throttling retried, dependsOn."""

from __future__ import annotations

import json

import httpx
import pytest

from olk_tui.domain.errors import Forbidden
from olk_tui.graph.batch import BatchRequest, split_batches
from olk_tui.graph.retry import RetryPolicy
from tests.graph.conftest import sample


def test_split_into_twenties_keeps_chains_together() -> None:
    reqs = [BatchRequest(str(i), "GET", f"/me/messages/{i}") for i in range(45)]
    assert [len(b) for b in split_batches(reqs)] == [20, 20, 5]
    chain = [BatchRequest("a", "POST", "/me/messages", body={}),
             BatchRequest("b", "POST", "/me/messages/x/send", depends_on=("A",))]
    batches = split_batches(reqs[:19] + chain)
    assert [len(b) for b in batches] == [19, 2]
    with pytest.raises(ValueError, match="duplicate"):
        split_batches([BatchRequest("x", "GET", "/me"), BatchRequest("X", "GET", "/me")])
    with pytest.raises(ValueError, match="unknown"):
        split_batches([BatchRequest("x", "GET", "/me", depends_on=("nope",))])


async def test_batch_matches_by_id_in_any_order(make_client) -> None:
    posted: list[dict] = []

    def handler(request):
        body = json.loads(request.content)
        posted.append(body)
        answers = [{"id": r["id"], "status": 200, "body": {"n": r["url"]}}
                   for r in reversed(body["requests"])]
        return httpx.Response(200, json={"responses": answers})

    client = make_client(handler, mailbox="adele@contoso.com")
    reqs = [BatchRequest(str(i), "GET", f"/me/messages/{i}") for i in range(45)]
    results = await client.batch(reqs)
    assert len(posted) == 3
    assert [len(p["requests"]) for p in posted] == [20, 20, 5]
    assert results["7"].body == {"n": "/users/adele@contoso.com/messages/7"}
    assert all(results[str(i)].ok for i in range(45))
    first = posted[0]["requests"][0]
    assert first["headers"]["Prefer"] == 'IdType="ImmutableId"'
    assert "body" not in first


async def test_only_throttled_items_retried_after_longest_retry_after(make_client,
                                                                      fake_sleep) -> None:
    rounds: list[list[str]] = []

    def handler(request):
        body = json.loads(request.content)
        ids = [r["id"] for r in body["requests"]]
        rounds.append(ids)
        answers = []
        for r in body["requests"]:
            if len(rounds) == 1 and r["id"] in ("2", "3"):
                ra = "1.5" if r["id"] == "2" else "4.25"
                answers.append({"id": r["id"], "status": 429, "headers": {"Retry-After": ra},
                                "body": {"error": {"code": "ApplicationThrottled"}}})
            else:
                answers.append({"id": r["id"], "status": 200, "body": {}})
        return httpx.Response(200, json={"responses": answers})

    client = make_client(handler)
    results = await client.batch([BatchRequest(str(i), "PATCH", f"/me/messages/{i}",
                                               body={"isRead": True}) for i in range(5)])
    assert rounds == [["0", "1", "2", "3", "4"], ["2", "3"]]
    assert fake_sleep.waits == [4.25]
    assert all(r.ok for r in results.values())


async def test_depends_on_and_424_retried_with_dependency(make_client, fake_sleep) -> None:
    posted: list[dict] = []

    def handler(request):
        body = json.loads(request.content)
        posted.append(body)
        if len(posted) == 1:
            return httpx.Response(200, json={"responses": [
                {"id": "create", "status": 429, "headers": {"Retry-After": "2"}},
                {"id": "send", "status": 424},
                {"id": "other", "status": 200, "body": {}},
            ]})
        return httpx.Response(200, json={"responses": [
            {"id": r["id"], "status": 201, "body": {}} for r in body["requests"]]})

    client = make_client(handler)
    results = await client.batch([
        BatchRequest("create", "POST", "/me/messages", body={"subject": "x"}),
        BatchRequest("send", "POST", "/me/messages/1/send", depends_on=("create",)),
        BatchRequest("other", "GET", "/me"),
    ])
    first = {r["id"]: r for r in posted[0]["requests"]}
    assert first["send"]["dependsOn"] == ["create"]
    assert first["create"]["headers"]["Content-Type"] == "application/json"
    assert [r["id"] for r in posted[1]["requests"]] == ["create", "send"]
    assert posted[1]["requests"][1]["dependsOn"] == ["create"]
    assert fake_sleep.waits == [2.0]
    assert results["send"].status == 201 and results["other"].status == 200


async def test_retry_budget_returns_last_429(make_client, fake_sleep) -> None:
    def handler(request):
        body = json.loads(request.content)
        return httpx.Response(200, json={"responses": [
            {"id": r["id"], "status": 429, "headers": {"retry-after": "1"}}
            for r in body["requests"]]})

    client = make_client(handler, retry=RetryPolicy(max_attempts=3))
    results = await client.batch([BatchRequest("a", "GET", "/me")])
    assert results["a"].status == 429
    assert fake_sleep.waits == [1.0, 1.0]


async def test_sample_batch_answers_map_to_errors(make_client) -> None:
    answer = sample("json-batching.3")
    client = make_client(lambda r: httpx.Response(200, json=answer))
    ids = [a["id"] for a in answer["responses"]]
    results = await client.batch([BatchRequest(i, "GET", "/me") for i in ids])
    statuses = {i: results[i].status for i in ids}
    assert statuses == {a["id"]: a["status"] for a in answer["responses"]}
    forbidden = [r for r in results.values() if r.status == 403]
    assert forbidden and isinstance(forbidden[0].error(), Forbidden)
    assert all(r.error() is None for r in results.values() if r.ok)


async def test_unanswered_item_gets_status_zero(make_client) -> None:
    client = make_client(lambda r: httpx.Response(200, json={"responses": []}))
    results = await client.batch([BatchRequest("a", "GET", "/me")])
    assert results["a"].status == 0 and results["a"].error() is not None
