"""Pixels of the composer (a reply with an inline error and an attachment) at two sizes."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

from olk_tui.render.quote import ReplyKind
from olk_tui.ui.compose import ComposeScreen, ComposeSettings
from tests.ui.compose_fakes import fake_account
from tests.ui.test_compose import original


class SnapApp(App[None]):
    """A reply composer with a bad Cc entry and one attachment."""

    def __init__(self, attachment: Path) -> None:
        super().__init__()
        self.attachment = attachment

    def on_mount(self) -> None:
        account, _, _ = fake_account()
        screen = ComposeScreen(account, ComposeSettings(signature="Megan Bowen\nContoso"),
                               kind=ReplyKind.REPLY_ALL, original=original(),
                               save_delay=3600, save_every=3600)
        self.push_screen(screen)


@pytest.fixture
def attachment(tmp_path: Path) -> Path:
    path = tmp_path / "Q3 budget.xlsx"
    path.write_bytes(b"x" * 20_480)
    return path


async def _setup(pilot) -> None:
    await pilot.pause()
    screen = pilot.app.screen
    screen.add_attachment(str(pilot.app.attachment))
    screen.query_one("#cc-input").focus()
    await pilot.press("end", *", bob@", "tab")
    screen.query_one("#body").focus()
    await pilot.press(*"Looks good to me.")
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_composer_snapshot(snap_compare, attachment: Path, size: tuple[int, int]) -> None:
    assert snap_compare(SnapApp(attachment), terminal_size=size, run_before=_setup)
