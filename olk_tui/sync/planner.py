"""Coalesce queued message operations into the fewest Graph requests.

Every pending operation on messages is folded, per message, into one end state; the end state
is compared with the message as it was before the first pending change (the snapshot in the
queue), and only the difference is sent (unless an operation on it was attempted before: its
effect may already be on the server, so then the whole end state is sent): one PATCH with
every changed property, then one move (or one DELETE). "Read then unread" therefore sends
nothing, and 100 mark-read operations are 100 PATCHes that ``$batch`` carries in 5 requests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import Flag, Importance
from olk_tui.domain.operations import (
    DeleteMessages,
    MarkRead,
    MoveMessages,
    Operation,
    SetCategories,
    SetFlag,
    SetImportance,
)
from olk_tui.graph.batch import BatchRequest
from olk_tui.graph.mapping.mail import flag_from_json, flag_to_json
from olk_tui.store import QueuedOp
from olk_tui.sync.localops import message_ids_of

TRASH = "deleteditems"


@dataclass
class MessagePlan:
    """What must be sent for one message, and which queued operations it settles."""

    message_id: str
    original: dict[str, Any] | None = None
    desired: dict[str, Any] = field(default_factory=dict)
    destination: str | None = None
    delete: bool = False
    seqs: set[int] = field(default_factory=set)
    #: Some operation was possibly sent already (an earlier attempt): the server may no
    #: longer be in the original state, so nothing may be elided.
    attempted: bool = False

    def patch(self) -> dict[str, Any]:
        """Graph properties whose end state differs from the original."""
        if self.original is None or self.attempted:
            return dict(self.desired)
        return {k: v for k, v in self.desired.items() if v != _graph_value(self.original, k)}

    def move_to(self) -> str | None:
        """The destination folder when the message must move."""
        if self.destination is None or self.delete:
            return None
        if (self.original is not None and not self.attempted
                and self.original.get("folder_id") == self.destination):
            return None
        return self.destination


def flag_json(flag: Flag) -> dict[str, Any]:
    """followupFlag JSON for a flag."""
    return flag_to_json(flag)


def _flag_from_row(row: dict[str, Any]) -> dict[str, Any]:
    from olk_tui.sync.localops import _flag

    return flag_json(_flag(row["flag_status"], row["flag_start"], row["flag_due"],
                           row["flag_completed"]))


def _graph_value(row: dict[str, Any], prop: str) -> Any:
    if prop == "isRead":
        return bool(row["is_read"])
    if prop == "flag":
        return _flag_from_row(row)
    if prop == "categories":
        return json.loads(row["categories_json"] or "[]")
    if prop == "importance":
        return row["importance"]
    return None


def plan_messages(ops: list[QueuedOp], trash_id: str | None) -> dict[str, MessagePlan]:
    """Fold queued message operations into one plan per message (in queue order)."""
    plans: dict[str, MessagePlan] = {}
    for queued in ops:
        op = queued.op
        rows = {row["id"]: row for row in queued.snapshot}
        for mid in message_ids_of(op):
            plan = plans.get(mid)
            if plan is None:
                plan = plans[mid] = MessagePlan(mid, original=rows.get(mid))
            plan.seqs.add(queued.seq)
            plan.attempted = plan.attempted or queued.attempts > 0
            if isinstance(op, MarkRead):
                plan.desired["isRead"] = op.is_read
            elif isinstance(op, SetFlag):
                plan.desired["flag"] = flag_json(op.flag)
            elif isinstance(op, SetCategories):
                plan.desired["categories"] = list(op.categories)
            elif isinstance(op, SetImportance):
                plan.desired["importance"] = op.importance.value
            elif isinstance(op, MoveMessages):
                plan.destination = op.destination_id
            elif isinstance(op, DeleteMessages):
                if op.permanent:
                    plan.delete = True
                else:
                    plan.destination = trash_id or TRASH
    return plans


@dataclass(frozen=True, slots=True)
class PlannedRequest:
    """A request and the message it is for."""

    message_id: str
    action: str  # "patch" | "move" | "delete"
    request: BatchRequest


def message_url(message_id: str) -> str:
    """``/me/messages/{id}`` with the id escaped."""
    return "/me/messages/" + quote(message_id, safe="=-_")


def requests_for(plans: dict[str, MessagePlan],
                 resolve_folder: dict[str, str] | None = None) -> list[PlannedRequest]:
    """The requests to send; a move depends on the same message's PATCH."""
    out: list[PlannedRequest] = []
    for n, plan in enumerate(plans.values()):
        url = message_url(plan.message_id)
        if plan.delete:
            out.append(PlannedRequest(plan.message_id, "delete",
                                      BatchRequest(f"d{n}", "DELETE", url)))
            continue
        patch = plan.patch()
        if patch:
            out.append(PlannedRequest(plan.message_id, "patch",
                                      BatchRequest(f"p{n}", "PATCH", url, body=patch)))
        dest = plan.move_to()
        if dest is not None:
            dest = (resolve_folder or {}).get(dest, dest)
            out.append(PlannedRequest(plan.message_id, "move", BatchRequest(
                f"m{n}", "POST", url + "/move", body={"destinationId": dest},
                depends_on=(f"p{n}",) if patch else ())))
    return out


def residual_ops(plans: dict[str, MessagePlan],
                 ids: set[str]) -> list[tuple[Operation, list[dict[str, Any]]]]:
    """Operations that bring ``ids`` to their planned end state, with the original rows as
    snapshot (used to compact a segment that must be retried)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for mid in sorted(ids):
        plan = plans[mid]
        for prop, value in plan.desired.items():
            groups.setdefault((prop, json.dumps(value, sort_keys=True)), []).append(mid)
        if plan.delete:
            groups.setdefault(("delete", ""), []).append(mid)
        elif plan.destination is not None:
            groups.setdefault(("move", plan.destination), []).append(mid)
    out: list[tuple[Operation, list[dict[str, Any]]]] = []
    for (prop, value), mids in groups.items():
        msg_ids = tuple(MessageId(m) for m in mids)
        snapshot = [plans[m].original for m in mids if plans[m].original is not None]
        op: Operation
        if prop == "isRead":
            op = MarkRead(message_ids=msg_ids, is_read=json.loads(value))
        elif prop == "flag":
            op = SetFlag(message_ids=msg_ids, flag=flag_from_json(json.loads(value)))
        elif prop == "categories":
            op = SetCategories(message_ids=msg_ids, categories=tuple(json.loads(value)))
        elif prop == "importance":
            op = SetImportance(message_ids=msg_ids, importance=Importance(json.loads(value)))
        elif prop == "delete":
            op = DeleteMessages(message_ids=msg_ids, permanent=True)
        else:
            op = MoveMessages(message_ids=msg_ids, destination_id=FolderId(value))
        out.append((op, snapshot))  # type: ignore[arg-type]
    return out
