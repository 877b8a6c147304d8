"""JSON batching (``POST /$batch``): up to 20 requests per call, answers matched by id.

Graph throttles *per item*: a 200 batch can hold 429s. Only the throttled items (and the items
that failed with 424 because they depended on them) are sent again, after the longest
``Retry-After`` among them, within the client's retry budget. ``dependsOn`` chains are kept in
one batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from olk_tui.domain.errors import GraphError, ServerError
from olk_tui.graph import jsontext
from olk_tui.graph.errors import error_for
from olk_tui.graph.retry import parse_retry_after

if TYPE_CHECKING:
    from olk_tui.graph.client import GraphClient

MAX_BATCH = 20
_RETRY_ITEM_STATUSES = frozenset({429, 503})


@dataclass(frozen=True, slots=True)
class BatchRequest:
    """One request inside a batch; ``url`` is relative (``/me/messages/{id}``)."""

    id: str
    method: str
    url: str
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BatchResponse:
    """One answer; ``body`` is parsed JSON (or None / raw text for non-JSON bodies)."""

    id: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None

    @property
    def ok(self) -> bool:
        """2xx."""
        return 200 <= self.status < 300

    def error(self) -> GraphError | None:
        """The domain error this answer stands for, or None when it succeeded."""
        if self.ok:
            return None
        headers = {k.lower(): v for k, v in self.headers.items()}
        return error_for(self.status, headers, self.body if self.body is not None else b"",
                         retry_after=parse_retry_after(headers.get("retry-after")))

    def raise_for_status(self) -> None:
        """Raise :meth:`error` when there is one."""
        err = self.error()
        if err is not None:
            raise err


def _components(requests: list[BatchRequest]) -> list[list[BatchRequest]]:
    """Requests grouped so that every dependsOn chain stays together, in input order."""
    index = {r.id.lower(): i for i, r in enumerate(requests)}
    parent = list(range(len(requests)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, r in enumerate(requests):
        for dep in r.depends_on:
            j = index.get(dep.lower())
            if j is None:
                raise ValueError(f"batch request {r.id!r} depends on unknown id {dep!r}")
            parent[find(i)] = find(j)
    groups: dict[int, list[BatchRequest]] = {}
    for i, r in enumerate(requests):
        groups.setdefault(find(i), []).append(r)
    return list(groups.values())


def split_batches(requests: list[BatchRequest], size: int = MAX_BATCH) -> list[list[BatchRequest]]:
    """Pack requests into batches of at most ``size``, never splitting a dependsOn chain.

    Raises:
        ValueError: duplicate ids (case-insensitive), unknown dependencies, or a chain longer
            than ``size``.
    """
    seen: set[str] = set()
    for r in requests:
        if r.id.lower() in seen:
            raise ValueError(f"duplicate batch request id {r.id!r}")
        seen.add(r.id.lower())
    batches: list[list[BatchRequest]] = []
    current: list[BatchRequest] = []
    for group in _components(requests):
        if len(group) > size:
            raise ValueError(f"a dependsOn chain of {len(group)} requests exceeds {size}")
        if len(current) + len(group) > size:
            batches.append(current)
            current = []
        current.extend(group)
    if current:
        batches.append(current)
    return batches


def _item_json(client: GraphClient, r: BatchRequest, live: set[str]) -> dict[str, Any]:
    url = client.relative_path(r.url)
    headers = dict(r.headers)
    if not any(k.lower() == "prefer" for k in headers):
        headers["Prefer"] = client.batch_prefer(url)
    item: dict[str, Any] = {"id": r.id, "method": r.method.upper(), "url": url}
    if r.body is not None:
        if not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = "application/json"
        item["body"] = r.body
    item["headers"] = headers
    deps = [d for d in r.depends_on if d.lower() in live]
    if deps:
        item["dependsOn"] = deps
    return item


def _parse_answers(data: dict[str, Any]) -> dict[str, BatchResponse]:
    answers: dict[str, BatchResponse] = {}
    raw = data.get("responses")
    if not isinstance(raw, list):
        raise ServerError("$batch answer has no responses list", code="BadBatchResponse")
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        status = item.get("status")
        headers = item.get("headers")
        answers[item["id"].lower()] = BatchResponse(
            id=item["id"],
            status=status if isinstance(status, int) else 0,
            headers={str(k): str(v) for k, v in headers.items()}
            if isinstance(headers, dict) else {},
            body=item.get("body"),
        )
    return answers


async def _send(client: GraphClient, todo: list[BatchRequest]) -> dict[str, BatchResponse]:
    live = {r.id.lower() for r in todo}
    payload = {"requests": [_item_json(client, r, live) for r in todo]}
    idempotent = all(r.method.upper() in ("GET", "HEAD", "PUT", "DELETE", "PATCH") for r in todo)
    response = await client.request("POST", "/$batch", json=payload, idempotent=idempotent)
    try:
        data = jsontext.loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ServerError("$batch answer is not JSON", code="BadBatchResponse") from None
    if not isinstance(data, dict):
        raise ServerError("$batch answer is not an object", code="BadBatchResponse")
    return _parse_answers(data)


def _retry_set(todo: list[BatchRequest], answers: dict[str, BatchResponse]) -> set[str]:
    """Ids to send again: throttled items and 424s that depended on them (transitively)."""
    again = {r.id.lower() for r in todo
             if answers.get(r.id.lower()) is not None
             and answers[r.id.lower()].status in _RETRY_ITEM_STATUSES}
    changed = True
    while changed:
        changed = False
        for r in todo:
            key = r.id.lower()
            answer = answers.get(key)
            if key in again or answer is None or answer.status != 424:
                continue
            if any(d.lower() in again for d in r.depends_on):
                again.add(key)
                changed = True
    return again


async def run_batch(client: GraphClient, requests: list[BatchRequest]) -> dict[str, BatchResponse]:
    """Send ``requests`` in batches of 20 and return the final answer per request id.

    Throttled items are retried after the longest Retry-After among them (or backoff) while
    the client's retry budget lasts; after that their 429 answer is returned as is. Items
    the server did not answer get status 0.
    """
    results: dict[str, BatchResponse] = {}
    policy = client.retry
    for chunk in split_batches(requests):
        todo = chunk
        waited = 0.0
        attempt = 0
        while todo:
            attempt += 1
            answers = await _send(client, todo)
            for r in todo:
                results[r.id] = answers.get(r.id.lower()) or BatchResponse(r.id, 0)
            again = _retry_set(todo, answers)
            if not again:
                break
            waits = [parse_retry_after(answers[k].headers.get("Retry-After")
                                       or answers[k].headers.get("retry-after"))
                     for k in again if k in answers]
            known = [w for w in waits if w is not None]
            wait = policy.delay(attempt, max(known) if known else None)
            if policy.gives_up(attempt, waited, wait):
                break
            waited += wait
            await client.sleep(wait)
            todo = [r for r in todo if r.id.lower() in again]
    return results
