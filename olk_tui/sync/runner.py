"""The operation runner: sends the durable queue to Graph, in order, coalesced and batched.

Consecutive message operations are folded by ``planner`` and sent through ``$batch``; other
operations (folders, events, contacts, settings) go one by one through ``itemops``. A queued
operation leaves the queue only once the server confirmed it (or it failed for good and its
local change was reverted and announced), so a crash at any point just replays it: every
request sent here is idempotent with immutable ids (PATCH, move to a fixed folder, DELETE
where 404 counts as done, folder creation that first looks for the folder); see ``itemops``
for the other operations and the limits of their replays.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from olk_tui.domain.errors import (
    AuthRequired,
    BadRequest,
    Conflict,
    Forbidden,
    GraphError,
    NotFound,
)
from olk_tui.domain.operations import Operation
from olk_tui.graph.batch import BatchResponse, split_batches
from olk_tui.store import AsyncStore, QueuedOp, Store
from olk_tui.sync.announce import Announcer
from olk_tui.sync.api import MessagesChanged, OperationFailed
from olk_tui.sync.itemops import ItemOps
from olk_tui.sync.localops import MESSAGE_OPS, deleted_items_id, revert_messages
from olk_tui.sync.planner import (
    MessagePlan,
    PlannedRequest,
    plan_messages,
    requests_for,
    residual_ops,
)
from olk_tui.sync.status import StatusTracker
from olk_tui.sync.tasks import stop_task

if TYPE_CHECKING:
    from olk_tui.graph.client import GraphClient  # made after the first paint (see sync.account)

log = logging.getLogger(__name__)

PERMANENT = (NotFound, Forbidden, BadRequest, Conflict)
_RETRY_STATUSES = frozenset({0, 401, 408, 429, 500, 502, 503, 504})


def reason_for(error: GraphError | None, action: str = "") -> str:
    """A sentence a user can read for a permanent failure."""
    if isinstance(error, NotFound):
        return "The item was moved or deleted elsewhere."
    if isinstance(error, Forbidden):
        return f"Not allowed: {error.message or error.code or 'access denied'}."
    if error is None:
        return f"The server refused to {action or 'do this'}."
    return f"The server refused it: {error}"


class OperationRunner:
    """Sends queued operations; ``wake()`` after every submit, ``run_once()`` in tests."""

    def __init__(self, store: AsyncStore, client: GraphClient, announcer: Announcer,
                 status: StatusTracker, *, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
                 debounce: float = 0.05, max_backoff: float = 60.0) -> None:
        self._store = store
        self._client = client
        self._announce = announcer
        self._status = status
        self._sleep = sleep
        self._debounce = debounce
        self._max_backoff = max_backoff
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self.items = ItemOps(store, client, announcer)

    def wake(self) -> None:
        """Tell the runner there is work."""
        self._wake.set()

    def start(self) -> None:
        """Start the background loop (replays whatever a previous run left in the queue)."""
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="olk-op-runner")
            self._wake.set()

    async def close(self) -> None:
        """Stop the loop (queued operations stay queued)."""
        task, self._task = self._task, None
        await stop_task(task)

    async def _loop(self) -> None:
        backoff = 1.0
        while True:
            await self._wake.wait()
            self._wake.clear()
            if self._debounce:
                await self._sleep(self._debounce)
            try:
                remaining = await self.run_once()
                self._status.set_online(True)
                if remaining:  # some items were throttled or failed transiently: come back
                    await self._sleep(backoff)
                    backoff = min(self._max_backoff, backoff * 2)
                    self._wake.set()
                else:
                    backoff = 1.0
            except AuthRequired as exc:
                self._status.set_auth_required(str(exc))
                await self._sleep(backoff)
                backoff = min(self._max_backoff, backoff * 2)
                self._wake.set()
            except GraphError as exc:
                log.info("operation runner: %s; retrying in %.0fs", type(exc).__name__, backoff)
                self._status.set_online(False, str(exc))
                await self._sleep(backoff)
                backoff = min(self._max_backoff, backoff * 2)
                self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:  # a bug must not kill the runner and strand the queue
                log.exception("operation runner failed")
                await self._sleep(backoff)
                backoff = min(self._max_backoff, backoff * 2)
                self._wake.set()

    async def run_once(self) -> int:
        """Send everything queued now; returns how many operations are still pending.

        Raises:
            GraphError: a transient failure (offline, throttled, server error) stopped the
                run; the operations not confirmed stay queued, in order.
        """
        async with self._lock:
            while True:
                pending = await self._store.run(lambda s: s.queue.pending(500))
                if not pending:
                    break
                segment: list[QueuedOp] = []
                for queued in pending:
                    if isinstance(queued.op, MESSAGE_OPS):
                        segment.append(queued)
                        continue
                    break
                if segment:
                    retry = await self._send_messages(segment)
                    if retry:
                        break
                else:
                    await self.items.run(pending[0])
                await self._publish_pending()
            return await self._publish_pending()

    async def _publish_pending(self) -> int:
        count = await self._store.run(lambda s: s.queue.pending_count())
        self._status.set_pending(count)
        return count

    async def _send_messages(self, segment: list[QueuedOp]) -> bool:
        """Send one run of message operations; returns True when some must be retried."""
        trash, folder_map = await self._store.run(
            lambda s: (deleted_items_id(s), _folder_map(s)))
        plans = plan_messages(segment, trash)
        planned = requests_for(plans, folder_map)
        answers: dict[str, BatchResponse] = {}
        error: GraphError | None = None
        if planned:
            # Count the attempt before sending: after a crash or a partial failure the next
            # plan must not assume the server still has the original state.
            seqs = [q.seq for q in segment]
            await self._store.tx(lambda s: s.queue.note_attempt(seqs, "sending"))
            error = await self._send_chunks(planned, answers)
        outcome = _outcomes(plans, planned, answers)
        failed = {mid: err for mid, (state, err) in outcome.items() if state == "failed"}
        retry = {mid for mid, (state, _) in outcome.items() if state == "retry"}
        finished: list[int] = []
        failed_ops: list[tuple[Operation, str]] = []
        staying: set[str] = set()
        for queued in segment:
            ids = set(getattr(queued.op, "message_ids", ()))
            bad = ids & set(failed)
            if bad:
                failed_ops.append((queued.op, failed[next(iter(bad))]))
            if ids & (retry | staying):
                # It stays, and so does every later operation on any of its messages: the
                # next plan must see them all to send the right end state, in order.
                staying |= ids
                continue
            finished.append(queued.seq)
        snapshots = {mid: plan.original for mid, plan in plans.items() if plan.original}

        residual = residual_ops(plans, retry) if retry else []
        seqs = sorted(q.seq for q in segment)
        compact = bool(retry) and len(residual) <= len(seqs)

        def commit(store: Store) -> set[str]:
            folders: set[str] = set()
            for mid in failed:
                row = snapshots.get(mid)
                if row is not None:
                    folders |= revert_messages(store, [row], {mid})
            if compact:
                # Replace the whole run by what is left to do, in its place in the queue.
                for seq, (op, snap) in zip(seqs, residual, strict=False):
                    store.queue.replace(seq, op, snap, attempts=1)
                store.queue.remove(seqs[len(residual):])
            else:
                store.queue.remove(finished)
            return folders

        folders = await self._store.tx(commit)
        for op, reason in failed_ops:
            self._announce.emit(OperationFailed(operation=op, reason=reason))
        if failed:
            self._announce.emit(MessagesChanged(folder_ids=frozenset(folders),
                                                message_ids=frozenset(failed)))
        if error is not None:
            raise error
        if retry:
            waits = [a.error() for a in answers.values() if a.status in (429, 503)]
            delay = max([getattr(e, "retry_after", None) or 0.0 for e in waits] or [0.0])
            await self._sleep(min(max(delay, 0.2), self._max_backoff))
        return bool(retry)

    async def _send_chunks(self, planned: list[PlannedRequest],
                           answers: dict[str, BatchResponse]) -> GraphError | None:
        """Send ``$batch`` chunks one by one, keeping each answer; a failed chunk stops the
        rest (they count as unanswered) and its error is returned, so the chunks that went
        through are settled even while the network is failing."""
        for chunk in split_batches([p.request for p in planned]):
            try:
                answers.update(await self._client.batch(chunk))
            except GraphError as exc:
                return exc
        return None


def _folder_map(store: Store) -> dict[str, str]:
    """Local placeholder folder ids already created on the server -> their real ids."""
    out: dict[str, str] = {}
    for scope in store.queue.scopes("folder-map:"):
        real = store.queue.delta_link(scope)
        if real:
            out[scope.removeprefix("folder-map:")] = real
    return out


def _outcomes(plans: dict[str, MessagePlan], planned: list[PlannedRequest],
              answers: dict[str, BatchResponse]) -> dict[str, tuple[str, str]]:
    """Per message: ("done" | "retry" | "failed", reason)."""
    result: dict[str, tuple[str, str]] = {mid: ("done", "") for mid in plans}
    for p in planned:
        answer = answers.get(p.request.id) or BatchResponse(p.request.id, 0)
        state, reason = _classify(p, answer)
        current = result[p.message_id][0]
        if state == "failed" or (state == "retry" and current == "done"):
            result[p.message_id] = (state, reason)
    return result


def _classify(p: PlannedRequest, answer: BatchResponse) -> tuple[str, str]:
    if answer.ok:
        return "done", ""
    if answer.status == 404 and p.action == "delete":
        return "done", ""
    if answer.status in _RETRY_STATUSES or answer.status == 424:
        return "retry", ""
    error = answer.error()
    return "failed", reason_for(error, p.action)
