"""The newest-first order of a mailbox's messages, per folder and mailbox-wide.

Listing a 100,000-message folder page by page must not sort it per request: a
:class:`MessageOrder` keeps each message's sort key (its ``receivedDateTime``), sorts a folder
the first time it is asked for, and from then on keeps that order (and the mailbox-wide one)
in place with a binary search as messages arrive, leave or change date.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Any

from olk_tui.emulator.state_base import parse_graph_datetime

_ALL = "*all*"  # cache key of the mailbox-wide order (never a folder id)


class MessageOrder:
    """Message ids newest first by ``receivedDateTime`` (ties: by id), cached per folder.

    The owner tells it about every message that is added, removed or re-dated, with the folder
    it is in; the lists :meth:`folder` and :meth:`everything` return stay the same objects
    while they are kept up to date.
    """

    def __init__(self) -> None:
        #: message id -> seconds since the epoch of its receivedDateTime (0.0 when unparsable)
        self.keys: dict[str, float] = {}
        self._cache: dict[str, list[str]] = {}

    def _order_key(self, message_id: str) -> tuple[float, str]:
        return (-self.keys[message_id], message_id)

    def add(self, folder_id: str, message_id: str, received: Any) -> None:
        """Place a new message of ``folder_id`` received at ``received`` (a Graph date-time)."""
        self.keys[message_id] = parse_graph_datetime(received)
        self._insert(folder_id, message_id)

    def redate(self, folder_id: str, message_id: str, received: Any) -> None:
        """Move a message of ``folder_id`` to where its new ``received`` time puts it."""
        self._remove(folder_id, message_id)
        self.keys[message_id] = parse_graph_datetime(received)
        self._insert(folder_id, message_id)

    def remove(self, folder_id: str, message_id: str) -> None:
        """Forget a message that left ``folder_id`` (deleted, or moved out)."""
        self._remove(folder_id, message_id)
        self.keys.pop(message_id, None)

    def forget_folder(self, folder_id: str) -> None:
        """Drop the cached order of a folder that no longer exists."""
        self._cache.pop(folder_id, None)

    def folder(self, folder_id: str, message_ids: Iterable[str]) -> list[str]:
        """The folder's order; ``message_ids`` (the folder's ids) is sorted on a cache miss."""
        return self._cached(folder_id, message_ids)

    def everything(self, message_ids: Iterable[str]) -> list[str]:
        """The mailbox-wide order; ``message_ids`` (every id) is sorted on a cache miss."""
        return self._cached(_ALL, message_ids)

    def _cached(self, key: str, message_ids: Iterable[str]) -> list[str]:
        cached = self._cache.get(key)
        if cached is None:
            keys = self.keys
            cached = sorted(message_ids, key=lambda i: (-keys[i], i))
            self._cache[key] = cached
        return cached

    def _insert(self, folder_id: str, message_id: str) -> None:
        """Keep cached orders (folder and mailbox-wide) sorted instead of re-sorting them."""
        for key in (folder_id, _ALL):
            order = self._cache.get(key)
            if order is not None:
                bisect.insort(order, message_id, key=self._order_key)

    def _remove(self, folder_id: str, message_id: str) -> None:
        for key in (folder_id, _ALL):
            order = self._cache.get(key)
            if order is None:
                continue
            i = bisect.bisect_left(order, self._order_key(message_id), key=self._order_key)
            if i < len(order) and order[i] == message_id:
                del order[i]
            else:
                self._cache.pop(key, None)
