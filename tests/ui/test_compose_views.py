"""Outbox view, resume-drafts dialog and the launch helpers (against the fakes)."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.widgets import Input, OptionList

from olk_tui.domain.ids import MessageId
from olk_tui.domain.mail import Draft, MessageBody, Recipient
from olk_tui.ui.compose import (
    ComposeScreen,
    ComposeSettings,
    OutboxScreen,
    ResumeDraftsDialog,
    offer_local_drafts,
    open_composer,
    open_mailto,
)
from tests.ui.compose_fakes import fake_account
from tests.ui.test_compose import original

DRAFT = Draft(subject="Quarterly", to=(Recipient("adele@contoso.example", "Adele Vance"),),
              body=MessageBody("text", "hello"))


class Host(App[None]):
    """An empty app to push screens on."""

    def __init__(self, start: Any = None) -> None:
        super().__init__()
        self.start = start

    async def on_mount(self) -> None:
        if self.start is not None:
            await self.start(self)


def labels(options: OptionList) -> list[str]:
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_outbox_lists_items_and_follows_state_changes() -> None:
    account, outbox, _ = fake_account()
    item = await outbox.send(DRAFT)
    app = Host(lambda a: a.push_screen(OutboxScreen(account)))
    async with app.run_test(size=(100, 20)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        options = app.screen.query_one("#items", OptionList)
        assert labels(options) == [
            "waiting   Quarterly  → Adele Vance <adele@contoso.example>"]
        outbox.set_state(item, "failed")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert labels(options)[0].startswith("FAILED")


async def test_outbox_cancel_keeps_it_as_local_draft() -> None:
    account, outbox, _ = fake_account()
    item = await outbox.send(DRAFT)
    app = Host(lambda a: a.push_screen(OutboxScreen(account)))
    async with app.run_test(size=(100, 20)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one("#empty").display
    assert outbox.items == {}
    assert outbox.local == {f"outbox-{item}": DRAFT}


async def test_outbox_edit_opens_composer_with_the_draft() -> None:
    account, outbox, _ = fake_account()
    await outbox.send(DRAFT)
    app = Host(lambda a: a.push_screen(OutboxScreen(account)))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ComposeScreen)
        assert app.screen.query_one("#subject", Input).value == "Quarterly"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [d.subject for d in outbox.sent] == ["Quarterly", "Quarterly"]
    assert outbox.local == {}


async def test_outbox_too_late_to_cancel() -> None:
    account, outbox, _ = fake_account()

    async def too_late(item_id: str) -> None:
        return None

    outbox.cancel = too_late  # type: ignore[method-assign]
    await outbox.send(DRAFT)
    app = Host(lambda a: a.push_screen(OutboxScreen(account)))
    async with app.run_test(size=(100, 20)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert any("Too late" in n.message for n in app._notifications)
    assert outbox.local == {}


async def test_resume_dialog_reopens_chosen_draft() -> None:
    account, outbox, _ = fake_account()
    outbox.local = {"k1": DRAFT, "k2": Draft(subject="Other")}
    app = Host(lambda a: offer_local_drafts(a, account, ComposeSettings()))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeDraftsDialog)
        assert labels(app.screen.query_one(OptionList))[1] == "Other"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ComposeScreen)
        assert app.screen.key == "k1"
        assert app.screen.query_one("#subject", Input).value == "Quarterly"


async def test_resume_dialog_discard_and_later() -> None:
    account, outbox, _ = fake_account()
    outbox.local = {"k1": DRAFT, "k2": Draft(subject="Other")}
    app = Host(lambda a: offer_local_drafts(a, account, ComposeSettings()))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert list(outbox.local) == ["k2"]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, (ResumeDraftsDialog, ComposeScreen))
    assert list(outbox.local) == ["k2"]


async def test_no_local_drafts_no_dialog() -> None:
    account, _, _ = fake_account()
    app = Host(lambda a: offer_local_drafts(a, account, ComposeSettings()))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, ResumeDraftsDialog)


async def test_open_composer_reply_reads_original() -> None:
    account, _, _ = fake_account()
    account.mail.messages["orig-1"] = original()  # type: ignore[attr-defined]
    app = Host(lambda a: open_composer(a, account, ComposeSettings(), "replyAll",
                                       MessageId("orig-1")))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ComposeScreen)
        assert app.screen.query_one("#subject", Input).value == "RE: Budget"
        assert "bob@fabrikam.example" in app.screen.query_one("#to-input", Input).value


async def test_open_composer_missing_original_toasts() -> None:
    account, _, _ = fake_account()
    app = Host(lambda a: open_composer(a, account, ComposeSettings(), "reply",
                                       MessageId("gone")))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, ComposeScreen)
        assert any("Cannot open" in n.message for n in app._notifications)


async def test_open_server_draft_keeps_its_id() -> None:
    account, _, _ = fake_account()
    account.mail.messages["orig-1"] = original()  # type: ignore[attr-defined]
    app = Host(lambda a: open_composer(a, account, ComposeSettings(), "draft",
                                       MessageId("orig-1")))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        draft = app.screen.build_draft()
        assert draft.server_id == "orig-1" and draft.subject == "RE: Budget"


async def test_open_mailto_bad_url_toasts() -> None:
    account, _, _ = fake_account()
    app = Host(lambda a: open_mailto(a, account, ComposeSettings(), "mailto:nobody"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, ComposeScreen)
        assert any("no @" in n.message for n in app._notifications)


async def test_reopened_draft_closed_unchanged_is_kept() -> None:
    account, outbox, _ = fake_account()
    outbox.local = {"k1": DRAFT}
    app = Host(lambda a: a.push_screen(ComposeScreen(account, draft=DRAFT, draft_key="k1")))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert [d.subject for d in outbox.server_drafts] == ["Quarterly"]


async def test_app_shell_opens_composer_from_mail_list_reply_all() -> None:
    """The app shell's ComposeRequested handler opens the composer from the mail screen's
    reply-all key, and a send reaches the account's outbox."""
    import dataclasses

    from olk_tui.config import Settings, UiConfig
    from olk_tui.ui.app import make_app
    from olk_tui.ui.demo_data import fixed_now
    from olk_tui.ui.testing import fake_account as shell_account

    account = shell_account(40, now=fixed_now())
    app = make_app(Settings(ui=dataclasses.replace(UiConfig())), account, now=fixed_now)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("R")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        composer = app.screen
        assert isinstance(composer, ComposeScreen)
        subject = composer.query_one("#subject", Input).value
        assert subject.startswith("RE: ")
        assert account.user.mail not in composer.query_one("#to-input", Input).value
        await pilot.press(*"ok", "ctrl+s")
        await pilot.pause()
        await pilot.pause()
    [sent] = account.outbox.sent  # type: ignore[attr-defined]
    assert sent.reply_kind == "replyAll" and sent.subject == subject and sent.in_reply_to
