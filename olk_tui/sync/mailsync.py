"""Mail sync: the folder tree and per-folder message delta, newest first, resumable.

Each folder's delta runs from its saved link: the delta link of the last finished round, or the
next link of an unfinished first fill (so a restart continues the history where it stopped).
Every page is written in one transaction, pending local operations are laid back on top of the
server's rows, and the change is announced at once: the Inbox is usable after its first page.
An expired token (``SyncReset``) restarts the folder from scratch and then drops cached rows the
server no longer has, except rows that pending operations still refer to.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from olk_tui.domain.errors import BadRequest, NotFound, ServerError, SyncReset
from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import MessageSummary, WellKnownFolder
from olk_tui.graph.batch import BatchRequest
from olk_tui.graph.bodies import Page
from olk_tui.graph.mapping import folder_from_json, summary_from_json
from olk_tui.graph.mapping.mail import LAST_VERB_EXPAND
from olk_tui.store import AsyncStore, Store
from olk_tui.sync.announce import Announcer
from olk_tui.sync.api import FoldersChanged, MessagesChanged, NewMail
from olk_tui.sync.localops import overlay_pending, pending_message_ids
from olk_tui.sync.status import StatusTracker

if TYPE_CHECKING:
    from olk_tui.graph.client import GraphClient  # made after the first paint (see sync.account)

log = logging.getLogger(__name__)

#: What a list row needs (FACTS #1: always $select). Not ``changeKey``: nothing reads it and
#: Graph sends the same value in every item's ``@odata.etag`` anyway (~55 bytes a row). Kept:
#: ``parentFolderId`` (rows of ``/me/messages`` searches), ``internetMessageId`` (the store's
#: dedupe index) and ``webLink`` (the reader's "open in Outlook on the web" reads the row's).
SUMMARY_SELECT = (
    "id,parentFolderId,subject,sender,from,toRecipients,ccRecipients,bodyPreview,"
    "receivedDateTime,sentDateTime,isRead,isDraft,flag,importance,categories,hasAttachments,"
    "conversationId,internetMessageId,webLink,meetingMessageType"
)
#: The replied/forwarded mark rides on the same request (an ``$expand``, no extra call): on
#: the first delta request, so every delta and next link Graph builds from it carries it.
SUMMARY_EXPAND = LAST_VERB_EXPAND
#: What the saved delta links of a folder were started with. Graph keeps a delta link's
#: original query, so a link saved before the rows asked for the replied/forwarded mark never
#: brings it: such a folder is resynced once (as after an expired token). Change this when
#: SUMMARY_SELECT or SUMMARY_EXPAND change in a way old links lack.
ROW_QUERY = "last-verb-1"
#: The same rows without the mark: the server refused the expand on delta (a tenant or cloud
#: that does not serve it); sync goes on, marks come only from what this client sends.
PLAIN_QUERY = "plain-1"
#: Rows written per transaction (the UI's reads wait at most for one of these).
_WRITE_CHUNK = 250
#: Page size for history after the first page (fewer requests for big folders).
BACKFILL_PAGE = 1000


def _q(value: str) -> str:
    return quote(value, safe="=-_")


class MailSync:
    """Folder tree and message delta for one account."""

    def __init__(self, store: AsyncStore, client: GraphClient, announcer: Announcer,
                 status: StatusTracker, *, page_size: int = 200) -> None:
        self._store = store
        self._client = client
        self._announce = announcer
        self._status = status
        self.page_size = page_size
        self.backfill_page = BACKFILL_PAGE
        #: Folders being resynced after an expired token -> ids the server sent so far.
        self._resync: dict[str, set[str]] = {}

    # ------------------------------------------------------------------ folders

    async def sync_folders(self) -> None:
        """Bring the folder tree up to date (folder delta, plus well-known ids once)."""
        link = await self._store.run(lambda s: s.queue.delta_link("folders"))
        try:
            await self._folder_delta(link)
        except SyncReset:
            await self._store.tx(lambda s: s.queue.set_delta_link("folders", None))
            await self._folder_delta(None)
        known = await self._store.run(lambda s: s.queue.get("well-known-done"))
        if known is None:
            await self._well_known()

    async def _folder_delta(self, link: str | None) -> None:
        url = link or "/me/mailFolders/delta"
        changed: set[FolderId] = set()
        async for page in self._client.pages(url):
            upserts = [folder_from_json(i) for i in page.items if "@removed" not in i]
            removed = [str(i.get("id")) for i in page.items if "@removed" in i]
            delta = page.delta_link

            def write(s: Store, upserts: Any = upserts, removed: list[str] = removed,
                      delta: str | None = delta) -> None:
                s.mail.upsert_folders(upserts)
                s.mail.remove_folders(removed)
                if delta:
                    s.queue.set_delta_link("folders", delta)

            await self._store.tx(write)
            changed |= {f.id for f in upserts} | {FolderId(r) for r in removed}
        if changed:
            self._announce.emit(FoldersChanged(folder_ids=frozenset(changed)))

    async def _well_known(self) -> None:
        names = [w.value for w in WellKnownFolder]
        requests = [BatchRequest(f"w{i}", "GET", f"/me/mailFolders/{name}?$select=id")
                    for i, name in enumerate(names)]
        answers = await self._client.batch(requests)
        found: dict[str, str] = {}
        for i, name in enumerate(names):
            answer = answers.get(f"w{i}")
            if answer is not None and answer.ok and isinstance(answer.body, dict):
                found[name] = str(answer.body.get("id", ""))
            elif answer is None or answer.status not in (404, 400):
                return  # try again on the next pass

        def write(s: Store) -> None:
            for name, fid in found.items():
                if fid:
                    s.mail.set_well_known(fid, name)
            s.queue.put("well-known-done", "1")

        await self._store.tx(write)
        self._announce.emit(FoldersChanged())

    # ------------------------------------------------------------------ messages

    async def sync_folder(self, folder_id: str, *, announce_new: bool | None = None,
                          max_pages: int | None = None) -> int:
        """Run the folder's message delta to its end (or ``max_pages``); returns rows changed.

        Raises:
            GraphError: transient failures (the saved link is kept; the next pass resumes).
        """
        try:
            return await self._delta(folder_id, announce_new, max_pages)
        except SyncReset:
            log.info("delta token of folder %s expired; resyncing", folder_id)

            def reset(s: Store) -> None:
                s.queue.set_delta_link(f"messages:{folder_id}", None)
                s.queue.set_delta_link(f"messages-next:{folder_id}", None)

            await self._store.tx(reset)
            self._resync[folder_id] = set()
            return await self._delta(folder_id, False, max_pages)
        except NotFound:  # the folder is gone; the folder delta will drop it
            return 0

    async def _delta(self, folder_id: str, announce_new: bool | None,
                     max_pages: int | None) -> int:
        delta, nxt, query = await self._store.run(lambda s: (
            s.queue.delta_link(f"messages:{folder_id}"),
            s.queue.delta_link(f"messages-next:{folder_id}"),
            s.queue.get(f"messages-query:{folder_id}")))
        if (delta or nxt) and query not in (ROW_QUERY, PLAIN_QUERY):
            raise SyncReset("the folder's delta link predates the rows' current query")
        if not (delta or nxt):
            await self._store.tx(lambda s: s.queue.put(f"messages-query:{folder_id}",
                                                       ROW_QUERY))
        first_fill = delta is None
        if announce_new is None:
            announce_new = not first_fill
        if nxt:
            url, params = nxt, None
        elif delta:
            url, params = delta, None
        else:
            url = f"/me/mailFolders/{_q(folder_id)}/messages/delta"
            params = {"$select": SUMMARY_SELECT, "$expand": SUMMARY_EXPAND,
                      "$orderby": "receivedDateTime desc"}
        size = self.page_size
        total = 0
        pages = 0
        while True:
            try:
                page = await self._fetch_page(url, params, size)
            except BadRequest:
                if not params or "$expand" not in params:
                    raise
                params = {k: v for k, v in params.items() if k != "$expand"}
                await self._store.tx(lambda s: s.queue.put(f"messages-query:{folder_id}",
                                                           PLAIN_QUERY))
                page = await self._fetch_page(url, params, size)
            pages += 1
            next_link = page.next_link
            total += await self._write_page(folder_id, page.items, next_link,
                                            page.delta_link, announce_new)
            # Written: drop the page's rows (up to 1000 parsed dicts) before the next page is
            # fetched and parsed, so a first sync holds one page at a time, not two.
            del page
            if first_fill:
                await self._progress(folder_id)
            if next_link is None:
                break
            url, params = next_link, None
            size = max(self.page_size, self.backfill_page) if first_fill else self.page_size
            if max_pages is not None and pages >= max_pages:
                break
        return total

    async def _fetch_page(self, url: str, params: dict[str, str] | None, size: int) -> Page:
        data = await self._client.get_json(url, params=params,
                                           headers={"Prefer": f"odata.maxpagesize={size}"})
        raw = data.pop("value", None)
        items = [x for x in raw if isinstance(x, dict)] if isinstance(raw, list) else []
        del raw
        nxt, delta = data.get("@odata.nextLink"), data.get("@odata.deltaLink")
        nxt = nxt if isinstance(nxt, str) and nxt else None
        delta = delta if isinstance(delta, str) and delta else None
        if nxt is not None:
            self._client.url_for(nxt)  # refuses a link to another host before it is saved
        if nxt is None and delta is None:
            raise ServerError("Microsoft Graph ended a delta round without a delta link",
                              code="NoDeltaLink")
        return Page(items, nxt, delta)

    async def _write_page(self, folder_id: str, items: list[dict[str, Any]],
                          next_link: str | None, delta_link: str | None,
                          announce_new: bool) -> int:
        upserts = [summary_from_json(i, folder_id) for i in items if "@removed" not in i]
        upserts = [m for m in upserts if m.id]
        removed = [str(i.get("id")) for i in items if "@removed" in i and i.get("id")]
        resync = self._resync.get(folder_id)
        if resync is not None:
            resync.update(m.id for m in upserts)

        def rows(s: Store, chunk: list[MessageSummary]) -> tuple[set[str], list[MessageSummary]]:
            before = {m.id for m in chunk if s.mail.summary(m.id) is not None}
            moved = s.mail.upsert_messages(chunk)
            overlay_pending(s, {m.id for m in chunk})
            return ({old for _, old in moved if old},
                    [m for m in chunk if m.id not in before and not m.is_read])

        # Big pages go in several short transactions so the UI's reads, which share the
        # store thread, never wait long; the links are saved with the last one.
        chunks = [upserts[i:i + _WRITE_CHUNK] for i in range(0, len(upserts), _WRITE_CHUNK)]
        last = chunks.pop() if chunks else []
        moved_from: set[str] = set()
        fresh_early: list[MessageSummary] = []
        for chunk in chunks:
            got = await self._store.tx(lambda s, c=chunk: rows(s, c))
            moved_from |= got[0]
            fresh_early += got[1]

        def write(s: Store) -> tuple[set[str], list[MessageSummary], set[str]]:
            moved, fresh = rows(s, last)
            folders = {folder_id} | moved | moved_from
            gone = s.mail.remove_messages(removed, folder_id)
            if delta_link:
                s.queue.set_delta_link(f"messages:{folder_id}", delta_link)
                s.queue.set_delta_link(f"messages-next:{folder_id}", None)
            elif next_link:
                s.queue.set_delta_link(f"messages-next:{folder_id}", next_link)
            fresh = fresh_early + fresh
            stale: set[str] = set()
            if resync is not None and delta_link:
                keep = pending_message_ids(s)
                stale = s.mail.message_ids(folder_id) - resync - keep
                s.mail.remove_messages(stale, folder_id)
            return folders | set(gone.values()), fresh, stale | set(gone)

        folders, fresh, dropped = await self._store.tx(write)
        if delta_link:
            self._resync.pop(folder_id, None)
        ids = frozenset(MessageId(m.id) for m in upserts) | frozenset(
            MessageId(r) for r in {*removed, *dropped})
        if ids:
            self._announce.emit(MessagesChanged(
                folder_ids=frozenset(FolderId(f) for f in folders), message_ids=ids))
        if announce_new and fresh:
            inbox = await self._store.run(lambda s: s.mail.folder_id_by_well_known("inbox"))
            if inbox == folder_id:
                self._announce.emit(NewMail(messages=tuple(fresh)))
        return len(ids)

    async def _progress(self, folder_id: str) -> None:
        def figures(s: Store) -> tuple[int, int, str]:
            folder = s.mail.folder(folder_id)
            cached = s.mail.count(_plain(folder_id))
            return cached, folder.total_count if folder else 0, \
                folder.display_name if folder else ""

        cached, total, name = await self._store.run(figures)
        progress = min(1.0, cached / total) if total else None
        self._status.set_syncing(True, f"Loading {name}: {cached} of {total}", progress)


def _plain(folder_id: str) -> Any:
    from olk_tui.store import MessageFilter

    return MessageFilter(folder_id=folder_id)
