"""Opening the composer from the rest of the app: requests, server drafts, resume, mailto.

The app shell calls these from its handlers (they need the app only to push screens and
show toasts)::

    def on_compose_requested(self, message: ComposeRequested) -> None:
        self.run_worker(open_composer(self, self.account, compose_settings(self.settings),
                                      message.kind, message.message_id, tz=self.tz),
                        group="compose", exit_on_error=False, description="open the composer")
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from textual.app import App

from olk_tui.domain.errors import OlkError
from olk_tui.domain.ids import MessageId
from olk_tui.domain.mail import Draft, Message, Recipient
from olk_tui.render.addresses import AddressError, parse_mailto
from olk_tui.render.quote import ReplyKind
from olk_tui.sync.api import Account
from olk_tui.ui.compose.dialogs import ResumeDraftsDialog
from olk_tui.ui.compose.screen import ComposeScreen
from olk_tui.ui.compose.widgets import ComposeSettings, toast

#: ``ComposeRequested.kind`` values and what they open.
KINDS = {"new": ReplyKind.NEW, "reply": ReplyKind.REPLY, "replyAll": ReplyKind.REPLY_ALL,
         "forward": ReplyKind.FORWARD}


def compose_settings(settings: Any) -> ComposeSettings:
    """``ComposeSettings`` from the app's ``Settings`` (its ``compose`` table)."""
    return ComposeSettings.from_config(getattr(settings, "compose", None))


def draft_from_message(message: Message) -> Draft:
    """A message from the server's Drafts folder as a composer draft (same server id)."""
    s = message.summary
    return Draft(subject=s.subject, to=s.to, cc=s.cc, bcc=message.bcc, body=message.body,
                 importance=s.importance, server_id=message.id, from_=s.from_)


async def open_composer(app: App[Any], account: Account, settings: ComposeSettings,
                        kind: str, message_id: MessageId | None = None, *,
                        tz: tzinfo | None = None,
                        to: tuple[Recipient, ...] = ()) -> ComposeScreen | None:
    """Push a composer for new mail (addressed to ``to`` when given), a reply, reply all,
    forward, or ``"draft"`` (a message of the Drafts folder reopened); the original is read
    through ``account.mail``."""
    if kind not in KINDS and kind != "draft":
        toast(app, f"Unknown compose request {kind!r}", severity="error")
        return None
    original: Message | None = None
    if message_id is not None and kind != "new":
        try:
            original = await account.mail.message(message_id)
        except OlkError as exc:
            toast(app, f"Cannot open the message: {exc}", severity="error")
            return None
    if kind == "draft":
        if original is None:
            return None
        screen = ComposeScreen(account, settings, draft=draft_from_message(original), tz=tz)
    elif kind == "new" and to:
        screen = ComposeScreen(account, settings, draft=Draft(to=tuple(to)), tz=tz)
    else:
        screen = ComposeScreen(account, settings, kind=KINDS[kind], original=original, tz=tz)
    app.push_screen(screen)
    return screen


async def open_mailto(app: App[Any], account: Account, settings: ComposeSettings,
                      url: str) -> ComposeScreen | None:
    """Push a composer filled from a ``mailto:`` URL; a bad URL gives a toast, not a crash."""
    try:
        draft = parse_mailto(url)
    except AddressError as exc:
        toast(app, str(exc), title="mailto", severity="error")
        return None
    screen = ComposeScreen(account, settings, draft=draft)
    app.push_screen(screen)
    return screen


async def offer_local_drafts(app: App[Any], account: Account,
                             settings: ComposeSettings) -> None:
    """At start: offer drafts a composer left behind (crash, closed terminal)."""
    try:
        drafts = await account.outbox.local_drafts()
    except OlkError as exc:
        toast(app, f"Cannot read local drafts: {exc}", severity="error")
        return
    if not drafts:
        return

    def reopen(chosen: tuple[str, Draft] | None) -> None:
        if chosen is not None:
            key, draft = chosen
            app.push_screen(ComposeScreen(account, settings, draft=draft, draft_key=key))

    app.push_screen(ResumeDraftsDialog(drafts, account.outbox.discard_local_draft), reopen)
