"""The composer's dialogs: confirm a send with problems, confirm a discard, resume drafts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from olk_tui.domain.mail import Draft
from olk_tui.render.safe import safe_inline, safe_recipient
from olk_tui.ui.compose.checks import Problem

_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 76; max-width: 95%; height: auto; max-height: 90%;
    border: thick $accent; background: $surface; padding: 0 1; }}
{name} .problem-blocker {{ color: $error; }}
{name} .problem-warning {{ color: $warning; }}
{name} Horizontal {{ height: auto; align-horizontal: right; }}
{name} Button {{ margin: 0 1; }}
"""


class ConfirmSendDialog(ModalScreen[bool]):
    """Lists problems before a send: True sends anyway, False goes back to fix them.

    With a blocker (bad address, no recipient, a file that cannot go) only "Fix" is offered.
    """

    DEFAULT_CSS = _DIALOG_CSS.format(name="ConfirmSendDialog")
    BINDINGS = [Binding("escape", "fix", "Fix", id="compose.confirm.fix")]

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__()
        self.problems = list(problems)

    @property
    def blocked(self) -> bool:
        """True when something must be fixed before sending."""
        return any(p.blocker for p in self.problems)

    def compose(self) -> ComposeResult:
        with Vertical():
            title = "This message cannot be sent yet:" if self.blocked else \
                "Send this message anyway?"
            yield Label(title)
            for p in self.problems:
                yield Static(Content(("✗ " if p.blocker else "! ") + p.text),
                             classes="problem-blocker" if p.blocker else "problem-warning")
            with Horizontal():
                yield Button("Fix", id="fix", variant="primary")
                if not self.blocked:
                    yield Button("Send anyway", id="send", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#fix", Button).focus()

    @on(Button.Pressed, "#send")
    def _send(self) -> None:
        self.dismiss(not self.blocked)

    @on(Button.Pressed, "#fix")
    def action_fix(self) -> None:
        """Back to the composer."""
        self.dismiss(False)


class ConfirmDiscardDialog(ModalScreen[bool]):
    """Asks before throwing a draft away; True discards."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="ConfirmDiscardDialog")
    BINDINGS = [Binding("escape", "keep", "Keep", id="compose.discard.keep")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Discard this message? Your local draft is deleted; a copy saved in "
                        "Drafts goes to Deleted Items.")
            with Horizontal():
                yield Button("Keep editing", id="keep", variant="primary")
                yield Button("Discard", id="discard", variant="error")

    @on(Button.Pressed, "#discard")
    def _discard(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#keep")
    def action_keep(self) -> None:
        """Keep the draft."""
        self.dismiss(False)


def draft_label(draft: Draft) -> str:
    """One line describing a draft: subject and first recipients, made safe."""
    subject = safe_inline(draft.subject, 50, placeholder="(no subject)")
    people = ", ".join(safe_recipient(r.name, r.address, 48) for r in draft.to[:2])
    if len(draft.to) > 2:
        people += f" +{len(draft.to) - 2}"
    return f"{subject}  → {people}" if people else subject


class ResumeDraftsDialog(ModalScreen[tuple[str, Draft] | None]):
    """Offers drafts saved locally by a composer that did not close (crash, lost terminal).

    Returns the (key, draft) to reopen, or None for "later" (drafts are kept). ``d`` on a
    draft forgets it through the ``discard`` callback (``account.outbox.discard_local_draft``).

    The lead wires it at start::

        drafts = await account.outbox.local_drafts()
        if drafts:
            app.push_screen(ResumeDraftsDialog(drafts, account.outbox.discard_local_draft),
                            callback)
    """

    DEFAULT_CSS = _DIALOG_CSS.format(name="ResumeDraftsDialog")
    BINDINGS = [Binding("escape", "later", "Later", id="compose.resume.later"),
                Binding("delete,d", "discard", "Discard", id="compose.resume.discard")]

    def __init__(self, drafts: Sequence[tuple[str, Draft]],
                 discard: Callable[[str], Awaitable[None]] | None = None) -> None:
        super().__init__()
        self.drafts = list(drafts)
        self._discard = discard

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{len(self.drafts)} unsent draft(s) from last time. "
                        "Enter reopens, d discards, Esc later.")
            yield OptionList(*[Option(Content(draft_label(d)), id=k) for k, d in self.drafts],
                             id="drafts")
            with Horizontal():
                yield Button("Later", id="later")

    def on_mount(self) -> None:
        self.query_one("#drafts", OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.drafts[event.option_index])

    @on(Button.Pressed, "#later")
    def action_later(self) -> None:
        """Close; the drafts stay for next time."""
        self.dismiss(None)

    async def action_discard(self) -> None:
        """Forget the highlighted draft (through the ``discard`` callback)."""
        options = self.query_one("#drafts", OptionList)
        index = options.highlighted
        if index is None or not self.drafts:
            return
        key, _ = self.drafts.pop(index)
        options.remove_option(key)
        if self._discard is not None:
            await self._discard(key)
        if not self.drafts:
            self.dismiss(None)
