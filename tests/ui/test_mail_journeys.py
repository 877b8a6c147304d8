"""Pilot journeys through the mail UI that assert what reached the repository, not only pixels."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import FlagStatus
from olk_tui.domain.operations import DeleteMessages, MarkRead, MoveMessages, SetFlag
from olk_tui.ui.app import OlkApp
from olk_tui.ui.demo_data import fixed_now
from olk_tui.ui.mail.message_list import MAX_PAGES, MessageList
from olk_tui.ui.mail.reader import ReaderScreen
from olk_tui.ui.mail.screen import MailScreen
from olk_tui.ui.mail.sources import ResultsSource
from tests.ui.conftest import build_app

INBOX = FolderId("f-inbox")


async def settle(pilot, app: OlkApp) -> None:
    """Wait until every worker has finished and the messages they posted are handled."""
    for _ in range(4):
        await app.workers.wait_for_complete()
        for screen in app.screen_stack:
            await screen.workers.wait_for_complete()
        await pilot.pause()


def the_list(app: OlkApp) -> MessageList:
    """The message list of the mail screen (also while the reader is open)."""
    return next(s for s in reversed(app.screen_stack) if isinstance(s, MailScreen)).messages


async def test_inbox_opens_first_with_its_rows(app_and_mail) -> None:
    app, mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        messages = the_list(app)
        assert messages.source is not None and messages.source.folder_id == INBOX
        assert messages.count == 400
        assert messages.current is not None and messages.current.id == "f-inbox:0"
        assert app.focused is messages
        assert mail.refreshed == [INBOX]  # cache shown, then a refresh asked for


async def test_open_message_marks_it_read_and_list_shows_it(app_and_mail) -> None:
    app, mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert not mail.row(MessageId("f-inbox:1")).is_read
        await pilot.press("j", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ReaderScreen)
        assert mail.submitted == [MarkRead((MessageId("f-inbox:1"),), True)]
        assert mail.opened == ["f-inbox:1", "f-inbox:2"]  # the next one is prefetched
        assert mail.row(MessageId("f-inbox:1")).is_read
        body = str(app.screen.query_one("#body").render())
        assert "launch plan" in body or "vendor contract" in body
        await pilot.press("J")  # next message without going back
        await settle(pilot, app)
        assert app.screen.row.id == "f-inbox:2"
        await pilot.press("q")
        await settle(pilot, app)
        messages = the_list(app)
        assert messages.row_at(1).is_read and messages.cursor == 2


async def test_mark_read_never_leaves_message_unread() -> None:
    app, mail = build_app(mark_read="never")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert mail.submitted == []


async def test_flag_tomorrow_and_custom_date(app_and_mail) -> None:
    app, mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("s", "m")  # flag menu, tomorrow
        await settle(pilot, app)
        op = mail.submitted[-1]
        assert isinstance(op, SetFlag) and op.flag.status is FlagStatus.FLAGGED
        assert op.flag.due == (fixed_now() + timedelta(days=1)).replace(hour=17, minute=0)
        assert mail.row(MessageId("f-inbox:0")).flag.is_flagged
        await pilot.press("j", "s", "d")
        await pilot.press(*"2026-12-03", "enter")
        await settle(pilot, app)
        op = mail.submitted[-1]
        assert isinstance(op, SetFlag) and op.message_ids == ("f-inbox:1",)
        assert op.flag.due is not None and op.flag.due.date().isoformat() == "2026-12-03"
        await pilot.press("s", "c")  # complete
        await settle(pilot, app)
        assert mail.row(MessageId("f-inbox:1")).flag.status is FlagStatus.COMPLETE


async def test_move_to_folder_by_fuzzy_pick_then_undo(app_and_mail) -> None:
    app, mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("m", *"budg", "enter")
        await settle(pilot, app)
        op = mail.submitted[-1]
        assert op == MoveMessages((MessageId("f-inbox:0"),), FolderId("f-budget"), INBOX)
        assert mail.row(MessageId("f-inbox:0")).folder_id == "f-budget"
        messages = the_list(app)
        assert messages.count == 399 and messages.current.id == "f-inbox:1"
        await pilot.press("u")
        await settle(pilot, app)
        assert mail.row(MessageId("f-inbox:0")).folder_id == INBOX
        assert messages.count == 400 and messages.row_at(0).id == "f-inbox:0"
        assert app.commands.recent_targets == ["f-budget"]


async def test_tag_five_and_delete(app_and_mail) -> None:
    app, mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press(*"ttttt")
        messages = the_list(app)
        assert len(messages.tagged) == 5
        await pilot.press("d")
        await settle(pilot, app)
        op = mail.submitted[-1]
        assert isinstance(op, DeleteMessages) and len(op.message_ids) == 5
        assert {mail.row(m).folder_id for m in op.message_ids} == {"f-deleted"}
        assert messages.tagged == set() and messages.count == 395


async def test_tag_range_and_pattern(app_and_mail) -> None:
    app, mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("t", "j", "j", "j", "V")
        messages = the_list(app)
        assert len(messages.tagged) == 5  # rows 0..4
        await pilot.press("escape", "T", *"budget", "enter")
        await settle(pilot, app)
        wanted = {r.id for r in await mail.window(messages.source.query, 0, 400)
                  if "budget" in r.subject.lower()}
        assert wanted and messages.tagged == wanted
        await pilot.press("U")
        await settle(pilot, app)
        assert isinstance(mail.submitted[-1], MarkRead)
        assert set(mail.submitted[-1].message_ids) == wanted


async def test_search_local_then_server_and_act_on_result(app_and_mail) -> None:
    app, mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("slash", *"offsite")
        await settle(pilot, app)
        messages = the_list(app)
        assert 0 < messages.count < 400
        assert all("offsite" in messages.row_at(i).subject.lower()
                   for i in range(min(messages.count, 20)))
        await pilot.press("enter")
        await settle(pilot, app)
        assert mail.server_searches == [("offsite", INBOX)]
        assert isinstance(messages.source, ResultsSource)
        assert app.focused is messages
        first = messages.current
        await pilot.press("e")  # archive the first result
        await settle(pilot, app)
        assert mail.row(first.id).folder_id == "f-archive"
        assert messages.current is None or messages.current.id != first.id


async def test_navigate_100000_messages_to_the_bottom() -> None:
    app, mail = build_app(inbox_size=100_000)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        messages = the_list(app)
        assert messages.count == 100_000
        started = time.perf_counter()
        await pilot.press("G")
        await settle(pilot, app)
        await pilot.pause()
        elapsed = time.perf_counter() - started
        assert messages.cursor == 99_999
        assert messages.current is not None and messages.current.id == "f-inbox:99999"
        bottom = messages.render_line(messages.size.height - 1).text
        assert messages.current.subject[:10] in bottom
        assert elapsed < 3.0
        assert len(messages.pages) <= MAX_PAGES
        assert len(mail.rows) == 0  # nothing materialised beyond the pages shown
        await pilot.press(*"k" * 50, "g")
        await settle(pilot, app)
        assert messages.cursor == 0 and messages.current.id == "f-inbox:0"


async def test_failed_operation_is_reverted_with_a_toast(app_and_mail) -> None:
    app, mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        mail.fail_next = "Access is denied"
        await pilot.press("U")
        await settle(pilot, app)
        assert not mail.row(MessageId("f-inbox:0")).is_read  # reverted
        texts = [n.message for n in app._notifications]
        assert any("Access is denied" in t and "undone" in t for t in texts)


async def test_worker_errors_become_readable_toasts() -> None:
    app, mail = build_app()

    async def broken(message_id):
        raise RuntimeError("disk on fire")

    mail.message = broken  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        texts = [n.message for n in app._notifications]
        assert any("Could not open message" in t and "disk on fire" in t for t in texts)
        assert app.is_running


async def test_mutt_keys_and_remap_by_id() -> None:
    app, mail = build_app(keys="mutt", keymap={"mail.delete": "x"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("N")  # mutt: toggle new
        await settle(pilot, app)
        assert mail.submitted[-1] == MarkRead((MessageId("f-inbox:0"),), True)
        await pilot.press("x")
        await settle(pilot, app)
        assert isinstance(mail.submitted[-1], DeleteMessages)


async def test_modes_switch_with_one_key(app_and_mail) -> None:
    app, _ = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("2")
        assert app.current_mode == "calendar"
        await pilot.press("3")
        assert app.current_mode == "contacts"
        await pilot.press("1")
        assert app.current_mode == "mail"


async def test_sent_items_show_recipients_and_folder_counts_update(app_and_mail) -> None:
    app, _mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        before = screen.commands.folders[INBOX].unread_count
        await pilot.press("U")  # first row is unread: mark read
        await settle(pilot, app)
        assert screen.commands.folders[INBOX].unread_count == before - 1
        screen.open_folder(FolderId("f-sent"))
        await settle(pilot, app)
        assert the_list(app).show_recipients
        assert "To " in the_list(app).render_line(0).text


def test_fixed_clock_is_used() -> None:
    assert fixed_now() < datetime.now(fixed_now().tzinfo)


async def test_reader_actions_follow_the_message(app_and_mail) -> None:
    app, mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.row.id == "f-inbox:0"
        await pilot.press("m", "escape")  # picker cancelled: still here
        await settle(pilot, app)
        assert app.screen is reader and reader.row.id == "f-inbox:0"
        await pilot.press("s", "t")  # flag today: the header says so
        await settle(pilot, app)
        assert "⚑ Flagged" in str(reader.query_one("#headers").render())
        await pilot.press("m", *"archive", "enter")
        await settle(pilot, app)
        assert mail.row(MessageId("f-inbox:0")).folder_id == "f-archive"
        assert app.screen is reader and reader.row.id == "f-inbox:1"
        await pilot.press("d")
        await settle(pilot, app)
        assert mail.row(MessageId("f-inbox:1")).folder_id == "f-deleted"
        assert reader.row.id == "f-inbox:2"
        await pilot.press("q")
        await settle(pilot, app)
        assert the_list(app).current.id == "f-inbox:2"


async def test_background_sync_starts_after_the_first_paint() -> None:
    app, _mail = build_app()
    seen: list[bool] = []

    async def start() -> None:
        seen.append(isinstance(app.screen, MailScreen) and app.screen.is_mounted)

    app.account.start = start
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert seen == [True]


async def test_cursor_stays_on_its_message_when_new_mail_arrives(app_and_mail) -> None:
    import dataclasses

    app, mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        messages = the_list(app)
        await pilot.press("j", "j", "j")
        assert messages.current.id == "f-inbox:3"
        newest = dataclasses.replace(mail.row(MessageId("f-inbox:0")), id=MessageId("new-1"),
                                     subject="Just arrived",
                                     received=fixed_now() + timedelta(minutes=1))
        mail.deliver(newest)
        await settle(pilot, app)
        assert messages.count == 401 and messages.row_at(0).id == "new-1"
        assert messages.current.id == "f-inbox:3" and messages.cursor == 4
        await pilot.press("d")  # deleting moves on to the next message, not a jump
        await settle(pilot, app)
        assert messages.current.id == "f-inbox:4"
