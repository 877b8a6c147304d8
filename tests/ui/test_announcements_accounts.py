"""Toasts about an account's announcements (a change the server refused and undone, a send
that failed) name the account when the app shows several, as the new-mail toasts do, even
when the account is in the background; with one account they are unchanged."""

from __future__ import annotations

from types import SimpleNamespace

from olk_tui.commands.app import demo_account
from olk_tui.config import Settings
from olk_tui.domain.ids import EventId, FolderId, MessageId
from olk_tui.domain.mail import Draft, MessageBody, Recipient
from olk_tui.domain.operations import DeleteEvent, MoveMessages
from olk_tui.emulator import Emulator
from olk_tui.sync.api import ListQuery, OperationFailed, OutboxChanged
from olk_tui.ui.accounts import Accounts
from olk_tui.ui.notify import Notifiers, account_toast
from olk_tui.ui.testing import fake_account
from tests.ui.test_contacts_journeys import wait_for
from tests.ui.test_signin_first_run import ToastApp


async def first_inbox_id(account) -> tuple[FolderId, MessageId] | None:
    folders = await account.mail.folders()
    inbox = next((f.id for f in folders if f.well_known_name == "inbox"), None)
    if inbox is None:
        return None
    rows = await account.mail.window(ListQuery(inbox), 0, 1)
    return (inbox, rows[0].id) if rows else None


def move_nowhere(found: tuple[FolderId, MessageId]) -> MoveMessages:
    inbox, message = found
    return MoveMessages(message_ids=(message,), destination_id=FolderId("no-such-folder"),
                        source_id=inbox)


async def test_background_account_toasts_name_the_account() -> None:
    work, clean_work = demo_account(Settings(), emulator=Emulator.demo(size=20))
    home, clean_home = demo_account(Settings(), emulator=Emulator.demo(size=25, seed=7))
    work.name, home.name = "work", "home"
    app = ToastApp(Settings(), accounts=[work, home])
    app.accounts.stagger = 0
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            assert await wait_for(pilot, lambda: 1 in app.accounts.started, tries=300)
            found: list[tuple[FolderId, MessageId] | None] = [None, None]
            for _ in range(300):
                found = [await first_inbox_id(work), await first_inbox_id(home)]
                if all(found):
                    break
                await pilot.pause(0.05)
            assert all(found) and app.account is work
            # home, in the background: the server refuses a move and a send
            await home.mail.submit(move_nowhere(found[1]))  # type: ignore[arg-type]
            await home.outbox.send(Draft(
                subject="Not mine to send", to=(Recipient("alex@contoso.example"),),
                body=MessageBody("text", "x"),
                from_=Recipient("ceo@contoso.example", "The CEO")))

            def toasts(start: str) -> list[str]:
                return [t for t in app.toasts if start in t]
            assert await wait_for(pilot, lambda: toasts("Could not move 1")
                                  and toasts("Sending failed"), tries=300)
            assert toasts("Could not move 1") == [
                t for t in toasts("Could not move 1") if t.startswith("[home] Could not move 1")]
            assert "undone" in toasts("Could not move 1")[0]
            sending = toasts("Sending failed")
            assert len(sending) == 1 and sending[0].startswith("[home] Sending failed: ")
            assert app.account is work  # toasted without switching
            # work, on screen, names itself too: several accounts, every toast is named
            await work.mail.submit(move_nowhere(found[0]))  # type: ignore[arg-type]
            assert await wait_for(pilot, lambda: any(
                t.startswith("[work] Could not move 1") for t in app.toasts), tries=300)
            assert len(toasts("Could not move 1")) == 2  # one each, never twice
    finally:
        clean_work()
        clean_home()


async def test_one_account_toasts_are_not_named() -> None:
    account = fake_account(20)
    account.name = "work"
    app = ToastApp(Settings(), accounts=[account])
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_for(pilot, lambda: app.notifier is not None)
        account.mail.fail_next = "Access is denied"  # type: ignore[attr-defined]
        await pilot.press("U")
        assert await wait_for(pilot, lambda: any("Access is denied" in t for t in app.toasts))
        failed = [t for t in app.toasts if "Access is denied" in t]
        assert len(failed) == 1 and failed[0].startswith("Could not mark 1 ")
        assert failed[0].endswith(" — the change was undone.")


async def test_before_the_notifiers_start_the_app_says_it_itself() -> None:
    account = fake_account(20)
    app = ToastApp(Settings(), accounts=[account])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        notifier, app.notifier = app.notifier, None
        try:
            account.mail.announce(OutboxChanged(item_id="1", state="failed",  # type: ignore
                                                error="Sending was refused: \x1b[31mno"))
            assert await wait_for(pilot, lambda: any(t.startswith("Sending failed")
                                                     for t in app.toasts))
        finally:
            app.notifier = notifier
        said = [t for t in app.toasts if t.startswith("Sending failed")]
        assert said == ["Sending failed: Sending was refused: ␛[31mno"]  # ESC made visible


def test_account_toast_only_for_failures() -> None:
    assert account_toast(OutboxChanged(item_id="1", state="sent")) is None
    assert account_toast(OutboxChanged(item_id="1", state="failed", error="x\ny")) == (
        "Sending failed: x y", "error", 10.0)
    text, severity, _ = account_toast(OperationFailed(
        move_nowhere((FolderId("a"), MessageId("m"))), "gone"))  # type: ignore[misc]
    assert text == "Could not move 1: gone — the change was undone." and severity == "error"


def test_notifiers_follow_every_account_already_activated() -> None:
    """An account switched to before the notifiers started is followed too."""
    work, home = fake_account(5), fake_account(5)
    work.name, home.name = "work", "home"
    said: list[str] = []
    app = SimpleNamespace(
        accounts=Accounts([work, home]), set_interval=lambda *a, **k: SimpleNamespace(),
        notify=lambda text, **kwargs: said.append(text))
    app.accounts.activated.add(1)
    notifiers = Notifiers(app, Settings(), label_accounts=True)  # type: ignore[arg-type]
    assert [n.account for n in notifiers.notifiers] == [work, home]
    assert notifiers.add(work) is notifiers.notifiers[0]  # as the app then adds the first
    home.mail.announce(OperationFailed(  # type: ignore[attr-defined]
        move_nowhere((FolderId("a"), MessageId("m"))), "gone"))
    assert said == ["[home] Could not move 1: gone — the change was undone."]


async def test_a_failed_calendar_change_is_said_once() -> None:
    """The calendar screen reloads on a failed change; the account's notifier says it."""
    account = fake_account(10)
    app = ToastApp(Settings(), accounts=[account])
    async with app.run_test(size=(120, 36)) as pilot:
        assert await wait_for(pilot, lambda: app.notifier is not None)
        await app.switch_mode("calendar")
        await pilot.pause()
        account.mail.announce(OperationFailed(  # type: ignore[attr-defined]
            DeleteEvent(event_id=EventId("ev-1")), "Access is \x1b[2Jdenied"))
        assert await wait_for(pilot, lambda: any("denied" in t for t in app.toasts))
        for _ in range(5):
            await pilot.pause()
        said = [t for t in app.toasts if "denied" in t]
        assert len(said) == 1 and "\x1b" not in said[0], said
        assert said[0].startswith("Could not delete the event: Access is ")
