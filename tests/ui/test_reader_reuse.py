"""The reader opens within a frame: one screen per account is reused, messages shown or
prefetched are painted from the reader cache with no load or conversion, and the Footer is
not rebuilt when its keys did not change. Reuse must not leak state between messages."""

from __future__ import annotations

from olk_tui.domain.operations import DeleteMessages
from olk_tui.ui.footer import KeyFooter
from olk_tui.ui.mail.reader import ReaderScreen
from olk_tui.ui.mail.screen import MailScreen
from tests.ui.conftest import build_app
from tests.ui.test_mail_journeys import settle, the_list


def body_of(reader: ReaderScreen) -> str:
    return str(reader.query_one("#body").render())


async def open_first(pilot, app) -> ReaderScreen:
    """Settle the app, open the message under the cursor and return the settled reader."""
    await settle(pilot, app)
    await pilot.press("enter")
    await settle(pilot, app)
    reader = app.screen
    assert isinstance(reader, ReaderScreen)
    return reader


async def test_next_message_after_prefetch_is_painted_without_load_or_conversion() -> None:
    app, mail = build_app(inbox_size=50)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)  # the first message, and the prefetch of the second
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert mail.opened == ["f-inbox:0", "f-inbox:1"]
        converted: list[object] = []
        reader._convert = converted.append  # type: ignore[method-assign]
        await pilot.press("J")
        # painted in the key's own handler: the body is there before any worker ran
        assert reader.row.id == "f-inbox:1" and reader.body is not None
        assert "Loading" not in body_of(reader) and "Formatting" not in body_of(reader)
        await settle(pilot, app)
        assert converted == [] and mail.opened.count("f-inbox:1") == 1


async def test_reopening_reuses_the_screen_and_starts_clean() -> None:
    app, mail = build_app(inbox_size=50, mark_read="5")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        messages = the_list(app)
        unread = next(i for i in range(50) if not messages.row_at(i).is_read)
        messages.move_to(unread)
        await pilot.press("enter")
        await settle(pilot, app)
        first = app.screen
        assert isinstance(first, ReaderScreen) and not first.row.is_read
        pending = first.generation  # the delayed mark-read waits on this
        await pilot.press("s")  # the flag menu over the reader is not leaving it
        await settle(pilot, app)
        assert app.screen is not first and first.generation == pending
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is first
        await pilot.press("z", "H")  # fold quotes, show all headers
        assert first.fold_quotes and first.view == "headers"
        await pilot.press("q")
        await settle(pilot, app)
        assert isinstance(app.screen, MailScreen)
        first._mark_after_delay(pending)  # the timer firing after the user left
        await settle(pilot, app)
        assert mail.submitted == []
        await pilot.press("j", "enter")
        await settle(pilot, app)
        assert app.screen is first  # the same screen, not a new one
        assert first.row.id == f"f-inbox:{unread + 1}"
        assert first.view == "body" and not first.fold_quotes
        assert "Loading" not in body_of(first)


async def test_a_hidden_reader_ignores_operations_on_its_last_message() -> None:
    app, _mail = build_app(inbox_size=50)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await pilot.press("q")
        await settle(pilot, app)
        row = reader.row
        app.commands.submit(DeleteMessages((row.id,)))
        await settle(pilot, app)
        assert isinstance(app.screen, MailScreen)  # no dismiss of a screen not shown
        assert len(app.screen_stack) == 1
        assert the_list(app).count == 49


async def test_the_footer_is_rebuilt_only_when_its_keys_change(monkeypatch) -> None:
    rebuilt: list[str] = []
    recompose = KeyFooter.recompose

    def counting(self: KeyFooter):  # type: ignore[no-untyped-def]
        rebuilt.append(type(self.screen).__name__)
        return recompose(self)

    monkeypatch.setattr(KeyFooter, "recompose", counting)
    app, _mail = build_app(inbox_size=50)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("q")
        await settle(pilot, app)
        before = list(rebuilt)
        assert "ReaderScreen" in before and "MailScreen" in before
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("q")
        await settle(pilot, app)
        assert rebuilt == before  # same keys both ways: nothing rebuilt
        footer = app.screen.query_one(KeyFooter)
        assert len(footer.children) > 3  # and the keys are still shown
