"""A key footer that rebuilds its keys only when they changed.

Textual's ``Footer`` recomposes (one widget per key, each styled) every time its screen
announces its bindings: on every focus change and every time the screen comes back. Going
back and forth between the list and the reader did that twice per message, ~10 ms of CPU on
the key that opens the reader. This one compares what it would show with what it shows.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """``Footer`` that skips the rebuild when the shown keys are the same as last time."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._shown_keys: tuple[object, ...] | None = None

    def _keys_now(self, screen: Screen[object]) -> tuple[object, ...]:
        return tuple((binding.key, binding.action, binding.description, enabled, tooltip)
                     for _node, binding, enabled, tooltip in screen.active_bindings.values()
                     if binding.show)

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuild (as ``Footer`` does) unless the same keys are already shown."""
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            keys = self._keys_now(screen)
            if keys == self._shown_keys:
                self._bindings_ready = True
                return
            self._shown_keys = keys
        super().bindings_changed(screen)
