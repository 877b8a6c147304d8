"""What the app loads before its first paint: never the other screens' modules with the default
config (their key bindings are collected only for a remap of one of them, or for help).

Each check runs in a fresh interpreter, since ``sys.modules`` of the test process already holds
every module some other test imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from olk_tui.ui.keymap import SPECS, clashes
from olk_tui.ui.keyspecs import all_specs

BUILD = """
import json, sys
from olk_tui.config import Settings, UiConfig
from olk_tui.ui.app import make_app
from olk_tui.ui.testing import fake_account
keymap = json.loads(sys.argv[1])
app = make_app(Settings(ui=UiConfig(keymap=keymap)), fake_account(10))
print(json.dumps({
    "screens": sorted(m for m in sys.modules
                      if m.startswith(("olk_tui.ui.calendar", "olk_tui.ui.compose",
                                       "olk_tui.ui.contacts", "olk_tui.ui.settings",
                                       "olk_tui.ui.mail.reader"))),
    "keymap": app.keymap, "problems": app.keymap_problems,
}))
"""


def build(keymap: dict[str, str]) -> dict[str, object]:
    """make_app (not run) in a fresh interpreter: the screen modules loaded and the keymap."""
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(BUILD), json.dumps(keymap)],
                         capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout)


def test_default_config_loads_no_other_screen_before_the_first_paint() -> None:
    built = build({})
    assert built["screens"] == []
    assert built["problems"] == []
    mail_only = build({"mail.delete": "x"})
    assert mail_only["screens"] == [] and mail_only["keymap"] == {"mail.delete": "x"}


def test_a_remapped_calendar_key_still_works_and_is_checked() -> None:
    built = build({"calendar.today": "T"})
    assert "olk_tui.ui.calendar.screen" in built["screens"]
    assert built["keymap"] == {"calendar.today": "T"} and built["problems"] == []
    clash = build({"calendar.today": "w"})
    assert any("share the key 'w'" in p for p in clash["problems"])
    assert build({"calendar.nope": "x"})["problems"] == [
        "keymap: unknown binding id 'calendar.nope'"]


def test_the_other_screens_defaults_never_clash_with_the_mail_keys() -> None:
    """Why skipping them is safe: their default keys clash with nothing, in either key set."""
    for keys in ("vim", "mutt"):
        keymap = {s.id: s.mutt for s in SPECS if keys == "mutt" and s.mutt != s.vim}
        assert clashes(keymap, all_specs()) == clashes(keymap, SPECS) == []
