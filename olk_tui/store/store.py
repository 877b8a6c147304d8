"""The account cache: one SQLite database, used from one thread, with an async facade.

``Store`` is the synchronous API (for the store thread, benchmarks and the CLI): it groups the
table helpers (``mail``, ``calendar``, ``contacts``, ``queue``, ``outbox``) and gives
``transaction()``. ``AsyncStore`` runs every call on one dedicated worker thread so async
callers never block the event loop and SQLite never sees two threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from olk_tui.domain.errors import StoreError
from olk_tui.store.db import connect
from olk_tui.store.mail import MailStore
from olk_tui.store.outbox import OutboxStore
from olk_tui.store.pim import CalendarStore, ContactStore
from olk_tui.store.queue import QueueStore

T = TypeVar("T")


class Store:
    """Synchronous access to one account's cache; touch it from one thread only."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self.conn: sqlite3.Connection = connect(path)
        self.mail = MailStore(self.conn)
        self.calendar = CalendarStore(self.conn)
        self.contacts = ContactStore(self.conn)
        self.queue = QueueStore(self.conn)
        self.outbox = OutboxStore(self.conn)
        self._depth = 0

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """Run a block atomically (nested blocks join the outer transaction)."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise
        self._depth = 0
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write the cache: {exc}") from None

    def close(self) -> None:
        """Close the database."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()


class AsyncStore:
    """Runs ``Store`` calls on one dedicated thread; async callers ``await store.run(fn)``."""

    def __init__(self, path: Path | str) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="olk-store")
        self._thread: threading.Thread | None = None
        self._store: Store = self._executor.submit(self._open, path).result()

    def _open(self, path: Path | str) -> Store:
        self._thread = threading.current_thread()
        return Store(path)

    @property
    def path(self) -> str:
        """The database file."""
        return self._store.path

    async def run(self, fn: Callable[[Store], T]) -> T:
        """Run ``fn(store)`` on the store thread and return its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, fn, self._store)

    async def tx(self, fn: Callable[[Store], T]) -> T:
        """Run ``fn(store)`` inside one transaction on the store thread."""

        def wrapped(store: Store) -> T:
            with store.transaction():
                return fn(store)

        return await self.run(wrapped)

    def call(self, fn: Callable[[Store], T]) -> T:
        """Run ``fn(store)`` on the store thread and wait (for sync code: CLI, benchmarks)."""
        if threading.current_thread() is self._thread:
            return fn(self._store)
        return self._executor.submit(fn, self._store).result()

    def close(self) -> None:
        """Close the database and stop the thread."""
        with contextlib.suppress(RuntimeError):
            self._executor.submit(self._store.close).result()
        self._executor.shutdown(wait=True)
