"""Attachments: list, get, ``$value``, add small (201, at most 3 MB), delete (204), and upload
sessions for 3-150 MB files.

``createUploadSession`` answers 201 with a pre-authenticated ``uploadUrl`` (under
``B/upload/...?authtoken=...``) that must be used without an ``Authorization`` header (401 if
one is sent). Each PUT carries ``Content-Range: bytes a-b/total`` with at most 4 MB, starting at
the next expected byte (416 otherwise); intermediate PUTs answer 200 with
``NextExpectedRanges``, the final one 201 with a ``Location`` header and no body; DELETE on the
URL cancels (204). :func:`start_upload_session` is reusable for event attachments. Requests
to the upload URL count against the budgets (``budgets.py``) of the app and mailbox that
opened the session.
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from olk_tui.emulator.budgets import throttled_response
from olk_tui.emulator.folders import box
from olk_tui.emulator.message_model import to_mime
from olk_tui.emulator.messages import message_or_404
from olk_tui.emulator.odata import parse_query, select_fields
from olk_tui.emulator.router import GraphError, Request, Response, Router, graph_error

SMALL_LIMIT = 3 * 1024 * 1024
LARGE_LIMIT = 150 * 1024 * 1024
CHUNK_LIMIT = 4 * 1024 * 1024
_RANGE_RE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")
_SESSION_RE = re.compile(r"AttachmentSessions\('([^']+)'\)")


@dataclass
class UploadSession:
    """An upload in progress."""

    session_id: str
    authtoken: str
    item: dict[str, Any]
    size: int
    expires: float
    complete: Callable[[dict[str, Any]], str]
    location: Callable[[str], str]
    data: bytearray = field(default_factory=bytearray)
    #: (app id, mailbox address) whose budgets the upload URL's requests use.
    budget: tuple[str | None, str] | None = None


def register(router: Router) -> None:
    """Add the message attachment routes."""
    for prefix in ("/me/messages/{id}", "/me/mailFolders/{fid}/messages/{id}"):
        base = prefix + "/attachments"
        router.add("GET", base, list_attachments)
        router.add("POST", base, add_attachment)
        router.add("POST", base + "/createUploadSession", create_upload_session)
        router.add("GET", base + "/{aid}", get_attachment)
        router.add("DELETE", base + "/{aid}", delete_attachment)
        router.add("GET", base + "/{aid}/$value", get_attachment_value)


def _attachment_or_404(req: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    msg = message_or_404(req)
    att = box(req).attachments.get(msg["id"], {}).get(req.params["aid"])
    if att is None:
        raise GraphError(404, "ErrorItemNotFound",
                         "The specified object was not found in the store.")
    return msg, att


def list_attachments(req: Request) -> Response:
    """GET .../attachments ($select honoured; $filter is ignored, as Graph does)."""
    mb = box(req)
    msg = message_or_404(req)
    query = {k: v for k, v in req.query.items() if k.lower() != "$filter"}
    q = parse_query(query, known=None, entity="attachment", allow_search=False)
    items = [{k: v for k, v in select_fields(a, q.select, always=("id",)).items()
              if k != "item"} for a in mb.attachments.get(msg["id"], {}).values()]
    return Response.ok({"@odata.context": req.context_url(
        f"users('{mb.user_id}')/messages('{msg['id']}')/attachments"), "value": items})


ITEM_EXPAND = "microsoft.graph.itemattachment/item"


def _is_item(att: dict[str, Any]) -> bool:
    return str(att.get("@odata.type", "")).lower().endswith("itemattachment")


def get_attachment(req: Request) -> Response:
    """GET .../attachments/{id}; an item attachment's ``item`` only with
    ``$expand=microsoft.graph.itemattachment/item``."""
    mb = box(req)
    msg, att = _attachment_or_404(req)
    query = {k: (v.lower() if k.lower() == "$expand" else v) for k, v in req.query.items()}
    q = parse_query(query, known=None, entity="attachment", allow_search=False,
                    expandable=frozenset({ITEM_EXPAND}))
    body = select_fields(att, q.select, always=("id", "@odata.type"))
    body.pop("item", None)
    context = f"users('{mb.user_id}')/messages('{msg['id']}')/attachments"
    if ITEM_EXPAND in q.expand and _is_item(att) and isinstance(att.get("item"), dict):
        body["item@odata.context"] = req.context_url(
            f"{context}('{att['id']}')/microsoft.graph.itemAttachment/item/$entity")
        body["item"] = {"@odata.type": "#microsoft.graph.message", **att["item"]}
    return Response.ok({"@odata.context": req.context_url(f"{context}/$entity"), **body})


def get_attachment_value(req: Request) -> Response:
    """GET .../attachments/{id}/$value -> the raw bytes."""
    _, att = _attachment_or_404(req)
    if _is_item(att) and isinstance(att.get("item"), dict):
        return Response(200, body=to_mime(att["item"], []),
                        headers={"Content-Type": "message/rfc822"})
    raw = att.get("contentBytes")
    data = base64.b64decode(raw) if isinstance(raw, str) else b""
    return Response(200, body=data,
                    headers={"Content-Type": str(att.get("contentType")
                                                 or "application/octet-stream")})


def add_attachment(req: Request) -> Response:
    """POST .../attachments -> 201 (file attachments up to 3 MB; bigger needs a session)."""
    mb = box(req)
    msg = message_or_404(req)
    data = req.json_object()
    otype = data.get("@odata.type")
    if not isinstance(otype, str) or otype.lower().lstrip("#") not in (
            "microsoft.graph.fileattachment", "microsoft.graph.itemattachment",
            "microsoft.graph.referenceattachment"):
        raise GraphError(400, "ErrorInvalidRequest",
                         "The @odata.type property must name an attachment type.")
    if not isinstance(data.get("name", ""), str):
        raise GraphError(400, "ErrorInvalidRequest", "The name property must be a string.")
    raw = data.get("contentBytes")
    if otype.lower().endswith("fileattachment"):
        if not isinstance(raw, str):
            raise GraphError(400, "ErrorInvalidRequest", "contentBytes is required.")
        try:
            # Exchange is lenient about missing padding (the docs' own sample lacks it).
            size = len(base64.b64decode(raw.strip() + "=" * (-len(raw.strip()) % 4)))
        except ValueError:
            raise GraphError(400, "ErrorInvalidRequest",
                             "contentBytes is not valid base64.") from None
        if size > SMALL_LIMIT:
            raise GraphError(413, "ErrorRequestEntityTooLarge",
                             "The attachment is larger than 3 MB; use an upload session.")
        data["size"] = size
    data.pop("id", None)
    data.setdefault("contentType", "application/octet-stream")
    att = mb.add_attachment(msg["id"], data)
    return Response.ok({"@odata.context": req.context_url(
        f"users('{mb.user_id}')/messages('{msg['id']}')/attachments/$entity"), **att},
        status=201)


def delete_attachment(req: Request) -> Response:
    """DELETE .../attachments/{id} -> 204."""
    msg, att = _attachment_or_404(req)
    box(req).delete_attachment(msg["id"], att["id"])
    return Response.empty(204)


def create_upload_session(req: Request) -> Response:
    """POST .../attachments/createUploadSession -> 201 uploadSession."""
    mb = box(req)
    msg = message_or_404(req)

    def complete(att: dict[str, Any]) -> str:
        if msg["id"] not in mb.messages:
            raise GraphError(404, "ErrorItemNotFound",
                             "The specified object was not found in the store.")
        return str(mb.add_attachment(msg["id"], att)["id"])

    def location(aid: str) -> str:
        return f"{req.base_url}/users/{mb.user_id}/messages/{msg['id']}/attachments/{aid}"

    return start_upload_session(req, f"Users('{mb.user_id}')/Messages('{msg['id']}')",
                                complete, location)


def start_upload_session(req: Request, owner: str, complete: Callable[[dict[str, Any]], str],
                         location: Callable[[str], str]) -> Response:
    """Validate ``{"AttachmentItem": {...}}`` and open a session; ``complete`` stores the
    finished attachment and returns its id, ``location`` builds the final Location URL."""
    body = req.json_object()
    item = body.get("AttachmentItem") or body.get("attachmentItem")
    if not isinstance(item, dict) or not item.get("name") or not isinstance(
            item.get("size"), int):
        raise GraphError(400, "ErrorInvalidRequest",
                         "AttachmentItem with name and size is required.")
    if str(item.get("attachmentType", "file")).lower() != "file":
        raise GraphError(400, "ErrorInvalidRequest", "Only file attachments can be uploaded.")
    size = item["size"]
    if size < SMALL_LIMIT:
        raise GraphError(400, "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize",
                         "Attachment size must be at least 3 MB for an upload session.")
    if size > LARGE_LIMIT:
        raise GraphError(400, "ErrorAttachmentSizeShouldNotExceedMaximumSize",
                         "Attachment size must not exceed 150 MB.")
    emu = req.emulator
    expires = emu.clock.now() + timedelta(hours=2)
    session = UploadSession(emu.ids.new(b"U"), secrets.token_urlsafe(32), dict(item), size,
                            expires.timestamp(), complete, location,
                            budget=(req.app, req.mailbox.address) if req.mailbox else None)
    emu.uploads[session.session_id] = session
    origin = req.base_url.rsplit("/", 1)[0]
    url = (f"{origin}/upload/api/v2.0/{owner}/AttachmentSessions('{session.session_id}')"
           f"?authtoken={session.authtoken}")
    return Response.ok({
        "@odata.context": req.context_url("microsoft.graph.uploadSession"),
        "uploadUrl": url,
        "expirationDateTime": expires.strftime("%Y-%m-%dT%H:%M:%S.%f0Z"),
        "nextExpectedRanges": ["0-"],
    }, status=201)


def handle_upload(req: Request) -> Response:
    """PUT/DELETE on an upload URL (no bearer token: the URL carries its own)."""
    emu = req.emulator
    m = _SESSION_RE.search(req.path)
    session: UploadSession | None = emu.uploads.get(m.group(1)) if m else None
    if session is None or req.query.get("authtoken") != session.authtoken:
        return graph_error(404, "ErrorItemNotFound", "The upload session was not found.", req)
    if session.budget is not None:
        # The pre-authenticated URL acts for the app and mailbox that opened the session.
        throttle = emu.budgets.charge(*session.budget, req.method, len(req.body))
        if throttle is not None:
            return throttled_response(throttle, req)
    if "authorization" in req.headers:
        return graph_error(401, "InvalidAuthenticationToken",
                           "The upload URL is pre-authenticated; do not send an Authorization "
                           "header.", req)
    if emu.clock.timestamp() >= session.expires:
        del emu.uploads[session.session_id]
        return graph_error(404, "ErrorItemNotFound", "The upload session has expired.", req)
    if req.method == "DELETE":
        del emu.uploads[session.session_id]
        return Response.empty(204)
    if req.method != "PUT":
        return graph_error(405, "Request_BadRequest",
                           "Specified HTTP method is not allowed for the request target.", req)
    rng = _RANGE_RE.match(req.headers.get("content-range", "").strip())
    if not rng:
        return graph_error(400, "invalidRange", "A Content-Range header is required.", req)
    start, end, total = (int(g) for g in rng.groups())
    if total != session.size or end < start or end >= total:
        return graph_error(400, "invalidRange", "The Content-Range is not valid.", req)
    if end - start + 1 != len(req.body):
        return graph_error(400, "invalidRange",
                           "The Content-Range does not match the body length.", req)
    if len(req.body) > CHUNK_LIMIT:
        return graph_error(413, "RequestEntityTooLarge",
                           "Each upload request must be at most 4 MB.", req)
    if start != len(session.data):
        return graph_error(416, "invalidRange",
                           "Uploaded fragment overlaps with existing data." if start < len(
                               session.data) else "Uploaded fragment is not contiguous.", req)
    session.data.extend(req.body)
    if len(session.data) < session.size:
        return Response.ok({
            "@odata.context": f"{req.base_url}/api/v2.0/$metadata#AttachmentSessions/$entity",
            "ExpirationDateTime": datetime.fromtimestamp(session.expires, UTC).strftime(
                "%Y-%m-%dT%H:%M:%S.%f0Z"),
            "NextExpectedRanges": [str(len(session.data))],
        })
    del emu.uploads[session.session_id]
    item = session.item
    att = {
        "@odata.type": "#microsoft.graph.fileAttachment",
        "name": item["name"], "contentType": item.get("contentType")
        or "application/octet-stream", "size": session.size,
        "isInline": bool(item.get("isInline", False)),
        "contentBytes": base64.b64encode(bytes(session.data)).decode("ascii"),
    }
    if item.get("contentId"):
        att["contentId"] = item["contentId"]
    aid = session.complete(att)
    return Response.empty(201, headers={"Location": session.location(aid)})
