"""The message list repaints what changed: cursor moves after a scroll, the last page preloaded.

These read the lines the compositor would put on screen (``render_lines``, which serves
cached lines unless a region was refreshed), so a refresh of the wrong region shows up as a
stale line, not as a timing difference.
"""

from __future__ import annotations

from rich.style import Style
from textual.geometry import Region

from olk_tui.ui.mail.message_list import MessageList
from tests.ui.conftest import build_app
from tests.ui.test_mail_journeys import settle, the_list


def cursor_rows(messages: MessageList) -> list[int]:
    """Screen rows whose drawn (cached) line carries the cursor background."""
    cursor = messages.get_component_rich_style("message-list--cursor", partial=True)
    assert cursor.bgcolor is not None
    width, height = messages.scrollable_content_region.width, messages.size.height
    lines = messages.render_lines(Region(0, 0, width, height))
    return [y for y, line in enumerate(lines)
            if any(isinstance(s.style, Style) and s.style.bgcolor == cursor.bgcolor
                   and s.text.strip() for s in line)]


async def test_cursor_moves_are_drawn_after_the_list_has_scrolled() -> None:
    app, _mail = build_app(inbox_size=2_000)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        messages = the_list(app)
        await pilot.press("G")
        await settle(pilot, app)
        top = int(messages.scroll_offset.y)
        assert top > 0 and messages.cursor == 1_999
        assert cursor_rows(messages) == [1_999 - top]
        for presses in range(1, 4):
            await pilot.press("k")
            await pilot.pause()
            assert int(messages.scroll_offset.y) == top  # moved inside the screen
            assert cursor_rows(messages) == [1_999 - presses - top]
        await pilot.press("j")
        await pilot.pause()
        assert cursor_rows(messages) == [1_999 - 2 - top]


async def test_the_last_page_is_loaded_with_the_first_so_bottom_needs_no_fetch() -> None:
    app, _mail = build_app(inbox_size=2_000)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        messages = the_list(app)
        assert messages.source is not None
        window = messages.source.window
        asked: list[int] = []

        async def counting(offset: int, limit: int) -> list:
            asked.append(offset)
            return await window(offset, limit)

        messages.source.window = counting  # type: ignore[method-assign]
        await pilot.press("G")
        height = messages.size.height
        drawn = [messages.render_line(y).text for y in range(height)]
        assert not any(line.strip() == "…" for line in drawn)
        await settle(pilot, app)
        assert asked == [] and messages.current is not None
        assert messages.current.id == "f-inbox:1999"
