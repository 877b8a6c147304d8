"""Toasts never parse data as Textual markup: a hostile subject or error shows literally."""

from __future__ import annotations

import dataclasses

from textual.widgets._toast import Toast

from olk_tui.domain.ids import MessageId
from olk_tui.domain.operations import MarkRead
from olk_tui.sync.api import NewMail, OperationFailed
from tests.ui.conftest import build_app
from tests.ui.test_mail_journeys import settle

HOSTILE = "[link=https://evil.example]x[/link] [@click=app.quit]y[/] [/bad]"


def toast_texts(app) -> list[str]:
    """The text every toast on screen rendered (raises if a toast failed to render)."""
    return [str(toast.render()) for toast in app.screen.query(Toast)]


async def test_hostile_subject_and_error_show_literally_in_toasts() -> None:
    app, mail = build_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot, app)
        row = dataclasses.replace(mail.row(MessageId("f-inbox:0")), subject=HOSTILE,
                                  is_read=False)
        mail.announce(NewMail(messages=(row,)))
        mail.announce(OperationFailed(operation=MarkRead((row.id,), is_read=True),
                                      reason=HOSTILE))
        await settle(pilot, app)
        texts = [n.message for n in app._notifications]
        assert sum(HOSTILE in t for t in texts) == 2, "\n---\n".join(texts)
        assert all(not n.markup for n in app._notifications)
        rendered = "\n".join(toast_texts(app))
        assert "[link=https://evil.example]x[/link]" in rendered
        assert "[@click=app.quit]y[/]" in rendered
        assert app.is_running


async def test_screen_toasts_with_data_are_plain_too() -> None:
    """A screen's own ``notify`` (calendar, reader, ...) reaches the app as plain text."""
    app, _mail = build_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot, app)
        app.screen.notify(f"Added {HOSTILE!r}.", title="Calendar")
        await settle(pilot, app)
        assert HOSTILE in "\n".join(toast_texts(app))
        assert app.is_running
