"""Screens that skip work nobody would see: a restyle that changes nothing, a repaint under
an opaque screen.

**Restyle on resume.** Textual re-applies every CSS rule to every widget of a pushed screen
when it resumes (``ScreenResume.refresh_styles``), because a screen kept aside (installed,
not on the stack) misses the app-wide style updates: a theme change, a CSS reload, breakpoint
classes set on a resize. That costs about 4 ms for the reader, a quarter of the frame the
reader has to open a cached message in (measured in the pty: key to paint 13.5 ms, of which
3.7-5.2 ms restyle).

Those app-wide inputs are few, so a screen can tell that none changed since it was last
styled: the parsed rule list (the stylesheet builds a new list whenever a source is added
or reparsed, as a theme change does), the theme's name, and the terminal size (the screen's
breakpoint classes follow the width). When all three are the same object or value as at the
last resume, the screen's widgets already carry exactly these styles, and changes made to the
widgets themselves restyle them on the spot (a class or pseudo-class change does). The first
resume comes with the mount, which has just styled every widget with the current inputs.

**Repaints under an opaque screen.** Textual counts the screen just below the top one as
visible ("background screens", for dialogs with a translucent backdrop), so a change there is
painted and its region repainted on the top screen too. Under the reader, which is opaque,
each ``J`` moves the list's cursor below it, and that repainted the whole reader a second
time: 6-7 KB more to the terminal per key, which an SSH link pays for. A screen covered by an
opaque screen is not visible; it paints again when it is uncovered, as Textual already does
for screens further down.
"""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.screen import Screen


class KeepsStylesOnResume(Screen[Any]):
    """A screen base that skips the resume-time restyle when no app-wide style input changed.

    Mix it in before ``Screen`` in the bases of a screen that is installed and shown many
    times (the reader). Its handler runs before ``Screen``'s own resume handler, which reads
    ``refresh_styles``.
    """

    _styled_with: tuple[object, str, object] | None = None

    def _style_inputs(self) -> tuple[object, str, object]:
        return self.app.stylesheet.rules, self.app.theme, self.app.size

    def _styles_current(self, inputs: tuple[object, str, object]) -> bool:
        before = self._styled_with
        if before is None:  # the first resume follows the mount, which styled every widget
            return True
        return before[0] is inputs[0] and before[1] == inputs[1] and before[2] == inputs[2]

    @on(events.ScreenResume)
    def _restyle_only_if_needed(self, event: events.ScreenResume) -> None:
        inputs = self._style_inputs()
        if event.refresh_styles and self._styles_current(inputs):
            event.refresh_styles = False
        self._styled_with = inputs


class PaintsOnlyWhenVisible(Screen[Any]):
    """A screen base whose updates wait while an opaque screen above it covers it whole.

    Widgets still take their changes (and mark themselves for repaint); the screen draws
    them when it is uncovered, with the full repaint Textual does on resume.
    """

    @property
    def is_current(self) -> bool:
        """Visible to the user: the top screen, or below a translucent one only."""
        if not super().is_current:
            return False
        stack = self.app.screen_stack
        above = stack[stack.index(self) + 1:] if self in stack else []
        return not any(screen.styles.background.a >= 1 for screen in above)
