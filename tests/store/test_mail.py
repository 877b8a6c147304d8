"""Window queries (offset and keyset) under inserts and deletes, filters, counts, FTS, bodies."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from olk_tui.domain.ids import AttachmentId, FolderId, MessageId
from olk_tui.domain.mail import Attachment, Folder, Message, MessageBody, Recipient
from olk_tui.store import MessageFilter, Store

from .conftest import summary

INBOX = MessageFilter(folder_id="inbox")


def ids(rows: list) -> list[int]:
    return [int(r.id[1:]) for r in rows]


def test_upsert_is_idempotent_and_window_is_newest_first(store: Store) -> None:
    store.mail.upsert_messages([summary(i) for i in range(30)])
    store.mail.upsert_messages([summary(i) for i in range(30)])
    assert store.mail.count(INBOX) == 30
    assert ids(store.mail.window(INBOX, 0, 5)) == [29, 28, 27, 26, 25]
    assert ids(store.mail.window(INBOX, 28, 5)) == [1, 0]
    oldest = MessageFilter(folder_id="inbox", newest_first=False)
    assert ids(store.mail.window(oldest, 0, 3)) == [0, 1, 2]


def test_update_changes_row_in_place(store: Store) -> None:
    store.mail.upsert_messages([summary(1)])
    store.mail.upsert_messages([summary(1, subject="Changed", is_read=False)])
    row = store.mail.summary("m1")
    assert row is not None and row.subject == "Changed" and not row.is_read
    assert store.mail.count(INBOX) == 1
    assert store.mail.count(MessageFilter(folder_id="inbox", unread_only=True)) == 1


def test_round_trip_keeps_every_field(store: Store) -> None:
    m = summary(7, cc=(Recipient("x@y.z", "X"),), categories=("Red", "Blue"),
                conversation_id="c", internet_message_id="<a@b>", odata_type="#x",
                sender=Recipient("s@y.z"))
    store.mail.upsert_messages([m])
    assert store.mail.summary("m7") == m


def test_filters_and_counts(store: Store) -> None:
    store.mail.upsert_messages([summary(i) for i in range(100)])
    store.mail.upsert_messages([summary(i, folder="other") for i in range(100, 110)])
    unread = MessageFilter(folder_id="inbox", unread_only=True)
    flagged = MessageFilter(folder_id="inbox", flagged_only=True)
    att = MessageFilter(folder_id="inbox", with_attachments=True)
    frm = MessageFilter(folder_id="inbox", from_address="USER3@contoso.example")
    assert store.mail.count(unread) == len([i for i in range(100) if i % 3 == 0])
    assert store.mail.count(flagged) == 20
    assert store.mail.count(att) == 25
    assert all(r.from_ and r.from_.address == "user3@contoso.example"
               for r in store.mail.window(frm, 0, 100))
    assert store.mail.count(frm) == len([i for i in range(100) if i % 7 == 3])
    assert ids(store.mail.window(unread, 0, 3)) == [99, 96, 93]
    both = MessageFilter(folder_id="inbox", unread_only=True, flagged_only=True)
    assert store.mail.count(both) == len([i for i in range(100) if i % 15 == 0])
    assert store.mail.count(MessageFilter(folder_id=None)) == 110


def test_counts_follow_moves_and_reads(store: Store) -> None:
    store.mail.upsert_messages([summary(i) for i in range(10)])
    store.mail.update_columns("m3", {"folder_id": "archive", "is_read": 1})
    assert store.mail.count(INBOX) == 9
    assert store.mail.count(MessageFilter(folder_id="archive")) == 1
    assert store.mail.count(MessageFilter(folder_id="inbox", unread_only=True)) == 3
    store.mail.remove_messages(["m0", "m1", "nope"])
    assert store.mail.count(INBOX) == 7


def test_keyset_paging_walks_everything_once(store: Store) -> None:
    store.mail.upsert_messages([summary(i) for i in range(57)])
    seen: list[int] = []
    after = None
    while True:
        page = store.mail.window_keys(INBOX, after, 10)
        if not page:
            break
        seen += ids([m for _, m in page])
        after = page[-1][0]
    assert seen == list(range(56, -1, -1))


def test_same_millisecond_messages_keep_distinct_keys(store: Store) -> None:
    ms = [summary(0, id=MessageId(f"x{i}")) for i in range(20)]
    store.mail.upsert_messages(ms)
    assert store.mail.count(INBOX) == 20
    assert len({k for k, _ in store.mail.window_keys(INBOX, None, 50)}) == 20


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 60)), max_size=80),
       st.integers(0, 70), st.integers(1, 20))
def test_window_matches_a_model_under_inserts_and_deletes(tmp_path_factory, ops, offset,
                                                          limit) -> None:
    store = Store(tmp_path_factory.mktemp("h") / "h.sqlite3")
    try:
        model: set[int] = set()
        for insert, i in ops:
            if insert:
                store.mail.upsert_messages([summary(i)])
                model.add(i)
            else:
                store.mail.remove_messages([f"m{i}"])
                model.discard(i)
        expected = sorted(model, reverse=True)
        assert store.mail.count(INBOX) == len(model)
        assert ids(store.mail.window(INBOX, offset, limit)) == expected[offset:offset + limit]
        keys = store.mail.window_keys(INBOX, None, offset + limit)
        after = keys[offset - 1][0] if 0 < offset <= len(keys) else None
        if offset == 0 or after is not None:
            page = store.mail.window_keys(INBOX, after, limit)
            assert ids([m for _, m in page]) == expected[offset:offset + limit]
    finally:
        store.close()


def test_fts_finds_sender_subject_preview_and_body(store: Store) -> None:
    store.mail.upsert_messages([summary(i) for i in range(50)])
    store.mail.upsert_messages([summary(60, subject="Quarterly budget review",
                                        from_=Recipient("alex@fabrikam.example", "Alex Wilber"),
                                        preview="numbers attached")])
    assert ids(store.mail.search("quarterly")) == [60]
    assert ids(store.mail.search("Wilber")) == [60]
    assert ids(store.mail.search("fabrikam")) == [60]
    assert ids(store.mail.search("attached numb")) == [60]
    assert ids(store.mail.search("subject", limit=3)) == [49, 48, 47]
    assert store.mail.search('"; DROP TABLE messages; --') == []
    assert store.mail.search("") == []
    store.mail.save_message(Message(summary=summary(5), body=MessageBody("text", "zebra crossing")))
    assert ids(store.mail.search("zebra")) == [5]
    assert store.mail.count(MessageFilter(folder_id="inbox", text="subject")) == 50
    store.mail.remove_messages(["m60"])
    assert store.mail.search("quarterly") == []


def test_body_attachments_and_headers_round_trip(store: Store) -> None:
    att = Attachment(AttachmentId("a1"), "report.pdf", "application/pdf", 1234)
    msg = Message(summary=summary(1), body=MessageBody("html", "<p>hi</p>"),
                  bcc=(Recipient("b@c.d"),), attachments=(att,))
    assert store.mail.message("m1") is None
    store.mail.save_message(msg, raw_json='{"id":"m1"}')
    assert store.mail.message("m1") == msg
    assert store.mail.raw_json("m1") == '{"id":"m1"}'
    assert store.mail.attachment("m1", "a1") == att


def test_folders_well_known_and_removal(store: Store) -> None:
    store.mail.upsert_folders([Folder(FolderId("f1"), "Inbox", well_known_name="inbox"),
                               Folder(FolderId("f2"), "Sub", parent_id=FolderId("f1"))])
    store.mail.upsert_folders([Folder(FolderId("f1"), "Inbox", unread_count=4)])
    assert store.mail.folder_id_by_well_known("inbox") == "f1"
    assert store.mail.folder("f1").unread_count == 4
    store.mail.upsert_messages([summary(1, folder="f2")])
    store.mail.remove_folders(["f2"])
    assert store.mail.summary("m1") is None
    assert [f.id for f in store.mail.folders()] == ["f1"]


def test_folders_under_an_unknown_root_are_top_level(store: Store) -> None:
    store.mail.upsert_folders([Folder(FolderId("f1"), "Inbox", parent_id=FolderId("root")),
                               Folder(FolderId("f2"), "Sub", parent_id=FolderId("f1"))])
    parents = {f.id: f.parent_id for f in store.mail.folders()}
    assert parents == {"f1": None, "f2": "f1"}
