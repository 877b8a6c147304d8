"""The Outbox view: messages waiting to go (or failed), with edit and cancel.

Opened from the folder tree. It lists ``account.outbox.outbox()`` and refreshes when the
repositories announce ``OutboxChanged``; an announcement with ``progress`` (a large attachment
going up in ranges) only updates that item's line ("uploading ... 37%"). Cancelling takes an
item out before its send was requested and keeps it as a local draft; editing does the same and
opens it in the composer.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from olk_tui.domain.errors import OlkError
from olk_tui.domain.mail import Draft
from olk_tui.render.safe import safe_inline
from olk_tui.sync.api import Account, OutboxChanged, RepoEvent
from olk_tui.ui.compose.dialogs import draft_label
from olk_tui.ui.compose.screen import ComposeScreen
from olk_tui.ui.compose.widgets import ComposeSettings, toast

#: Outbox states as the user reads them.
STATE_LABELS = {
    "queued": "waiting",
    "draft_created": "preparing",
    "attachments_uploaded": "preparing",
    "send_requested": "sending",
    "failed": "FAILED",
}

#: States in which an attachment upload can be under way.
UPLOADING_STATES = ("queued", "draft_created")


def progress_text(progress: float, detail: str) -> str:
    """``detail · 37%`` for an upload; progress outside 0..1 (or NaN) is clamped."""
    fraction = progress if 0.0 <= progress <= 1.0 else (1.0 if progress > 1.0 else 0.0)
    text = safe_inline(detail, 60)
    return f"{text} · {int(fraction * 100)}%" if text else f"{int(fraction * 100)}%"


class OutboxScreen(Screen[None]):
    """Messages in the outbox; ``e`` edits, ``c`` cancels, ``r`` refreshes, Esc closes."""

    DEFAULT_CSS = """
    OutboxScreen #title { padding: 0 1; text-style: bold; }
    OutboxScreen #empty { padding: 1 2; color: $text-muted; }
    OutboxScreen OptionList { height: 1fr; border: none; }
    """
    BINDINGS = [
        Binding("e", "edit", "Edit", id="outbox.edit"),
        Binding("c,delete", "cancel_item", "Cancel send", id="outbox.cancel"),
        Binding("r", "refresh", "Refresh", id="outbox.refresh"),
        Binding("escape,q", "close", "Close", id="outbox.close"),
    ]

    class Loaded(Message):
        """Fresh outbox items."""

        def __init__(self, items: list[tuple[str, str, Draft]]) -> None:
            super().__init__()
            self.items = items

    class _Announced(Message):
        def __init__(self, event: OutboxChanged) -> None:
            super().__init__()
            self.event = event

    def __init__(self, account: Account, settings: ComposeSettings | None = None) -> None:
        super().__init__()
        self.account = account
        self.settings = settings or ComposeSettings()
        self.items: list[tuple[str, str, Draft]] = []
        #: item id -> (progress 0..1, detail) of the attachment upload under way.
        self.uploads: dict[str, tuple[float, str]] = {}
        self._unsubscribe: Callable[[], None] | None = None

    def compose(self) -> ComposeResult:
        yield Label("Outbox", id="title")
        yield OptionList(id="items")
        yield Label("Nothing is waiting to be sent.", id="empty")
        yield Footer()

    def on_mount(self) -> None:
        self._unsubscribe = self.account.mail.subscribe(self._heard)
        self.action_refresh()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def _heard(self, event: RepoEvent) -> None:
        if isinstance(event, OutboxChanged):
            self.post_message(self._Announced(event))

    @on(_Announced)
    def _changed(self, message: _Announced) -> None:
        event = message.event
        if event.progress is not None:  # one more range went up: only that line changes
            self.uploads[event.item_id] = (event.progress, event.detail)
            self._show()
            return
        self.uploads.pop(event.item_id, None)
        self.action_refresh()

    @work(exclusive=True, group="outbox", exit_on_error=False, description="read the outbox")
    async def action_refresh(self) -> None:
        """Reload the items."""
        self.post_message(self.Loaded(await self.account.outbox.outbox()))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.items = event.items
        listed = {item_id for item_id, _, _ in self.items}
        self.uploads = {k: v for k, v in self.uploads.items() if k in listed}
        self._show()

    def label(self, item_id: str, state: str, draft: Draft) -> str:
        """The line shown for one item (with its upload progress while that runs)."""
        upload = self.uploads.get(item_id) if state in UPLOADING_STATES else None
        if upload is None:
            return f"{STATE_LABELS.get(state, state):<9} {draft_label(draft)}"
        return f"{'uploading':<9} {draft_label(draft)}  {progress_text(*upload)}"

    def _show(self) -> None:
        options = self.query_one("#items", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for item_id, state, draft in self.items:
            options.add_option(Option(Content(self.label(item_id, state, draft)), id=item_id))
        self.query_one("#empty").display = not self.items
        options.display = bool(self.items)
        if self.items:
            options.highlighted = min(highlighted or 0, len(self.items) - 1)
            options.focus()

    @on(OptionList.OptionSelected)
    async def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self.action_edit()

    def _current(self) -> tuple[str, str, Draft] | None:
        index = self.query_one("#items", OptionList).highlighted
        if index is None or not 0 <= index < len(self.items):
            return None
        return self.items[index]

    async def _take_back(self) -> tuple[str, Draft] | None:
        """Cancel the highlighted item and keep it as a local draft; (key, draft) or None."""
        current = self._current()
        if current is None:
            return None
        item_id, _, _ = current
        try:
            draft = await self.account.outbox.cancel(item_id)
        except OlkError as exc:
            toast(self, f"Could not cancel: {exc}", severity="error")
            return None
        if draft is None:
            toast(self, "Too late to cancel: this message is already being sent.",
                        severity="warning")
            return None
        key = f"outbox-{item_id}"
        try:
            await self.account.outbox.save_local_draft(key, draft)
        except OlkError as exc:
            toast(self, f"Cancelled, but not saved as a draft: {exc}", severity="error")
        self.action_refresh()
        return key, draft

    async def action_cancel_item(self) -> None:
        """Stop the highlighted message from being sent; it is kept as a draft."""
        taken = await self._take_back()
        if taken is not None:
            toast(self, "Not sent; kept in your drafts (offered at the next start).")

    async def action_edit(self) -> None:
        """Take the highlighted message back and open it in the composer."""
        taken = await self._take_back()
        if taken is not None:
            key, draft = taken
            self.app.push_screen(ComposeScreen(self.account, self.settings, draft=draft,
                                               draft_key=key))

    def action_close(self) -> None:
        """Back to where the user came from."""
        self.dismiss(None)
