"""Message endpoints: list per folder and mailbox-wide (OData options, paging), get, create
draft (201), PATCH (200), DELETE (204), move/copy (201; ids kept only with immutable ids) and
``$value`` (MIME)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from olk_tui.emulator import extended_props, kql
from olk_tui.emulator.calendar_actions import linked_event
from olk_tui.emulator.calendar_http import output_zone, render_event
from olk_tui.emulator.folders import box, folder_or_404
from olk_tui.emulator.message_model import (
    RECIPIENT_FIELDS,
    body_preview,
    from_mime_base64,
    is_mime_request,
    new_message,
    normalize_body,
    normalize_recipients,
    render_message,
    to_mime,
)
from olk_tui.emulator.odata import MESSAGE_EXPANDABLE, Query, paged, parse_query
from olk_tui.emulator.router import GraphError, Request, Response, Router
from olk_tui.emulator.state import Mailbox, parse_graph_datetime

SEARCH_LIMIT = 1000
#: The type-cast navigation a message GET may expand (sample ``eventmessage-get.2``).
EVENT_EXPAND = "microsoft.graph.eventMessage/event"
_READONLY = {"id", "@odata.etag", "changeKey", "parentFolderId", "createdDateTime",
             "lastModifiedDateTime", "hasAttachments", "isDraft", "webLink", "conversationId",
             "@odata.context"}


def register(router: Router) -> None:
    """Add the message routes."""
    router.add("GET", "/me/messages", list_all)
    router.add("POST", "/me/messages", create_draft)
    router.add("GET", "/me/mailFolders/{fid}/messages", list_folder)
    router.add("POST", "/me/mailFolders/{fid}/messages", create_in_folder)
    # Graph also reaches a subfolder through its parent: .../childFolders/{id}/messages.
    router.add("GET", "/me/mailFolders/{pid}/childFolders/{fid}/messages", list_folder)
    for prefix in ("/me/messages/{id}", "/me/mailFolders/{fid}/messages/{id}"):
        router.add("GET", prefix, get_message)
        router.add("PATCH", prefix, update_message)
        router.add("DELETE", prefix, delete_message)
        router.add("POST", prefix + "/move", move_message)
        router.add("POST", prefix + "/copy", copy_message)
        router.add("GET", prefix + "/$value", get_mime)


def message_or_404(req: Request) -> dict[str, Any]:
    """The message named by ``{id}`` (in ``{fid}`` when the path names a folder)."""
    mb = box(req)
    msg = mb.messages.get(req.params["id"])
    if msg is not None and "fid" in req.params:
        folder = mb.resolve_folder(req.params["fid"])
        if folder is None or folder["id"] != msg["parentFolderId"]:
            msg = None
    if msg is None:
        raise GraphError(404, "ErrorItemNotFound",
                         "The specified object was not found in the store.")
    return msg


def check_if_match(req: Request, msg: dict[str, Any]) -> None:
    """412 when ``If-Match`` names another version than the stored ``@odata.etag``."""
    wanted = req.headers.get("if-match")
    if wanted and wanted.strip() != "*" and wanted.strip() != msg.get("@odata.etag"):
        raise GraphError(412, "ErrorIrresolvableConflict",
                         "The send or update operation could not be performed because the "
                         "change key passed in the request does not match the current change "
                         "key for the item.")


def _parse(query: dict[str, str]) -> Query:
    return parse_query(query, expandable=MESSAGE_EXPANDABLE)


def _compute(mb: Mailbox, ids: list[str], q: Query) -> list[str]:
    msgs = mb.messages
    if q.search is not None:
        token = kql.ATTACHMENTS.set(mb.attachments)
        try:
            found = [i for i in ids if q.search(msgs[i])]
        finally:
            kql.ATTACHMENTS.reset(token)
        found.sort(key=lambda i: parse_graph_datetime(msgs[i].get("sentDateTime")),
                   reverse=True)
        return found[:SEARCH_LIMIT]
    result = ids
    if q.filter is not None:
        pred = q.filter.predicate
        result = [i for i in ids if pred(msgs[i])]
    if q.orderby:
        result = list(result)
        for prop, desc in reversed(q.orderby):
            if prop.lower().endswith("datetime"):
                result.sort(key=lambda i, p=prop: parse_graph_datetime(msgs[i].get(p)),
                            reverse=desc)
            else:
                result.sort(key=lambda i, p=prop: (msgs[i].get(p) is None,
                                                   str(msgs[i].get(p) or "").lower()),
                            reverse=desc)
    return result


def _list(req: Request, ids_of: Any, context: str) -> Response:
    mb = box(req)

    def compute(q: Query) -> list[str]:
        return _compute(mb, ids_of(), q)

    def render(mid: str, q: Query) -> dict[str, Any] | None:
        return render_message(req, mb, mb.messages.get(mid), q)

    filtered = any(k.lower() in ("$filter", "$search", "$orderby") for k in req.query)
    return paged(req, compute=compute, render=render, context=context, parse=_parse,
                 snapshot=filtered)


def list_all(req: Request) -> Response:
    """GET /me/messages: every folder's messages, newest first."""
    mb = box(req)
    return _list(req, mb.all_sorted_ids, f"users('{mb.user_id}')/messages")


def list_folder(req: Request) -> Response:
    """GET /me/mailFolders/{id}/messages."""
    mb = box(req)
    folder = folder_or_404(req)
    return _list(req, lambda: mb.sorted_ids(folder["id"]),
                 f"users('{mb.user_id}')/mailFolders('{folder['id']}')/messages")


def _entity(req: Request, mb: Mailbox, msg: dict[str, Any], q: Query | None = None,
            status: int = 200) -> Response:
    q = q or parse_query({})
    chosen = f"({','.join(q.select)})" if q.select else ""
    body = {"@odata.context": req.context_url(
        f"users('{mb.user_id}')/messages{chosen}/$entity"),
            "@odata.type": "#microsoft.graph.message",
            **(render_message(req, mb, msg, q) or {})}
    headers = {}
    if "outlook.body-content-type" in req.prefer:
        headers["Preference-Applied"] = (
            f'outlook.body-content-type="{req.prefer["outlook.body-content-type"]}"')
    return Response.ok(body, status=status, headers=headers)


def get_message(req: Request) -> Response:
    """GET /me/messages/{id} ($select, $expand=attachments or
    microsoft.graph.eventMessage/event, body content type)."""
    msg = message_or_404(req)
    q = parse_query(req.query, allow_search=False,
                    expandable=MESSAGE_EXPANDABLE | {EVENT_EXPAND})
    resp = _entity(req, box(req), msg, q)
    if EVENT_EXPAND in q.expand:
        _expand_event(req, box(req), msg, resp)
    return resp


def _expand_event(req: Request, mb: Mailbox, msg: dict[str, Any], resp: Response) -> None:
    """Inline the event an event message links to (the cast does nothing on other messages)."""
    ev = linked_event(mb, msg["id"])
    if ev is None or not isinstance(resp.json, dict):
        return
    tz_name, zone_headers = output_zone(req)
    resp.json["event@odata.context"] = req.context_url(
        f"users('{mb.user_id}')/messages('{quote(msg['id'], safe='')}')"
        "/microsoft.graph.eventMessage/event/$entity")
    resp.json["event"] = render_event(ev, tz_name)
    for name, value in zone_headers.items():
        resp.headers[name] = ", ".join(p for p in (resp.headers.get(name), value) if p)


def _create(req: Request, folder_id: str) -> Response:
    mb = box(req)
    now = req.emulator.clock.now()
    if is_mime_request(req):
        data, attachments = from_mime_base64(req, req.body)
    else:
        data, attachments = req.json_object(), []
    msg = new_message(req, mb, data, now=now)
    mb.add_message(msg, folder_id, now=now)
    if req.immutable_ids:
        mb.extra.setdefault("immutable_drafts", set()).add(msg["id"])
    for att in attachments:
        mb.add_attachment(msg["id"], att)
    return _entity(req, mb, msg, status=201)


def create_draft(req: Request) -> Response:
    """POST /me/messages -> 201 draft in Drafts (JSON, or base64 MIME as text/plain)."""
    return _create(req, box(req).well_known["drafts"])


def create_in_folder(req: Request) -> Response:
    """POST /me/mailFolders/{id}/messages -> 201 draft in that folder."""
    return _create(req, folder_or_404(req)["id"])


def update_message(req: Request) -> Response:
    """PATCH /me/messages/{id} -> 200 with the updated message."""
    mb = box(req)
    msg = message_or_404(req)
    check_if_match(req, msg)
    data = req.json_object()
    patch: dict[str, Any] = {}
    for key, value in data.items():
        if key in _READONLY or key.startswith("_"):
            continue
        if key == extended_props.SVEP:
            patch[extended_props.FIELD] = {**(msg.get(extended_props.FIELD) or {}),
                                           **extended_props.from_payload(value)}
            continue
        if key in RECIPIENT_FIELDS:
            value = normalize_recipients(req.emulator, value, key)
        elif key == "body":
            value = normalize_body(value)
            patch["bodyPreview"] = body_preview(value)
        elif key == "isRead" and not isinstance(value, bool):
            raise GraphError(400, "ErrorInvalidRequest", "isRead must be a boolean.")
        elif key == "flag":
            if not isinstance(value, dict) or value.get("flagStatus", "notFlagged") not in (
                    "notFlagged", "flagged", "complete"):
                raise GraphError(400, "ErrorInvalidRequest", "Invalid flag value.")
            value = {**value, "flagStatus": value.get("flagStatus", "notFlagged")}
        elif key == "categories" and not (isinstance(value, list)
                                          and all(isinstance(c, str) for c in value)):
            raise GraphError(400, "ErrorInvalidRequest", "categories must be strings.")
        elif key == "importance":
            value = str(value).lower()
            if value not in ("low", "normal", "high"):
                raise GraphError(400, "ErrorInvalidRequest", "Invalid importance value.")
        patch[key] = value
    mb.update_message(msg["id"], patch, now=req.emulator.clock.now())
    return _entity(req, mb, msg)


def delete_message(req: Request) -> Response:
    """DELETE /me/messages/{id} -> 204."""
    msg = message_or_404(req)
    check_if_match(req, msg)
    box(req).delete_message(msg["id"])
    return Response.empty(204)


def destination_folder(req: Request) -> str:
    """The ``destinationId`` of a move/copy body (id or well-known name) as a folder id."""
    mb = box(req)
    dest = req.json_object().get("destinationId")
    if not isinstance(dest, str) or not dest:
        raise GraphError(400, "ErrorInvalidRequest", "The destinationId parameter is required.")
    folder = mb.resolve_folder(dest)
    if folder is None:
        raise GraphError(404, "ErrorItemNotFound",
                         "The specified object was not found in the store.")
    return str(folder["id"])


def move_message(req: Request) -> Response:
    """POST /me/messages/{id}/move -> 201 with the moved message (new id unless immutable)."""
    mb = box(req)
    msg = message_or_404(req)
    dest = destination_folder(req)
    moved = mb.move_message(msg["id"], dest, keep_id=req.immutable_ids,
                            now=req.emulator.clock.now())
    return _entity(req, mb, moved, status=201)


def copy_message(req: Request) -> Response:
    """POST /me/messages/{id}/copy -> 201 with the copy (always a new id)."""
    mb = box(req)
    msg = message_or_404(req)
    dest = destination_folder(req)
    new = mb.copy_message(msg["id"], dest, now=req.emulator.clock.now())
    return _entity(req, mb, new, status=201)


def get_mime(req: Request) -> Response:
    """GET /me/messages/{id}/$value -> the MIME content (message/rfc822)."""
    mb = box(req)
    msg = message_or_404(req)
    mime = to_mime(msg, list(mb.attachments.get(msg["id"], {}).values()))
    return Response(200, body=mime, headers={"Content-Type": "message/rfc822"})
