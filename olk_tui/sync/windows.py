"""Offset windows at keyset cost: remembers the row keys at positions already shown.

The UI asks for rows by offset (``window(query, offset, limit)``); SQLite's OFFSET walks every
skipped row. This cache keeps the key of the last row of each window it served, so the next
window (scrolling) starts from a key, and a window nearer the end is read backwards from the
other end. Any change to messages clears it (the repository does that on ``MessagesChanged``).
"""

from __future__ import annotations

from olk_tui.domain.mail import MessageSummary
from olk_tui.store import MessageFilter, Store

#: Rows that may be skipped from an anchor before a plain query is cheaper.
_MAX_HOP = 4096
_MAX_ANCHORS = 256


class WindowCache:
    """Anchors (position -> row key) per filter; used on the store thread only."""

    def __init__(self) -> None:
        self._anchors: dict[MessageFilter, dict[int, int]] = {}

    def clear(self) -> None:
        """Forget every anchor (rows were added, removed or changed)."""
        self._anchors = {}

    def window(self, store: Store, flt: MessageFilter, offset: int,
               limit: int) -> list[MessageSummary]:
        """Rows ``offset .. offset+limit`` of ``flt``."""
        offset = max(0, offset)
        if limit <= 0:
            return []
        anchors = self._anchors.setdefault(flt, {})
        before = [p for p in anchors if p < offset and offset - p - 1 <= _MAX_HOP]
        if offset == 0:
            rows = store.mail.window_keys(flt, None, limit)
        elif before:
            p = max(before)
            rows = store.mail.window_keys(flt, anchors[p], limit, skip=offset - p - 1)
        else:
            total = store.mail.count(flt)
            if offset >= total:
                return []
            from_end = total - offset - limit
            if offset > total // 2:
                rows = store.mail.window_keys(flt, None, limit + min(0, from_end),
                                              newest_first=not flt.newest_first,
                                              skip=max(0, from_end))
                rows.reverse()
            else:
                rows = store.mail.window_keys(flt, None, limit, skip=offset)
        if rows:
            if len(anchors) >= _MAX_ANCHORS:
                anchors.clear()
            anchors[offset + len(rows) - 1] = rows[-1][0]
        return [m for _, m in rows]
