"""The composer: new mail, reply, reply all and forward, with drafts that are never lost.

The screen holds the form (From, To/Cc/Bcc with completion, subject, options, attachments,
body), builds the ``Draft`` from it, checks it and sends it through the durable outbox. Every
change marks the draft dirty; saving it locally and to the server's Drafts folder (so a crash
or a dropped terminal loses at most a second or so of typing), closing and discarding are
``DraftKeeping`` in ``saving.py``.
"""

from __future__ import annotations

import uuid
from datetime import tzinfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message as TMessage
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, Label, Select, Static, TextArea

from olk_tui.domain.errors import OlkError
from olk_tui.domain.mail import Draft, Importance, Message, Recipient
from olk_tui.render.quote import (
    ReplyKind,
    assemble_body,
)
from olk_tui.sync.api import Account
from olk_tui.ui.compose.attachments import AttachDialog, inspect_attachment
from olk_tui.ui.compose.checks import Problem, send_problems
from olk_tui.ui.compose.completion import AddressCompletion
from olk_tui.ui.compose.dialogs import ConfirmSendDialog
from olk_tui.ui.compose.editor import EditorError, edit_in_editor
from olk_tui.ui.compose.fields import AddressField, CompletionList
from olk_tui.ui.compose.markdown import markdown_to_html
from olk_tui.ui.compose.saving import DraftKeeping
from olk_tui.ui.compose.state import from_choices, lenient_recipients, own_addresses, start_state
from olk_tui.ui.compose.widgets import AttachmentList, ComposeSettings, toast
from olk_tui.ui.text import editable_addresses, inline, mailbox_zone, name_of, who

ADDRESS_FIELDS = (("to", "To"), ("cc", "Cc"), ("bcc", "Bcc"))
_IMPORTANCE = [("Normal", Importance.NORMAL), ("High", Importance.HIGH),
               ("Low", Importance.LOW)]


class ComposeScreen(AddressCompletion, DraftKeeping, Screen[str | None]):
    """Writes one message; dismisses with the outbox item id when sent, else None."""

    DEFAULT_CSS = """
    ComposeScreen #headers { height: auto; padding: 0 1; }
    ComposeScreen Horizontal { height: 1; }
    ComposeScreen .field-label { width: 9; color: $text-muted; }
    ComposeScreen .field-input { width: 1fr; }
    ComposeScreen #importance { width: 16; }
    ComposeScreen #receipt { margin-left: 2; }
    ComposeScreen #body { height: 1fr; border: none; padding: 0 1; }
    ComposeScreen #quote-note { color: $text-muted; padding: 0 1; height: auto; }
    """
    AUTO_FOCUS = None  # on_mount focuses To (new mail, forward) or the body (replies)
    BINDINGS = [
        Binding("ctrl+s", "send", "Send", priority=True, id="compose.send"),
        Binding("ctrl+t", "attach", "Attach", priority=True, id="compose.attach"),
        Binding("ctrl+o", "editor", "$EDITOR", priority=True, id="compose.editor"),
        Binding("escape", "close", "Save & close", id="compose.close"),
        Binding("f8", "discard", "Discard", id="compose.discard"),
    ]

    class DraftSaved(TMessage):
        """The draft was saved locally under ``key``."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, account: Account, settings: ComposeSettings | None = None, *,
                 kind: ReplyKind = ReplyKind.NEW, original: Message | None = None,
                 draft: Draft | None = None, draft_key: str | None = None,
                 tz: tzinfo | None = None, save_delay: float = 1.0,
                 save_every: float = 5.0, server_every: float = 120.0) -> None:
        """Start from nothing, from ``original`` (reply/forward) or from a saved ``draft``.

        Args:
            account: the account whose outbox and contacts are used.
            settings: quoting, signature, markdown and From choices.
            kind: new, reply, reply all or forward (with ``original``).
            original: the message replied to or forwarded.
            draft: a draft to reopen (local, server Drafts folder or a mailto: link).
            draft_key: the local draft's key when reopening one.
            tz: zone for the quote header's date (default: the mailbox's).
            save_delay: seconds of quiet before a local save.
            save_every: longest time between local saves while changes keep coming.
            server_every: seconds between quiet saves to the server's Drafts folder.
        """
        super().__init__()
        self.account = account
        self.settings = settings or ComposeSettings()
        self.key = draft_key or uuid.uuid4().hex
        self._setup_saving(save_delay=save_delay, save_every=save_every,
                           server_every=server_every, reopened=draft is not None)
        self._tz = tz or mailbox_zone(account.settings)
        self._original = original
        start = start_state(self.settings, self.own_addresses(), kind, original, draft,
                            self._tz)
        self.start = start
        self.kind = start.kind
        self._quote = start.quote
        self._server_id = start.server_id
        self._in_reply_to = start.in_reply_to
        self._attachments = list(start.attachments)

    def own_addresses(self) -> list[str]:
        """The user's addresses (dropped from reply-all)."""
        return own_addresses(self.account.user, self.settings)

    def compose(self) -> ComposeResult:
        with Vertical(id="headers"):
            with Horizontal(id="from-row"):
                yield Label("From:", classes="field-label")
                yield self._from_widget()
            for fid, label in ADDRESS_FIELDS:
                value = getattr(self.start, fid)
                yield AddressField(label, editable_addresses(value), id=fid)
            yield CompletionList(id="completions")
            with Horizontal():
                yield Label("Subject:", classes="field-label")
                # an Input shows its value raw: a reply's "RE: <their subject>" is made safe
                yield Input(inline(self.start.subject, 998), compact=True, id="subject",
                            classes="field-input",
                            select_on_focus=False)
            with Horizontal():
                yield Label("Options:", classes="field-label")
                yield Select(_IMPORTANCE, value=self.start.importance, allow_blank=False,
                             compact=True, id="importance")
                yield Checkbox("Request read receipt", self.start.receipt, compact=True,
                               id="receipt")
            yield AttachmentList(id="attachments")
        yield TextArea(self.start.text, id="body", soft_wrap=True, tab_behavior="focus")
        yield Static(Content(self._quote_note()), id="quote-note")
        yield Footer()

    def _from_widget(self) -> Label | Select[int]:
        choices = self._from_choices()
        if len(choices) == 1:
            return Label(Content(who(choices[0])), id="from")
        current = 0
        if self.start.from_ is not None:
            current = next((i for i, r in enumerate(choices)
                            if r.address.casefold() == self.start.from_.address.casefold()), 0)
        return Select([(Content(who(r)), i) for i, r in enumerate(choices)], value=current,
                      allow_blank=False, compact=True, id="from")

    def _from_choices(self) -> list[Recipient]:
        return from_choices(self.account.user, self.settings, self.start.from_)

    def _quote_note(self) -> str:
        if self._original is None or self._quote is None:
            return ""
        verb = "Forwarding" if self.kind is ReplyKind.FORWARD else "Replying to"
        s = self._original.summary
        fmt = "HTML kept" if self._quote.content_type == "html" else "plain text"
        return f"{verb} {name_of(s.from_ or s.sender, 40)}: original quoted below ({fmt})"

    def on_mount(self) -> None:
        self._show_attachments()
        self.start_saving()
        self.call_after_refresh(self._show_field_starts)
        self.query_one("#to-input" if not self.start.to else "#body").focus()

    def _show_field_starts(self) -> None:
        """Long recipient lists show their start (not where the cursor ended) until focused."""
        for field in self.query(Input):
            if not field.has_focus:
                field.cursor_position = 0

    # ----------------------------------------------------------------- the draft

    def _address(self, fid: str) -> AddressField:
        return self.query_one(f"#{fid}", AddressField)

    def _chosen_from(self) -> Recipient | None:
        widget = self.query_one("#from")
        if isinstance(widget, Select) and isinstance(widget.value, int) and widget.value > 0:
            return self._from_choices()[widget.value]
        return None

    def build_draft(self, *, rendered: bool = False) -> Draft:
        """The composer's current state as a ``Draft``.

        Args:
            rendered: for sending or the server: only valid recipients, and Markdown turned
                into HTML when configured. Otherwise (local drafts) everything typed is kept
                verbatim, bad addresses included, so it can be restored exactly.
        """
        text = self.query_one("#body", TextArea).text
        html = markdown_to_html(text) if rendered and self.settings.markdown else None
        recipients = {}
        for fid, _ in ADDRESS_FIELDS:
            field = self._address(fid)
            recipients[fid] = field.parsed().recipients if rendered else \
                lenient_recipients(field.value)
        importance = self.query_one("#importance", Select).value
        return Draft(
            subject=self.query_one("#subject", Input).value,
            to=recipients["to"], cc=recipients["cc"], bcc=recipients["bcc"],
            body=assemble_body(text, self._quote, user_html=html),
            importance=importance if isinstance(importance, Importance) else Importance.NORMAL,
            request_read_receipt=self.query_one("#receipt", Checkbox).value,
            attachment_paths=tuple(a.path for a in self._attachments),
            server_id=self._server_id, in_reply_to=self._in_reply_to,
            reply_kind=self.kind.value, from_=self._chosen_from(),
        )

    def problems(self) -> list[Problem]:
        """What is wrong before sending (blockers first)."""
        errors = {}
        recipients: list[Recipient] = []
        for fid, label in ADDRESS_FIELDS:
            parsed = self._address(fid).parsed()
            self._address(fid).show_errors(parsed.errors)
            errors[label] = parsed.errors
            recipients += parsed.recipients
        self._attachments = [inspect_attachment(a.path) for a in self._attachments]
        self._show_attachments()
        forwards = self.kind is ReplyKind.FORWARD and self._original is not None and \
            self._original.summary.has_attachments
        return send_problems(recipients=recipients, field_errors=errors,
                             subject=self.query_one("#subject", Input).value,
                             text=self.query_one("#body", TextArea).text,
                             attachments=self._attachments, forwards_attachments=forwards)

    def has_invalid_addresses(self) -> bool:
        """Whether To, Cc or Bcc holds an entry that is not a valid address."""
        return any(self._address(fid).parsed().errors for fid, _ in ADDRESS_FIELDS)

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        self.mark_dirty()  # the draft is saved by DraftKeeping (saving.py)

    # ----------------------------------------------------------------- attachments

    def _show_attachments(self) -> None:
        self.query_one(AttachmentList).show(self._attachments)

    def action_attach(self) -> None:
        """Ask for a file to attach."""
        self.app.push_screen(AttachDialog(), self.add_attachment)

    def add_attachment(self, path: str | None) -> None:
        """Attach ``path`` if it can go; refuse clearly when it is too big or unreadable."""
        if not path:
            return
        info = inspect_attachment(path)
        if not info.ok:
            toast(self, info.problem, title="Not attached", severity="error")
            return
        if any(a.path == info.path for a in self._attachments):
            toast(self, f"{info.name} is already attached")
            return
        self._attachments.append(info)
        self._show_attachments()
        self.mark_dirty()

    @on(AttachmentList.RemoveRequested)
    def _remove_attachment(self, event: AttachmentList.RemoveRequested) -> None:
        if 0 <= event.index < len(self._attachments):
            del self._attachments[event.index]
            self._show_attachments()
            self.mark_dirty()
            if not self._attachments:
                self.query_one("#body").focus()

    # ----------------------------------------------------------------- editor

    def action_editor(self) -> None:
        """Edit the body in ``$VISUAL``/``$EDITOR`` (the app is suspended meanwhile)."""
        area = self.query_one("#body", TextArea)
        try:
            text = edit_in_editor(self.app, area.text)
        except EditorError as exc:
            toast(self, str(exc), title="Editor", severity="error")
            return
        if text != area.text:
            area.load_text(text)
            self.mark_dirty()
        area.focus()

    # ----------------------------------------------------------------- send

    async def action_send(self) -> None:
        """Check the draft, confirm problems, then hand it to the outbox."""
        if self._busy or self._finished:
            return
        problems = self.problems()
        if problems:
            self.app.push_screen(ConfirmSendDialog(problems), self._confirmed)
            return
        await self._send()

    async def _confirmed(self, send: bool | None) -> None:
        if send:
            await self._send()

    async def _send(self) -> None:
        self._busy = True
        draft = self.build_draft(rendered=True)
        try:
            item_id = await self.account.outbox.send(draft)
        except OlkError as exc:
            self._busy = False
            await self.save_local()
            toast(self, f"Not sent: {exc}. Your message is kept as a draft.",
                        title="Send failed", severity="error", timeout=10)
            return
        self._stop_timers()
        try:
            await self.account.outbox.discard_local_draft(self.key)
        except OlkError as exc:
            toast(self, f"Sent, but the local draft could not be removed: {exc}",
                        severity="warning")
        toast(self, "Message queued in the Outbox", title="Sending")
        self.dismiss(item_id)
