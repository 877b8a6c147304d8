"""Every key binding of every screen, for the help screen, ``[ui] keymap`` and ``docs/keys.md``.

The mail bindings are declared in :data:`olk_tui.ui.keymap.SPECS` (they have a vim and a mutt
key set). The other screens (calendar, contacts, settings, composer, outbox, dialogs) declare
their ``BINDINGS`` next to their actions; this module collects those, so the help screen, the
remapping check and the generated key reference know every binding id without a second list
to keep in step. The screen modules are imported on first use only (not at import time), so the
first paint of the mail screen never waits for them.
"""

from __future__ import annotations

import importlib
import inspect
from functools import cache

from textual.binding import Binding

from olk_tui.ui.keymap import SECTIONS, SPECS, KeySpec

#: Modules whose classes declare ``BINDINGS`` (a test checks that no module is missing).
MODULES: tuple[str, ...] = (
    "olk_tui.ui.calendar.screen", "olk_tui.ui.calendar.agenda", "olk_tui.ui.calendar.grid",
    "olk_tui.ui.calendar.month", "olk_tui.ui.calendar.detail", "olk_tui.ui.calendar.form",
    "olk_tui.ui.calendar.reminders", "olk_tui.ui.calendar.rsvp", "olk_tui.ui.calendar.dialogs",
    "olk_tui.ui.calendar.calendars",
    "olk_tui.ui.contacts.screen", "olk_tui.ui.contacts.form",
    "olk_tui.ui.compose.screen", "olk_tui.ui.compose.fields", "olk_tui.ui.compose.widgets",
    "olk_tui.ui.compose.attachments", "olk_tui.ui.compose.dialogs", "olk_tui.ui.compose.outbox",
    "olk_tui.ui.settings.screen", "olk_tui.ui.settings.dialogs",
    "olk_tui.ui.dialogs", "olk_tui.ui.help", "olk_tui.ui.signin",
)

#: Help sections in the order they are listed.
ORDER = ("app", "mail", "folders", "reader", "search", "calendar", "contacts", "compose",
         "outbox", "settings", "dialog", "help")


def section_of(spec: KeySpec) -> str:
    """The help section a binding is listed under (its id up to the first dot)."""
    return spec.id.split(".", 1)[0]


def section_title(section: str) -> str:
    """A section's heading in the help screen and ``docs/keys.md``."""
    return SECTIONS.get(section, section.capitalize())


def bound_classes() -> list[type]:
    """Every class in :data:`MODULES` that declares its own ``BINDINGS``."""
    out: list[type] = []
    for name in MODULES:
        module = importlib.import_module(name)
        for obj in vars(module).values():
            if inspect.isclass(obj) and obj.__module__ == name and "BINDINGS" in vars(obj):
                out.append(obj)
    return out


@cache
def screen_specs() -> tuple[KeySpec, ...]:
    """The other screens' bindings as specs (one key set: the same keys for vim and mutt).

    ``group`` is the declaring class, so two dialogs that both use Escape do not clash.
    """
    known = {s.id for s in SPECS}
    out: list[KeySpec] = []
    for cls in bound_classes():
        for binding in vars(cls)["BINDINGS"]:
            if not isinstance(binding, Binding) or not binding.id or binding.id in known:
                continue
            known.add(binding.id)
            out.append(KeySpec(binding.id, binding.action, binding.description or binding.id,
                               binding.key, binding.key, binding.show,
                               group=f"{cls.__module__}.{cls.__qualname__}"))
    rank = {name: i for i, name in enumerate(ORDER)}
    out.sort(key=lambda s: rank.get(section_of(s), len(ORDER)))
    return tuple(out)


def all_specs() -> tuple[KeySpec, ...]:
    """The mail specs, then every other screen's, in help order."""
    return SPECS + screen_specs()


def keys_markdown() -> str:
    """``docs/keys.md``: every binding by section, keys in both sets, and its id."""
    from olk_tui.ui.help import key_label

    lines = ["# Keys", "",
             "Generated from the bindings (`olk_tui/ui/keymap.py` and the screens' `BINDINGS`)"
             " by `olk_tui.ui.keyspecs.keys_markdown()`; do not edit by hand.", "",
             "Choose a key set with `[ui] keys = \"vim\"` or `\"mutt\"`, and remap any binding by"
             " its id:", "", "```toml", "[ui]", "keymap = { \"mail.delete\" = \"x\" }", "```"]
    section = ""
    for spec in all_specs():
        if section_of(spec) != section:
            section = section_of(spec)
            lines += ["", f"## {section_title(section)}", "",
                      "| vim keys | mutt keys | does | id |", "| --- | --- | --- | --- |"]
        cells = (key_label(spec.vim), key_label(spec.mutt), spec.description, f"`{spec.id}`")
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
