"""Command palette provider: every bound action of the current screen, runnable by name.

It walks the screen and its widgets (not only the focused chain), so folder actions are offered
while the message list has focus and vice versa; each command runs on the widget that owns the
binding, and shows the keys in force (after the keymap) and the binding id to remap it by.
"""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from olk_tui.ui.help import key_label


class BindingCommands(Provider):
    """Offer every binding with an id and a description as a command."""

    def _commands(self) -> list[tuple[str, str, DOMNode, str]]:
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        seen: set[str] = set()
        out: list[tuple[str, str, DOMNode, str]] = []
        nodes: list[DOMNode] = [self.screen, *self.screen.walk_children(), self.app]
        for node in nodes:
            for binding in getattr(type(node), "BINDINGS", ()):
                if not isinstance(binding, Binding) or not binding.id or not binding.description:
                    continue
                if binding.id in seen:
                    continue
                seen.add(binding.id)
                keys = keymap.get(binding.id, binding.key)
                out.append((binding.description, binding.action, node,
                            f"{key_label(keys)}  ({binding.id})"))
        return out

    async def discover(self) -> Hits:
        """All commands, before anything is typed."""
        for name, action, node, help_text in self._commands():
            yield DiscoveryHit(name, partial(self.app.run_action, action, node), help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands matching what was typed."""
        matcher = self.matcher(query)
        for name, action, node, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name),
                          partial(self.app.run_action, action, node), help=help_text)
