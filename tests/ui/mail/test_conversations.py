"""Conversation view: the source's visible rows (heads with open conversations spliced in)
match flattening every group, at every offset and in both orders; prefixes, members and
toggling; and a Pilot journey over the real repository and a 30,000-message cache, past the
old 20,000-message cap."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from olk_tui.config import Settings
from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import Folder, MessageSummary, Recipient
from olk_tui.store import AsyncStore
from olk_tui.sync.announce import Announcer
from olk_tui.sync.api import ListQuery
from olk_tui.sync.mailrepo import MailRepo, Submitter
from olk_tui.ui.app import make_app
from olk_tui.ui.demo_data import fixed_now
from olk_tui.ui.mail.conversations import ConversationSource
from olk_tui.ui.mail.sources import QuerySource
from olk_tui.ui.testing import FakeMail, fake_account
from tests.ui.test_mail_journeys import settle, the_list

INBOX = FolderId("f-inbox")


async def flattened(mail: FakeMail, query: ListQuery, expanded: set[str]) -> list[MessageId]:
    """Every visible row id, by grouping every row of the query as the old view did."""
    total = await mail.count(query)
    groups: dict[str, list[MessageSummary]] = {}
    for row in await mail.window(query, 0, total):
        groups.setdefault(row.conversation_id or row.id, []).append(row)
    out: list[MessageId] = []
    for key, rows in groups.items():
        out += [r.id for r in (rows if key in expanded else rows[:1])]
    return out


@pytest.mark.parametrize("newest_first", [True, False])
async def test_windows_match_flattened_groups_at_every_offset(newest_first: bool) -> None:
    mail = FakeMail(fixed_now(), inbox_size=61)  # three a conversation, a last one of one
    query = ListQuery(INBOX, newest_first=newest_first)
    first, middle, last = (await mail.conversations(query, 0, 30))[0::9][:3]
    source = ConversationSource(QuerySource(mail, query), {first.key, middle.key, last.key,
                                                           "gone"})
    want = await flattened(mail, query, source.expanded)
    assert await source.count() == len(want) > 21
    for limit in (1, 4, 50):
        for offset in range(len(want) + 2):
            rows = await source.window(offset, limit)
            assert [r.id for r in rows] == want[offset:offset + limit], (offset, limit)


async def test_prefix_members_and_toggle() -> None:
    mail = FakeMail(fixed_now(), inbox_size=61)
    query = ListQuery(INBOX)
    source = ConversationSource(QuerySource(mail, query))
    assert await source.count() == 21
    rows = await source.window(0, 3)
    head = rows[1]
    assert source.prefix(head) == "▸3 "
    assert len(source.members(head)) == 3 and source.members(head)[0] == head.id
    source.toggle(head)
    assert await source.count() == 23
    rows = await source.window(0, 5)
    assert [source.prefix(r) for r in rows] == [source.prefix(rows[0]), "▾3 ", "└ ", "└ ",
                                                source.prefix(rows[4])]
    assert source.members(rows[1]) == [rows[1].id]  # open: the row only
    assert source.members(rows[2]) == [rows[2].id]
    source.toggle(rows[2])  # from a child: closes its conversation
    assert await source.count() == 21
    lone = (await source.window(20, 1))[0]  # message 60 has a conversation of its own
    assert source.prefix(lone) == "" and source.members(lone) == [lone.id]
    source.toggle(lone)
    assert not source.expanded


async def test_cursor_stays_on_its_conversation_when_new_mail_arrives(app_and_mail) -> None:
    app, mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        messages = the_list(app)
        await pilot.press("v", "j", "j", "j", "space")
        await settle(pilot, app)
        row = messages.current
        assert row is not None and messages.cursor == 3 and messages.count == 136
        newest = await mail.window(ListQuery(INBOX), 0, 1)
        mail.deliver(dataclasses.replace(
            newest[0], id=MessageId("f-inbox:new"), conversation_id="brand-new",
            received=newest[0].received + timedelta(minutes=5)))
        await settle(pilot, app)
        assert messages.count == 137 and messages.cursor == 4
        assert messages.current is not None and messages.current.id == row.id, messages.current.id
        assert "▾3 " in messages.render_line(4 - messages.scroll_offset.y).text
        assert messages.row_at(0).id == "f-inbox:new"


# --------------------------------------------------------------------------- real stack

SIZE = 30_000
BASE = datetime(2024, 1, 1, tzinfo=UTC)


class _Idle:
    def wake(self) -> None: ...

    def request(self, folder_id: str | None = None) -> None: ...


def _rows() -> list[MessageSummary]:
    sender = Recipient("adele@contoso.example", "Adele Vance")
    return [MessageSummary(id=MessageId(f"m{i}"), folder_id=INBOX, subject=f"Topic {i // 3}",
                           from_=sender, received=BASE + timedelta(minutes=i),
                           conversation_id=f"c{i // 3}", is_read=i % 2 == 0)
            for i in range(SIZE)]


async def test_conversation_view_of_a_30000_message_cache(tmp_path: Path) -> None:
    store = AsyncStore(tmp_path / "big.sqlite3")
    rows = _rows()

    def fill(s) -> None:
        s.mail.upsert_folders([Folder(INBOX, "Inbox", None, "inbox", total_count=SIZE),
                               Folder(FolderId("f-del"), "Deleted Items", None,
                                      "deleteditems")])
        s.mail.upsert_messages(rows)

    await store.tx(fill)
    announcer = Announcer()
    repo = MailRepo(store, None, announcer,  # type: ignore[arg-type]  # never fetches
                    Submitter(store, announcer, _Idle()), _Idle())
    account = dataclasses.replace(fake_account(now=fixed_now()), mail=repo)
    app = make_app(Settings(), account, now=fixed_now)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            messages = the_list(app)
            assert messages.count == SIZE
            await pilot.press("v")
            await settle(pilot, app)
            assert messages.count == SIZE // 3
            assert messages.current is not None and messages.current.id == "m29999"
            assert "▸3 " in messages.render_line(0).text
            await pilot.press("G")  # the oldest conversation, at the bottom
            await settle(pilot, app)
            assert messages.current is not None and messages.current.id == "m2"
            await pilot.press("space")
            await settle(pilot, app)
            assert messages.count == SIZE // 3 + 2
            assert messages.current is not None and messages.current.id == "m2"
            assert [messages.row_at(messages.count - i).id for i in (2, 1)] == ["m1", "m0"]
            await pilot.press("space", "d")  # close it, delete the whole conversation
            await settle(pilot, app)
            assert messages.count == SIZE // 3 - 1
            inbox = await store.run(lambda s: s.mail.message_ids(INBOX))
            assert not {"m0", "m1", "m2"} & inbox and len(inbox) == SIZE - 3
    finally:
        store.close()
