"""find_history_start's first-character shortcut finds what the patterns alone find."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from olk_tui.render import body
from olk_tui.render.body import find_history_start


def _reference(lines: list[str]) -> int | None:
    """The search without the shortcut: every non-blank line tried against every pattern."""
    seen_content = False
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if body._QUOTED.match(line):
            seen_content = True
            continue
        start = None
        if body._HISTORY_SEPARATOR.match(line) or body._WROTE.match(line):
            start = index
        elif body._UNDERSCORES.match(line) and body._outlook_header_at(lines, index + 1):
            start = index
        elif body._outlook_header_at(lines, index):
            start = index
        if start is not None and seen_content:
            return start
        seen_content = True
    return None


_LINES = st.sampled_from([
    "", " ", "\u00a0", "text", "> quoted", "  > quoted", "-----Original Message-----",
    " -- Forwarded message --", "On Monday, Ann wrote:", "  On 1 May 2026 Bob <b@x> wrote:",
    "From: Ann", "FROM: Ann", "from: ann", "**From:** Ann", " _From: Ann", "Sent: Monday",
    "date: today",
    "To: Bob", "Subject: hi", "Cc: x", "_" * 12, "*" * 3, "* * *", "fine", "Oh", "-", "__x",
])


@settings(max_examples=800, deadline=None)
@given(st.lists(st.lists(_LINES, max_size=4).map(" ".join) | _LINES, max_size=14))
def test_shortcut_changes_nothing(lines: list[str]) -> None:
    assert find_history_start(lines) == _reference(lines)
