"""End to end through ``cli.main``: login (MSAL device code) -> whoami -> graph -> logout,
against the emulator over real loopback HTTP, with XDG dirs in tmp_path."""

from __future__ import annotations

import json
import os
import stat

import pytest

from olk_tui import cli
from olk_tui.emulator import Emulator


@pytest.fixture
def xdg(tmp_path, monkeypatch):
    for name in ("CONFIG", "STATE", "DATA", "CACHE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(tmp_path / name.lower()))
    monkeypatch.delenv("OLK_TUI_CONFIG", raising=False)
    monkeypatch.delenv("OLK_TUI_HTTP_TRACE", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return tmp_path


@pytest.fixture
def server():
    emu = Emulator()
    emu.default_mailbox  # noqa: B018 - creates Megan's mailbox
    with emu.serve() as srv:
        yield emu, srv.base_url


def test_login_whoami_graph_logout(xdg, server, capsys) -> None:
    emu, url = server
    assert cli.main(["whoami", "--emulator", url]) == 4
    assert "olk-tui login" in capsys.readouterr().err

    original = emu.identity._devicecode

    def approve_after_issuing(form, origin):  # the user types the code in a browser
        response = original(form, origin)
        emu.identity.approve(response.json["user_code"])
        return response

    emu.identity._devicecode = approve_after_issuing
    assert cli.main(["login", "--emulator", url]) == 0
    out = capsys.readouterr().out
    assert "/devicelogin" in out and "enter the code" in out
    assert "Signed in as Megan Bowen <megan@contoso.example>" in out

    token_file = xdg / "state" / "olk-tui" / "tokens-emulator-emulator.json"
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(token_file.parent).st_mode) == 0o700

    assert cli.main(["whoami", "--emulator", url]) == 0
    assert capsys.readouterr().out.strip() == "Megan Bowen <megan@contoso.example>"

    assert cli.main(["whoami", "--emulator", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["mail"] == "megan@contoso.example"

    assert cli.main(["graph", "GET", "/me/mailFolders", "--emulator", url]) == 0
    folders = json.loads(capsys.readouterr().out)
    assert any(f["displayName"] == "Inbox" for f in folders["value"])

    assert cli.main(["graph", "GET", "/me/messages/nope", "--emulator", url]) == 3
    err = capsys.readouterr().err
    assert err.startswith("olk-tui: ") and "request-id" in err and "Traceback" not in err

    assert cli.main(["logout", "--emulator", url]) == 0
    assert not token_file.exists()
    assert cli.main(["whoami", "--emulator", url]) == 4


def test_demo_whoami_and_raw(xdg, capsys) -> None:
    assert cli.main(["whoami", "--demo"]) == 0
    assert capsys.readouterr().out.strip() == "Megan Bowen <megan@contoso.example>"
    assert cli.main(["graph", "POST", "/me/mailFolders", "--demo", "--data",
                     '{"displayName": "From CLI"}']) == 0
    assert json.loads(capsys.readouterr().out)["displayName"] == "From CLI"


def test_usage_errors_are_one_line(xdg, capsys) -> None:
    assert cli.main(["graph", "FETCH", "/me", "--demo"]) == 2
    assert cli.main(["graph", "POST", "/me/x", "--demo", "--data", "{nope"]) == 2
    assert cli.main(["whoami"]) == 2  # no client_id configured
    err = capsys.readouterr().err
    assert "docs/app-registration.md" in err and "Traceback" not in err
    assert cli.main(["graph", "GET", "https://evil.example/v1.0/me", "--demo"]) == 1
    assert "another host" in capsys.readouterr().err


def test_app_only_needs_user_id(xdg, capsys, server) -> None:
    _, url = server
    assert cli.main(["login", "--app-only", "--emulator", url]) == 2
    assert "user_id" in capsys.readouterr().err
