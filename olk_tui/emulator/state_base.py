"""Small building blocks of the mailbox model: Graph timestamps, opaque ids, the delta change
log, and the defaults an attached item gets. Re-exported by ``olk_tui.emulator.state``."""

from __future__ import annotations

import base64
import bisect
import hashlib
import itertools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def utc_now_iso(now: datetime | None = None) -> str:
    """Graph's UTC timestamp format: ``2024-05-01T09:30:00Z``."""
    now = now or datetime.now(UTC)
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_graph_datetime(value: Any) -> float:
    """Seconds since the epoch for a Graph date-time string; 0.0 when it is not one."""
    if not isinstance(value, str) or not value:
        return 0.0
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return 0.0
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def fill_item(item: dict[str, Any], stamp: str) -> None:
    """Graph's message properties on an attached item (kept where given)."""
    for key, value in (("id", ""), ("createdDateTime", stamp), ("lastModifiedDateTime", stamp),
                       ("receivedDateTime", stamp), ("sentDateTime", stamp),
                       ("hasAttachments", False), ("internetMessageId", ""), ("subject", ""),
                       ("bodyPreview", ""), ("importance", "normal"), ("conversationId", ""),
                       ("conversationIndex", ""), ("isDeliveryReceiptRequested", False),
                       ("isReadReceiptRequested", False), ("isRead", True), ("isDraft", False),
                       ("webLink", ""), ("internetMessageHeaders", []),
                       ("body", {"contentType": "text", "content": ""}),
                       ("toRecipients", []), ("ccRecipients", []), ("bccRecipients", []),
                       ("replyTo", []), ("flag", {"flagStatus": "notFlagged"})):
        item.setdefault(key, value)
    if "from" in item:
        item.setdefault("sender", item["from"])


class IdFactory:
    """Makes Graph-looking opaque ids (``AAMkAG...=``), unique within one emulator.

    Args:
        prefix: the text every id starts with.
        seed: makes the ids repeat for the same seed and creation order (demo, tests);
            ``None`` salts them with random bytes.
    """

    def __init__(self, prefix: str = "AAMkAG", *, seed: str | int | None = None) -> None:
        self._prefix = prefix
        self._counter = itertools.count(1)
        self.seed: str | int | None = None
        self._salt = uuid.uuid4().bytes[:4]
        if seed is not None:
            self.reseed(seed)

    def reseed(self, seed: str | int) -> None:
        """Derive the salt from ``seed`` from now on (call it before the ids that must repeat;
        the counter goes on, so earlier ids stay unique)."""
        self.seed = seed
        self._salt = hashlib.sha256(str(seed).encode()).digest()[:4]

    def new(self, kind: bytes = b"M") -> str:
        """A fresh id; ``kind`` only varies its look (message, folder, attachment...)."""
        n = next(self._counter)
        raw = kind[:1] + self._salt + n.to_bytes(8, "big")
        return self._prefix + base64.urlsafe_b64encode(raw).decode("ascii")


@dataclass
class ChangeLog:
    """Append-only record of changes for delta: (sequence, container key, item id).

    The container key is a folder id for messages, ``"mailFolders"`` for the folder tree, or any
    key another module chooses (e.g. a calendar id). Entries are kept in sequence order, so "what
    changed since N" is a binary search plus a slice.
    """

    seq: int = 0
    entries: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    def record(self, container: str, item_id: str) -> int:
        """Note that ``item_id`` changed inside ``container``; returns the new sequence."""
        self.seq += 1
        self.entries.setdefault(container, []).append((self.seq, item_id))
        return self.seq

    def since(self, container: str, seq: int) -> list[str]:
        """Ids changed in ``container`` after ``seq``, each once, oldest change first."""
        log = self.entries.get(container, [])
        start = bisect.bisect_right(log, (seq, "\uffff"))
        seen: dict[str, None] = {}
        for _, item_id in log[start:]:
            seen.pop(item_id, None)
            seen[item_id] = None
        return list(seen)
