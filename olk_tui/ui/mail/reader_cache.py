"""Messages the reader showed or prefetched, already converted, so it paints them at once.

Opening a message goes list key -> load from the cache (a store thread) -> convert (a thread)
-> paint: three hops through the event loop and two extra frames, ~33 ms for ``J`` to the
prefetched next message and ~47 ms for re-opening one (measured in the pty benchmark). With
the converted body kept here the reader paints the whole message in the frame after the key.

Entries are keyed by account and message id. What is kept cannot change under that id: Graph
lets a message's body (and recipients) be updated only while it is a draft (``PATCH``
message: "updatable only if isDraft = true"), and a move gives the message a new id; drafts
are never kept. The row's changing state (read, flag, categories) is taken from the list's
row at each open. The size is bounded in entries and in characters, so a few huge bodies
cannot hold memory.

``warm`` fills an entry ahead of the key: the mail screen calls it for the row the list
cursor rests on, from the local cache only (a message whose body was never fetched stays
unfetched: bodies are requested only when a message is opened). ``prepare_to_open`` runs it
when ``enter`` comes before the cursor rested: waiting the few milliseconds a stored body
takes lets the reader open with the whole message in one paint. Opening first and painting
the body when it arrives costs two more frames (45 ms in the pty), because Textual's screen
timer, after a paint that ran late, skips to the frame after the next one.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import OrderedDict
from typing import TYPE_CHECKING

from olk_tui.domain.errors import OlkError
from olk_tui.domain.mail import Message, MessageSummary
from olk_tui.render.body import RenderedBody

if TYPE_CHECKING:
    from olk_tui.sync.api import MailRepository

#: Messages kept (the shown one, the prefetched next, a few recently read).
MAX_ENTRIES = 8
#: Characters kept in all (raw body plus converted text); about 8 MB of str at worst.
MAX_CHARS = 2_000_000
#: Bodies longer than this are not converted ahead (about 45 ms of a thread at 300 KB).
WARM_MAX_CHARS = 300_000
#: Seconds ``enter`` waits for a stored body to be converted before the reader opens without
#: it (showing "Loading…" first, then the body two or three frames later).
OPEN_WAIT = 0.05


def convert(message: Message) -> RenderedBody:
    """The message's body as the reader shows it (CPU-bound: call it in a thread)."""
    from olk_tui.render.html import html_to_text, text_body

    if message.body.content_type.lower() == "html":
        return html_to_text(message.body.content, width=78)
    return text_body(message.body.content)


async def converted(message: Message) -> RenderedBody | None:
    """``convert`` in a thread; None if it failed (the reader's own conversion of the shown
    message converts it again and reports why)."""
    try:
        return await asyncio.to_thread(convert, message)
    except Exception:  # html2text on hostile HTML: reported where the message is shown
        return None


def _cacheable(row: MessageSummary) -> bool:
    return bool(row.id) and not row.is_draft


class ReaderCache:
    """A small LRU of (message, converted body) per account; see the module docstring."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_chars: int = MAX_CHARS) -> None:
        self.max_entries, self.max_chars = max_entries, max_chars
        self._entries: OrderedDict[tuple[str, str], tuple[Message, RenderedBody, int]] = (
            OrderedDict())
        self._chars = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, account: str, row: MessageSummary) -> tuple[Message, RenderedBody] | None:
        """The message of ``row`` and its converted body, if kept.

        The message carries ``row`` as its summary: the list's row has the latest local
        state (read, flagged, categories) while the body itself is the same.
        """
        if not _cacheable(row):
            return None
        entry = self._entries.get((account, row.id))
        if entry is None:
            return None
        self._entries.move_to_end((account, row.id))
        message, body, _size = entry
        return dataclasses.replace(message, summary=row), body

    def put(self, account: str, message: Message, body: RenderedBody) -> None:
        """Keep ``message`` and its converted ``body`` (ignored for drafts and huge bodies)."""
        row = message.summary
        if not _cacheable(row):
            return
        size = len(message.body.content) + len(body.text)
        if size > self.max_chars // 4:
            return  # one huge body would push out everything else; it converts again
        key = (account, row.id)
        old = self._entries.pop(key, None)
        if old is not None:
            self._chars -= old[2]
        self._entries[key] = (message, body, size)
        self._chars += size
        while len(self._entries) > self.max_entries or self._chars > self.max_chars:
            _key, (_m, _b, dropped) = self._entries.popitem(last=False)
            self._chars -= dropped


async def warm(cache: ReaderCache, account: str, mail: MailRepository,
               row: MessageSummary) -> bool:
    """Convert ``row``'s message into ``cache`` if its body is stored locally; True if so.

    Never fetches. A failure only means the message converts when opened (and reports
    there), so it is swallowed here. The conversion runs in a thread.
    """
    if not _cacheable(row) or cache.get(account, row) is not None:
        return False
    try:
        message = await mail.cached_message(row.id)
    except OlkError:
        return False
    if message is None or len(message.body.content) > WARM_MAX_CHARS:
        return False
    body = await converted(message)
    if body is None:
        return False
    cache.put(account, message, body)
    return True


async def prepare_to_open(cache: ReaderCache, account: str, mail: MailRepository,
                          row: MessageSummary, wait: float | None = None) -> None:
    """``warm`` for at most ``wait`` seconds (default :data:`OPEN_WAIT`); then it is
    cancelled, and the reader loads the message itself."""
    try:
        await asyncio.wait_for(warm(cache, account, mail, row),
                               OPEN_WAIT if wait is None else wait)
    except TimeoutError:
        pass
