"""Snapshots of the mail screen, the reader and help at 80x24 and 160x48.

The clock is frozen (``fixed_now`` injected into the app, ``TZ=UTC`` from the suite conftest),
animations are off and the demo data is deterministic, so the SVGs only change when the UI
does. Regenerate with ``pytest tests/ui/test_mail_snapshots.py --snapshot-update`` and look at
the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from tests.ui.conftest import build_app

SIZES = [(80, 24), (160, 48)]


async def _settle(pilot) -> None:
    app = pilot.app
    for _ in range(3):
        await app.workers.wait_for_complete()
        for screen in app.screen_stack:
            await screen.workers.wait_for_complete()
        await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_mail_screen(snap_compare, size) -> None:
    app, _ = build_app()
    assert snap_compare(app, terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reader(snap_compare, size) -> None:
    app, _ = build_app()

    async def open_message(pilot) -> None:
        await _settle(pilot)
        await pilot.press("j", "j", "enter")  # the meeting invitation, HTML body
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_message)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, size) -> None:
    app, _ = build_app()

    async def open_help(pilot) -> None:
        await _settle(pilot)
        await pilot.press("question_mark")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_help)
