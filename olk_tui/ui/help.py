"""The help screen (``?``), generated from the bindings and the keymap in force."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from olk_tui.ui.keymap import effective_keys


def key_label(keys: str) -> str:
    """``question_mark,ctrl+d`` -> ``? ^d``: short key names for people."""
    names = {"question_mark": "?", "slash": "/", "dollar_sign": "$", "asterisk": "*",
             "equals_sign": "=", "minus": "-", "escape": "Esc", "enter": "Enter",
             "space": "Space", "pagedown": "PgDn", "pageup": "PgUp", "down": "↓", "up": "↑",
             "left": "←", "right": "→", "home": "Home", "end": "End", "tab": "Tab"}
    out = []
    for key in keys.split(","):
        key = key.strip()
        if key.startswith("ctrl+"):
            out.append("^" + names.get(key[5:], key[5:]))
        else:
            out.append(names.get(key, key))
    return " ".join(out)


def help_text(keymap: dict[str, str], key_set: str) -> Text:
    """Every binding by section: keys, what they do, and the id to remap them by."""
    text = Text()
    text.append(f"olk-tui keys ({key_set} set)\n", "bold")
    text.append("Remap any key in config: [ui] keymap = { \"mail.delete\" = \"x\" }\n", "dim")
    section = ""
    for title, spec, keys in effective_keys(keymap):
        if title != section:
            section = title
            text.append(f"\n{title}\n", "bold underline")
        text.append(f"  {key_label(keys):<16}", "bold")
        text.append(f"{spec.description:<30}")
        text.append(f"{spec.id}\n", "dim")
    return text


class HelpScreen(ModalScreen[None]):
    """Scrollable list of every key; Escape, q or ? close it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
                Binding("j,down", "scroll(1)", "Down", show=False, id="help.down"),
                Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up")]

    def __init__(self, keymap: dict[str, str], key_set: str) -> None:
        super().__init__(classes="dialog")
        self.keymap, self.key_set = keymap, key_set

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box help"):
            yield Static(help_text(self.keymap, self.key_set))

    def action_scroll(self, delta: int) -> None:
        """Scroll the list."""
        self.query_one(VerticalScroll).scroll_relative(y=delta, animate=False)

    async def action_dismiss(self, result: None = None) -> None:
        """Close."""
        self.dismiss(None)
