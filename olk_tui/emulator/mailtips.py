"""``POST /me/getMailTips``: automatic replies, mailbox full, recipient scope and the rest, for
recipients that are mailboxes of this emulator (others get neutral tips, external scope)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from olk_tui.emulator.router import GraphError, Request, Response, Router

OPTIONS = {"automaticreplies", "mailboxfullstatus", "customMailTip".lower(),
           "externalmembercount", "totalmembercount", "maxmessagesize",
           "deliveryrestriction", "moderationstatus", "recipientscope", "recipientsuggestions"}
MAX_MESSAGE_SIZE = 37748736


def register(router: Router) -> None:
    """Add the getMailTips route."""
    router.add("POST", "/me/getMailTips", get_mail_tips)


def _auto_reply(emu: Any, address: str, internal: bool) -> dict[str, Any]:
    box = emu.mailbox(address)
    if box is None:
        return {"message": ""}
    try:
        from olk_tui.emulator.settings import settings_of

        auto = settings_of(box).get("automaticRepliesSetting") or {}
    except ImportError:
        auto = box.mailbox_settings.get("automaticRepliesSetting") or {}
    status = str(auto.get("status", "disabled")).lower()
    active = status == "alwaysenabled"
    if status == "scheduled":
        now = emu.clock.now()
        try:
            start = _parse(auto["scheduledStartDateTime"]["dateTime"])
            end = _parse(auto["scheduledEndDateTime"]["dateTime"])
            active = start <= now < end
        except (KeyError, TypeError, ValueError):
            active = False
    if not active:
        return {"message": ""}
    text = auto.get("internalReplyMessage" if internal else "externalReplyMessage") or ""
    out: dict[str, Any] = {"message": text, "messageLanguage": {
        "locale": "en-US", "displayName": "English (United States)"}}
    if status == "scheduled":
        out["scheduledStartTime"] = auto["scheduledStartDateTime"]
        out["scheduledEndTime"] = auto["scheduledEndDateTime"]
    return out


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text[:19]).replace(tzinfo=UTC)


def get_mail_tips(req: Request) -> Response:
    """POST /me/getMailTips {EmailAddresses, MailTipsOptions}."""
    data = {k.lower(): v for k, v in req.json_object().items()}
    addresses = data.get("emailaddresses")
    options = data.get("mailtipsoptions")
    if not isinstance(addresses, list) or not all(isinstance(a, str) for a in addresses):
        raise GraphError(400, "ErrorInvalidParameter", "EmailAddresses must be a list.")
    if not isinstance(options, str):
        raise GraphError(400, "ErrorInvalidParameter", "MailTipsOptions is required.")
    wanted = {o.strip().lower() for o in options.split(",") if o.strip()}
    if not wanted or not wanted <= OPTIONS:
        raise GraphError(400, "ErrorInvalidParameter", "Invalid MailTipsOptions value.")
    assert req.mailbox is not None
    my_domain = req.mailbox.address.rpartition("@")[2].lower()
    value = []
    for address in addresses:
        internal = address.rpartition("@")[2].lower() == my_domain
        box = req.emulator.mailbox(address)
        tip: dict[str, Any] = {"emailAddress": {"name": box.name if box else "",
                                                "address": address}}
        if "automaticreplies" in wanted:
            tip["automaticReplies"] = _auto_reply(req.emulator, address, internal)
        if "mailboxfullstatus" in wanted:
            tip["mailboxFull"] = False
        if "custommailtip" in wanted:
            tip["customMailTip"] = ""
        if "externalmembercount" in wanted:
            tip["externalMemberCount"] = 0
        if "totalmembercount" in wanted:
            tip["totalMemberCount"] = 1
        if "maxmessagesize" in wanted:
            tip["maxMessageSize"] = MAX_MESSAGE_SIZE
        if "deliveryrestriction" in wanted:
            tip["deliveryRestricted"] = False
        if "moderationstatus" in wanted:
            tip["isModerated"] = False
        if "recipientscope" in wanted:
            tip["recipientScope"] = "internal" if internal else "external"
        if "recipientsuggestions" in wanted:
            tip["recipientSuggestions"] = []
        value.append(tip)
    return Response.ok({"@odata.context": req.context_url(
        "Collection(microsoft.graph.mailTips)"), "value": value})
