"""Conversation queries: heads in order, sizes, members, counts and positions, under filters
and both sort orders; the triggers that keep them through inserts, moves, deletes and re-keys;
the migration that fills them from a version-5 cache."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from olk_tui.domain.mail import MessageSummary
from olk_tui.store import MessageFilter, Store
from olk_tui.store.db import connect
from olk_tui.store.mail import MailStore

from .conftest import BASE, summary


def conv(i: int, c: str, folder: str = "inbox", **kw: object) -> MessageSummary:
    """Message ``i`` of conversation ``c`` ("" for none)."""
    return summary(i, folder, conversation_id=c, **kw)


def reference(rows: list[MessageSummary], flt: MessageFilter) -> list[tuple[str, str, list[str]]]:
    """(key, head id, member ids) by grouping in Python, as the old UI did."""
    def matches(r: MessageSummary) -> bool:
        return ((flt.folder_id is None or r.folder_id == flt.folder_id)
                and (not flt.unread_only or not r.is_read)
                and (not flt.flagged_only or r.flag.status.value == "flagged"))
    ordered = sorted((r for r in rows if matches(r)), key=lambda r: (r.received, r.id),
                     reverse=flt.newest_first)
    groups: dict[str, list[str]] = {}
    for r in ordered:
        groups.setdefault(r.conversation_id or r.id, []).append(r.id)
    return [(k, ids[0], ids) for k, ids in groups.items()]


def listed(store: Store, flt: MessageFilter) -> list[tuple[str, str, list[str]]]:
    heads = store.mail.conversation_heads(flt, 0, 10_000)
    assert all(h.size == len(h.member_ids) for h in heads)
    return [(h.key, h.head.id, list(h.member_ids)) for h in heads]


def fill(store: Store) -> list[MessageSummary]:
    rows = [conv(1, "a"), conv(2, "b"), conv(3, "a"), conv(4, ""), conv(5, "c"),
            conv(6, "b"), conv(7, "a", "archive"), conv(8, "c"), conv(9, "")]
    store.mail.upsert_messages(rows)
    return rows


def test_heads_are_newest_of_each_conversation_newest_first(store: Store) -> None:
    fill(store)
    flt = MessageFilter(folder_id="inbox")
    assert listed(store, flt) == [("m9", "m9", ["m9"]), ("c", "m8", ["m8", "m5"]),
                                  ("b", "m6", ["m6", "m2"]), ("m4", "m4", ["m4"]),
                                  ("a", "m3", ["m3", "m1"])]
    assert store.mail.conversation_count(flt) == 5
    assert [h.size for h in store.mail.conversation_heads(flt, 1, 2)] == [2, 2]
    assert store.mail.conversation_position(flt, "a") == 4
    assert store.mail.conversation_position(flt, "m9") == 0
    assert store.mail.conversation_position(flt, "nope") is None
    assert [m.id for m in store.mail.conversation_members(flt, "c")] == ["m8", "m5"]
    assert [m.id for m in store.mail.conversation_members(flt, "m4")] == ["m4"]


def test_oldest_first_heads_are_the_oldest_message(store: Store) -> None:
    rows = fill(store)
    flt = MessageFilter(folder_id="inbox", newest_first=False)
    assert listed(store, flt) == reference(rows, flt)
    assert listed(store, flt)[0] == ("a", "m1", ["m1", "m3"])
    assert store.mail.conversation_position(flt, "c") == 3


def test_filters_pick_the_newest_matching_message(store: Store) -> None:
    rows = fill(store)  # every 3rd unread: m3, m6, m9; every 5th flagged: m5
    unread = MessageFilter(folder_id="inbox", unread_only=True)
    assert listed(store, unread) == [("m9", "m9", ["m9"]), ("b", "m6", ["m6"]),
                                     ("a", "m3", ["m3"])]
    assert store.mail.conversation_count(unread) == 3
    assert store.mail.conversation_position(unread, "a") == 2
    assert [m.id for m in store.mail.conversation_members(unread, "b")] == ["m6"]
    flagged = MessageFilter(folder_id="inbox", flagged_only=True)
    assert listed(store, flagged) == reference(rows, flagged) == [("c", "m5", ["m5"])]
    everywhere = MessageFilter(folder_id=None, unread_only=True)
    assert store.mail.conversation_count(everywhere) == 3


def test_filtered_grouping_follows_changes(store: Store) -> None:
    fill(store)
    unread = MessageFilter(folder_id="inbox", unread_only=True)
    assert store.mail.conversation_count(unread) == 3
    store.mail.update_columns("m8", {"is_read": 0})
    assert [h.key for h in store.mail.conversation_heads(unread, 0, 2)] == ["m9", "c"]
    assert store.mail.conversation_count(unread) == 4


def test_triggers_follow_moves_deletes_and_rekeys(store: Store) -> None:
    rows = fill(store)
    flt = MessageFilter(folder_id="inbox")
    store.mail.update_columns("m8", {"folder_id": "archive"})  # the head moves away
    store.mail.remove_messages(["m1"])  # a tail goes
    store.mail.upsert_messages([conv(6, "b", received=BASE - timedelta(days=1))])  # re-keyed
    store.mail.upsert_messages([conv(9, "a")])  # joins a conversation
    now = {r.id: r for r in rows} | {
        "m8": conv(8, "c", "archive"), "m6": conv(6, "b", received=BASE - timedelta(days=1)),
        "m9": conv(9, "a")}
    del now["m1"]
    current = list(now.values())
    for folder in ("inbox", "archive"):
        for newest in (True, False):
            f = MessageFilter(folder_id=folder, newest_first=newest)
            assert listed(store, f) == reference(current, f)
            assert store.mail.conversation_count(f) == len(reference(current, f))
    assert listed(store, flt)[0] == ("a", "m9", ["m9", "m3"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["add", "move", "delete", "rekey"]),
                          st.integers(0, 30), st.sampled_from(["", "x", "y", "z"]),
                          st.sampled_from(["inbox", "archive"])), max_size=60))
def test_table_matches_python_grouping_after_any_changes(
        tmp_path_factory, ops: list[tuple[str, int, str, str]]) -> None:
    store = Store(tmp_path_factory.mktemp("c") / "c.sqlite3")
    rows: dict[str, MessageSummary] = {}
    try:
        for op, i, c, folder in ops:
            mid = f"m{i}"
            if op == "add":
                rows[mid] = conv(i, c, folder)
                store.mail.upsert_messages([rows[mid]])
            elif op == "move" and mid in rows:
                rows[mid] = conv(i, rows[mid].conversation_id, folder,
                                 received=rows[mid].received)
                store.mail.update_columns(mid, {"folder_id": folder})
            elif op == "delete":
                rows.pop(mid, None)
                store.mail.remove_messages([mid])
            elif op == "rekey" and mid in rows:
                rows[mid] = conv(i, c, rows[mid].folder_id, received=BASE + timedelta(
                    minutes=100 - i))
                store.mail.upsert_messages([rows[mid]])
        for folder in ("inbox", "archive"):
            for newest, unread in ((True, False), (False, False), (True, True)):
                flt = MessageFilter(folder_id=folder, newest_first=newest, unread_only=unread)
                want = reference(list(rows.values()), flt)
                assert listed(store, flt) == want
                assert store.mail.conversation_count(flt) == len(want)
    finally:
        store.close()


def test_migration_fills_the_table_from_a_version_5_cache(tmp_path: Path) -> None:
    path = tmp_path / "v5.sqlite3"
    old = connect(path, target_version=5)
    rows = [conv(i, f"c{i % 7}" if i % 5 else "", "inbox" if i % 3 else "archive")
            for i in range(200)]
    MailStore(old).upsert_messages(rows)
    assert not old.execute("SELECT name FROM sqlite_master WHERE name = 'conversations'"
                           ).fetchall()
    old.close()
    store = Store(path)
    try:
        for folder in ("inbox", "archive"):
            flt = MessageFilter(folder_id=folder)
            assert listed(store, flt) == reference(rows, flt)
        store.mail.upsert_messages([conv(500, "c1")])  # triggers work after the upgrade
        assert listed(store, MessageFilter(folder_id="inbox"))[0][1] == "m500"
    finally:
        store.close()


def test_lone_messages_and_empty_windows(store: Store) -> None:
    flt = MessageFilter(folder_id="inbox")
    assert store.mail.conversation_heads(flt, 0, 50) == []
    assert store.mail.conversation_count(flt) == 0
    store.mail.upsert_messages([conv(1, "")])
    assert store.mail.conversation_heads(flt, 0, 0) == []
    assert store.mail.conversation_heads(flt, 5, 10) == []
    (head,) = store.mail.conversation_heads(flt, 0, 10)
    assert (head.key, head.size, head.member_ids) == ("m1", 1, ("m1",))
