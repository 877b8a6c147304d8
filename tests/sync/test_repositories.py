"""Repository reads: offset windows at keyset cost, full messages and attachments, server
search, calendar windows, contacts and completion, background loops and connectivity."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from olk_tui.domain.ids import AttachmentId, EventId, FolderId, MessageId
from olk_tui.domain.operations import DeleteEvent, MarkRead
from olk_tui.store import MessageFilter
from olk_tui.sync.api import EventsChanged, ListQuery, SyncState, SyncStatus

from .conftest import Harness


async def test_offset_windows_match_the_store_everywhere(hi: Harness) -> None:
    h = hi
    await h.svc.engine.run_pass()
    inbox = FolderId(h.folder("inbox"))
    rng = random.Random(4)
    for query in (ListQuery(folder_id=inbox), ListQuery(folder_id=inbox, newest_first=False),
                  ListQuery(folder_id=inbox, unread_only=True)):
        total = await h.account.mail.count(query)
        flt = MessageFilter(folder_id=inbox, newest_first=query.newest_first,
                            unread_only=query.unread_only)
        offsets = [0, 7, 14, total - 7, total // 2, total // 2 + 7, total + 3]
        offsets += [rng.randrange(total) for _ in range(10)]
        for offset in offsets:
            got = await h.account.mail.window(query, offset, 7)
            want = await h.svc.store.run(lambda s, o=offset, f=flt: s.mail.window(f, o, 7))
            assert [m.id for m in got] == [m.id for m in want], offset
        # a change invalidates the remembered positions
        first = (await h.account.mail.window(query, 0, 1))[0]
        await h.account.mail.submit(MarkRead(message_ids=(first.id,), is_read=not first.is_read))
        for offset in (0, 7, total // 2):
            got = await h.account.mail.window(query, offset, 7)
            want = await h.svc.store.run(lambda s, o=offset, f=flt: s.mail.window(f, o, 7))
            assert [m.id for m in got] == [m.id for m in want]


async def test_message_body_is_fetched_once_and_kept(hi: Harness, tmp_path: Path) -> None:
    h = hi
    await h.svc.engine.run_pass()
    mid = MessageId(sorted(m for m, d in h.mb.messages.items()
                           if d["parentFolderId"] == h.folder("inbox"))[0])
    with h.emu.locked():
        att = h.mb.add_attachment(mid, {"@odata.type": "#microsoft.graph.fileAttachment",
                                        "name": "../../evil.txt", "contentType": "text/plain",
                                        "contentBytes": "aGVsbG8="})
    h.counter.reset()
    msg = await h.account.mail.message(mid)
    assert msg.body.content and msg.summary.id == mid
    assert [a.name for a in msg.attachments] == ["../../evil.txt"]
    fetched = len(h.counter.requests)
    assert fetched <= 3  # 1 on Graph; 3 where $select inside $expand is refused
    source = await h.account.mail.source(mid)  # type: ignore[attr-defined]
    assert source is not None and mid in source
    again = await h.account.mail.message(mid)
    assert again == msg and len(h.counter.requests) == fetched  # from the cache
    words = msg.body.content.split()
    assert words and mid in {m.id for m in await h.svc.store.run(
        lambda s: s.mail.search(words[-1], None, 500))}
    # Saving to disk is the UI's job (render.filenames); the repository only hands out bytes.
    assert await h.account.mail.attachment_bytes(mid, AttachmentId(att["id"])) == b"hello"


async def test_server_search_results_are_cached(hi: Harness) -> None:
    h = hi
    await h.svc.mail_sync.sync_folders()
    subject = next(iter(h.mb.messages.values()))["subject"]
    word = max(subject.split(), key=len)
    found = await h.account.mail.search_server(word, None)
    assert found and all(word.lower() in (m.subject + m.preview).lower() for m in found)
    cached = await h.svc.store.run(lambda s: s.mail.summary(found[0].id))
    assert cached is not None


async def test_server_search_keeps_queued_changes(hi: Harness) -> None:
    """A search answered by the server must not undo a change still queued: the message the
    user just marked read stays read, in the cache and in the results."""
    h = hi
    await h.svc.engine.run_pass()
    subject = next(m["subject"] for m in h.mb.messages.values() if not m["isRead"])
    word = max(subject.split(), key=len)
    target = next(m for m in await h.account.mail.search_server(word, None) if not m.is_read)
    await h.account.mail.submit(MarkRead(message_ids=(target.id,), is_read=True))
    found = await h.account.mail.search_server(word, None)  # the server still says unread
    assert next(m for m in found if m.id == target.id).is_read
    cached = await h.svc.store.run(lambda s: s.mail.summary(target.id))
    assert cached is not None and cached.is_read


async def test_calendar_window_sync_and_local_delete(hi: Harness) -> None:
    h = hi
    events = list(h.mb.events.values())
    assert events, "the demo mailbox has events"
    start = datetime.fromisoformat(events[0]["start"]["dateTime"]).replace(tzinfo=UTC)
    lo, hi_ = start - timedelta(days=3), start + timedelta(days=4)
    assert await h.account.calendar.events(lo, hi_) == []  # cache empty; refresh requested
    await h.svc.engine.run_pass()
    got = await h.account.calendar.events(lo, hi_)
    assert got and all(e.start < hi_ and e.end > lo for e in got)
    assert any(isinstance(e, EventsChanged) for e in h.events)
    assert await h.account.calendar.calendars()
    victim = next(e for e in got if e.type == "singleInstance") if any(
        e.type == "singleInstance" for e in got) else got[0]
    await h.account.calendar.submit(DeleteEvent(event_id=EventId(victim.id)))
    await h.svc.runner.run_once()
    await h.svc.pim_sync.sync_window(*sorted(h.svc.pim_sync.windows)[0])
    assert victim.id not in {e.id for e in await h.account.calendar.events(lo, hi_)}


async def test_contacts_sync_and_completion(hi: Harness) -> None:
    h = hi
    await h.svc.engine.run_pass()
    contacts = await h.account.contacts.contacts()
    assert len(contacts) == len(h.mb.contacts)
    some = next(c for c in contacts if c.emails)
    prefix = some.emails[0].address[:3]
    completed = await h.account.contacts.complete(prefix)
    assert some.emails[0].address.lower() in {r.address.lower() for r in completed}
    people = await h.svc.store.run(lambda s: s.queue.get("people"))
    assert people and people != "[]"
    sender = next(iter(h.mb.messages.values()))["from"]["emailAddress"]["address"]
    assert sender.lower() in {r.address.lower()
                              for r in await h.account.contacts.complete(sender[:4], 50)}


async def test_background_loops_report_offline_and_recover(hi: Harness) -> None:
    h = hi
    statuses: list[SyncStatus] = []
    h.account.mail.subscribe(lambda e: statuses.append(e) if isinstance(e, SyncStatus) else None)
    h.emu.faults.add("reset", times=40)
    h.svc.engine.start()
    for _ in range(1500):
        await asyncio.sleep(0.01)
        if any(s.state is SyncState.OFFLINE for s in statuses):
            break
    assert any(s.state is SyncState.OFFLINE for s in statuses)
    h.emu.faults.clear()
    h.svc.engine.request(None)
    for _ in range(1500):
        await asyncio.sleep(0.01)
        if await h.account.mail.folders() and statuses[-1].state is SyncState.IDLE:
            break
    assert statuses[-1].state is SyncState.IDLE
    assert await h.account.mail.folders()
    await h.svc.engine.close()


async def test_event_operations_apply_at_once_and_revert_on_failure(hi: Harness) -> None:
    h = hi
    events = list(h.mb.events.values())
    start = datetime.fromisoformat(events[0]["start"]["dateTime"]).replace(tzinfo=UTC)
    lo, hi_ = start - timedelta(days=3), start + timedelta(days=4)
    await h.account.calendar.events(lo, hi_)
    await h.svc.engine.run_pass()
    got = await h.account.calendar.events(lo, hi_)
    first, second = got[0], got[-1]
    await h.account.calendar.submit(DeleteEvent(event_id=EventId(first.id)))
    assert first.id not in {e.id for e in await h.account.calendar.events(lo, hi_)}
    # an RSVP to an event deleted on the server fails for good and is put back
    from olk_tui.domain.operations import RespondToEvent
    from olk_tui.sync.api import OperationFailed

    with h.emu.locked():
        gone = second.series_master_id or second.id
        h.mb.events.pop(gone, None)
    await h.account.calendar.submit(RespondToEvent(event_id=EventId(second.id),
                                                   response="decline"))
    local = await h.svc.store.run(lambda s: s.calendar.event(second.id))
    assert local is not None and local.response == "declined"
    await h.svc.runner.run_once()
    assert any(isinstance(e, OperationFailed) for e in h.events)
    restored = await h.svc.store.run(lambda s: s.calendar.event(second.id))
    assert restored is not None and restored.response == second.response


async def test_created_event_and_contact_show_at_once_then_become_the_servers(
        hi: Harness) -> None:
    from olk_tui.domain.ids import ContactId
    from olk_tui.domain.operations import SaveContact, SaveEvent

    h = hi
    start = datetime(2031, 5, 6, 9, tzinfo=UTC)
    fields = {"subject": "Planning", "start": {"dateTime": "2031-05-06T09:00:00",
                                               "timeZone": "UTC"},
              "end": {"dateTime": "2031-05-06T10:00:00", "timeZone": "UTC"}}
    await h.account.calendar.submit(SaveEvent(fields=fields, local_id=EventId("local-e1")))
    shown = await h.account.calendar.events(start, start + timedelta(hours=2))
    assert [(e.id, e.subject) for e in shown] == [("local-e1", "Planning")]
    await h.account.contacts.submit(SaveContact(
        fields={"displayName": "Zed Zebra",
                "emailAddresses": [{"address": "zed@fabrikam.example", "name": "Zed"}]},
        local_id=ContactId("local-c1")))
    assert [c.id for c in await h.account.contacts.contacts("zebra")] == ["local-c1"]
    await h.svc.runner.run_once()
    shown = await h.account.calendar.events(start, start + timedelta(hours=2))
    assert len(shown) == 1 and shown[0].id != "local-e1" and shown[0].subject == "Planning"
    assert shown[0].id in h.mb.events
    contacts = await h.account.contacts.contacts("zebra")
    assert len(contacts) == 1 and contacts[0].id in h.mb.contacts
    # the creation carries a transactionId, Graph's guard against a replayed POST
    assert h.mb.events[shown[0].id].get("transactionId") == "local-e1"
