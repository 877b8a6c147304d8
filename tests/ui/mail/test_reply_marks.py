"""Replied/forwarded marks in the UI: the list row's status column (``↩``/``↪``, unread wins),
the reader's header line, Pilot journeys over the fake account and the real stack, and
snapshots at 80x24."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import Input, TextArea

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import LastVerb, MessageSummary, Recipient
from olk_tui.render.quote import ReplyKind
from olk_tui.ui.mail.reader import ReaderScreen
from olk_tui.ui.mail.reader_view import header_text
from olk_tui.ui.mail.rows import RowStyles, row_text
from tests.ui.conftest import build_app
from tests.ui.test_compose_journeys import Stack, stack  # noqa: F401 (the fixture)
from tests.ui.test_mail_journeys import settle, the_list

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
WHEN = datetime(2026, 3, 12, 13, 2, tzinfo=UTC)
REPLIED, FORWARDED = MessageId("f-inbox:6"), MessageId("f-inbox:7")


def _row(verb: LastVerb, *, read: bool = True) -> MessageSummary:
    return MessageSummary(id=MessageId("m"), folder_id=FolderId("f"), subject="Plans",
                          from_=Recipient("a@b.example", "Alex"), received=NOW, is_read=read,
                          last_verb=verb, last_verb_time=WHEN)


def _text(row: MessageSummary, width: int = 80) -> str:
    return row_text(row, width, now=NOW, tz=ZoneInfo("UTC"), tagged=False,
                    show_recipients=False, styles=RowStyles()).plain


@pytest.mark.parametrize(("verb", "glyph"), [(LastVerb.NONE, " "), (LastVerb.REPLIED, "↩"),
                                             (LastVerb.REPLIED_ALL, "↩"),
                                             (LastVerb.FORWARDED, "↪")])
def test_status_column_shows_the_mark(verb: LastVerb, glyph: str) -> None:
    plain = _text(_row(verb))
    assert plain[1] == glyph
    assert plain[2:] == _text(_row(LastVerb.NONE))[2:]  # nothing else moves


def test_unread_wins_over_the_mark() -> None:
    assert _text(_row(LastVerb.FORWARDED, read=False))[1] == "●"


@settings(max_examples=60, deadline=None)
@given(verb=st.sampled_from(list(LastVerb)), read=st.booleans(),
       width=st.integers(min_value=30, max_value=200))
def test_row_keeps_its_width(verb: LastVerb, read: bool, width: int) -> None:
    row = row_text(_row(verb, read=read), width, now=NOW, tz=ZoneInfo("UTC"), tagged=True,
                   show_recipients=False, styles=RowStyles())
    assert row.cell_len == width


def test_reader_header_says_when_in_the_mailbox_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert "↩ Replied 12 Mar 2026 14:02" in header_text(_row(LastVerb.REPLIED), None,
                                                        berlin).plain
    assert "↩ Replied to all 12 Mar 2026 14:02" in header_text(
        _row(LastVerb.REPLIED_ALL), None, berlin).plain
    untimed = dataclasses.replace(_row(LastVerb.FORWARDED), last_verb_time=None)
    assert header_text(untimed, None, berlin).plain.splitlines()[-1] == "↪ Forwarded"
    assert "Replied" not in header_text(_row(LastVerb.NONE), None, berlin).plain


def _marked_app():
    app, mail = build_app()
    mail.rows[REPLIED] = dataclasses.replace(mail.row(REPLIED), last_verb=LastVerb.REPLIED,
                                             last_verb_time=WHEN)
    mail.rows[FORWARDED] = dataclasses.replace(mail.row(FORWARDED),
                                               last_verb=LastVerb.FORWARDED)
    return app, mail


async def test_list_and_reader_show_the_marks() -> None:
    app, _mail = _marked_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        messages = the_list(app)
        assert messages.render_line(6).text[1] == "↩"
        assert messages.render_line(7).text[1] == "↪"
        assert messages.render_line(8).text[1] == " "
        await pilot.press(*"jjjjjj", "enter")
        await settle(pilot, app)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.row.id == REPLIED
        assert "↩ Replied 12 Mar 2026 13:02" in str(reader.query_one("#headers").render())


async def test_sending_a_reply_marks_the_original_at_once(stack: Stack) -> None:  # noqa: F811
    """The composer's send queues the reply; the original's row is marked before the outbox
    has sent anything, and the server agrees once it has."""
    original = stack.original("Lunch on Tuesday?")
    app = await stack.compose(kind=ReplyKind.REPLY_ALL, original_subject="Lunch on Tuesday?")
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#subject", Input).value = "RE: Lunch on Tuesday?"
        app.screen.query_one("#body", TextArea).load_text("Yes!")
        await pilot.press("ctrl+s")
        await pilot.pause()
    row = await stack.services.store.run(lambda s: s.mail.summary(original["id"]))
    assert row.last_verb is LastVerb.REPLIED_ALL
    await stack.deliver()
    assert original["_svep"]["Integer 0x1081"] == "103"


def test_snapshot_list_with_marks(snap_compare) -> None:
    app, _ = _marked_app()
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settle_pilot)


def test_snapshot_reader_of_a_replied_message(snap_compare) -> None:
    app, _ = _marked_app()

    async def open_it(pilot) -> None:
        await _settle_pilot(pilot)
        await pilot.press(*"jjjjjj", "enter")
        await _settle_pilot(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_it)


async def _settle_pilot(pilot) -> None:
    await settle(pilot, pilot.app)
