"""The fields Graph fills in on a message or an attachment the emulator stores.

Given fields are kept exactly as they are (``setdefault`` throughout); only missing ones get
Graph's defaults, so a seeded or posted resource comes back the way Graph would serve it.
"""

from __future__ import annotations

import base64
from typing import Any

from olk_tui.emulator.state_base import fill_item


def fill_message(msg: dict[str, Any], stamp: str) -> None:
    """Dates, flags and links of a stored message (``msg`` must already have its ``id``).

    Args:
        msg: the message resource, changed in place.
        stamp: the Graph UTC time used when the message carries no dates.
    """
    msg.setdefault("createdDateTime", msg.get("receivedDateTime") or stamp)
    msg.setdefault("lastModifiedDateTime", msg["createdDateTime"])
    msg.setdefault("receivedDateTime", msg["createdDateTime"])
    msg.setdefault("sentDateTime", msg["receivedDateTime"])
    msg.setdefault("isRead", False)
    msg.setdefault("isDraft", False)
    msg.setdefault("hasAttachments", False)
    msg.setdefault("importance", "normal")
    msg.setdefault("categories", [])
    msg.setdefault("flag", {"flagStatus": "notFlagged"})
    msg.setdefault("conversationId", "AAQkAG" + msg["id"][-16:])
    msg.setdefault("isDeliveryReceiptRequested", False)
    msg.setdefault("isReadReceiptRequested", False)
    msg.setdefault("inferenceClassification", "focused")
    msg.setdefault("webLink", "https://outlook.office365.com/owa/?ItemID="
                   + msg["id"].replace("=", "%3D") + "&exvsurl=1&viewmodel=ReadMessageItem")


def fill_attachment(att: dict[str, Any], new_id: str, stamp: str) -> None:
    """Type, size and content fields of an attachment (an attached item gets its own).

    Args:
        att: the attachment resource, changed in place.
        new_id: the id it gets unless it has one.
        stamp: the Graph UTC time for ``lastModifiedDateTime`` and an attached item's dates.
    """
    att.setdefault("id", new_id)
    att.setdefault("@odata.type", "#microsoft.graph.fileAttachment")
    att.setdefault("isInline", False)
    att.setdefault("lastModifiedDateTime", stamp)
    kind = str(att["@odata.type"]).lower()
    if kind.endswith("itemattachment") and isinstance(att.get("item"), dict):
        fill_item(att["item"], stamp)
    if kind.endswith("fileattachment"):
        att.setdefault("contentType", "application/octet-stream")
        att.setdefault("contentId", None)
        att.setdefault("contentLocation", None)
    if "size" not in att:
        raw = att.get("contentBytes")
        try:
            att["size"] = len(base64.b64decode(raw + "=" * (-len(raw) % 4))) \
                if isinstance(raw, str) else len(str(att.get("item") or ""))
        except ValueError:
            att["size"] = 0
