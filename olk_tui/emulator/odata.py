"""OData query options and paging: ``$select``, ``$top``, ``$skip``, ``$orderby``, ``$filter``,
``$search``, ``$count``, ``$expand`` and ``@odata.nextLink`` with an opaque ``$skiptoken``.

Skip tokens are random strings that name server-side state (the original query, the offset and,
for filtered or searched lists, the matching ids), so a client must follow the nextLink whole;
rebuilding it from ``$skip`` is not possible. Tokens live in :class:`TokenStore` (bounded LRU).
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from olk_tui.emulator import extended_props
from olk_tui.emulator.kql import parse_search
from olk_tui.emulator.odata_filter import Filter, parse_filter
from olk_tui.emulator.router import GraphError, Request, Response

MESSAGE_PROPERTIES: frozenset[str] = frozenset("""
bccRecipients body bodyPreview categories ccRecipients changeKey conversationId
conversationIndex createdDateTime flag from hasAttachments id importance
inferenceClassification internetMessageHeaders internetMessageId isDeliveryReceiptRequested
isDraft isRead isReadReceiptRequested lastModifiedDateTime parentFolderId receivedDateTime
replyTo sender sentDateTime subject toRecipients uniqueBody webLink attachments extensions
multiValueExtendedProperties singleValueExtendedProperties meetingMessageType event startDateTime
endDateTime location type isOutOfDate isAllDay isDelegated responseRequested recurrence
previousStartDateTime previousEndDateTime previousLocation responseType mentionsPreview
unsubscribeData unsubscribeEnabled
""".split())

#: What a message may expand (list, delta; a GET also takes the eventMessage cast).
MESSAGE_EXPANDABLE = frozenset({"attachments", extended_props.SVEP})

KNOWN_OPTIONS = {"$select", "$top", "$skip", "$orderby", "$filter", "$search", "$count",
                 "$expand", "$skiptoken", "$deltatoken", "$format"}


class TokenStore:
    """Server-side state behind opaque ``$skiptoken``/``$deltatoken`` values (bounded LRU)."""

    def __init__(self, limit: int = 20000) -> None:
        self._items: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def put(self, state: dict[str, Any]) -> str:
        """Store ``state``; returns its new opaque token."""
        token = secrets.token_urlsafe(18)
        with self._lock:
            self._items[token] = state
            while len(self._items) > self._limit:
                self._items.popitem(last=False)
        return token

    def get(self, token: str) -> dict[str, Any] | None:
        """The state behind ``token`` (``None`` if unknown or evicted)."""
        with self._lock:
            state = self._items.get(token)
            if state is not None:
                self._items.move_to_end(token)
            return state


@dataclass
class Query:
    """Parsed query options."""

    raw: dict[str, str]
    select: list[str] | None = None
    top: int | None = None
    skip: int = 0
    orderby: list[tuple[str, bool]] = field(default_factory=list)
    filter: Filter | None = None
    search: Callable[[dict[str, Any]], bool] | None = None
    count: bool = False
    expand: list[str] = field(default_factory=list)
    expand_select: dict[str, list[str]] = field(default_factory=dict)
    #: ``$expand=singleValueExtendedProperties($filter=id eq ...)``: the ids asked for.
    expand_ids: dict[str, tuple[str, ...]] = field(default_factory=dict)


#: The properties of the base ``microsoft.graph.attachment`` type, selectable in
#: ``$expand=attachments($select=...)`` (derived ones need a type cast, e.g.
#: ``microsoft.graph.fileAttachment/contentBytes``).
ATTACHMENT_PROPERTIES = frozenset({"id", "name", "contentType", "size", "isInline",
                                   "lastModifiedDateTime"})
_ATTACHMENT_CAST = re.compile(r"^microsoft\.graph\.(file|item|reference)attachment/(\w+)$",
                              re.IGNORECASE)


def split_top_level(text: str) -> list[str]:
    """Split ``text`` at commas outside parentheses; unbalanced parentheses raise a 400."""
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                break
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if depth != 0:
        raise GraphError(400, "BadRequest", f"Invalid $expand clause '{text}'.")
    parts.append(text[start:])
    return parts


def _expand_item(item: str, expandable: frozenset[str], entity: str
                 ) -> tuple[str, list[str] | tuple[str, ...] | None]:
    """One ``$expand`` item: (navigation property, nested ``$select`` or None; for extended
    properties the ids of the nested ``$filter``)."""
    item = item.strip()
    name, _, rest = item.partition("(")
    name = name.strip()
    match = {e.lower(): e for e in expandable}.get(name.lower())
    if match is None:
        raise GraphError(400, "BadRequest", f"Could not find a navigation property "
                         f"named '{name}' on type 'microsoft.graph.{entity}'.")
    if not rest:
        return match, None
    if not rest.endswith(")"):
        raise GraphError(400, "BadRequest", f"Invalid $expand clause '{item}'.")
    if match == extended_props.SVEP:
        key, eq, value = rest[:-1].partition("=")
        if not eq or key.strip().lower() != "$filter":
            raise GraphError(400, "BadRequest", f"The query option '{key.strip()}' is not "
                             f"supported inside $expand of '{name}'.")
        return match, extended_props.parse_expand_filter(value)
    select: list[str] | None = None
    for option in rest[:-1].split(";"):
        key, eq, value = option.partition("=")
        if not eq or key.strip().lower() != "$select" or match != "attachments":
            raise GraphError(400, "BadRequest", f"The query option '{key.strip()}' is not "
                             f"supported inside $expand of '{name}'.")
        select = []
        for prop in (p.strip() for p in value.split(",")):
            cast = _ATTACHMENT_CAST.match(prop)
            base = {k.lower(): k for k in ATTACHMENT_PROPERTIES}.get(prop.lower())
            if cast is None and base is None:
                raise GraphError(400, "BadRequest", f"Could not find a property named "
                                 f"'{prop}' on type 'microsoft.graph.attachment'.")
            select.append(cast.group(2) if cast is not None else str(base))
    return match, select


def _int(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise GraphError(400, "BadRequest",
                         f"Invalid value '{value}' for query option '{name}'.") from None


def parse_query(query: dict[str, str], *, known: frozenset[str] | None = MESSAGE_PROPERTIES,
                entity: str = "message", max_top: int = 1000, allow_search: bool = True,
                expandable: frozenset[str] = frozenset({"attachments"})) -> Query:
    """Read and validate OData options; unsupported forms raise a Graph 400."""
    q = Query(raw=dict(query))
    for key in query:
        if key.startswith("$") and key.lower() not in KNOWN_OPTIONS:
            raise GraphError(400, "BadRequest", f"Query option '{key}' is not allowed.")
    opts = {k.lower(): v for k, v in query.items()}
    if "$select" in opts:
        q.select = [s.strip() for s in opts["$select"].split(",") if s.strip()]
        for name in q.select:
            if known is not None and name not in known and name.lower() not in {
                    k.lower() for k in known}:
                raise GraphError(400, "BadRequest", f"Could not find a property named "
                                 f"'{name}' on type 'microsoft.graph.{entity}'.")
    if "$top" in opts:
        q.top = _int("$top", opts["$top"])
        if not 1 <= q.top <= max_top:
            raise GraphError(400, "ErrorInvalidArgument" if q.top > 0 else "BadRequest",
                             f"The value of $top must be between 1 and {max_top}.")
    if "$skip" in opts:
        q.skip = _int("$skip", opts["$skip"])
        if q.skip < 0:
            raise GraphError(400, "BadRequest", "Invalid value for '$skip'.")
    if "$orderby" in opts:
        for part in opts["$orderby"].split(","):
            words = part.split()
            if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() not in (
                    "asc", "desc")):
                raise GraphError(400, "BadRequest", f"Invalid $orderby clause '{part}'.")
            if known is not None and words[0].lower() not in {k.lower() for k in known}:
                raise GraphError(400, "BadRequest", f"Could not find a property named "
                                 f"'{words[0]}' on type 'microsoft.graph.{entity}'.")
            q.orderby.append((words[0], len(words) == 2 and words[1].lower() == "desc"))
    if "$filter" in opts:
        q.filter = parse_filter(opts["$filter"], known=set(known) if known else None,
                                entity=entity)
    if "$search" in opts:
        if not allow_search:
            raise GraphError(400, "BadRequest", "$search is not supported on this resource.")
        if q.orderby:
            raise GraphError(400, "BadRequest",
                             "The query parameter '$orderBy' is not supported with '$search'.")
        if q.filter is not None:
            raise GraphError(400, "BadRequest",
                             "The query parameter '$filter' is not supported with '$search'.")
        if q.skip:
            raise GraphError(400, "BadRequest",
                             "The query parameter '$skip' is not supported with '$search'.")
        q.search = parse_search(opts["$search"])
    if opts.get("$count", "").lower() == "true":
        q.count = True
    elif "$count" in opts and opts["$count"].lower() != "false":
        raise GraphError(400, "BadRequest", "Invalid value for '$count'.")
    if "$expand" in opts:
        for item in split_top_level(opts["$expand"]):
            name, nested = _expand_item(item, expandable, entity)
            q.expand.append(name)
            if isinstance(nested, tuple):
                q.expand_ids[name] = nested
            elif name == extended_props.SVEP:
                raise GraphError(400, "BadRequest", f"Expanding '{name}' needs a $filter on "
                                 "the property id.")
            elif nested is not None:
                q.expand_select[name] = nested
    if q.filter is not None and q.orderby:
        check_inefficient_filter(q)
    return q


def check_inefficient_filter(q: Query) -> None:
    """FACTS #24: every $orderby property in $filter, same order, before the others."""
    assert q.filter is not None
    names = [p.lower() for p in q.filter.properties]
    order = [p.lower() for p, _ in q.orderby]
    if names[: len(order)] != order:
        raise GraphError(400, "InefficientFilter",
                         "The restriction or sort order is too complex for this operation.")


def select_fields(item: dict[str, Any], select: list[str] | None,
                  always: Sequence[str] = ("id", "@odata.etag")) -> dict[str, Any]:
    """Only the selected fields (plus ``id`` and ``@odata.etag``), kept as stored."""
    out = {k: v for k, v in item.items() if not k.startswith("_")}
    if select is None:
        return out
    wanted = {s.lower() for s in select} | {a.lower() for a in always}
    return {k: v for k, v in out.items() if k.lower() in wanted or k == "@odata.type"}


def sort_items(items: list[dict[str, Any]], orderby: list[tuple[str, bool]]) -> None:
    """Stable sort by the ``$orderby`` keys (last key first)."""
    for prop, desc in reversed(orderby):
        items.sort(key=lambda m, p=prop: (m.get(p) is None, str(m.get(p) or "")), reverse=desc)


def paged(req: Request, *, compute: Callable[[Query], Sequence[Any]],
          render: Callable[[Any, Query], dict[str, Any] | None], context: str,
          parse: Callable[[dict[str, str]], Query], default_top: int = 10,
          snapshot: bool = False) -> Response:
    """A list response with paging.

    Args:
        req: the request (``$skiptoken`` resumes the stored query and offset).
        compute: the query's full result, as ids or items.
        render: turns one result into its JSON dict.
        context: ``@odata.context`` fragment.
        parse: parses the raw query options into a :class:`Query`.
        default_top: page size without ``$top``.
        snapshot: store the computed result in the token (filtered/searched lists) instead of
            recomputing per page.
    """
    emu = req.emulator
    token = req.query.get("$skiptoken") or req.query.get("$SkipToken")
    state: dict[str, Any] | None = None
    if token:
        state = emu.tokens.get(token)
        if state is None or state.get("kind") != "page" or state.get("epoch") != emu.delta_epoch:
            raise GraphError(400, "BadRequest", "The $skiptoken is invalid or has expired.")
        q = parse(state["query"])
        offset = state["offset"]
        results = state.get("results")
        if results is None:
            results = compute(q)
    else:
        q = parse(req.query)
        offset = q.skip
        results = compute(q)
    size = q.top or default_top
    page = results[offset: offset + size]
    body: dict[str, Any] = {"@odata.context": req.context_url(context)}
    if q.count:
        body["@odata.count"] = len(results)
    rendered = (render(r, q) for r in page)
    body["value"] = [item for item in rendered if item is not None]
    if offset + size < len(results):
        new_state = {"kind": "page", "query": q.raw, "offset": offset + size,
                     "epoch": emu.delta_epoch}
        if snapshot or (state is not None and "results" in state):
            new_state["results"] = results
        tok = emu.tokens.put(new_state)
        # req.path is as the client sent it (already percent-encoded): never quote it again.
        body["@odata.nextLink"] = f"{req.base_url}{req.path}?$skiptoken={tok}"
    headers = {}
    carries_body = q.select is None or any(
        s.lower() in ("body", "uniquebody") for s in q.select)
    if carries_body and "outlook.body-content-type" in req.prefer:
        headers["Preference-Applied"] = (
            f'outlook.body-content-type="{req.prefer["outlook.body-content-type"]}"')
    return Response.ok(body, headers=headers)
