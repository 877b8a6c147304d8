"""Convert message summaries to ``messages`` rows and back, and compute their sort keys."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime
from typing import Any

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import (
    Flag,
    FlagStatus,
    Importance,
    LastVerb,
    MessageSummary,
    Recipient,
)

#: Column order of the ``messages`` table (without ``rk``).
COLUMNS: tuple[str, ...] = (
    "id", "folder_id", "subject", "sender_name", "sender_address", "from_name", "from_address",
    "to_json", "cc_json", "preview", "received", "sent", "is_read", "is_draft", "flag_status",
    "flag_start", "flag_due", "flag_completed", "importance", "categories_json",
    "has_attachments", "conversation_id", "internet_message_id", "web_link", "odata_type",
    "meeting_message_type", "change_key", "last_verb", "last_verb_time",
)
SELECT_COLUMNS = "rk, " + ", ".join(COLUMNS)

#: Columns an operation may change; a revert restores exactly these.
MUTABLE_COLUMNS: tuple[str, ...] = (
    "folder_id", "is_read", "flag_status", "flag_start", "flag_due", "flag_completed",
    "importance", "categories_json",
)
#: Defaults of columns added after the first release (a snapshot queued by an older version
#: lacks them).
LATER_DEFAULTS: dict[str, object] = {"last_verb": "", "last_verb_time": None}

TIEBREAK = 4096


def base_key(received: datetime | None) -> int:
    """The received-order part of a row key (milliseconds since the epoch, scaled)."""
    if received is None:
        return 0
    if received.tzinfo is None:
        received = received.replace(tzinfo=UTC)
    return max(0, int(received.timestamp() * 1000)) * TIEBREAK


def preferred_key(message_id: str, received: datetime | None) -> int:
    """A stable first choice of row key for a message (collisions are probed upward)."""
    return base_key(received) + (zlib.crc32(message_id.encode()) % TIEBREAK)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _people(items: tuple[Recipient, ...]) -> str:
    return json.dumps([[r.name, r.address] for r in items], ensure_ascii=False,
                      separators=(",", ":"))


def _unpeople(text: str) -> tuple[Recipient, ...]:
    if not text or text == "[]":
        return ()
    return tuple(Recipient(address=a or "", name=n or "") for n, a in json.loads(text))


_FLAGS = {f.value: f for f in FlagStatus}
_IMPORTANCE = {i.value: i for i in Importance}
_VERBS = {v.value: v for v in LastVerb}


def to_row(m: MessageSummary) -> tuple[Any, ...]:
    """The column values of ``m`` in ``COLUMNS`` order."""
    return (
        m.id, m.folder_id, m.subject,
        m.sender.name if m.sender else None, m.sender.address if m.sender else None,
        m.from_.name if m.from_ else None, m.from_.address if m.from_ else None,
        _people(m.to), _people(m.cc), m.preview, _iso(m.received), _iso(m.sent),
        int(m.is_read), int(m.is_draft), m.flag.status.value, _iso(m.flag.start),
        _iso(m.flag.due), _iso(m.flag.completed), m.importance.value,
        json.dumps(list(m.categories), ensure_ascii=False), int(m.has_attachments),
        m.conversation_id, m.internet_message_id, m.web_link, m.odata_type,
        m.meeting_message_type, m.change_key, m.last_verb.value, _iso(m.last_verb_time),
    )


def from_row(row: tuple[Any, ...]) -> MessageSummary:
    """Rebuild a summary from a ``SELECT_COLUMNS`` row."""
    (_rk, mid, folder, subject, s_name, s_addr, f_name, f_addr, to_json, cc_json, preview,
     received, sent, is_read, is_draft, flag_status, flag_start, flag_due, flag_completed,
     importance, categories, has_att, conv, imid, web_link, odata_type, mmt, change_key,
     last_verb, last_verb_time) = row
    status = _FLAGS.get(flag_status, FlagStatus.NOT_FLAGGED)
    imp = _IMPORTANCE.get(importance, Importance.NORMAL)
    return MessageSummary(
        id=MessageId(mid), folder_id=FolderId(folder), subject=subject,
        sender=Recipient(s_addr or "", s_name or "") if s_addr or s_name else None,
        from_=Recipient(f_addr or "", f_name or "") if f_addr or f_name else None,
        to=_unpeople(to_json), cc=_unpeople(cc_json), preview=preview,
        received=_dt(received), sent=_dt(sent), is_read=bool(is_read), is_draft=bool(is_draft),
        flag=Flag(status, _dt(flag_start), _dt(flag_due), _dt(flag_completed)),
        importance=imp,
        categories=tuple(json.loads(categories)) if categories and categories != "[]" else (),
        has_attachments=bool(has_att), conversation_id=conv, internet_message_id=imid,
        web_link=web_link, odata_type=odata_type, meeting_message_type=mmt,
        change_key=change_key, last_verb=_VERBS.get(last_verb, LastVerb.NONE),
        last_verb_time=_dt(last_verb_time),
    )


def fts_values(m: MessageSummary) -> tuple[str, str, str, str]:
    """(sender, recipients, subject, preview) text for the FTS index."""
    people = [p for p in (m.from_, m.sender) if p is not None]
    sender = " ".join(f"{p.name} {p.address}" for p in people)
    recipients = " ".join(f"{r.name} {r.address}" for r in (*m.to, *m.cc))
    return sender, recipients, m.subject, m.preview


def flag_columns(flag: Flag) -> dict[str, Any]:
    """The ``messages`` columns for a flag."""
    return {"flag_status": flag.status.value, "flag_start": _iso(flag.start),
            "flag_due": _iso(flag.due), "flag_completed": _iso(flag.completed)}


def fts_query(text: str) -> str:
    """A safe FTS5 query from user text: every word must match, as a prefix."""
    words = [w for w in "".join(c if c.isalnum() or c in "@._-" else " " for c in text).split()]
    parts = []
    for word in words[:16]:
        cleaned = word.replace('"', "")
        if cleaned:
            parts.append(f'"{cleaned}"*')
    return " ".join(parts)
