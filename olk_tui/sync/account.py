"""``build_account``: wire the cache, the Graph client and the repositories of one account."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from olk_tui.config import AccountConfig, SyncConfig
from olk_tui.domain.errors import GraphError
from olk_tui.domain.settings import MailboxSettings, User
from olk_tui.graph.mapping import mailbox_settings_from_json, user_from_json
from olk_tui.store import AsyncStore, Store
from olk_tui.sync.announce import Announcer
from olk_tui.sync.api import Account, IdentityChanged, RepoEvent, SettingsChanged
from olk_tui.sync.engine import SyncEngine
from olk_tui.sync.localops import settings_with_pending
from olk_tui.sync.loop import WakeLoop
from olk_tui.sync.mailrepo import MailRepo, Submitter
from olk_tui.sync.mailsync import MailSync
from olk_tui.sync.outbox import OutboxSender
from olk_tui.sync.outboxrepo import OutboxRepo
from olk_tui.sync.pimrepo import CalendarRepo, ContactsRepo
from olk_tui.sync.pimsync import PimSync
from olk_tui.sync.runner import OperationRunner
from olk_tui.sync.status import StatusTracker

if TYPE_CHECKING:
    from olk_tui.graph.client import GraphClient  # made after the first paint (DeferredClient)

Sleep = Callable[[float], Awaitable[Any]]
ClientFactory = Callable[[], "GraphClient"]


class DeferredClient:
    """Stands in for the account's ``GraphClient`` until it is needed.

    ``AccountServices.start()`` (which the app runs after its first paint) makes the client
    in a worker thread; anything that uses the client before that makes it on the spot. So
    the auth, MSAL and httpx a client brings are never loaded before the first paint.

    Args:
        factory: makes the client; called at most once.
    """

    def __init__(self, factory: ClientFactory) -> None:
        self._factory = factory
        self._client: GraphClient | None = None
        self._lock = threading.Lock()

    @property
    def made(self) -> bool:
        """Whether the factory has been called."""
        return self._client is not None

    def resolve(self) -> GraphClient:
        """The client, made now if it was not yet (thread-safe, once)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._factory()
        return self._client

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.resolve(), name)

    async def aclose(self) -> None:
        """Close the client if it was ever made."""
        if self._client is not None:
            await self._client.aclose()


class AccountServices:
    """The running parts behind an ``Account`` (tests reach the runner and engine here)."""

    def __init__(self, store: AsyncStore, client: GraphClient | DeferredClient, *,
                 sync: SyncConfig, sleep: Sleep, debounce: float) -> None:
        self.store = store
        self.deferred = client if isinstance(client, DeferredClient) else None
        client = cast("GraphClient", client)
        self.client = client
        self.announcer = Announcer()
        self.status = StatusTracker(self.announcer)
        self.runner = OperationRunner(store, client, self.announcer, self.status, sleep=sleep,
                                      debounce=debounce)
        self.mail_sync = MailSync(store, client, self.announcer, self.status,
                                  page_size=sync.page_size)
        self.pim_sync = PimSync(store, client, self.announcer, page_size=sync.page_size)
        self.engine = SyncEngine(store, self.mail_sync, self.pim_sync, self.status,
                                 interval=sync.interval, sleep=sleep)
        self.sender = OutboxSender(store, client, self.announcer)
        self.outbox_loop = WakeLoop("olk-outbox", self.sender.run_once, self.status,
                                    sleep=sleep)
        self.submitter = Submitter(store, self.announcer, self.runner)
        self.mail = MailRepo(store, client, self.announcer, self.submitter, self.engine)
        self.calendar = CalendarRepo(store, client, self.submitter, self.engine)
        self.contacts = ContactsRepo(store, self.submitter)
        self.outbox = OutboxRepo(store, client, self.announcer, self.outbox_loop)
        self._started = False
        self._identity_task: asyncio.Task[None] | None = None
        self._identity_known = asyncio.Event()
        self._sleep = sleep

    async def start(self, account: Account | None = None, *, background: bool = True) -> None:
        """Replay the queue and start syncing; never waits on the network.

        The user and mailbox settings come from the cache at once and are refreshed from
        Graph in the background (with ``background=False``, tests: refreshed before return).
        """
        if self._started:
            return
        self._started = True
        if self.deferred is not None and not self.deferred.made:
            # httpx, the auth and its SSL context load here, after the first paint, off the loop.
            await asyncio.to_thread(self.deferred.resolve)
        pending = await self.store.run(lambda s: s.queue.pending_count())
        self.status.set_pending(pending)
        if account is not None:
            await self._cached_identity(account)

            def follow(event: RepoEvent) -> None:
                if isinstance(event, SettingsChanged):
                    account.settings = event.settings
                elif isinstance(event, IdentityChanged):
                    account.user = event.user

            self.announcer.subscribe(follow)
            if background:
                self._identity_task = asyncio.create_task(self._identity_loop(account))
            else:
                await self._fetch_identity(account)
        if background:
            self.runner.start()
            self.outbox_loop.start()
            self.engine.start()

    async def _cached_identity(self, account: Account) -> None:
        self.apply_cached_identity(account, await self.store.run(_cached_identity_texts))

    def apply_cached_identity(self, account: Account,
                              texts: tuple[str | None, str | None]) -> None:
        """Give ``account`` the user and mailbox settings the cache holds (if any)."""
        me, settings = texts
        if me:
            account.user = user_from_json(json.loads(me))
            if account.user.id:
                self._identity_known.set()
        if settings:
            account.settings = mailbox_settings_from_json(json.loads(settings))

    async def identity(self, account: Account) -> User:
        """The signed-in user, once known (cached or fetched)."""
        await self._identity_known.wait()
        return account.user

    async def _identity_loop(self, account: Account, attempts: int = 8) -> None:
        """Fetch /me and the settings; while the user is still unknown (a first start
        offline), try again with backoff a few times (then the next start tries)."""
        delay = 2.0
        for _ in range(attempts):
            if await self._fetch_identity(account) or self._identity_known.is_set():
                return
            await self._sleep(delay)
            delay = min(60.0, delay * 2)

    async def _fetch_identity(self, account: Account) -> bool:
        """Refresh the user and the settings from Graph; False when offline."""
        try:
            me = await self.client.get_json("/me")
            settings = await self.client.get_json("/me/mailboxSettings")
        except GraphError:
            return False  # offline: the cached values stand
        text_me = json.dumps(me)

        def write(s: Store) -> dict[str, Any]:
            # Settings changes still queued stay shown on top of the server's copy.
            shown = settings_with_pending(s, settings)
            s.queue.put("user", text_me)
            s.queue.put("settings", json.dumps(shown))
            return shown

        shown = await self.store.tx(write)
        user, new_settings = user_from_json(me), mailbox_settings_from_json(shown)
        if user != account.user:
            account.user = user
            self.announcer.emit(IdentityChanged(user=user))
        if new_settings != account.settings:
            account.settings = new_settings
            self.announcer.emit(SettingsChanged(settings=new_settings))
        if user.id:
            self._identity_known.set()
        return True

    async def close(self) -> None:
        """Stop background work and close the network client and the cache."""
        if self._identity_task is not None:
            self._identity_task.cancel()
        for stop in (self.engine.close, self.outbox_loop.close, self.runner.close):
            with contextlib.suppress(Exception):
                await stop()
        with contextlib.suppress(Exception):
            await self.client.aclose()
        await asyncio.to_thread(self.store.close)


def _cached_identity_texts(store: Store) -> tuple[str | None, str | None]:
    return store.queue.get("user"), store.queue.get("settings")


def build_account(config: AccountConfig | str, client: GraphClient | None,
                  store: AsyncStore | Path | str, *, sync: SyncConfig | None = None,
                  sleep: Sleep = asyncio.sleep, debounce: float = 0.05,
                  is_demo: bool = False, client_factory: ClientFactory | None = None
                  ) -> Account:
    """The ``Account`` the UI gets: repositories plus ``start``/``close``.

    Args:
        config: the account's config, or just its name.
        client: the account's Graph client (owned by the account from now on); None when
            ``client_factory`` is given.
        store: an open ``AsyncStore``, or the database path to open.
        sync: polling interval and page size.
        sleep: awaited for backoff waits (tests inject a fast one).
        debounce: seconds the runner waits after a submit to gather more operations.
        is_demo: shown in the status line.
        client_factory: makes the Graph client; called by ``Account.start()`` (after the
            UI's first paint, in a worker thread) or by the first use of the client, never
            here. The cache is readable before that.

    Raises:
        ValueError: neither or both of ``client`` and ``client_factory`` given.
    """
    if (client is None) == (client_factory is None):
        raise ValueError("build_account needs either a client or a client_factory")
    name = config if isinstance(config, str) else config.name
    if not isinstance(store, AsyncStore):
        store = AsyncStore(store)
    graph: GraphClient | DeferredClient = (
        client if client is not None else DeferredClient(cast(ClientFactory, client_factory)))
    services = AccountServices(store, graph, sync=sync or SyncConfig(), sleep=sleep,
                               debounce=debounce)
    account = Account(name=name, user=User(id="", display_name=name), mail=services.mail,
                      calendar=services.calendar, contacts=services.contacts,
                      outbox=services.outbox, settings=MailboxSettings(), is_demo=is_demo)

    async def start() -> None:
        await services.start(account)

    async def identity() -> User:
        return await services.identity(account)

    # The cached mailbox settings before the first paint: dates are drawn in the mailbox's
    # time zone from the first frame (two small reads, before the UI runs).
    services.apply_cached_identity(account, store.call(_cached_identity_texts))
    account.start = start
    account.identity = identity
    account.close = services.close
    account.services = services  # type: ignore[attr-defined]
    return account
