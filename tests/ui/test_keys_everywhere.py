"""Every binding of every screen has an id, is listed by the help screen, can be remapped from
``[ui] keymap``, and ``docs/keys.md`` is generated from the same specs."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.binding import Binding

import olk_tui.ui
from olk_tui.ui.calendar.screen import CalendarScreen
from olk_tui.ui.help import help_text
from olk_tui.ui.keymap import SPECS, keymap_for
from olk_tui.ui.keyspecs import all_specs, bound_classes, keys_markdown
from tests.ui.conftest import build_app
from tests.ui.test_mail_journeys import settle

DOCS = Path(__file__).resolve().parents[2] / "docs" / "keys.md"


def every_bound_class() -> list[type]:
    """Every class in every ``olk_tui.ui`` module that declares its own ``BINDINGS``."""
    out = []
    for info in pkgutil.walk_packages(olk_tui.ui.__path__, "olk_tui.ui."):
        module = importlib.import_module(info.name)
        out += [obj for obj in vars(module).values() if inspect.isclass(obj)
                and obj.__module__ == info.name and "BINDINGS" in vars(obj)]
    return out


def test_every_binding_has_an_id_and_is_in_help() -> None:
    classes = every_bound_class()
    assert len(classes) > 25
    ids = {s.id for s in all_specs()}
    shown = str(help_text({}, "vim"))
    mail_ids = {s.id for s in SPECS}
    collected = set(bound_classes())
    for cls in classes:
        for binding in vars(cls)["BINDINGS"]:
            assert isinstance(binding, Binding), f"{cls.__name__}: {binding!r} is not a Binding"
            assert binding.id, f"{cls.__name__}: {binding.key} has no id"
            assert binding.id in ids, f"{binding.id} is unknown to the keymap"
            assert binding.id in shown, f"{binding.id} is missing from help"
        assert cls in collected or all(b.id in mail_ids for b in vars(cls)["BINDINGS"]), cls
    for section in ("calendar.", "contacts.", "settings.", "compose.", "outbox."):
        assert any(i.startswith(section) for i in ids), section


def test_remapping_screen_ids_is_accepted_and_clashes_reported() -> None:
    assert keymap_for("vim", {})[1] == [] and keymap_for("mutt", {})[1] == []
    keymap, problems = keymap_for("vim", {"calendar.view.agenda": "x", "outbox.refresh": "R"})
    assert problems == [] and keymap["calendar.view.agenda"] == "x"
    assert keymap_for("vim", {"calendar.nope": "x"})[1] == [
        "keymap: unknown binding id 'calendar.nope'"]
    assert "share the key 'w'" in keymap_for("vim", {"calendar.today": "w"})[1][0]


async def test_remapped_calendar_key_works() -> None:
    app, _mail = build_app(keymap={"calendar.view.agenda": "x"})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert app.keymap_problems == []
        await pilot.press("2")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        await pilot.press("a")  # the old key no longer does it
        await settle(pilot, app)
        assert screen.view == "week"
        await pilot.press("x")
        await settle(pilot, app)
        assert screen.view == "agenda"


def test_docs_keys_md_is_in_sync() -> None:
    assert DOCS.read_text(encoding="utf-8") == keys_markdown(), (
        "docs/keys.md is stale: run python -c 'from olk_tui.ui.keyspecs import keys_markdown;"
        " print(keys_markdown(), end=\"\")' > docs/keys.md")
