"""HTML and text bodies are converted off the UI thread (a 5 MB newsletter must not freeze
the UI): the reader calls the converter from a thread worker, never on the event loop."""

from __future__ import annotations

import threading

import pytest

import olk_tui.render.html as render_html
from olk_tui.ui.mail.reader import ReaderScreen
from tests.ui.conftest import build_app
from tests.ui.test_mail_journeys import settle


async def test_body_conversion_runs_in_a_worker_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[int] = []
    real_html, real_text = render_html.html_to_text, render_html.text_body

    def html_spy(*args, **kwargs):
        threads.append(threading.get_ident())
        return real_html(*args, **kwargs)

    def text_spy(*args, **kwargs):
        threads.append(threading.get_ident())
        return real_text(*args, **kwargs)

    monkeypatch.setattr(render_html, "html_to_text", html_spy)
    monkeypatch.setattr(render_html, "text_body", text_spy)
    app, _mail = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        ui_thread = threading.get_ident()
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ReaderScreen)
        assert threads, "the body was not converted"
        assert ui_thread not in threads
