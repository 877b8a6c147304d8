"""The floor for first paint and RSS: a minimal Textual app that shows one line and waits.

``python -m benchmarks.baseline_app TEXT`` paints TEXT in a ``Static`` with a ``Footer``; the
benchmark times it in the same pty as olk-tui, so the table can say how much of olk-tui's first
paint and memory is Textual and Python themselves.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run the app until it is killed."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Static

    text = sys.argv[1] if len(sys.argv) > 1 else "hello"

    class Baseline(App[None]):
        """One line of text and a footer."""

        BINDINGS = [("q", "quit", "Quit")]

        def compose(self) -> ComposeResult:
            yield Static(text)
            yield Footer()

    Baseline().run()


if __name__ == "__main__":
    main()
