"""The mail repository's conversation reads over a synced emulator mailbox: the same groups,
order, sizes and members as grouping every row, in both orders and filtered, and they follow
operations."""

from __future__ import annotations

from olk_tui.domain.ids import FolderId
from olk_tui.domain.mail import MessageSummary
from olk_tui.domain.operations import DeleteMessages, MarkRead
from olk_tui.sync.api import ListQuery

from .conftest import Harness


def grouped(rows: list[MessageSummary]) -> list[tuple[str, str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for r in rows:
        groups.setdefault(r.conversation_id or r.id, []).append(r.id)
    return [(k, ids[0], ids) for k, ids in groups.items()]


async def everything(h: Harness, query: ListQuery) -> list[tuple[str, str, list[str]]]:
    total = await h.account.mail.count(query)
    return grouped(await h.account.mail.window(query, 0, total))


async def test_conversations_match_grouping_every_row(hi: Harness) -> None:
    h = hi
    await h.svc.engine.run_pass()
    inbox = FolderId(h.folder("inbox"))
    for query in (ListQuery(inbox), ListQuery(inbox, newest_first=False),
                  ListQuery(inbox, unread_only=True)):
        want = await everything(h, query)
        assert any(len(ids) > 1 for _, _, ids in want)  # the demo has real conversations
        assert await h.account.mail.conversation_count(query) == len(want)
        got = []
        for offset in range(0, len(want), 7):
            got += [(c.key, c.head.id, list(c.member_ids))
                    for c in await h.account.mail.conversations(query, offset, 7)]
        assert got == want
        key, _head, ids = next(g for g in want[3:] if len(g[2]) > 1)
        position, members = await h.account.mail.conversation(query, key)
        assert want[position][0] == key and [m.id for m in members] == ids
        assert await h.account.mail.conversation(query, "no such conversation") is None


async def test_conversations_follow_operations(hi: Harness) -> None:
    h = hi
    await h.svc.engine.run_pass()
    inbox = FolderId(h.folder("inbox"))
    query, unread = ListQuery(inbox), ListQuery(inbox, unread_only=True)
    before = await h.account.mail.conversation_count(query)
    first = (await h.account.mail.conversations(query, 0, 1))[0]
    await h.account.mail.submit(DeleteMessages(message_ids=first.member_ids))
    assert await h.account.mail.conversation_count(query) == before - 1
    assert (await h.account.mail.conversations(query, 0, 1))[0].key != first.key
    unread_before = await h.account.mail.conversation_count(unread)
    top = (await h.account.mail.conversations(unread, 0, 1))[0]
    await h.account.mail.submit(MarkRead(message_ids=top.member_ids, is_read=True))
    assert await h.account.mail.conversation_count(unread) == unread_before - 1
    assert await everything(h, unread) == [
        (c.key, c.head.id, list(c.member_ids))
        for c in await h.account.mail.conversations(unread, 0, unread_before)]
