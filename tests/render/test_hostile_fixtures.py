"""The hostile mailbox in tests/fixtures/hostile: safe to cat, up to date, defused by render."""

from __future__ import annotations

import importlib.util
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from olk_tui.render.filenames import safe_file_name
from olk_tui.render.html import html_to_text, text_body
from olk_tui.render.safe import BIDI_CONTROLS, safe_address, safe_block, safe_inline

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
FILES = sorted(FIXTURES.rglob("*.json"))


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("hostile_generate", FIXTURES / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("hostile_generate", module)
    spec.loader.exec_module(module)
    return module


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _unsafe(text: str, allowed: str = "") -> list[str]:
    return [c for c in text if (unicodedata.category(c) in ("Cc", "Cs") and c not in allowed)
            or c in BIDI_CONTROLS]


def test_fixture_set_is_complete() -> None:
    names = {p.relative_to(FIXTURES).as_posix() for p in FILES}
    assert len([n for n in names if n.startswith("mail/inbox/") and n.count("/") == 2]) >= 19
    assert "mail/inbox/evil-folder.folder.json" in names
    assert any(n.startswith("calendar/") for n in names)
    assert any(n.startswith("contacts/") for n in names)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_files_are_printable_ascii_json(path: Path) -> None:
    raw = path.read_bytes()
    assert all(32 <= b < 127 or b == 10 for b in raw), "fixture files must be safe to cat"
    assert json.loads(raw)


def test_committed_files_match_the_generator(tmp_path: Path) -> None:
    written = _generator().write(tmp_path)
    assert {p.relative_to(tmp_path) for p in written} == {p.relative_to(FIXTURES) for p in FILES}
    for path in written:
        assert path.read_text() == (FIXTURES / path.relative_to(tmp_path)).read_text(), path


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_string_is_defused_by_the_sanitiser(path: Path) -> None:
    for text in _strings(json.loads(path.read_text())):
        assert not _unsafe(safe_inline(text))
        assert not _unsafe(safe_address(text))
        assert not _unsafe(safe_block(text), allowed="\n")
        assert "\x1b" not in safe_file_name(text)


@pytest.mark.parametrize("path", [p for p in FILES if p.parent.name in ("inbox", "evil-folder")
                                  and not p.name.endswith(".folder.json")], ids=lambda p: p.name)
def test_every_body_converts_to_safe_text(path: Path) -> None:
    message = json.loads(path.read_text())
    body = message["body"]
    rendered = (html_to_text(body["content"]) if body["contentType"] == "html"
                else text_body(body["content"]))
    assert not _unsafe(rendered.text, allowed="\n")
    for link in rendered.links:
        assert not _unsafe(link.text + link.url + link.warning)
        assert link.openable == link.url.lower().startswith(("https:", "http:", "mailto:"))


def test_emulator_serves_the_hostile_mailbox_unchanged() -> None:
    pytest.importorskip("olk_tui.emulator.seed", reason="emulator --seed loader not built yet")
    import httpx

    from olk_tui.emulator import Emulator

    emu = Emulator.from_seed_dir(FIXTURES)
    with httpx.Client(transport=emu.sync_transport(), base_url="https://graph.emulator.test") as c:
        response = c.get("/v1.0/me/mailFolders/inbox/messages",
                         params={"$top": "100", "$select": "subject"})
        assert response.status_code == 200, response.text
        subjects = {m["subject"] for m in response.json()["value"]}
    inbox = [p for p in FILES if p.parent.name == "inbox" and not p.name.endswith(".folder.json")]
    assert subjects == {json.loads(p.read_text())["subject"] for p in inbox}
