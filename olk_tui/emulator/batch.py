"""JSON batching: ``POST /$batch`` with up to 20 requests (FACTS #10-14).

The whole batch fails with 400 when it is malformed: more than 20 requests, a duplicate id
(case-insensitive), an absolute url, a body without a Content-Type header, or ``dependsOn``
naming an unknown id. Otherwise the answer is 200 and each item carries its own status: items run
in ``dependsOn`` order; an item whose dependency failed gets 424; every item goes through the
normal pipeline, so it can be throttled on its own (per-item 429 when its mailbox already has 4
requests in flight) or hit an injected fault. Responses come back in a deterministically
shuffled order; clients must match them by id.
"""

from __future__ import annotations

import base64
import json
import random
from typing import Any

from olk_tui.emulator.router import GraphError, Request, Response, Router

MAX_REQUESTS = 20


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


def _run_item(req: Request, item: dict[str, Any]) -> dict[str, Any]:
    emu = req.emulator
    url = item["url"] if item["url"].startswith("/") else "/" + item["url"]
    if url.lower().startswith("/$batch"):
        return _error_item(item, 400, "BadRequest", "Nested batch requests are not allowed.")
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
    resp = emu.handle(str(item["method"]).upper(), req.base_url + url, headers, raw,
                      sleep=lambda _s: None)
    out: dict[str, Any] = {"id": str(item["id"]), "status": resp.status,
                           "headers": {k: v for k, v in resp.all_headers().items()
                                       if k.lower() not in ("request-id", "client-request-id")}}
    if resp.reset:
        return _error_item(item, 502, "BadGateway", "The connection was reset.")
    if resp.json is not None:
        out["body"] = resp.json
    elif resp.body:
        out["body"] = base64.b64encode(resp.body).decode("ascii")
    return out


def _error_item(item: dict[str, Any], status: int, code: str, message: str) -> dict[str, Any]:
    return {"id": str(item["id"]), "status": status,
            "headers": {"Content-Type": "application/json"},
            "body": {"error": {"code": code, "message": message}}}


def batch(req: Request) -> Response:
    """POST /$batch -> 200 with per-item responses in shuffled order."""
    items = _validate(req)
    results: dict[str, dict[str, Any]] = {}
    for item in _order(items):
        failed = [d for d in item.get("dependsOn") or []
                  if results[str(d).lower()]["status"] >= 400]
        if failed:
            results[str(item["id"]).lower()] = _error_item(
                item, 424, "FailedDependency",
                f"Dependent request with id: {failed[0]} failed.")
            continue
        results[str(item["id"]).lower()] = _run_item(req, item)
    responses = list(results.values())
    random.Random(next(req.emulator._batch_seq)).shuffle(responses)
    return Response.ok({"responses": responses})
