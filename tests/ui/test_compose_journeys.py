"""Composer journeys on the real stack: repositories + SQLite store + outbox sender, talking
to the Graph emulator. Each checks what the emulator received and what is in Sent Items."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Input, TextArea

from olk_tui.domain.ids import MessageId
from olk_tui.domain.mail import Importance
from olk_tui.emulator import Emulator
from olk_tui.graph.client import GraphClient
from olk_tui.render.quote import ReplyKind
from olk_tui.sync.account import build_account
from olk_tui.sync.api import Account
from olk_tui.ui.compose import ComposeScreen, ComposeSettings
from tests.ui.test_compose import ComposeApp

ADELE = "adele@contoso.example"
MEGAN = "megan@contoso.example"
CAROL = "carol@contoso.example"
BOB = "bob@fabrikam.example"  # not a mailbox here: the emulator delivers to nobody for him
ORIGINALS = [
    ("Lunch on Tuesday?", "html",
     '<html><head><style>p{margin:0}</style></head><body><p class="x">Lunch on '
     "<b>Tuesday</b>?</p><p>Adele</p></body></html>"),
    ("Hiring plan for Q1", "text", "Draft plan attached in the share.\nAdele"),
]


def person(address: str, name: str) -> dict[str, Any]:
    return {"emailAddress": {"address": address, "name": name}}


async def no_wait(seconds: float) -> None:
    await asyncio.sleep(0)


class Stack:
    """An account on the emulator's demo mailbox (Megan), with Adele as a second mailbox."""

    def __init__(self, emu: Emulator, account: Account) -> None:
        self.emu, self.account = emu, account

    @property
    def services(self) -> Any:
        return self.account.services  # type: ignore[attr-defined]

    def find(self, box: str, folder: str, subject: str) -> list[dict[str, Any]]:
        mb = self.emu.mailbox(box)
        fid = mb.well_known[folder]
        return [m for m in mb.messages.values()
                if m["parentFolderId"] == fid and m.get("subject") == subject]

    def original(self, subject: str) -> dict[str, Any]:
        [found] = [m for m in self.find(MEGAN, "inbox", subject)
                   if m["from"]["emailAddress"]["address"] == ADELE]
        return found

    async def compose(self, **kwargs: Any) -> ComposeApp:
        if "original_subject" in kwargs:
            raw = self.original(kwargs.pop("original_subject"))
            kwargs["original"] = await self.account.mail.message(MessageId(raw["id"]))
        return ComposeApp(ComposeScreen(self.account, ComposeSettings(signature="Megan"),
                                        save_delay=3600, save_every=3600, **kwargs))

    async def deliver(self) -> None:
        assert await self.services.sender.run_once() == 0
        assert await self.account.outbox.outbox() == []


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    emu = Emulator.demo(size=60, seed=1)
    client = GraphClient("https://graph.emulator.test", transport=emu.transport(sleep=no_wait),
                         sleep=no_wait)
    account = build_account("journey", client, tmp_path / "cache.sqlite3", sleep=no_wait,
                            debounce=0)
    await account.services.start(account, background=False)  # type: ignore[attr-defined]
    assert account.user.mail == MEGAN
    emu.add_mailbox(CAROL, "Carol Diaz")
    for subject, content_type, content in ORIGINALS:
        emu.default_mailbox.add_message({
            "subject": subject, "body": {"contentType": content_type, "content": content},
            "from": person(ADELE, "Adele Vance"), "sender": person(ADELE, "Adele Vance"),
            "toRecipients": [person(MEGAN, "Megan Bowen"), person(BOB, "Bob")],
            "ccRecipients": [person(CAROL, "Carol Diaz")],
            "internetMessageId": f"<{len(subject)}@contoso.example>",
        }, emu.default_mailbox.well_known["inbox"])
    try:
        yield Stack(emu, account)
    finally:
        await account.close()  # type: ignore[misc]


async def test_new_mail_reaches_recipient_and_sent_items(stack: Stack) -> None:
    app = await stack.compose()
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#to-input", Input).value = f"Adele Vance <{ADELE}>"
        app.screen.query_one("#subject", Input).value = "Journey: new mail"
        app.screen.query_one("#body", TextArea).load_text("Hello Adele,\nsee you soon.")
        app.screen.query_one("#importance").value = Importance.HIGH
        app.screen.query_one("#receipt").value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
    await stack.deliver()
    got = stack.find(ADELE, "inbox", "Journey: new mail")
    assert len(got) == 1
    assert got[0]["from"]["emailAddress"]["address"] == MEGAN
    assert [r["emailAddress"]["address"] for r in got[0]["toRecipients"]] == [ADELE]
    assert "Hello Adele,\nsee you soon." in got[0]["body"]["content"]
    assert got[0]["importance"] == "high" and got[0]["isReadReceiptRequested"] is True
    assert len(stack.find(MEGAN, "sentitems", "Journey: new mail")) == 1


async def test_reply_keeps_conversation_and_quotes_html(stack: Stack) -> None:
    original = stack.original("Lunch on Tuesday?")
    app = await stack.compose(kind=ReplyKind.REPLY, original_subject="Lunch on Tuesday?")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"Tuesday works <b>")
        await pilot.press("ctrl+s")
        await pilot.pause()
    await stack.deliver()
    got = stack.find(ADELE, "inbox", "RE: Lunch on Tuesday?")
    assert len(got) == 1
    msg = got[0]
    assert msg["conversationId"] == original["conversationId"]
    assert msg["body"]["contentType"] == "html"
    content = msg["body"]["content"]
    assert "Tuesday works &lt;b&gt;" in content and 'id="divRplyFwdMsg"' in content
    assert '<p class="x">Lunch on <b>Tuesday</b>?</p><p>Adele</p>' in content
    sent = stack.find(MEGAN, "sentitems", "RE: Lunch on Tuesday?")
    assert len(sent) == 1 and sent[0]["conversationId"] == original["conversationId"]


async def test_reply_all_drops_self_and_keeps_cc(stack: Stack) -> None:
    original = stack.original("Hiring plan for Q1")
    app = await stack.compose(kind=ReplyKind.REPLY_ALL, original_subject="Hiring plan for Q1")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"Agreed.", "ctrl+s")
        await pilot.pause()
    await stack.deliver()
    sent = stack.find(MEGAN, "sentitems", "RE: Hiring plan for Q1")
    assert len(sent) == 1
    to = [r["emailAddress"]["address"] for r in sent[0]["toRecipients"]]
    cc = [r["emailAddress"]["address"] for r in sent[0]["ccRecipients"]]
    assert to == [ADELE, BOB] and cc == [CAROL]
    assert sent[0]["conversationId"] == original["conversationId"]
    assert sent[0]["body"]["content"].startswith("Agreed.")
    assert len(stack.find(ADELE, "inbox", "RE: Hiring plan for Q1")) == 1
    assert len(stack.find(CAROL, "inbox", "RE: Hiring plan for Q1")) == 1
    assert "From: Adele Vance <adele@contoso.example>" in sent[0]["body"]["content"]


async def test_forward_with_attachments_small_and_upload_session(stack: Stack,
                                                                  tmp_path: Path) -> None:
    small = tmp_path / "notes.txt"
    small.write_bytes(b"n" * 2000)
    large = tmp_path / "deck.bin"
    large.write_bytes(bytes(range(256)) * (5 * 1024 * 1024 // 256))  # 5 MB: upload session
    original = stack.original("Lunch on Tuesday?")
    app = await stack.compose(kind=ReplyKind.FORWARD, original_subject="Lunch on Tuesday?")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*ADELE)
        app.screen.add_attachment(str(small))
        app.screen.add_attachment(str(large))
        await pilot.press("ctrl+s")
        await pilot.pause()
    await stack.deliver()
    got = stack.find(ADELE, "inbox", "FW: Lunch on Tuesday?")
    assert len(got) == 1 and got[0]["conversationId"] == original["conversationId"]
    mb = stack.emu.mailbox(ADELE)
    atts = {a["name"]: a["size"] for a in mb.attachments.get(got[0]["id"], {}).values()}
    assert atts == {"notes.txt": 2000, "deck.bin": 5 * 1024 * 1024}


async def test_bad_address_never_reaches_the_outbox(stack: Stack) -> None:
    app = await stack.compose()
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#to-input", Input).value = "adele@contoso"
        app.screen.query_one("#subject", Input).value = "Bad"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "needs a dot" in str(app.screen.query_one(".problem-blocker").render())
    assert await stack.account.outbox.outbox() == []


async def test_drafts_local_then_server_on_close(stack: Stack) -> None:
    app = await stack.compose()
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#to-input", Input).value = ADELE
        app.screen.query_one("#subject", Input).value = "Journey: draft"
        await app.screen.save_local()
        key = app.screen.key
        local = dict(await stack.account.outbox.local_drafts())
        assert local[key].subject == "Journey: draft"
        await pilot.press("escape")
        await pilot.pause()
    drafts = stack.find(MEGAN, "drafts", "Journey: draft")
    assert len(drafts) == 1 and drafts[0]["isDraft"] is True
    assert await stack.account.outbox.local_drafts() == []


async def _send_as_denied(stack: Stack, resend: bool) -> None:
    from olk_tui.domain.mail import Recipient
    from olk_tui.ui.compose import OutboxScreen

    settings = ComposeSettings(from_choices=(Recipient("sales@contoso.example", "Sales"),))
    app = ComposeApp(ComposeScreen(stack.account, settings, save_delay=3600, save_every=3600))
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#from").value = 1
        app.screen.query_one("#to-input", Input).value = ADELE
        app.screen.query_one("#subject", Input).value = "Journey: send as"
        await pilot.press("ctrl+s")
        await pilot.pause()
    await stack.services.sender.run_once()
    [(_, state, draft)] = await stack.account.outbox.outbox()
    assert state == "failed" and draft.from_ == Recipient("sales@contoso.example", "Sales")
    assert stack.find(ADELE, "inbox", "Journey: send as") == []

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(OutboxScreen(stack.account, settings))

    host = Host()
    async with host.run_test(size=(100, 30)) as pilot:
        await host.workers.wait_for_complete()
        await pilot.pause()
        assert "FAILED" in str(host.screen.query_one("#items").get_option_at_index(0).prompt)
        await pilot.press("e")
        await pilot.pause()
        composer = host.screen
        assert isinstance(composer, ComposeScreen)
        assert composer.query_one("#subject", Input).value == "Journey: send as"
        assert composer.query_one("#from").value == 1
        if not resend:
            return
        composer.query_one("#from").value = 0
        await pilot.press("ctrl+s")
        await pilot.pause()
    await stack.deliver()
    got = stack.find(ADELE, "inbox", "Journey: send as")
    assert len(got) == 1 and got[0]["from"]["emailAddress"]["address"] == MEGAN
    assert len(stack.find(MEGAN, "sentitems", "Journey: send as")) == 1


async def test_send_as_denied_shows_failed_item_that_reopens(stack: Stack) -> None:
    await _send_as_denied(stack, resend=False)


async def test_send_as_denied_then_resend_from_own_address(stack: Stack) -> None:
    await _send_as_denied(stack, resend=True)


async def test_inline_quoting_with_markdown_sends_html_blockquote(stack: Stack) -> None:
    raw = stack.original("Hiring plan for Q1")
    original = await stack.account.mail.message(MessageId(raw["id"]))
    settings = ComposeSettings(quoting="inline", markdown=True, signature="Megan")
    app = ComposeApp(ComposeScreen(stack.account, settings, kind=ReplyKind.REPLY,
                                   original=original, save_delay=3600, save_every=3600))
    async with app.run_test(size=(100, 30)) as pilot:
        body = app.screen.query_one("#body", TextArea)
        assert "> Draft plan attached in the share." in body.text
        body.insert("**Yes**, approved.")
        await pilot.press("ctrl+s")
        await pilot.pause()
    await stack.deliver()
    [sent] = stack.find(MEGAN, "sentitems", "RE: Hiring plan for Q1")
    content = sent["body"]["content"]
    assert sent["body"]["contentType"] == "html"
    assert "<strong>Yes</strong>, approved." in content
    assert "<blockquote>" in content and "Draft plan attached in the share." in content
    assert content.index("Megan") < content.index("<blockquote>")
