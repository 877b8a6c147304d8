"""``olk-tui mailto:...``: the positional reaches ``render.addresses.parse_mailto`` intact, and
a bad link is refused before the UI starts (the app side is owned by ``commands/app.py``)."""

from __future__ import annotations

import pytest

from olk_tui import cli
from olk_tui.render.addresses import AddressError, parse_mailto


def test_positional_parses_into_a_draft() -> None:
    args = cli._app_parser().parse_args(
        ["mailto:ana@contoso.example?cc=ben%40contoso.example&subject=Hi%20there&body=L1%0AL2"])
    draft = parse_mailto(args.mailto)
    assert [r.address for r in draft.to] == ["ana@contoso.example"]
    assert [r.address for r in draft.cc] == ["ben@contoso.example"]
    assert draft.subject == "Hi there"
    assert draft.body.content == "L1\nL2"


def test_hostile_mailto_is_refused() -> None:
    with pytest.raises(AddressError):
        parse_mailto("mailto:not an address\x1b[2J")


def test_bad_mailto_exits_2_before_the_ui(monkeypatch, capsys) -> None:
    from olk_tui.ui import app as ui_app

    def no_ui(*args, **kwargs):
        raise AssertionError("the UI was started for an invalid mailto link")

    monkeypatch.setattr(ui_app, "make_app", no_ui)
    code = cli.main(["--demo", "--size", "10", "mailto:not an address"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("olk-tui: ") and "Traceback" not in err
