"""The replied/forwarded mark a reply or forward sets on its original, shown at once.

Queuing a reply or forward marks the cached original straight away (optimistic) and keeps,
under the outbox item's id in the store's small values, what the row showed before and what
it shows now. While the item is in the outbox the mark is laid back on top of whatever sync
writes for the original (the server only records it once the reply is sent); when the send is
confirmed the entry is forgotten and sync's copy (Graph's PidTagLastVerbExecuted) takes over;
when the item fails or is cancelled the row gets its earlier mark back.

Every function runs on the store thread inside the caller's transaction.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from olk_tui.domain.mail import Draft, LastVerb
from olk_tui.store import Store

#: Store small-value key prefix: outbox item id -> {id, verb, time, was_verb, was_time}.
PREFIX = "reply-mark:"


def _iso(when: datetime | None) -> str | None:
    return when.astimezone(UTC).isoformat() if when is not None else None


def _dt(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if isinstance(text, str) and text else None
    except ValueError:
        return None


def _entry(text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("id"), str) else None


def mark_queued(store: Store, item_id: str, draft: Draft,
                now: datetime | None = None) -> tuple[str, str] | None:
    """Mark the original of a queued reply/forward; returns (message id, folder id) when a
    cached row changed."""
    verb = LastVerb.from_reply_kind(draft.reply_kind)
    if not draft.in_reply_to or verb is LastVerb.NONE:
        return None
    row = store.mail.summary(draft.in_reply_to)
    if row is None:
        return None
    when = now or datetime.now(UTC)
    store.queue.put(PREFIX + item_id, json.dumps({
        "id": row.id, "verb": verb.value, "time": _iso(when),
        "was_verb": row.last_verb.value, "was_time": _iso(row.last_verb_time)}))
    store.mail.set_last_verb(row.id, verb.value, when)
    return row.id, row.folder_id


def overlay(store: Store, ids: set[str]) -> None:
    """Lay the marks of replies still in the outbox back on rows sync just wrote."""
    for text in store.queue.values(PREFIX).values():
        entry = _entry(text)
        if entry is not None and entry["id"] in ids:
            store.mail.set_last_verb(entry["id"], str(entry.get("verb") or ""),
                                     _dt(entry.get("time")))


def settle(store: Store, item_id: str, *, sent: bool) -> tuple[str, str] | None:
    """The item left the outbox: forget its mark when ``sent``, else put back the earlier
    one. Returns (message id, folder id) when a cached row changed."""
    text = store.queue.get(PREFIX + item_id)
    if text is None:
        return None
    store.queue.put(PREFIX + item_id, None)
    entry = _entry(text)
    if sent or entry is None:
        return None
    row = store.mail.summary(entry["id"])
    if row is None:
        return None
    was = str(entry.get("was_verb") or "")
    store.mail.set_last_verb(row.id, was if was in {v.value for v in LastVerb} else "",
                             _dt(entry.get("was_time")))
    return row.id, row.folder_id
