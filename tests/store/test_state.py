"""Operation queue, undo log, outbox, local drafts, calendar and contacts tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from olk_tui.domain.calendar import Attendee, Event
from olk_tui.domain.contacts import Contact
from olk_tui.domain.ids import ContactId, EventId, MessageId
from olk_tui.domain.mail import Draft, MessageBody, Recipient
from olk_tui.domain.operations import MarkRead
from olk_tui.store import AsyncStore, Store
from olk_tui.store.outbox import DRAFT_CREATED, QUEUED


def test_queue_keeps_order_and_snapshots(store: Store) -> None:
    a = MarkRead(message_ids=(MessageId("m1"),))
    b = MarkRead(message_ids=(MessageId("m1"),), is_read=False)
    with store.transaction():
        s1 = store.queue.append(a, [{"id": "m1", "is_read": 0}])
        store.queue.append(b, [])
    pending = store.queue.pending()
    assert [p.op for p in pending] == [a, b]
    assert pending[0].snapshot == [{"id": "m1", "is_read": 0}]
    store.queue.remove([s1])
    assert store.queue.pending_count() == 1


def test_undo_log_is_lifo(store: Store) -> None:
    a = MarkRead(message_ids=(MessageId("m1"),))
    inv = MarkRead(message_ids=(MessageId("m1"),), is_read=False)
    store.queue.push_undo(a, [inv])
    assert store.queue.pop_undo() == (a, [inv])
    assert store.queue.pop_undo() is None


def test_transaction_rolls_back(store: Store) -> None:
    try:
        with store.transaction():
            store.queue.append(MarkRead(), [])
            raise RuntimeError
    except RuntimeError:
        pass
    assert store.queue.pending_count() == 0


def test_outbox_states_and_local_drafts(store: Store) -> None:
    draft = Draft(subject="Hi", to=(Recipient("a@b.c", "A"),), body=MessageBody("text", "x"))
    item = store.outbox.add(draft)
    assert store.outbox.get(item).state == QUEUED
    store.outbox.update(item, state=DRAFT_CREATED, server_id="srv", uploaded=("f1",))
    got = store.outbox.get(item)
    assert (got.state, got.server_id, got.uploaded, got.draft) == (DRAFT_CREATED, "srv",
                                                                   ("f1",), draft)
    store.outbox.save_local_draft("k", draft)
    store.outbox.save_local_draft("k", draft)
    assert store.outbox.local_drafts() == [("k", draft)]
    store.outbox.discard_local_draft("k")
    assert store.outbox.local_drafts() == []


def test_events_by_window(store: Store) -> None:
    t = datetime(2026, 3, 2, 9, tzinfo=UTC)
    events = [Event(EventId(f"e{i}"), f"E{i}", t + timedelta(days=i),
                    t + timedelta(days=i, hours=1), attendees=(Attendee(Recipient("x@y.z")),))
              for i in range(10)]
    store.calendar.upsert_events(events)
    got = store.calendar.events(t + timedelta(days=2), t + timedelta(days=4))
    assert [e.id for e in got] == ["e2", "e3"]
    assert got[0] == events[2]
    store.calendar.remove_events(["e2"])
    assert store.calendar.event("e2") is None


def test_contacts_search(store: Store) -> None:
    store.contacts.upsert([Contact(ContactId("c1"), "Adele Vance",
                                   emails=(Recipient("adele@contoso.example", "Adele"),)),
                           Contact(ContactId("c2"), "Bob 100%")])
    assert [c.id for c in store.contacts.contacts("adele")] == ["c1"]
    assert [c.id for c in store.contacts.contacts("contoso")] == ["c1"]
    assert [c.id for c in store.contacts.contacts("100%")] == ["c2"]


async def test_async_store_runs_on_one_thread(tmp_path) -> None:
    import threading

    store = AsyncStore(tmp_path / "x.sqlite3")
    try:
        names = {await store.run(lambda s: threading.current_thread().name) for _ in range(5)}
        assert len(names) == 1 and names != {threading.current_thread().name}
        await store.tx(lambda s: s.queue.append(MarkRead(), []))
        assert store.call(lambda s: s.queue.pending_count()) == 1
    finally:
        store.close()
