"""Building and presenting message resources: new-message normalisation (the full property set
Graph returns for a created draft), previews, recipients, body format conversion, and MIME in
both directions (``$value``, and base64 MIME bodies on create/send)."""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import html
import re
import uuid
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses
from typing import Any
from urllib.parse import quote

from olk_tui.emulator import extended_props
from olk_tui.emulator.odata import Query, select_fields
from olk_tui.emulator.router import GraphError, Request
from olk_tui.emulator.state import Mailbox, parse_graph_datetime, utc_now_iso

_TAG_RE = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.IGNORECASE | re.DOTALL)
_WS_RE = re.compile(r"[ \t\r\f\v]+")
RECIPIENT_FIELDS = ("toRecipients", "ccRecipients", "bccRecipients", "replyTo")
#: Properties Graph returns only when ``$select`` names them.
SELECT_ONLY = ("internetMessageHeaders", "uniqueBody")


def html_to_plain(text: str) -> str:
    """A rough text rendering of HTML (for ``Prefer: outlook.body-content-type="text"``)."""
    text = re.sub(r"<br\s*/?>|</p>|</div>|</tr>", "\n", text, flags=re.IGNORECASE)
    text = html.unescape(_TAG_RE.sub("", text))
    lines = [_WS_RE.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def body_preview(body: Any) -> str:
    """First 255 characters of the body as text (Graph's ``bodyPreview``)."""
    if not isinstance(body, dict):
        return ""
    content = str(body.get("content") or "")
    if str(body.get("contentType", "")).lower() == "html":
        content = html_to_plain(content)
    return _WS_RE.sub(" ", content.replace("\r", " ").replace("\n", " ")).strip()[:255]


def normalize_body(body: Any) -> dict[str, str]:
    """An itemBody with a lower-case contentType (Graph answers ``html``/``text``)."""
    if not isinstance(body, dict):
        return {"contentType": "text", "content": ""}
    ctype = str(body.get("contentType") or "text").lower()
    if ctype not in ("text", "html"):
        raise GraphError(400, "ErrorInvalidRequest", f"Invalid body contentType '{ctype}'.")
    return {"contentType": ctype, "content": str(body.get("content") or "")}


def normalize_recipients(emulator: Any, value: Any, field: str) -> list[dict[str, Any]]:
    """A recipient list with names filled in for local mailboxes; 400 when malformed."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise GraphError(400, "ErrorInvalidRecipients", f"'{field}' must be a collection.")
    out = []
    for item in value:
        ea = item.get("emailAddress") if isinstance(item, dict) else None
        if not isinstance(ea, dict) or not isinstance(ea.get("address"), str):
            raise GraphError(400, "ErrorInvalidRecipients",
                             "At least one recipient is not valid.")
        address = ea["address"]
        local = emulator.mailbox(address) if emulator else None
        name = ea.get("name") or (local.name if local else address)
        out.append({"emailAddress": {"name": name, "address": address}})
    return out


def me_address(mb: Mailbox) -> dict[str, Any]:
    """The mailbox owner as an emailAddress recipient."""
    return {"emailAddress": {"name": mb.name, "address": mb.address}}


def new_message(req: Request, mb: Mailbox, data: dict[str, Any], *,
                now: datetime | None = None) -> dict[str, Any]:
    """A new draft with Graph's full property set, keeping any extra fields given."""
    stamp = utc_now_iso(now)
    msg: dict[str, Any] = {k: v for k, v in data.items()
                           if k not in ("id", "@odata.etag", "changeKey", "parentFolderId")
                           and not k.startswith("_")}
    extended_props.absorb(msg)
    msg["id"] = mb.ids.new(b"M")
    msg["createdDateTime"] = stamp
    msg["lastModifiedDateTime"] = stamp
    msg.setdefault("categories", [])
    msg["receivedDateTime"] = stamp
    msg["sentDateTime"] = stamp
    msg["hasAttachments"] = False
    msg.setdefault("internetMessageId", f"<{uuid.uuid4().hex}@emulator.olk-tui.example>")
    msg.setdefault("subject", "")
    msg["body"] = normalize_body(msg.get("body"))
    msg["bodyPreview"] = body_preview(msg["body"])
    msg["importance"] = str(msg.get("importance") or "normal").lower()
    msg.setdefault("conversationId", "AAQkAG" + uuid.uuid4().hex[:22] + "=")
    msg.setdefault("conversationIndex", base64.b64encode(uuid.uuid4().bytes).decode())
    msg.setdefault("isDeliveryReceiptRequested", False)
    msg.setdefault("isReadReceiptRequested", False)
    msg["isRead"] = True
    msg["isDraft"] = True
    msg["webLink"] = ("https://outlook.office365.com/owa/?ItemID="
                      + quote(msg["id"], safe="") + "&exvsurl=1&viewmodel=ReadMessageItem")
    msg.setdefault("inferenceClassification", "focused")
    for field in RECIPIENT_FIELDS:
        msg[field] = normalize_recipients(req.emulator, msg.get(field), field)
    if msg.get("from"):
        msg["from"] = normalize_recipients(req.emulator, [msg["from"]], "from")[0]
    msg.setdefault("sender", msg.get("from") or me_address(mb))
    msg.setdefault("from", msg["sender"])
    msg.setdefault("flag", {"flagStatus": "notFlagged"})
    return msg


def render_message(req: Request, mb: Mailbox, msg: dict[str, Any] | None,
                   q: Query) -> dict[str, Any] | None:
    """The JSON a message is served as: ``$select``, body format, ``$expand=attachments``."""
    if msg is None:
        return None
    out = select_fields(msg, q.select)
    if q.select is None:
        for key in SELECT_ONLY:
            out.pop(key, None)
    elif "uniqueBody" not in out and any(s.lower() == "uniquebody" for s in q.select):
        # Without an earlier message quoted in it, the unique body is the body.
        out["uniqueBody"] = dict(msg.get("body") or {"contentType": "text", "content": ""})
    want = req.prefer.get("outlook.body-content-type", "").lower()
    if want in ("text", "html"):
        for field in ("body", "uniqueBody"):
            body = out.get(field)
            if isinstance(body, dict) and str(body.get("contentType", "")).lower() != want:
                content = str(body.get("content") or "")
                out[field] = ({"contentType": "text", "content": html_to_plain(content)}
                              if want == "text" else
                              {"contentType": "html",
                               "content": "<html><body><pre>" + html.escape(content)
                               + "</pre></body></html>"})
    if extended_props.SVEP in q.expand:
        found = extended_props.render(msg, q.expand_ids.get(extended_props.SVEP, ()))
        if found is not None:
            out[extended_props.SVEP] = found
    if "attachments" in q.expand:
        chosen = q.expand_select.get("attachments")
        out["attachments"] = [select_fields(att, chosen, always=("id",))
                              for att in mb.attachments.get(msg["id"], {}).values()]
    return out


# -------------------------------------------------------------------------- MIME
def _addr_str(recipient: Any) -> str:
    ea = recipient.get("emailAddress") if isinstance(recipient, dict) else None
    if not isinstance(ea, dict):
        return ""
    name, address = str(ea.get("name") or ""), str(ea.get("address") or "")
    return f"{name} <{address}>" if name and name != address else address


def received_headers(msg: dict[str, Any]) -> list[dict[str, str]]:
    """The ``internetMessageHeaders`` a delivered copy carries."""
    def addr(r: Any) -> str:
        return _addr_str(r)

    headers = [("Received", "from emulator.olk-tui.example by emulator.olk-tui.example "
                            "with HTTP; " + str(msg.get("sentDateTime") or "")),
               ("MIME-Version", "1.0"),
               ("Content-Type", "text/html; charset=utf-8"
                if str((msg.get("body") or {}).get("contentType", "")).lower() == "html"
                else "text/plain; charset=utf-8"),
               ("Message-ID", str(msg.get("internetMessageId") or "")),
               ("Subject", str(msg.get("subject") or "")),
               ("From", addr(msg.get("from") or {})),
               ("To", ", ".join(addr(r) for r in msg.get("toRecipients") or []))]
    cc = ", ".join(addr(r) for r in msg.get("ccRecipients") or [])
    if cc:
        headers.append(("Cc", cc))
    return [{"name": n, "value": v} for n, v in headers]


def to_mime(msg: dict[str, Any], attachments: list[dict[str, Any]]) -> bytes:
    """The message as RFC 5322 bytes (``GET /messages/{id}/$value``)."""
    em = EmailMessage(policy=email.policy.SMTP)
    if _addr_str(msg.get("from")):
        em["From"] = _addr_str(msg["from"])
    for header, field in (("To", "toRecipients"), ("Cc", "ccRecipients")):
        listed = msg.get(field) if isinstance(msg.get(field), list) else []
        values = [v for v in (_addr_str(r) for r in listed) if v]
        if values:
            em[header] = ", ".join(values)
    em["Subject"] = str(msg.get("subject") or "").replace("\r", " ").replace("\n", " ")
    stamp = parse_graph_datetime(msg.get("sentDateTime") or msg.get("receivedDateTime"))
    em["Date"] = format_datetime(datetime.fromtimestamp(stamp).astimezone())
    if isinstance(msg.get("internetMessageId"), str) and msg["internetMessageId"].strip():
        em["Message-ID"] = msg["internetMessageId"].replace("\r", "").replace("\n", "")
    em["MIME-Version"] = "1.0"
    body = msg.get("body") if isinstance(msg.get("body"), dict) else {}
    subtype = "html" if str(body.get("contentType", "")).lower() == "html" else "plain"
    em.set_content(str(body.get("content") or ""), subtype=subtype)
    for att in attachments:
        raw = att.get("contentBytes")
        if not isinstance(raw, str):
            continue
        try:
            blob = base64.b64decode(raw + "=" * (-len(raw) % 4))
        except ValueError:
            continue
        maintype, _, sub = str(att.get("contentType") or "application/octet-stream").partition("/")
        em.add_attachment(blob, maintype=maintype or "application",
                          subtype=sub or "octet-stream", filename=str(att.get("name") or "file"))
    return em.as_bytes()


def from_mime_base64(req: Request, payload: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Parse a base64 MIME body (Content-Type: text/plain) into a message and attachments;
    400 ``ErrorMimeContentInvalidBase64String`` when it is not valid base64 MIME."""
    try:
        raw = base64.b64decode(payload.strip(), validate=True)
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
    except (binascii.Error, ValueError):
        raise GraphError(400, "ErrorMimeContentInvalidBase64String",
                         "Invalid base64 string for MIME content.") from None
    if not raw.strip() or not parsed.keys():
        raise GraphError(400, "ErrorMimeContentInvalidBase64String",
                         "Invalid base64 string for MIME content.")

    def recips(header: str) -> list[dict[str, Any]]:
        return [{"emailAddress": {"name": n or a, "address": a}}
                for n, a in getaddresses([str(v) for v in parsed.get_all(header, [])]) if a]

    data: dict[str, Any] = {
        "subject": str(parsed.get("Subject", "")),
        "toRecipients": recips("To"), "ccRecipients": recips("Cc"),
        "bccRecipients": recips("Bcc"),
    }
    frm = recips("From")
    if frm:
        data["from"] = frm[0]
    if parsed.get("Message-ID"):
        data["internetMessageId"] = str(parsed["Message-ID"])
    body_part = parsed.get_body(preferencelist=("html", "plain")) if parsed.is_multipart() \
        else parsed
    content = body_part.get_content() if body_part is not None else ""
    ctype = "html" if body_part is not None and body_part.get_content_subtype() == "html" \
        else "text"
    data["body"] = {"contentType": ctype, "content": content if isinstance(content, str) else ""}
    attachments = []
    for part in parsed.iter_attachments() if parsed.is_multipart() else []:
        blob = part.get_payload(decode=True) or b""
        attachments.append({
            "@odata.type": "#microsoft.graph.fileAttachment",
            "name": part.get_filename() or "attachment",
            "contentType": part.get_content_type(),
            "size": len(blob), "isInline": False,
            "contentBytes": base64.b64encode(blob).decode("ascii"),
        })
    return data, attachments


def is_mime_request(req: Request) -> bool:
    """Graph reads a body as base64 MIME when its Content-Type is text/plain."""
    return req.headers.get("content-type", "").split(";")[0].strip().lower() == "text/plain"
