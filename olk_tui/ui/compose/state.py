"""Where a composer starts: from nothing, from a message replied to, or from a saved draft.

Pure logic (no widgets): ``start_state`` works out the kind, recipients, subject, editable
text, quoted tail and options the ``ComposeScreen`` shows first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import tzinfo

from olk_tui.domain.ids import MessageId
from olk_tui.domain.mail import Draft, Importance, Message, MessageBody, Recipient
from olk_tui.domain.settings import User
from olk_tui.render.addresses import AddressError, parse_entry, split_entries
from olk_tui.render.quote import ReplyKind, new_message_text, prepare_reply, split_body
from olk_tui.ui.compose.attachments import AttachmentInfo, inspect_attachment
from olk_tui.ui.compose.widgets import ComposeSettings


@dataclass
class StartState:
    """The composer's first contents."""

    kind: ReplyKind = ReplyKind.NEW
    to: tuple[Recipient, ...] = ()
    cc: tuple[Recipient, ...] = ()
    bcc: tuple[Recipient, ...] = ()
    subject: str = ""
    text: str = ""
    quote: MessageBody | None = None
    importance: Importance = Importance.NORMAL
    receipt: bool = False
    server_id: MessageId | None = None
    from_: Recipient | None = None
    in_reply_to: MessageId | None = None
    attachments: list[AttachmentInfo] = field(default_factory=list)


def own_addresses(user: User, settings: ComposeSettings) -> list[str]:
    """The user's addresses: account, principal name and the configured From choices."""
    return [a for a in (user.mail, user.user_principal_name,
                        *(r.address for r in settings.from_choices)) if a]


def from_choices(user: User, settings: ComposeSettings,
                 current: Recipient | None) -> list[Recipient]:
    """The account first, then aliases and shared mailboxes (and a draft's own From)."""
    me = Recipient(user.mail or user.user_principal_name, user.display_name)
    extra = [r for r in settings.from_choices if r.address.casefold() != me.address.casefold()]
    if current is not None and all(current.address.casefold() != r.address.casefold()
                                   for r in (me, *extra)):
        extra.append(current)
    return [me, *extra]


def lenient_recipients(text: str) -> tuple[Recipient, ...]:
    """Every entry of a field, bad ones kept verbatim (local drafts keep what was typed)."""
    out = []
    for entry in split_entries(text):
        try:
            out.append(parse_entry(entry))
        except AddressError:
            out.append(Recipient(address=entry))
    return tuple(out)


def _from_draft(draft: Draft, kind: ReplyKind, settings: ComposeSettings) -> StartState:
    text, quote = split_body(draft.body)
    if not text and quote is None:
        text = new_message_text(settings.signature)
    known = {k.value for k in ReplyKind}
    return StartState(
        kind=ReplyKind(draft.reply_kind) if draft.reply_kind in known else kind,
        to=draft.to, cc=draft.cc, bcc=draft.bcc, subject=draft.subject, text=text,
        quote=quote, importance=draft.importance, receipt=draft.request_read_receipt,
        server_id=draft.server_id, from_=draft.from_, in_reply_to=draft.in_reply_to,
        attachments=[inspect_attachment(p) for p in draft.attachment_paths])


def start_state(settings: ComposeSettings, own: Sequence[str], kind: ReplyKind,
                original: Message | None, draft: Draft | None,
                tz: tzinfo | None) -> StartState:
    """What a composer opened this way shows first."""
    if draft is not None:
        state = _from_draft(draft, kind, settings)
        if state.in_reply_to is None and original is not None:
            state.in_reply_to = original.id
        return state
    if original is not None and kind is not ReplyKind.NEW:
        t = prepare_reply(original, kind, own_addresses=own, style=settings.quoting,
                          signature=settings.signature, tz=tz)
        return StartState(kind=kind, to=t.to, cc=t.cc, subject=t.subject, text=t.text,
                          quote=t.quote, in_reply_to=original.id)
    return StartState(text=new_message_text(settings.signature))
