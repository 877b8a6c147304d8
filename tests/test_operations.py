"""Operations survive the queue's JSON round trip unchanged."""

from datetime import UTC, datetime

import pytest

from olk_tui.domain.ids import EventId, FolderId, MessageId
from olk_tui.domain.mail import Flag, FlagStatus, Importance
from olk_tui.domain.operations import (
    OPERATION_TYPES,
    DeleteMessages,
    MarkRead,
    MoveMessages,
    RespondToEvent,
    SaveEvent,
    SetFlag,
    SetImportance,
    from_json,
    to_json,
)

WHEN = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "op",
    [
        MarkRead(message_ids=(MessageId("a"), MessageId("b")), is_read=False),
        SetFlag(message_ids=(MessageId("a"),), flag=Flag(FlagStatus.FLAGGED, start=WHEN, due=WHEN)),
        SetImportance(message_ids=(MessageId("a"),), importance=Importance.HIGH),
        MoveMessages(message_ids=(MessageId("a"),), destination_id=FolderId("arch"),
                     source_id=FolderId("inbox")),
        DeleteMessages(message_ids=(MessageId("a"),), permanent=True),
        RespondToEvent(event_id=EventId("e"), response="decline", comment="clash",
                       proposed_start=WHEN, proposed_end=WHEN),
        SaveEvent(fields={"subject": "Lunch", "attendees": [{"emailAddress": {"address": "x"}}]}),
    ],
)
def test_round_trip(op: object) -> None:
    assert from_json(to_json(op)) == op  # type: ignore[arg-type]


def test_every_kind_is_unique_and_registered() -> None:
    assert len(OPERATION_TYPES) == len({cls.kind for cls in OPERATION_TYPES.values()})


def test_unknown_kind_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown operation kind"):
        from_json('{"kind": "launch_rockets", "data": {}}')


def test_operations_describe_themselves_in_words() -> None:
    """Toasts, the undo list and the CLI say "delete the event", never the queue's kind."""
    from olk_tui.domain.operations import DeleteEvent, Operation

    assert DeleteEvent(event_id=EventId("e1")).describe() == "delete the event"
    assert all("_" not in cls().describe() for cls in _concrete_operations())
    assert Operation().describe() == "operation"


def _concrete_operations() -> list[type]:
    from olk_tui.domain import operations

    found = []
    for name in dir(operations):
        cls = getattr(operations, name)
        if isinstance(cls, type) and issubclass(cls, operations.Operation) \
                and cls is not operations.Operation:
            try:
                cls()
            except TypeError:
                continue
            found.append(cls)
    return found
