"""``olk-tui`` (no command): which account the command line opens, and readable refusals."""

from __future__ import annotations

import argparse

import pytest

from olk_tui.commands.app import account_for
from olk_tui.config import AccountConfig, Settings
from olk_tui.domain.errors import ConfigError, OlkError


def args(**kw: object) -> argparse.Namespace:
    base = dict(demo=False, emulator=None, account=None, size=None, seed=None, config=None)
    base.update(kw)
    return argparse.Namespace(**base)


def test_no_account_configured_points_to_config_init_and_demo() -> None:
    with pytest.raises(ConfigError, match=r"olk-tui config init.*--demo"):
        account_for(Settings(), args())


def test_unknown_account_name_lists_the_configured_ones() -> None:
    settings = Settings(accounts=(AccountConfig(name="work"), AccountConfig(name="home")))
    with pytest.raises(ConfigError, match=r"no account named 'play' .*work, home"):
        account_for(settings, args(account="play"))


def test_configured_account_without_sign_in_says_how(monkeypatch) -> None:
    import olk_tui.commands.app as command

    monkeypatch.setattr(command, "_auth_for", lambda settings, config: None)
    settings = Settings(accounts=(AccountConfig(name="work", client_id="x"),))
    with pytest.raises(OlkError, match="olk-tui login"):
        account_for(settings, args())


async def test_demo_account_is_marked_and_cleans_up_its_cache() -> None:
    account, cleanup = account_for(Settings(), args(demo=True, size=50))
    assert account.is_demo and account.name == "demo"
    assert account.start is not None and account.close is not None
    await account.close()  # type: ignore[misc]
    cleanup()
