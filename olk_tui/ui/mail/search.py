"""The search bar (``/``): local results while typing, server results merged in on Enter.

The bar only reports what the user typed and the scope; the mail screen runs the queries
(local ``ListQuery(text=...)`` while typing, then ``search_server``) and shows the merged
results as a normal message list.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from olk_tui.ui.keymap import bindings


class SearchBar(Horizontal):
    """A one-line search input with a scope label (this folder / all folders)."""

    BINDINGS = bindings("search")
    DEFAULT_CSS = """
    SearchBar { height: 1; display: none; }
    SearchBar.-open { display: block; }
    SearchBar Label { width: auto; padding: 0 1; }
    SearchBar Input { width: 1fr; }
    """

    class Changed(Message):
        """The text or scope changed (run the local search)."""

        def __init__(self, text: str, all_folders: bool) -> None:
            super().__init__()
            self.text, self.all_folders = text, all_folders

    class Submitted(Message):
        """Enter: ask the server too."""

        def __init__(self, text: str, all_folders: bool) -> None:
            super().__init__()
            self.text, self.all_folders = text, all_folders

    class Closed(Message):
        """Escape: back to the folder."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.all_folders = False

    def compose(self) -> ComposeResult:
        # Empty until first opened: the Input and its CSS cost ~10 ms of the first paint.
        yield from ()

    async def _ensure_children(self) -> None:
        if not self.children:
            await self.mount(Label(self._scope_text(), id="search-scope"),
                             Input(placeholder="search: words, from:, subject:, "
                                   "hasAttachments:true", id="search-input", compact=True))

    def _scope_text(self) -> Text:
        return Text("/ all folders" if self.all_folders else "/ this folder", style="bold")

    async def open(self) -> None:
        """Show and focus the bar (made on first use)."""
        await self._ensure_children()
        self.add_class("-open")
        self.query_one(Input).focus()

    def close(self) -> None:
        """Hide the bar and clear it."""
        self.remove_class("-open")
        for field in self.query(Input):
            field.value = ""

    @property
    def is_open(self) -> bool:
        """Whether the bar is showing."""
        return self.has_class("-open")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value, self.all_folders))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Submitted(event.value, self.all_folders))

    def action_toggle_scope(self) -> None:
        """Switch between this folder and all folders."""
        self.all_folders = not self.all_folders
        self.query_one("#search-scope", Label).update(self._scope_text())
        self.post_message(self.Changed(self.query_one(Input).value, self.all_folders))

    def action_close(self) -> None:
        """Close the search."""
        self.close()
        self.post_message(self.Closed())
