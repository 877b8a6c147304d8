"""Sending: ``sendMail`` (202, no body), draft ``send`` (202), ``reply``/``replyAll``/``forward``
(202) and ``createReply``/``createReplyAll``/``createForward`` (201 drafts).

A sent message keeps the ``internetMessageId`` its draft got at creation (one is assigned only
when it has none, e.g. a seeded draft), gets a copy in Sent Items (unless
``saveToSentItems`` is false) and is delivered to every recipient that is a mailbox of the same
emulator (Inbox, unread, Bcc removed), so a test can send from one mailbox and read in another.
Sending a reply or forward (at once, or a create* draft later) marks the original replied or
forwarded (``extended_props``: PidTagLastVerbExecuted and its time), as Exchange does.
"""

from __future__ import annotations

import copy
import html
import uuid
from typing import Any

from olk_tui.emulator import extended_props
from olk_tui.emulator.folders import box
from olk_tui.emulator.message_model import (
    from_mime_base64,
    is_mime_request,
    me_address,
    new_message,
    normalize_recipients,
    received_headers,
)
from olk_tui.emulator.messages import _entity, message_or_404
from olk_tui.emulator.router import GraphError, Request, Response, Router
from olk_tui.emulator.state import Mailbox, utc_now_iso

#: mb.extra key: ids of drafts created with immutable ids (they keep the id when sent).
IMMUTABLE_DRAFTS = "immutable_drafts"
#: mb.extra key: addresses the mailbox owner may send as (``Emulator.grant_send_as``).
SEND_AS = "send_as"


def register(router: Router) -> None:
    """Add the sending routes."""
    router.add("POST", "/me/sendMail", send_mail)
    for prefix in ("/me/messages/{id}", "/me/mailFolders/{fid}/messages/{id}"):
        router.add("POST", prefix + "/send", send_draft)
        for action in ("reply", "replyAll", "forward"):
            router.add("POST", f"{prefix}/{action}", _respond_now(action))
            router.add("POST", f"{prefix}/create{action[0].upper()}{action[1:]}",
                       _respond_draft(action))


def _address(recipient: Any) -> str:
    """The address of a recipient dict, "" when seeded data is malformed."""
    ea = recipient.get("emailAddress") if isinstance(recipient, dict) else None
    address = ea.get("address") if isinstance(ea, dict) else None
    return address if isinstance(address, str) else ""


def _recipients(value: Any) -> list[Any]:
    return [r for r in value if _address(r)] if isinstance(value, list) else []


def _all_recipients(msg: dict[str, Any]) -> list[str]:
    return [_address(r) for field in ("toRecipients", "ccRecipients", "bccRecipients")
            for r in _recipients(msg.get(field))]


def check_send_as(sender: Mailbox, msg: dict[str, Any]) -> None:
    """403 ErrorSendAsDenied when ``from`` is someone the sender may not send as."""
    frm = _address(msg.get("from"))
    if frm and frm.lower() != sender.address.lower() and frm.lower() not in {
            a.lower() for a in sender.extra.get(SEND_AS, set())}:
        raise GraphError(403, "ErrorSendAsDenied",
                         "The user account which was used to submit this request does not "
                         "have the right to send mail on behalf of the specified sending "
                         "account. Cannot submit message.")


def deliver(req: Request, sender: Mailbox, msg: dict[str, Any], *, save: bool = True,
            keep_id: bool = False, attachments: list[dict[str, Any]] | None = None) -> None:
    """Finish sending ``msg`` (not yet stored, or a draft already removed from Drafts)."""
    if not _all_recipients(msg):
        raise GraphError(400, "ErrorInvalidRecipients",
                         "At least one recipient is required, but none were found.")
    check_send_as(sender, msg)
    now = req.emulator.clock.now()
    stamp = utc_now_iso(now)
    # Exchange keeps the id the draft got at creation (or the client gave it): the Sent Items
    # copy and every delivered copy carry it. Only a message without one gets a new one here.
    imid = msg.get("internetMessageId")
    if not isinstance(imid, str) or not imid.strip():
        msg["internetMessageId"] = f"<{uuid.uuid4().hex}@emulator.olk-tui.example>"
    msg["sentDateTime"] = stamp
    msg["receivedDateTime"] = stamp
    msg["lastModifiedDateTime"] = stamp
    msg["isDraft"] = False
    msg["isRead"] = True
    frm = _address(msg.get("from"))
    if frm and frm.lower() != sender.address.lower():
        msg["sender"] = me_address(sender)
    else:
        msg["from"] = msg["sender"] = me_address(sender)
    atts = attachments or []
    for address in dict.fromkeys(a.lower() for a in _all_recipients(msg)):
        target = req.emulator.mailbox(address)
        if target is None:
            continue
        copy_ = copy.deepcopy(msg)
        extended_props.strip_verbs(copy_)
        copy_.pop("id", None)
        copy_.pop("@odata.etag", None)
        copy_.pop("changeKey", None)
        copy_["bccRecipients"] = []
        copy_["isRead"] = False
        copy_["createdDateTime"] = stamp
        copy_["internetMessageHeaders"] = received_headers(copy_)
        delivered = target.add_message(copy_, target.well_known["inbox"], now=now)
        for att in atts:
            dup = copy.deepcopy(att)
            dup.pop("id", None)
            target.add_attachment(delivered["id"], dup)
    if save:
        extended_props.strip_verbs(msg)
        if not keep_id:
            msg.pop("id", None)
        msg.pop("@odata.etag", None)
        msg.pop("changeKey", None)
        saved = sender.add_message(msg, sender.well_known["sentitems"], now=now)
        for att in atts:
            dup = copy.deepcopy(att)
            dup.pop("id", None)
            sender.add_attachment(saved["id"], dup)


def send_mail(req: Request) -> Response:
    """POST /me/sendMail -> 202 with no body (JSON, or base64 MIME as text/plain)."""
    mb = box(req)
    attachments: list[dict[str, Any]] = []
    if is_mime_request(req):
        data, attachments = from_mime_base64(req, req.body)
        save = True
    else:
        payload = req.json_object()
        data = payload.get("message")
        if not isinstance(data, dict):
            raise GraphError(400, "ErrorInvalidRequest",
                             "The 'message' parameter is required.")
        save = payload.get("saveToSentItems", True) is not False
        attachments = [a for a in data.pop("attachments", []) or [] if isinstance(a, dict)]
    msg = new_message(req, mb, data, now=req.emulator.clock.now())
    for att in attachments:
        att.pop("id", None)
    deliver(req, mb, msg, save=save, attachments=attachments)
    return Response.empty(202)


def send_draft(req: Request) -> Response:
    """POST /me/messages/{id}/send -> 202; the draft leaves Drafts for Sent Items."""
    mb = box(req)
    msg = message_or_404(req)
    if not msg.get("isDraft"):
        raise GraphError(400, "ErrorInvalidOperation",
                         "Only draft messages can be sent.")
    if not _all_recipients(msg):
        raise GraphError(400, "ErrorInvalidRecipients",
                         "At least one recipient is required, but none were found.")
    # Checked before the draft leaves Drafts: a refused send keeps the draft, as Exchange does.
    check_send_as(mb, msg)
    keep = req.immutable_ids or msg["id"] in mb.extra.get(IMMUTABLE_DRAFTS, set())
    attachments = list(mb.attachments.get(msg["id"], {}).values())
    origin = msg.get(extended_props.ORIGIN)
    mb.delete_message(msg["id"])
    for att in attachments:
        att.pop("id", None)
    deliver(req, mb, msg, keep_id=keep, attachments=attachments)
    if isinstance(origin, dict):  # a createReply/createReplyAll/createForward draft
        extended_props.mark_original(mb, origin.get("id"), str(origin.get("action")),
                                     req.emulator.clock.now())
    return Response.empty(202)


def _subject(prefix: str, subject: Any) -> str:
    text = str(subject or "")
    return text if text.lower().startswith(prefix.lower()) else f"{prefix}{text}"


def _compose(req: Request, action: str, original: dict[str, Any]) -> dict[str, Any]:
    """The reply/forward message (not yet stored) built from the body and the original."""
    mb = box(req)
    if is_mime_request(req):
        data, _ = from_mime_base64(req, req.body)
        return new_message(req, mb, data, now=req.emulator.clock.now())
    payload = req.json_object()
    comment = payload.get("comment") or ""
    if not isinstance(comment, str):
        raise GraphError(400, "ErrorInvalidRequest", "The comment parameter must be a string.")
    extra = payload.get("message") if isinstance(payload.get("message"), dict) else {}
    me = mb.address.lower()
    if action == "forward":
        to = payload.get("toRecipients") or extra.get("toRecipients") or []
        cc: list[dict[str, Any]] = []
        prefix = "FW: "
    else:
        to = _recipients(original.get("replyTo")) or _recipients(
            [original.get("from") or original.get("sender")])
        cc = []
        if action == "replyAll":
            seen = {_address(r).lower() for r in to}
            for r in _recipients(original.get("toRecipients")):
                addr = _address(r).lower()
                if addr != me and addr not in seen:
                    to.append(r)
                    seen.add(addr)
            cc = [r for r in _recipients(original.get("ccRecipients"))
                  if _address(r).lower() not in seen | {me}]
        prefix = "RE: "
    orig_body = original.get("body") if isinstance(original.get("body"), dict) else {}
    quoted = str(orig_body.get("content") or "")
    if str(orig_body.get("contentType", "")).lower() != "html":
        quoted = "<pre>" + html.escape(quoted) + "</pre>"
    frm_r = original.get("from") if isinstance(original.get("from"), dict) else {}
    frm = frm_r.get("emailAddress") if isinstance(frm_r.get("emailAddress"), dict) else {}
    content = (f"<html><body><div>{html.escape(comment)}</div><hr>"
               f"<div><b>From:</b> {html.escape(str(frm.get('name') or ''))} "
               f"&lt;{html.escape(str(frm.get('address') or ''))}&gt;<br>"
               f"<b>Subject:</b> {html.escape(str(original.get('subject') or ''))}</div>"
               f"{quoted}</body></html>")
    data: dict[str, Any] = {
        "subject": _subject(prefix, original.get("subject")),
        "body": {"contentType": "html", "content": content},
        "toRecipients": to, "ccRecipients": cc,
        "conversationId": original.get("conversationId"),
    }
    for key, value in extra.items():
        if key not in ("id", "conversationId", "attachments"):
            data[key] = value
    data["toRecipients"] = normalize_recipients(req.emulator, data.get("toRecipients"),
                                                "toRecipients")
    return new_message(req, mb, data, now=req.emulator.clock.now())


def _carried_attachments(req: Request, action: str, original: dict[str, Any]
                         ) -> list[dict[str, Any]]:
    """Copies (without ids) of the attachments the new message carries: a forward takes every
    attachment of the original, as Graph does; ``message.attachments`` in the body are added."""
    carried: list[dict[str, Any]] = []
    if action == "forward":
        carried = [copy.deepcopy(a)
                   for a in box(req).attachments.get(original["id"], {}).values()]
    if not is_mime_request(req):
        extra = req.json_object().get("message")
        given = extra.get("attachments") if isinstance(extra, dict) else None
        if isinstance(given, list):
            carried.extend(copy.deepcopy(a) for a in given if isinstance(a, dict))
    for att in carried:
        att.pop("id", None)
    return carried


def _respond_now(action: str) -> Any:
    def handler(req: Request) -> Response:
        original = message_or_404(req)
        msg = _compose(req, action, original)
        deliver(req, box(req), msg, attachments=_carried_attachments(req, action, original))
        extended_props.mark_original(box(req), original["id"], action,
                                     req.emulator.clock.now())
        return Response.empty(202)

    handler.__name__ = f"{action}_now"
    handler.__doc__ = f"POST /me/messages/{{id}}/{action} -> 202 with no body."
    return handler


def _respond_draft(action: str) -> Any:
    def handler(req: Request) -> Response:
        mb = box(req)
        original = message_or_404(req)
        msg = _compose(req, action, original)
        # Remembered (privately) so sending the draft marks the original replied/forwarded.
        msg[extended_props.ORIGIN] = {"id": original["id"], "action": action}
        mb.add_message(msg, mb.well_known["drafts"], now=req.emulator.clock.now())
        for att in _carried_attachments(req, action, original):
            mb.add_attachment(msg["id"], att)
        if req.immutable_ids:
            mb.extra.setdefault(IMMUTABLE_DRAFTS, set()).add(msg["id"])
        return _entity(req, mb, msg, status=201)

    handler.__name__ = f"create_{action}"
    handler.__doc__ = f"POST /me/messages/{{id}}/create{action} -> 201 with the draft."
    return handler
