"""Work nobody would see is skipped: the reused reader is not restyled when no style input
changed (and is when the theme did), the list under the opaque reader does not paint until
it is uncovered (and then shows what changed), and an operation that changes no header does
not repaint the reader."""

from __future__ import annotations

from textual.color import Color

from olk_tui.ui.mail.reader import ReaderScreen
from olk_tui.ui.mail.screen import MailScreen
from tests.ui.conftest import build_app
from tests.ui.test_list_repaint import cursor_rows
from tests.ui.test_mail_journeys import settle, the_list
from tests.ui.test_reader_reuse import open_first


def count_calls(obj: object, name: str) -> list[int]:
    """Count calls of ``obj.name`` (the method still runs)."""
    calls: list[int] = []
    original = getattr(obj, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(*args, **kwargs)

    setattr(obj, name, counted)
    return calls


async def test_reopening_the_reader_restyles_only_after_a_theme_change() -> None:
    app, _mail = build_app(inbox_size=20)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_first(pilot, app)
        restyles = count_calls(reader, "update_node_styles")
        await pilot.press("q")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is reader and restyles == []
        await pilot.press("q")
        await settle(pilot, app)
        app.theme = "textual-light"
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is reader
        background = Color.parse(app.current_theme.background or "")
        assert reader.styles.background.rgb == background.rgb
        assert restyles  # the theme changed while the reader was put aside


async def test_the_list_under_the_reader_waits_and_then_shows_the_moved_cursor() -> None:
    app, _mail = build_app(inbox_size=50)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        mail = app.screen
        assert isinstance(mail, MailScreen) and mail.is_current
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ReaderScreen)
        assert not mail.is_current  # covered by the opaque reader
        await pilot.press("J", "J")
        await settle(pilot, app)
        await pilot.press("q")
        await settle(pilot, app)
        assert app.screen is mail and mail.is_current
        messages = the_list(app)
        assert messages.cursor == 2
        assert cursor_rows(messages) == [2 - int(messages.scroll_offset.y)]


async def test_a_dialog_over_the_list_leaves_it_visible() -> None:
    app, _mail = build_app(inbox_size=20)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        mail = app.screen
        await pilot.press("s")  # the flag menu, a dialog with a see-through backdrop
        await settle(pilot, app)
        assert app.screen is not mail and mail.is_current


async def test_a_flag_repaints_the_headers_but_not_the_body() -> None:
    app, _mail = build_app(inbox_size=20)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_first(pilot, app)
        body = count_calls(reader.query_one("#body"), "update")
        headers = count_calls(reader.query_one("#headers"), "update")
        reader.commands.mark_read([reader.row.id])  # already read: no header changes
        await settle(pilot, app)
        assert body == [] and headers == []
        await pilot.press("s")
        await settle(pilot, app)
        await pilot.press("enter")  # the menu's first choice flags the message
        await settle(pilot, app)
        assert app.screen is reader
        assert "Flagged" in str(reader.query_one("#headers").render())
        assert body == [] and len(headers) == 1
