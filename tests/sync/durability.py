"""Shared by the crash and soak tests: random absolute-state operations and the end state
they must leave on the server."""

from __future__ import annotations

import random
from typing import Any

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import Flag, FlagStatus
from olk_tui.domain.operations import (
    DeleteMessages,
    MarkRead,
    MoveMessages,
    Operation,
    SetCategories,
    SetFlag,
)


def random_ops(rng: random.Random, ids: list[str], folders: list[str], n: int) -> list[Operation]:
    """``n`` operations on 1-5 messages each: read/unread, flag, categories, move, delete."""
    ops: list[Operation] = []
    for _ in range(n):
        chosen = tuple(MessageId(m) for m in rng.sample(ids, rng.randint(1, 5)))
        kind = rng.random()
        if kind < 0.4:
            ops.append(MarkRead(message_ids=chosen, is_read=rng.random() < 0.5))
        elif kind < 0.55:
            status = rng.choice([FlagStatus.FLAGGED, FlagStatus.NOT_FLAGGED,
                                 FlagStatus.COMPLETE])
            ops.append(SetFlag(message_ids=chosen, flag=Flag(status)))
        elif kind < 0.7:
            ops.append(SetCategories(message_ids=chosen,
                                     categories=tuple(rng.sample(["Red", "Blue", "Green"],
                                                                 rng.randint(0, 2)))))
        elif kind < 0.9:
            ops.append(MoveMessages(message_ids=chosen,
                                    destination_id=FolderId(rng.choice(folders))))
        else:
            ops.append(DeleteMessages(message_ids=chosen))
    return ops


def server_state(mb: Any, ids: list[str]) -> dict[str, tuple[Any, ...]]:
    """(isRead, flagStatus, categories, folder) per message, as the emulator has it."""
    out = {}
    for mid in ids:
        m = mb.messages[mid]
        out[mid] = (bool(m.get("isRead")), (m.get("flag") or {}).get("flagStatus", "notFlagged"),
                    tuple(m.get("categories") or ()), m["parentFolderId"])
    return out


def intended(start: dict[str, tuple[Any, ...]], ops: list[Operation],
             trash: str) -> dict[str, tuple[Any, ...]]:
    """The state ``ops`` lead to from ``start``."""
    state = {k: list(v) for k, v in start.items()}
    for op in ops:
        for mid in op.message_ids:  # type: ignore[attr-defined]
            row = state[mid]
            if isinstance(op, MarkRead):
                row[0] = op.is_read
            elif isinstance(op, SetFlag):
                row[1] = op.flag.status.value
            elif isinstance(op, SetCategories):
                row[2] = tuple(op.categories)
            elif isinstance(op, MoveMessages):
                row[3] = op.destination_id
            elif isinstance(op, DeleteMessages):
                row[3] = trash
    return {k: tuple(v) for k, v in state.items()}
