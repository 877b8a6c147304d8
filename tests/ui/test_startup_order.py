"""The first paint comes first: background work (sync, the network stack) and the return of
garbage collection wait until a frame with the Inbox's rows has been handed to the terminal.

Before, the background started when the rows were *loaded*; when the screen had not repainted
yet it ran ahead of the rows frame and held it up by ~0.1 s (imports under the GIL).
"""

from __future__ import annotations

import gc

from textual.strip import Strip

from olk_tui.ui.app import OlkApp
from olk_tui.ui.mail.message_list import MessageList
from tests.ui.conftest import build_app
from tests.ui.test_mail_journeys import settle, the_list


def record_frames(app: OlkApp) -> list[bool]:
    """For each frame the app displays: had the list painted real rows by then?"""
    frames: list[bool] = []
    display = app._display

    def recording(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if renderable is not None:
            messages = the_list(app) if app.screen_stack else None
            frames.append(bool(messages is not None and messages._rows_painted))
        display(screen, renderable)

    app._display = recording  # type: ignore[method-assign]
    return frames


async def test_background_starts_only_after_a_frame_with_rows() -> None:
    app, _mail = build_app(inbox_size=300)
    frames = record_frames(app)
    at_start: list[list[bool]] = []
    start = app._start_background

    def recording_start() -> None:
        at_start.append(list(frames))
        start()

    app._start_background = recording_start  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert at_start, "the background never started"
        assert any(at_start[0]), f"background started before the rows were drawn: {at_start[0]}"
        assert the_list(app).count == 300


async def test_rows_loaded_but_not_yet_drawn_do_not_announce_the_screen(monkeypatch) -> None:
    """The race itself: the load finished, no frame has drawn a row yet."""
    monkeypatch.setattr(MessageList, "render_line",
                        lambda self, y: Strip.blank(self.scrollable_content_region.width))
    shown: list[object] = []
    monkeypatch.setattr(OlkApp, "on_mail_shown", lambda self, message: shown.append(message))
    app, _mail = build_app(inbox_size=300)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert the_list(app).loaded and the_list(app).count == 300
        assert shown == []


async def test_an_empty_inbox_still_starts_the_background() -> None:
    app, _mail = build_app(inbox_size=0)
    started: list[bool] = []
    start = app._start_background
    app._start_background = lambda: (started.append(True), start())[1]  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        # no row will ever be painted; the empty folder's load announces the screen instead
        assert started and the_list(app).count == 0
        assert not the_list(app)._rows_painted


async def test_collection_paused_for_the_start_is_back_after_the_first_rows() -> None:
    app, _mail = build_app(inbox_size=50)
    gc.disable()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            assert the_list(app)._rows_painted
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0
    finally:
        gc.enable()
        gc.unfreeze()
