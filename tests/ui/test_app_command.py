"""``olk-tui`` (no command): which account the command line opens, and readable refusals."""

from __future__ import annotations

import argparse

import pytest

from olk_tui.commands.app import account_for
from olk_tui.config import AccountConfig, Settings
from olk_tui.domain.errors import AuthRequired, ConfigError


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


async def test_device_code_account_without_sign_in_opens_needing_sign_in(
        isolated, monkeypatch) -> None:
    import olk_tui.commands.app as command

    monkeypatch.setattr(command, "_signed_in", lambda settings, config: False)
    settings = Settings(accounts=(AccountConfig(name="work", client_id="x"),))
    account, cleanup = account_for(settings, args())
    try:
        assert account.needs_sign_in and callable(account.sign_in)
    finally:
        await account.close()  # type: ignore[misc]
        cleanup()


async def test_signed_in_account_does_not_need_sign_in(isolated, monkeypatch) -> None:
    import olk_tui.commands.app as command

    monkeypatch.setattr(command, "_signed_in", lambda settings, config: True)
    settings = Settings(accounts=(AccountConfig(name="work", client_id="x"),))
    account, cleanup = account_for(settings, args())
    try:
        assert not account.needs_sign_in and callable(account.sign_in)
    finally:
        await account.close()  # type: ignore[misc]
        cleanup()


def test_browser_account_without_sign_in_says_to_log_in_first(monkeypatch) -> None:
    import olk_tui.commands.app as command

    monkeypatch.setattr(command, "_signed_in", lambda settings, config: False)
    settings = Settings(accounts=(AccountConfig(name="work", client_id="x", auth_flow="browser"),
                                  AccountConfig(name="home", client_id="y", auth_flow="browser")))
    with pytest.raises(AuthRequired, match="browser sign-in cannot run inside the app") as info:
        account_for(settings, args())
    assert info.value.hint == "Run 'olk-tui login' first."
    with pytest.raises(AuthRequired) as info:
        account_for(settings, args(account="home"))
    assert info.value.hint == "Run 'olk-tui login --account home' first."


def test_account_without_client_id_and_sign_in_is_a_config_error(monkeypatch) -> None:
    import olk_tui.commands.app as command

    monkeypatch.setattr(command, "_signed_in", lambda settings, config: False)
    settings = Settings(accounts=(AccountConfig(name="work"),))
    with pytest.raises(ConfigError, match="no client_id"):
        account_for(settings, args())


async def test_demo_account_is_marked_and_cleans_up_its_cache() -> None:
    account, cleanup = account_for(Settings(), args(demo=True, size=50))
    assert account.is_demo and account.name == "demo"
    assert account.start is not None and account.close is not None
    await account.close()  # type: ignore[misc]
    cleanup()


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """Platform paths in tmp, no config file, no faults, tokens never in a keyring."""
    for name in ("CONFIG", "STATE", "DATA", "CACHE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(tmp_path / name.lower()))
    monkeypatch.setenv("OLK_TUI_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.delenv("OLK_TUI_EMULATOR_FAULTS", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

    def no_ui(self, *args, **kwargs):
        raise AssertionError("the UI must not start")

    from olk_tui.ui.app import OlkApp

    monkeypatch.setattr(OlkApp, "run", no_ui)
    return tmp_path


def one_line(capsys, code: int, expected: int) -> str:
    err = capsys.readouterr().err
    assert code == expected, err
    lines = err.strip().splitlines()
    assert lines and lines[0].startswith("olk-tui: ") and len(lines) <= 2, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize("argv", [["--demo"], ["mail", "list", "--demo"]])
def test_bad_seed_folder_is_one_line_exit_2(isolated, capsys, argv) -> None:
    from olk_tui.cli import main

    bad = isolated / "seed"
    bad.mkdir()
    (bad / "me.json").write_text("{not json")
    err = one_line(capsys, main([*argv, "--seed", str(bad)]), 2)
    assert "--seed" in err
    err = one_line(capsys, main([*argv, "--seed", str(isolated / "missing")]), 2)
    assert "seed" in err


@pytest.mark.parametrize("argv", [["--demo"], ["mail", "list", "--demo"]])
def test_bad_fault_spec_is_one_line_exit_2(isolated, capsys, monkeypatch, argv) -> None:
    from olk_tui.cli import main

    monkeypatch.setenv("OLK_TUI_EMULATOR_FAULTS", "418:sometimes")
    err = one_line(capsys, main(argv), 2)
    assert "OLK_TUI_EMULATOR_FAULTS" in err


def test_fault_spec_applies_to_the_demo(isolated, capsys, monkeypatch) -> None:
    from olk_tui.cli import main

    monkeypatch.setenv("OLK_TUI_EMULATOR_FAULTS", "401")  # every request: sign-in refused
    one_line(capsys, main(["mail", "list", "--demo", "--size", "10"]), 4)


def test_emulator_auth_failure_hint_names_the_emulator(isolated, capsys) -> None:
    from olk_tui.cli import main
    from olk_tui.emulator import Emulator

    emulator = Emulator.demo(size=10, require_auth=True)
    with emulator.serve() as server:
        err = one_line(capsys, main(["mail", "list", "--emulator", server.base_url]), 4)
    assert f"olk-tui login --emulator {server.base_url}" in err


async def test_every_configured_account_is_built_first_one_first(
        isolated, monkeypatch) -> None:
    import olk_tui.commands.app as command
    from olk_tui.commands.app import accounts_for

    signed_in = {"work", "home"}
    monkeypatch.setattr(command, "_signed_in",
                        lambda settings, config: config.name in signed_in)
    settings = Settings(accounts=(AccountConfig(name="work", client_id="x"),
                                  AccountConfig(name="never", client_id="y"),
                                  AccountConfig(name="home", client_id="z")))
    accounts, cleanup = accounts_for(settings, args(account="home"))
    try:
        # the asked-for one first; "never" is there, marked to sign in from the app
        assert [a.name for a in accounts] == ["home", "work", "never"]
        assert [a.needs_sign_in for a in accounts] == [False, False, True]
        assert all(a.start is not None for a in accounts)
    finally:
        for account in accounts:
            await account.close()  # type: ignore[misc]
        cleanup()
    databases = sorted(p.name for p in isolated.rglob("*.sqlite3"))
    assert len(databases) == 3 and len(set(databases)) == 3  # one database each
