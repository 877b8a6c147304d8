"""Command palette provider: every binding's action, runnable by name from ``ctrl+p``."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from olk_tui.ui.help import key_label


class BindingCommands(Provider):
    """Offer every active binding of the current screen (and the app) as a command."""

    def _commands(self) -> list[tuple[str, str, object, str]]:
        seen: set[str] = set()
        out = []
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.id is None or binding.id in seen:
                continue
            seen.add(binding.id)
            keys = getattr(self.app, "keymap", {}).get(binding.id, binding.key)
            out.append((binding.description, binding.action, active.node,
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
