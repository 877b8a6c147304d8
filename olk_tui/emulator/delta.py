"""Delta queries for mail folders (``/me/mailFolders/delta``) and the messages of one folder
(``/me/mailFolders/{id}/messages/delta``).

* Page size comes from ``Prefer: odata.maxpagesize`` (default 10 for messages, 100 for folders);
  pages chain with ``@odata.nextLink`` (``$skiptoken``) and end with ``@odata.deltaLink``
  (``$deltatoken``). Both tokens are opaque names for server-side state.
* A delta token returns what changed in the container since it was issued: new and updated
  items in full, and ``{"id", "@removed": {"reason": "deleted"}}`` tombstones for items deleted
  or moved out. Tokens can be replayed (used again) at will; with ``emu.delta_replays = True`` the
  emulator itself repeats the previous round's changes, as the service may.
* ``$top`` on message delta does not set the page size: it caps how many items a round returns
  (the service's observed behaviour: the rest of the folder is never sent).
* Only ``$select``, ``$top``, ``$expand``, ``$filter=receivedDateTime ge|gt X`` (at most 5000
  results) and ``$orderby=receivedDateTime desc`` are accepted on message delta (FACTS #4).
* After ``emu.expire_delta_tokens()`` (or for an unknown token) the answer is ``410 Gone`` with a
  ``Location`` header holding a fresh initial URL and ``SyncStateNotFound`` in the body.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from olk_tui.emulator.folders import box, folder_or_404
from olk_tui.emulator.message_model import render_message
from olk_tui.emulator.odata import MESSAGE_EXPANDABLE, Query, parse_query, select_fields
from olk_tui.emulator.router import GraphError, Request, Response, Router, graph_error

FILTER_LIMIT = 5000
_DELTA_FILTER = re.compile(r"^\s*receivedDateTime\s+(ge|gt)\s+\S+\s*$", re.IGNORECASE)
_MSG_TYPE = "#microsoft.graph.message"
_FOLDER_TYPE = "#microsoft.graph.mailFolder"


def register(router: Router) -> None:
    """Add the delta routes."""
    router.add("GET", "/me/mailFolders/delta", folder_delta)
    router.add("GET", "/me/mailFolders/{fid}/messages/delta", message_delta)
    router.add("GET", "/me/mailFolders/{pid}/childFolders/{fid}/messages/delta", message_delta)


def _parse_message_query(query: dict[str, str]) -> Query:
    opts = {k.lower(): v for k, v in query.items()}
    if "$search" in opts:
        raise GraphError(400, "BadRequest", "$search is not supported with delta query.")
    if "$skip" in opts or "$count" in opts:
        raise GraphError(400, "BadRequest", "The query option is not supported with delta.")
    if "$filter" in opts and not _DELTA_FILTER.match(opts["$filter"]):
        raise GraphError(400, "BadRequest", "Delta query only supports $filter on "
                         "receivedDateTime with the ge or gt operator.")
    if "$orderby" in opts and opts["$orderby"].strip().lower() != "receiveddatetime desc":
        raise GraphError(400, "BadRequest",
                         "Delta query only supports $orderby=receivedDateTime desc.")
    return parse_query(query, allow_search=False, expandable=MESSAGE_EXPANDABLE)


def _gone(req: Request, initial_url: str) -> Response:
    return graph_error(410, "SyncStateNotFound",
                       f"The sync state generation is not found; generation="
                       f"{req.emulator.delta_epoch};[highest={req.emulator.delta_epoch}].",
                       req, headers={"Location": initial_url})


def _run(req: Request, *, container: str, url: str, context: str, default_page: int,
         parse: Callable[[dict[str, str]], Query],
         initial: Callable[[Query], list[str]],
         render: Callable[[str, Query], dict[str, Any] | None],
         tombstone: Callable[[str], dict[str, Any]], cap_by_top: bool = False) -> Response:
    emu = req.emulator
    mb = box(req)
    try:
        size = int(req.prefer.get("odata.maxpagesize", default_page))
    except ValueError:
        size = default_page
    size = max(1, min(size, 1000))
    skip_tok = req.query.get("$skiptoken")
    delta_tok = req.query.get("$deltatoken")
    token = skip_tok or delta_tok
    if token:
        state = emu.tokens.get(token)
        expected = "delta-page" if skip_tok else "delta"
        if (state is None or state.get("kind") != expected or state.get("epoch")
                != emu.delta_epoch or state.get("container") != container):
            raw = state["query"] if state else {}
            return _gone(req, url + ("?" + urlencode(raw, safe="$") if raw else ""))
        q = parse(state["query"])
        if skip_tok:
            items, offset, seq, changes_mode = (state["items"], state["offset"], state["seq"],
                                                state["changes"])
            prev = state["prev"]
        else:
            since = state["prev"] if getattr(emu, "delta_replays", False) else state["seq"]
            items = mb.changes.since(container, since)
            offset, seq, changes_mode, prev = 0, mb.changes.seq, True, state["seq"]
            if cap_by_top and q.top is not None:
                items = items[:q.top]
    else:
        q = parse(req.query)
        items = initial(q)
        offset, seq, changes_mode, prev = 0, mb.changes.seq, False, mb.changes.seq
        if cap_by_top and q.top is not None:
            items = items[:q.top]
    page = items[offset: offset + size]
    value: list[dict[str, Any]] = []
    for item_id in page:
        rendered = render(item_id, q)
        if rendered is not None:
            value.append(rendered)
        elif changes_mode:
            value.append(tombstone(item_id))
    body: dict[str, Any] = {"@odata.context": req.context_url(context)}
    base = {"container": container, "query": q.raw, "epoch": emu.delta_epoch}
    if offset + size < len(items):
        tok = emu.tokens.put({**base, "kind": "delta-page", "items": items,
                              "offset": offset + size, "seq": seq, "prev": prev,
                              "changes": changes_mode})
        body["@odata.nextLink"] = f"{url}?$skiptoken={tok}"
    else:
        tok = emu.tokens.put({**base, "kind": "delta", "seq": seq, "prev": prev})
        body["@odata.deltaLink"] = f"{url}?$deltatoken={tok}"
    body["value"] = value
    return Response.ok(body, headers={"Preference-Applied": f"odata.maxpagesize={size}"}
                       if "odata.maxpagesize" in req.prefer else {})


def message_delta(req: Request) -> Response:
    """GET /me/mailFolders/{id}/messages/delta."""
    mb = box(req)
    folder = folder_or_404(req)
    fid = folder["id"]
    url = req.mailbox_url(f"/mailFolders/{quote(fid, safe='')}/messages/delta")

    def initial(q: Query) -> list[str]:
        ids = mb.sorted_ids(fid)
        if q.filter is not None:
            pred = q.filter.predicate
            return [i for i in ids if pred(mb.messages[i])][:FILTER_LIMIT]
        return list(ids)

    def render(mid: str, q: Query) -> dict[str, Any] | None:
        msg = mb.messages.get(mid)
        if msg is None or msg["parentFolderId"] != fid:
            return None
        if q.filter is not None and not q.filter.predicate(msg):
            return None
        out = render_message(req, mb, msg, q) or {}
        return {"@odata.type": _MSG_TYPE, **out}

    def tombstone(mid: str) -> dict[str, Any]:
        return {"@odata.type": _MSG_TYPE, "id": mid, "@removed": {"reason": "deleted"}}

    return _run(req, container=fid, url=url, context="Collection(message)", default_page=10,
                parse=_parse_message_query, initial=initial, render=render,
                tombstone=tombstone, cap_by_top=True)


def folder_delta(req: Request) -> Response:
    """GET /me/mailFolders/delta: every folder at every level, then changes."""
    mb = box(req)
    url = req.mailbox_url("/mailFolders/delta")

    def parse(query: dict[str, str]) -> Query:
        return parse_query(query, known=None, entity="mailFolder", allow_search=False)

    def initial(q: Query) -> list[str]:
        out: list[str] = []

        def walk(parent: str | None) -> None:
            for f in mb.folder_children(parent):
                out.append(f["id"])
                walk(f["id"])

        walk(None)
        return out

    def render(fid: str, q: Query) -> dict[str, Any] | None:
        if fid not in mb.folders:
            return None
        return {"@odata.type": _FOLDER_TYPE,
                **select_fields(mb.folder_view(fid), q.select, always=("id",))}

    def tombstone(fid: str) -> dict[str, Any]:
        return {"@odata.type": _FOLDER_TYPE, "id": fid, "@removed": {"reason": "deleted"}}

    return _run(req, container="mailFolders", url=url, context="Collection(mailFolder)",
                default_page=100, parse=parse, initial=initial, render=render,
                tombstone=tombstone)
