"""Small pieces of the composer: its settings and the attachment list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from olk_tui.domain.mail import Recipient
from olk_tui.render.addresses import AddressError, parse_entry
from olk_tui.render.safe import safe_inline
from olk_tui.ui.compose.attachments import AttachmentInfo


@dataclass(frozen=True, slots=True)
class ComposeSettings:
    """What the composer takes from ``[compose]`` plus the From choices.

    Attributes:
        quoting: "outlook" (top-posting over a header block) or "inline" (``>``).
        signature: placed above the quote.
        markdown: send the body as HTML rendered from Markdown.
        from_choices: extra From addresses (aliases, shared mailboxes) besides the account.
    """

    quoting: str = "outlook"
    signature: str = ""
    markdown: bool = False
    from_choices: tuple[Recipient, ...] = ()

    @classmethod
    def from_config(cls, config: Any, from_choices: Sequence[str] = ()) -> ComposeSettings:
        """Build from a ``ComposeConfig``; ``from_choices`` (or a ``from_addresses`` field on
        the config, when it gains one) are "Name <address>" strings, bad ones skipped."""
        choices: list[Recipient] = []
        for text in (*from_choices, *getattr(config, "from_addresses", ())):
            try:
                choices.append(parse_entry(text))
            except AddressError:
                continue
        return cls(quoting=getattr(config, "quoting", "outlook"),
                   signature=getattr(config, "signature", ""),
                   markdown=bool(getattr(config, "markdown", False)),
                   from_choices=tuple(choices))


class AttachmentList(OptionList):
    """The files attached: name, size and how they travel; Delete removes the highlighted."""

    DEFAULT_CSS = """
    AttachmentList { height: auto; max-height: 4; border: none; display: none;
        padding-left: 9; background: $surface; }
    AttachmentList.-shown { display: block; }
    """
    BINDINGS = [Binding("delete,backspace,x", "remove", "Remove attachment",
                        id="compose.attachment.remove")]

    class RemoveRequested(Message):
        """Remove attachment number ``index``."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def show(self, attachments: Sequence[AttachmentInfo]) -> None:
        """Show these attachments (hidden when there are none)."""
        highlighted = self.highlighted
        self.clear_options()
        self.add_options([Option(Content("▪ " + a.label())) for a in attachments])
        self.set_class(bool(attachments), "-shown")
        if attachments:
            self.highlighted = min(highlighted or 0, len(attachments) - 1)

    def action_remove(self) -> None:
        """Ask the composer to remove the highlighted attachment."""
        if self.highlighted is not None:
            self.post_message(self.RemoveRequested(self.highlighted))


def toast(target: Any, message: str, **kwargs: Any) -> None:
    """``notify`` with untrusted text (server errors, file names) shown literally: made safe
    and never parsed as markup."""
    title = kwargs.pop("title", "")
    target.notify(safe_inline(message, 400), title=safe_inline(title, 80), markup=False,
                  **kwargs)
