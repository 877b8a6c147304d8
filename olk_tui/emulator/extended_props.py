"""Single-value extended (MAPI) properties on messages, and the reply/forward verbs Exchange
records on an original.

A message keeps its properties in the private ``_svep`` field (canonical id -> string value),
so they never appear in a response unless asked for, as in Graph: only
``$expand=singleValueExtendedProperties($filter=id eq '...' [or id eq '...'])`` returns them,
as a list of ``{"id", "value"}`` holding only the properties the message has (no key at all
when it has none). An expand without a filter, or with a filter other than ``id eq`` terms
joined by ``or``, is a 400: the emulator never ignores an option it cannot serve.

Sending a reply, reply-all or forward (the ``reply``/``replyAll``/``forward`` actions, or a
``createReply``/``createReplyAll``/``createForward`` draft when it is sent) sets
PidTagLastVerbExecuted (``Integer 0x1081``: 102, 103, 104) and PidTagLastVerbExecutionTime
(``SystemTime 0x1082``) on the original, as Exchange does; that is a change of the original
(new changeKey and lastModifiedDateTime), so delta reports it.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from olk_tui.emulator.router import GraphError
from olk_tui.emulator.state_base import utc_now_iso

if TYPE_CHECKING:
    from olk_tui.emulator.state import Mailbox

#: The navigation property name.
SVEP = "singleValueExtendedProperties"
#: Private message field holding the properties.
FIELD = "_svep"
#: Private field of a createReply/createReplyAll/createForward draft: the original and verb.
ORIGIN = "_origin"
LAST_VERB = "Integer 0x1081"
LAST_VERB_TIME = "SystemTime 0x1082"
#: MS-OXOMSG NOTEIVERB values by action.
VERBS = {"reply": 102, "replyAll": 103, "forward": 104}

_TYPES = {t.lower(): t for t in (
    "Binary", "Boolean", "CLSID", "Currency", "Double", "Float", "Integer", "Long", "Short",
    "String", "SystemTime")}
_TAG = re.compile(r"^0x([0-9a-f]{1,8})$", re.IGNORECASE)
_NAMED = re.compile(r"^(\{?[0-9a-f-]{36}\}?)\s+(name|id)\s+(.+)$", re.IGNORECASE)
_TERM = r"\(?\s*id\s+eq\s+'((?:[^']|'')*)'\s*\)?"
_FILTER = re.compile(rf"^\s*{_TERM}(?:\s+or\s+{_TERM})*\s*$", re.IGNORECASE)
_ONE = re.compile(_TERM, re.IGNORECASE)


def canonical_id(prop_id: Any) -> str:
    """The id in the form Graph echoes (``Integer 0x1081``: type name as Graph spells it,
    tag in lower-case hex without leading zeros); 400 when it is not a property id."""
    if isinstance(prop_id, str):
        kind, _, rest = prop_id.strip().partition(" ")
        name = _TYPES.get(kind.lower())
        rest = rest.strip()
        tag = _TAG.match(rest)
        if name and tag:
            return f"{name} 0x{int(tag.group(1), 16):x}"
        named = _NAMED.match(rest)
        if name and named:
            return f"{name} {named.group(1)} {named.group(2).capitalize()} {named.group(3)}"
    raise GraphError(400, "ErrorInvalidProperty",
                     f"The extended property id '{str(prop_id)[:80]}' is not valid.")


def parse_expand_filter(text: str) -> tuple[str, ...]:
    """The ids named by an expand's ``$filter`` (``id eq 'X' or id eq 'Y'``), canonical."""
    if not _FILTER.match(text):
        raise GraphError(400, "BadRequest", "Only 'id eq' filters joined by 'or' are supported "
                         f"inside $expand of '{SVEP}'.")
    ids = [canonical_id(m.group(1).replace("''", "'")) for m in _ONE.finditer(text)]
    return tuple(dict.fromkeys(ids))


def from_payload(value: Any) -> dict[str, str]:
    """``singleValueExtendedProperties`` of a POST/PATCH body as the stored mapping."""
    if not isinstance(value, list):
        raise GraphError(400, "ErrorInvalidRequest", f"'{SVEP}' must be a collection.")
    out: dict[str, str] = {}
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("value"), str):
            raise GraphError(400, "ErrorInvalidRequest",
                             "An extended property needs an id and a string value.")
        out[canonical_id(item.get("id"))] = item["value"]
    return out


def absorb(msg: dict[str, Any]) -> None:
    """Move a given ``singleValueExtendedProperties`` list into the private field."""
    if SVEP in msg:
        msg[FIELD] = {**(msg.get(FIELD) or {}), **from_payload(msg.pop(SVEP))}


def render(msg: dict[str, Any], ids: tuple[str, ...]) -> list[dict[str, str]] | None:
    """The expanded list for ``ids`` (None when the message has none of them)."""
    stored = msg.get(FIELD) or {}
    found = [{"id": i, "value": stored[i]} for i in ids if i in stored]
    return found or None


def mark_original(mb: Mailbox, message_id: str | None, action: str, now: datetime) -> None:
    """Record that a reply/forward of ``message_id`` was sent (nothing if it is gone)."""
    if not message_id or message_id not in mb.messages or action not in VERBS:
        return
    props = {**(mb.messages[message_id].get(FIELD) or {}),
             LAST_VERB: str(VERBS[action]), LAST_VERB_TIME: utc_now_iso(now)}
    mb.update_message(message_id, {FIELD: props}, now=now)


def strip_verbs(msg: dict[str, Any]) -> None:
    """A new message (a delivered or Sent Items copy) starts with no verb of its own."""
    msg.pop(ORIGIN, None)
    props = msg.get(FIELD)
    if props:
        msg[FIELD] = {k: v for k, v in props.items() if k not in (LAST_VERB, LAST_VERB_TIME)}
