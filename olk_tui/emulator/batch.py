"""JSON batching: ``POST /$batch`` with up to 20 requests (FACTS #10-14).

The whole batch fails with 400 when it is malformed: more than 20 requests, a duplicate id
(case-insensitive), an absolute url, a body without a Content-Type header, or ``dependsOn``
naming an unknown id. Otherwise the answer is 200 and each item carries its own status: items run
in ``dependsOn`` order; an item whose dependency failed gets 424; every item goes through the
normal pipeline, so it can be throttled on its own or hit an injected fault: an unordered batch
runs in waves of 4 concurrent items, each holding its mailbox's concurrency slot, so items
get 429 when the mailbox already has other requests in flight; a ``dependsOn`` batch runs one
item at a time. Responses come back in a deterministically
shuffled order; clients must match them by id.
"""

from __future__ import annotations

import base64
import json
import random
from typing import Any

from olk_tui.emulator.router import GraphError, Request, Response, Router

MAX_REQUESTS = 20
#: Items of an unordered batch that Graph sends to Outlook at once (FACTS #14).
WAVE = 4


def register(router: Router) -> None:
    """Add the batch route."""
    router.add("POST", "/$batch", batch)


def _validate(req: Request) -> list[dict[str, Any]]:
    data = req.json_object()
    items = data.get("requests")
    if not isinstance(items, list) or not items:
        raise GraphError(400, "BadRequest", "The batch request must contain 'requests'.")
    if len(items) > MAX_REQUESTS:
        raise GraphError(400, "BadRequest",
                         f"The number of batch requests ({len(items)}) exceeds the limit of "
                         f"{MAX_REQUESTS}.")
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, dict) or not item.get("id") or not item.get("method") \
                or not isinstance(item.get("url"), str):
            raise GraphError(400, "BadRequest", "Each batch request needs id, method and url.")
        key = str(item["id"]).lower()
        if key in seen:
            raise GraphError(400, "BadRequest",
                             f"Batch request contains duplicate id '{item['id']}'.")
        seen.add(key)
        if item["url"].lower().startswith(("http:", "https:")):
            raise GraphError(400, "BadRequest",
                             f"Request id '{item['id']}': the url must be relative.")
        headers = item.get("headers") or {}
        if not isinstance(headers, dict):
            raise GraphError(400, "BadRequest", f"Request id '{item['id']}': bad headers.")
        if "body" in item and not any(k.lower() == "content-type" for k in headers):
            raise GraphError(400, "BadRequest", f"Write request id : {item['id']} does not "
                             "contain Content-Type header or body.")
    for item in items:
        for dep in item.get("dependsOn") or []:
            if str(dep).lower() not in seen:
                raise GraphError(400, "BadRequest",
                                 f"Request id '{item['id']}' depends on unknown id '{dep}'.")
    return items


def _order(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    done: set[str] = set()
    ordered: list[dict[str, Any]] = []
    pending = list(items)
    while pending:
        ready = [i for i in pending
                 if all(str(d).lower() in done for d in i.get("dependsOn") or [])]
        if not ready:
            raise GraphError(400, "BadRequest", "The dependsOn graph has a cycle.")
        for item in ready:
            ordered.append(item)
            done.add(str(item["id"]).lower())
            pending.remove(item)
    return ordered


def _begin_item(req: Request, item: dict[str, Any]) -> Any:
    """Start one item through the pipeline (takes its mailbox slot, decides its fault)."""
    emu = req.emulator
    url = item["url"] if item["url"].startswith("/") else "/" + item["url"]
    headers = {str(k): str(v) for k, v in (item.get("headers") or {}).items()}
    # Items run with the batch's credentials; other headers are their own.
    outer = req.headers.get("authorization")
    if outer and not any(k.lower() == "authorization" for k in headers):
        headers["Authorization"] = outer
    body = item.get("body")
    raw = b""
    if body is not None:
        ctype = next(v for k, v in headers.items() if k.lower() == "content-type")
        raw = (body.encode() if isinstance(body, str) and not ctype.lower().startswith(
            "application/json") else json.dumps(body).encode())
    return emu.begin(str(item["method"]).upper(), req.base_url + url, headers, raw)


def _item_response(item: dict[str, Any], resp: Response) -> dict[str, Any]:
    if resp.reset:
        return _error_item(item, 502, "BadGateway", "The connection was reset.")
    out: dict[str, Any] = {"id": str(item["id"]), "status": resp.status,
                           "headers": {k: v for k, v in resp.all_headers().items()
                                       if k.lower() not in ("request-id", "client-request-id")}}
    if resp.json is not None:
        out["body"] = resp.json
    elif resp.body:
        out["body"] = base64.b64encode(resp.body).decode("ascii")
    return out


def _run_wave(req: Request, wave: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Run items concurrently, as Graph does: every item holds its mailbox slot until the
    whole wave is done, so a wave can push a busy mailbox over its limit (per-item 429)."""
    emu = req.emulator
    started: list[tuple[dict[str, Any], Any]] = []
    out: dict[str, dict[str, Any]] = {}
    try:
        for item in wave:
            if item["url"].lstrip("/").lower().startswith("$batch"):
                out[str(item["id"]).lower()] = _error_item(
                    item, 400, "BadRequest", "Nested batch requests are not allowed.")
                continue
            started.append((item, _begin_item(req, item)))
        for item, ex in started:
            out[str(item["id"]).lower()] = _item_response(item, emu.finish(ex))
    finally:
        for _, ex in started:
            emu.release(ex)
    return out


def _error_item(item: dict[str, Any], status: int, code: str, message: str) -> dict[str, Any]:
    return {"id": str(item["id"]), "status": status,
            "headers": {"Content-Type": "application/json"},
            "body": {"error": {"code": code, "message": message}}}


def batch(req: Request) -> Response:
    """POST /$batch -> 200 with per-item responses in shuffled order.

    Without ``dependsOn`` items run in waves of 4 at once (Graph sends Outlook at most 4 items
    of an unordered batch at a time); with ``dependsOn`` they run one at a time in order."""
    items = _validate(req)
    results: dict[str, dict[str, Any]] = {}
    if not any(item.get("dependsOn") for item in items):
        for start in range(0, len(items), WAVE):
            results.update(_run_wave(req, items[start: start + WAVE]))
    else:
        for item in _order(items):
            failed = [d for d in item.get("dependsOn") or []
                      if results[str(d).lower()]["status"] >= 400]
            if failed:
                results[str(item["id"]).lower()] = _error_item(
                    item, 424, "FailedDependency",
                    f"Dependent request with id: {failed[0]} failed.")
                continue
            results.update(_run_wave(req, [item]))
    responses = list(results.values())
    random.Random(next(req.emulator._batch_seq)).shuffle(responses)
    return Response.ok({"responses": responses})
