"""Exit codes over real loopback HTTP (``--emulator URL``): signed in, never signed in, token
revoked, offline (a closed port); and configuration errors."""

from __future__ import annotations

import pytest

from olk_tui.emulator import Emulator

from .conftest import assert_one_line_error


def login(cli, emu: Emulator, url: str) -> None:
    """``olk-tui login --emulator URL``, the user approving the device code at once."""
    original = emu.identity._devicecode

    def approve_after_issuing(form, origin):
        response = original(form, origin)
        emu.identity.approve(response.json["user_code"])
        return response

    emu.identity._devicecode = approve_after_issuing
    result = cli("login", "--emulator", url)
    assert result.code == 0, result.err


def test_signed_in_verbs_over_loopback(cli, served) -> None:
    emu, url = served
    login(cli, emu, url)
    result = cli("mail", "list", "--limit", "3", "--json", "--emulator", url)
    assert result.code == 0, result.err
    rows = result.json()["messages"]
    assert len(rows) == 3
    box = emu.default_mailbox
    target = next(m for m in box.messages.values()
                  if not m.get("isRead") and m["parentFolderId"] == box.well_known["inbox"])
    # A second run reads the persisted cache plus one delta: new mail shows up.
    fresh = box.add_message({"subject": "arrived between runs", "isRead": False,
                             "receivedDateTime": "2099-01-01T00:00:00Z"},
                            box.well_known["inbox"])
    result = cli("mail", "list", "--limit", "1", "--json", "--emulator", url)
    assert [m["id"] for m in result.json()["messages"]] == [fresh["id"]]
    result = cli("mail", "mark-read", target["id"], "--emulator", url)
    assert result.code == 0, result.err
    assert box.messages[target["id"]]["isRead"] is True
    result = cli("calendar", "agenda", "--json", "--emulator", url)
    assert result.code == 0 and result.json()["events"]
    result = cli("contacts", "find", "adele", "--emulator", url)
    assert result.code == 0 and "Adele" in result.out
    result = cli("mail", "read", "AAMkAGnope==", "--emulator", url)
    assert_one_line_error(result, 3)


def test_never_signed_in_is_auth_required(cli, served) -> None:
    _emu, url = served
    for argv in (("mail", "list"), ("calendar", "agenda"), ("contacts", "find", "x")):
        assert_one_line_error(cli(*argv, "--emulator", url), 4)


def test_revoked_token_is_auth_required(cli, served) -> None:
    emu, url = served
    login(cli, emu, url)
    emu.identity.revoke("megan@contoso.example")
    emu.clock.advance(3 * 3600)  # the access token expires; its refresh token is gone
    result = cli("mail", "list", "--emulator", url)
    assert_one_line_error(result, 4)


@pytest.mark.usefixtures("fast_retry")
@pytest.mark.parametrize("argv", [
    ("mail", "list"), ("mail", "mark-read", "AAMkAGx=="), ("calendar", "week"),
    ("calendar", "add", "Lunch fri 12:30"), ("contacts", "find", "ana"),
])
def test_offline_is_exit_5(cli, closed_port_url, argv) -> None:
    result = cli(*argv, "--emulator", closed_port_url)
    assert_one_line_error(result, 5)


@pytest.mark.usefixtures("fast_retry")
def test_offline_send_keeps_stdin_body_out_of_errors(cli, closed_port_url) -> None:
    result = cli("mail", "send", "--to", "a@b.example", "--subject", "s",
                 "--emulator", closed_port_url, stdin="secret body text")
    assert_one_line_error(result, 5)
    assert "secret body text" not in result.err


def test_no_account_configured_is_a_config_error(cli) -> None:
    result = cli("mail", "list")
    assert_one_line_error(result, 2)
    assert "--demo" in result.err


def test_unknown_account_is_a_config_error(cli, xdg, monkeypatch) -> None:
    config = xdg / "config.toml"
    config.write_text('[[accounts]]\nname = "work"\nclient_id = "abc"\n')
    monkeypatch.setenv("OLK_TUI_CONFIG", str(config))
    assert_one_line_error(cli("mail", "list", "--account", "home"), 2)


def test_configured_account_never_signed_in_is_exit_4(cli, xdg, monkeypatch) -> None:
    config = xdg / "config.toml"
    config.write_text('[[accounts]]\nname = "work"\nclient_id = "abc"\n')
    monkeypatch.setenv("OLK_TUI_CONFIG", str(config))
    assert_one_line_error(cli("mail", "list"), 4)


def test_option_with_a_value_before_the_command(cli, emu) -> None:
    result = cli("--size", "10", "mail", "list", "--demo", "--json")
    assert result.code == 0
