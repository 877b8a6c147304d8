"""Fixtures for the mail UI tests: the app over in-memory fake repositories, clock frozen."""

from __future__ import annotations

import dataclasses

import pytest

from olk_tui.config import Settings, UiConfig
from olk_tui.ui.app import OlkApp, make_app
from olk_tui.ui.demo_data import fixed_now
from olk_tui.ui.testing import FakeMail, fake_account


def build_app(inbox_size: int = 400, **ui: object) -> tuple[OlkApp, FakeMail]:
    """The app over a fake account; ``ui`` overrides ``[ui]`` settings."""
    settings = Settings(ui=dataclasses.replace(UiConfig(), **ui))
    account = fake_account(inbox_size, now=fixed_now())
    app = make_app(settings, account, now=fixed_now)
    return app, account.mail  # type: ignore[return-value]


@pytest.fixture
def app_and_mail() -> tuple[OlkApp, FakeMail]:
    """A fresh app and its fake mail repository."""
    return build_app()
