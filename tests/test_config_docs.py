"""The generated configuration docs and starter file stay in sync with the config classes."""

import dataclasses
from pathlib import Path

from olk_tui.cli import main
from olk_tui.config import AccountConfig, Settings, UiConfig, parse_settings
from olk_tui.config_docs import field_docs, markdown, starter_toml

DOCS = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def test_docs_file_matches_config_classes() -> None:
    assert DOCS.read_text(encoding="utf-8").strip() == markdown().strip(), (
        "docs/configuration.md is stale: run `olk-tui config docs > docs/configuration.md`"
    )


def test_every_option_has_a_docstring() -> None:
    for cls in (Settings, AccountConfig, UiConfig):
        docs = field_docs(cls)
        for f in dataclasses.fields(cls):
            if f.name != "path":
                assert docs.get(f.name), f"{cls.__name__}.{f.name} has no docstring"


def test_starter_file_is_valid_and_mentions_every_account_option() -> None:
    text = starter_toml()
    parse_settings(text)
    for f in dataclasses.fields(AccountConfig):
        assert f"# {f.name} = " in text


def test_config_init_writes_private_file_and_refuses_to_overwrite(tmp_path, capsys) -> None:
    target = tmp_path / "cfg" / "config.toml"
    assert main(["config", "init", "--config", str(target)]) == 0
    assert target.stat().st_mode & 0o777 == 0o600
    assert main(["config", "init", "--config", str(target)]) == 1
    assert main(["config", "check", "--config", str(target)]) == 0
    assert main(["config", "path", "--config", str(target)]) == 0
    assert str(target) in capsys.readouterr().out


def test_config_check_reports_bad_file_without_traceback(tmp_path, capsys) -> None:
    target = tmp_path / "config.toml"
    target.write_text("[ui]\nkeys = 'emacs'\n")
    assert main(["config", "check", "--config", str(target)]) == 2
    err = capsys.readouterr().err
    assert "ui.keys" in err and str(target) in err and "Traceback" not in err


def test_command_found_after_valued_options() -> None:
    from olk_tui.cli import find_command

    assert find_command(["--account", "work", "mail", "list"]) == "mail"
    assert find_command(["--size", "10", "--demo", "whoami"]) == "whoami"
    assert find_command(["--config=/x", "config", "path"]) == "config"
    assert find_command(["mailto:a@b.example"]) is None
    assert find_command(["--demo"]) is None
