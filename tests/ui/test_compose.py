"""Composer journeys against the in-memory fakes: new mail, reply, reply all, forward,
validation, attachments, drafts, the external editor."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input, TextArea

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import Draft, Importance, Message, MessageBody, MessageSummary, Recipient
from olk_tui.render.quote import ReplyKind
from olk_tui.ui.compose import ComposeScreen, ComposeSettings
from olk_tui.ui.compose.dialogs import ConfirmSendDialog
from olk_tui.ui.compose.fields import AddressField, CompletionList
from tests.ui.compose_fakes import ME, fake_account

ADELE = Recipient("adele@contoso.example", "Adele Vance")
BOB = Recipient("bob@fabrikam.example", "Bob Smith")


def original(body: MessageBody | None = None, attachments: bool = False) -> Message:
    return Message(
        summary=MessageSummary(
            id=MessageId("orig-1"), folder_id=FolderId("inbox"), subject="RE: Budget",
            from_=ADELE, sender=ADELE, to=(Recipient(ME.mail, ME.display_name), BOB),
            cc=(Recipient("carol@fabrikam.example", "Carol"),),
            sent=datetime(2026, 11, 20, 15, 4, tzinfo=UTC), has_attachments=attachments),
        body=body or MessageBody("text", "Numbers attached.\nAdele"))


class ComposeApp(App[None]):
    """Hosts one composer and records what it returned."""

    def __init__(self, screen: ComposeScreen) -> None:
        super().__init__()
        self.composer = screen
        self.result: list[str | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.composer, self.result.append)


def make(**kwargs):
    account, outbox, contacts = fake_account()
    settings = kwargs.pop("settings", ComposeSettings(signature="Megan"))
    screen = ComposeScreen(account, settings, save_delay=kwargs.pop("save_delay", 30),
                           save_every=kwargs.pop("save_every", 60), **kwargs)
    return ComposeApp(screen), outbox, contacts


async def type_into(pilot, selector: str, text: str, *, keys: bool = False) -> None:
    """Focus a field and type into it (as key presses, or inserted at once: faster)."""
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    if keys:
        await pilot.press(*text)
    elif isinstance(widget, TextArea):
        widget.insert(text)
    else:
        widget.insert_text_at_cursor(text)
    await pilot.pause()


async def test_new_mail_sends_through_outbox() -> None:
    app, outbox, _ = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#to-input", "adele@contoso.example; Bob <bob@fabrikam.example>")
        await type_into(pilot, "#subject", "Lunch")
        body = app.screen.query_one("#body", TextArea)
        body.focus()
        body.move_cursor((0, 0))
        body.insert("Noon?")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert len(outbox.sent) == 1
    draft = outbox.sent[0]
    assert draft.to == (Recipient("adele@contoso.example"), Recipient(BOB.address, "Bob"))
    assert draft.subject == "Lunch"
    assert draft.body.content_type == "text"
    assert draft.body.content == "Noon?\n\nMegan\n"
    assert draft.reply_kind == "" and draft.in_reply_to is None
    assert app.result == ["o1"]


async def test_reply_prefills_and_carries_reply_kind() -> None:
    app, outbox, _ = make(kind=ReplyKind.REPLY, original=original())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert screen.query_one("#to-input", Input).value == "Adele Vance <adele@contoso.example>"
        assert screen.query_one("#subject", Input).value == "RE: Budget"
        assert screen.query_one("#body", TextArea).has_focus
        await pilot.press(*"Thanks!")  # real keys into the focused body
        await pilot.press("ctrl+s")
        await pilot.pause()
    draft = outbox.sent[0]
    assert draft.in_reply_to == "orig-1" and draft.reply_kind == "reply"
    assert draft.to == (ADELE,) and draft.cc == ()
    assert draft.body.content.startswith("Thanks!\n\nMegan\n\n____")
    assert "From: Adele Vance <adele@contoso.example>" in draft.body.content
    assert draft.body.content.endswith("Numbers attached.\nAdele")


async def test_reply_all_without_own_address() -> None:
    app, outbox, _ = make(kind=ReplyKind.REPLY_ALL, original=original())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"ok", "ctrl+s")
        await pilot.pause()
    draft = outbox.sent[0]
    assert draft.reply_kind == "replyAll"
    assert draft.to == (ADELE, BOB)
    assert [r.address for r in draft.cc] == ["carol@fabrikam.example"]
    assert all(r.address != ME.mail for r in draft.to + draft.cc)


async def test_forward_needs_recipient_and_keeps_html() -> None:
    html = "<html><body><p>Q3 <b>numbers</b></p></body></html>"
    app, outbox, _ = make(kind=ReplyKind.FORWARD,
                          original=original(MessageBody("html", html), attachments=True))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert screen.query_one("#to-input").has_focus
        assert screen.query_one("#subject", Input).value == "FW: Budget"
        await type_into(pilot, "#to-input", "bob@fabrikam.example")
        await type_into(pilot, "#body", "See attached <3")
        await pilot.press("ctrl+s")
        await pilot.pause()
    draft = outbox.sent[0]
    assert draft.reply_kind == "forward" and draft.to == (Recipient("bob@fabrikam.example"),)
    assert draft.body.content_type == "html"
    assert "<p>Q3 <b>numbers</b></p>" in draft.body.content
    assert "See attached &lt;3" in draft.body.content


async def test_bad_address_blocks_send_with_message() -> None:
    app, outbox, _ = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#to-input", "bob@, ", keys=True)
        error = app.screen.query_one("#to .field-error")
        assert "no domain" in str(error.render())
        assert error.display
        await type_into(pilot, "#subject", "Hi")
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmSendDialog) and dialog.blocked
        texts = " ".join(str(s.render()) for s in dialog.query(".problem-blocker"))
        assert "To:" in texts and "no domain" in texts and "No recipients" in texts
        assert not dialog.query("#send")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ComposeScreen)
    assert outbox.sent == []


async def test_error_shown_when_leaving_field_not_while_typing() -> None:
    app, _, _ = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#to-input", "adele@conto")
        field = app.screen.query_one("#to", AddressField)
        assert not field.query_one(".field-error").display
        await pilot.press("tab")
        await pilot.pause()
        assert field.query_one(".field-error").display


async def test_missing_attachment_warning_then_send_anyway() -> None:
    app, outbox, _ = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#to-input", "adele@contoso.example")
        await type_into(pilot, "#subject", "Report")
        await type_into(pilot, "#body", "Report attached.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmSendDialog) and not dialog.blocked
        assert "mentions an attachment" in str(dialog.query_one(".problem-warning").render())
        await pilot.click("#send")
        await pilot.pause()
    assert len(outbox.sent) == 1


async def test_empty_subject_warning_and_fix() -> None:
    app, outbox, _ = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#to-input", "adele@contoso.example")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSendDialog)
        await pilot.click("#fix")
        await pilot.pause()
        assert isinstance(app.screen, ComposeScreen)
    assert outbox.sent == []


async def test_send_failure_keeps_draft() -> None:
    app, outbox, _ = make()
    outbox.fail_send = "Access is denied (ErrorSendAsDenied)"
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#to-input", "adele@contoso.example")
        await type_into(pilot, "#subject", "x")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ComposeScreen)
        key = app.screen.key
    assert outbox.local[key].subject == "x"
    assert app.result == []


async def test_completion_shows_name_and_address_and_inserts() -> None:
    app, _, contacts = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#to-input", "bob@fabrikam.example, al")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        completions = app.screen.query_one(CompletionList)
        assert completions.shown
        assert contacts.queries[-1] == "al"
        labels = [str(completions.get_option_at_index(i).prompt)
                  for i in range(completions.option_count)]
        assert labels == ["Alex Wilber <alex@contoso.example>",
                          "Allan Deyoung <allan@contoso.example>"]
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        field = app.screen.query_one("#to-input", Input)
        assert field.value == "bob@fabrikam.example, Allan Deyoung <allan@contoso.example>, "
        assert field.has_focus and not completions.shown


async def test_local_draft_saved_after_quiet_period() -> None:
    app, outbox, _ = make(save_delay=1.0, save_every=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        screen.query_one("#subject", Input).value = "Plans"
        await pilot.pause()
        assert outbox.local_saves == []  # not on the keystroke itself: debounced
        await asyncio.wait_for(outbox.saved.wait(), 10)  # the quiet-period timer fired
        assert outbox.local_saves == [(screen.key, screen.build_draft())]
        await screen._save_if_dirty()  # nothing changed since: nothing saved again
        assert len(outbox.local_saves) == 1


async def test_local_draft_saved_periodically_while_typing() -> None:
    app, outbox, _ = make(save_delay=3600, save_every=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#body", "a")
        await asyncio.wait_for(outbox.saved.wait(), 10)  # the periodic timer, no debounce
        assert outbox.local_saves[-1][1].body.content.startswith("a")


async def test_local_draft_keeps_bad_addresses_verbatim() -> None:
    app, outbox, _ = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#to-input", "adele@contoso.example, bob@")
        assert await app.screen.save_local()
    saved = next(iter(outbox.local.values()))
    assert [r.address for r in saved.to] == ["adele@contoso.example", "bob@"]


async def test_resume_local_draft_restores_everything(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("x")
    app0, outbox0, _ = make(kind=ReplyKind.REPLY, original=original())
    async with app0.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"my reply")
        app0.screen.add_attachment(str(f))
        app0.screen.query_one("#importance").value = Importance.HIGH
        await app0.screen.save_local()
        key = app0.screen.key
    saved = outbox0.local[key]
    app, outbox, _ = make(draft=saved, draft_key=key)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert screen.query_one("#body", TextArea).text == "my reply\n\nMegan\n"
        assert screen.build_draft() == saved
        await pilot.press("ctrl+s")
        await pilot.pause()
    sent = outbox.sent[0]
    assert sent.in_reply_to == "orig-1" and sent.reply_kind == "reply"
    assert sent.importance is Importance.HIGH and sent.attachment_paths == (str(f),)


async def test_close_saves_server_draft_and_forgets_local() -> None:
    app, outbox, _ = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#subject", "Later")
        await app.screen.save_local()
        await pilot.press("escape")
        await pilot.pause()
    assert [d.subject for d in outbox.server_drafts] == ["Later"]
    assert outbox.local == {}
    assert app.result == [None]


async def test_close_offline_keeps_local_draft() -> None:
    app, outbox, _ = make()
    outbox.fail_server_draft = "You are offline"
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#subject", "Later")
        await pilot.press("escape")
        await pilot.pause()
    assert outbox.server_drafts == []
    assert [d.subject for d in outbox.local.values()] == ["Later"]


async def test_close_untouched_leaves_nothing() -> None:
    app, outbox, _ = make(kind=ReplyKind.REPLY, original=original())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert outbox.server_drafts == [] and outbox.local == {}


async def test_attachments_sizes_and_refusal(tmp_path: Path) -> None:
    small = tmp_path / "small.pdf"
    small.write_bytes(b"x" * 1000)
    big = tmp_path / "big.iso"
    with big.open("wb") as fh:
        fh.truncate(4 * 1024 * 1024)
    huge = tmp_path / "huge.iso"
    with huge.open("wb") as fh:
        fh.truncate(151 * 1024 * 1024)
    app, _, _ = make()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        screen.add_attachment(str(small))
        screen.add_attachment(str(big))
        screen.add_attachment(str(huge))
        screen.add_attachment(str(tmp_path / "missing"))
        await pilot.pause()
        listing = screen.query_one("#attachments")
        labels = [str(listing.get_option_at_index(i).prompt)
                  for i in range(listing.option_count)]
        assert labels == ["▪ small.pdf  1000 B", "▪ big.iso  4.0 MB  (upload session)"]
        notes = [n.message for n in app._notifications]
        assert any("huge.iso is 151.0 MB" in m and "150 MB" in m for m in notes)
        assert any("missing" in m for m in notes)
        listing.focus()
        listing.highlighted = 0
        await pilot.press("delete")
        await pilot.pause()
        assert screen.build_draft().attachment_paths == (str(big.resolve()),)


async def test_attach_dialog_adds_typed_path(tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_text("n")
    app, _, _ = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        app.screen.query_one(Input).insert_text_at_cursor(str(tmp_path / "no"))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("right", "enter")
        await pilot.pause()
        assert app.screen.build_draft().attachment_paths == (str(f.resolve()),)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX editor script")
async def test_external_editor_round_trip(tmp_path: Path, monkeypatch) -> None:
    script = tmp_path / "fake editor.py"
    seen = tmp_path / "seen"
    script.write_text(
        "import os, stat, sys\n"
        "p = sys.argv[1]\n"
        "st = os.stat(p)\n"
        f"open({str(seen)!r}, 'w').write(oct(st.st_mode & 0o777) + ' ' + "
        "oct(os.stat(os.path.dirname(p)).st_mode & 0o777) + ' ' + p)\n"
        "with open(p, 'a') as f:\n"
        "    f.write('added by editor\\n')\n")
    monkeypatch.setenv("VISUAL", f"{sys.executable} '{script}'")
    app, _, _ = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#body", "first ")
        await pilot.press("ctrl+o")
        await pilot.pause()
        text = app.screen.query_one("#body", TextArea).text
        assert text == "first \n\nMegan\nadded by editor\n"
    mode, dir_mode, path = seen.read_text().split(" ", 2)
    assert mode == "0o600" and dir_mode == "0o700"
    assert os.path.basename(os.path.dirname(path)) not in os.listdir(tempfile.gettempdir())


async def test_editor_failure_keeps_text(monkeypatch) -> None:
    monkeypatch.setenv("VISUAL", "/nonexistent/editor")
    app, _, _ = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#body", "keep me")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.screen.query_one("#body", TextArea).text.startswith("keep me")
        assert any("cannot run" in n.message for n in app._notifications)


async def test_markdown_sends_html() -> None:
    app, outbox, _ = make(settings=ComposeSettings(markdown=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#to-input", "adele@contoso.example")
        await type_into(pilot, "#subject", "md")
        await type_into(pilot, "#body", "**bold** <script>")
        await pilot.press("ctrl+s")
        await pilot.pause()
    body = outbox.sent[0].body
    assert body.content_type == "html"
    assert "<strong>bold</strong>" in body.content and "<script>" not in body.content


async def test_from_choices_select_alias() -> None:
    settings = ComposeSettings(from_choices=(Recipient("sales@contoso.example", "Sales"),))
    app, outbox, _ = make(settings=settings)
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#from").value = 1
        await type_into(pilot, "#to-input", "adele@contoso.example")
        await type_into(pilot, "#subject", "s")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert outbox.sent[0].from_ == Recipient("sales@contoso.example", "Sales")


def test_settings_from_config_skips_bad_aliases() -> None:
    class Cfg:
        quoting = "inline"
        signature = "S"
        markdown = True

    s = ComposeSettings.from_config(Cfg(), ["Sales <sales@contoso.example>", "bad"])
    assert s.quoting == "inline" and s.markdown
    assert s.from_choices == (Recipient("sales@contoso.example", "Sales"),)


async def test_mailto_draft_opens_in_composer() -> None:
    from olk_tui.render.addresses import parse_mailto

    draft: Draft = parse_mailto("mailto:adele@contoso.example?subject=Hi&body=Hello")
    app, outbox, _ = make(draft=draft)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.screen.query_one("#subject", Input).value == "Hi"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert outbox.sent[0].body.content == "Hello"


async def test_hostile_server_error_shown_literally() -> None:
    app, outbox, _ = make()
    outbox.fail_send = "Denied [b]x[/b] [@click=app.quit]y[/] \x1b[31mred"
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#to-input", "adele@contoso.example")
        await type_into(pilot, "#subject", "x")
        await pilot.press("ctrl+s")
        await pilot.pause()
        [note] = [n for n in app._notifications if "Not sent" in n.message]
        assert "[b]x[/b] [@click=app.quit]y[/]" in note.message
        assert "\x1b" not in note.message and not note.markup
        assert isinstance(app.screen, ComposeScreen)


async def test_periodic_server_save_then_discard_deletes_it() -> None:
    from olk_tui.domain.operations import DeleteMessages

    account, outbox, _ = fake_account()
    screen = ComposeScreen(account, ComposeSettings(), save_delay=3600, save_every=3600,
                           server_every=0.05)
    app = ComposeApp(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.2)
        assert outbox.server_drafts == []  # nothing typed, nothing saved
        await type_into(pilot, "#subject", "Periodic")
        for _ in range(200):
            if outbox.server_drafts:
                break
            await pilot.pause(0.05)
        await pilot.pause(0.2)  # more timer ticks: no second save of the same draft
        assert [d.subject for d in outbox.server_drafts] == ["Periodic"]  # once, not again
        server_id = outbox.server_drafts[0].server_id
        await pilot.press("f8")
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
    assert account.mail.submitted == [DeleteMessages((server_id,))]  # type: ignore[attr-defined]
    assert outbox.local == {} and app.result == [None]


async def test_quitting_the_app_saves_the_last_keystrokes() -> None:
    app, outbox, _ = make(save_delay=3600, save_every=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#subject", "typed just before quitting")
        key = app.screen.key
        assert outbox.local_saves == []
        app.exit()
        await pilot.pause()
    assert outbox.local[key].subject == "typed just before quitting"
