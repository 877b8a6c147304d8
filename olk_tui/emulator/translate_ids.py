"""``POST /me/translateExchangeIds``: convert item ids between formats (at most 1000 per call).

In the emulator an item's REST id is also its immutable id until it is moved without
``Prefer: IdType="ImmutableId"``, so ``restId`` <-> ``restImmutableEntryId`` is the identity;
``ewsId`` / ``ewsImmutableId`` use standard base64 where REST ids use the URL-safe alphabet, as
Exchange's do; ``entryId`` / ``immutableEntryId`` are the same text (the emulator has no MAPI)."""

from __future__ import annotations

from typing import Any

from olk_tui.emulator.router import GraphError, Request, Response, Router

ID_TYPES = {"entryid", "ewsid", "immutableentryid", "restid", "restimmutableentryid"}
MAX_IDS = 1000


def register(router: Router) -> None:
    """Add the translateExchangeIds route."""
    router.add("POST", "/me/translateExchangeIds", translate)


def _to_rest(value: str, kind: str) -> str:
    return value.replace("+", "-").replace("/", "_") if kind == "ewsid" else value


def _from_rest(value: str, kind: str) -> str:
    return value.replace("-", "+").replace("_", "/") if kind == "ewsid" else value


def translate(req: Request) -> Response:
    """POST /me/translateExchangeIds {inputIds, sourceIdType, targetIdType}."""
    data = req.json_object()
    ids: Any = data.get("inputIds")
    source = str(data.get("sourceIdType", "")).lower()
    target = str(data.get("targetIdType", "")).lower()
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise GraphError(400, "ErrorInvalidParameter", "inputIds must be a list of strings.")
    if len(ids) > MAX_IDS:
        raise GraphError(400, "ErrorInvalidParameter",
                         f"At most {MAX_IDS} ids can be translated per request.")
    if source not in ID_TYPES or target not in ID_TYPES:
        raise GraphError(400, "ErrorInvalidParameter", "Unknown sourceIdType or targetIdType.")
    value = [{"sourceId": i, "targetId": _from_rest(_to_rest(i, source), target)} for i in ids]
    return Response.ok({"@odata.context": req.context_url(
        "Collection(microsoft.graph.convertIdResult)"), "value": value})
