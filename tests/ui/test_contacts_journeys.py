"""Contacts journeys over the real stack (emulator -> Graph client -> cache -> sync -> UI):
create, edit, delete and search, checked on the emulator's state; "write mail to"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from textual.app import App
from textual.widgets import Input, OptionList

from olk_tui.commands.app import DEMO_BASE, demo_account
from olk_tui.config import Settings
from olk_tui.domain.mail import Recipient
from olk_tui.emulator import Emulator
from olk_tui.sync.api import Account
from olk_tui.ui.contacts import ContactForm, ContactsScreen
from olk_tui.ui.errors import WorkerFailed


class StackApp(App[None]):
    """A small app holding an account, showing one screen, recording worker failures."""

    def __init__(self, account: Account, make_screen: Callable[[], Any]) -> None:
        super().__init__()
        self.account, self.settings = account, Settings()
        self.make_screen = make_screen
        self.failures: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())

    def on_worker_failed(self, message: WorkerFailed) -> None:
        self.failures.append(f"{message.doing}: {message.error!r}")


def server_get(emu: Emulator, path: str, **params: str) -> Any:
    """GET a Graph path straight from the emulator's state."""
    with httpx.Client(transport=emu.sync_transport(), base_url=DEMO_BASE) as http:
        response = http.get(f"/v1.0{path}", params=params)
        response.raise_for_status()
        return response.json()


def server_contacts(emu: Emulator) -> list[dict[str, Any]]:
    return server_get(emu, "/me/contacts", **{"$top": "999"})["value"]


async def wait_for(pilot, predicate: Callable[[], object], tries: int = 200) -> bool:
    for _ in range(tries):
        if predicate():
            return True
        await pilot.pause(0.05)
    return bool(predicate())


async def started_stack(size: int = 200) -> tuple[Emulator, Account, Callable[[], None]]:
    emu = Emulator.demo(size=size)
    account, cleanup = demo_account(Settings(), emulator=emu)
    await account.start()  # type: ignore[misc]
    return emu, account, cleanup


async def fill(pilot, form: ContactForm, **values: str) -> None:
    for key, value in values.items():
        form.query_one(f"#{key}", Input).value = value
    await pilot.pause()


async def test_contacts_create_edit_delete_reach_the_emulator() -> None:
    emu, account, cleanup = await started_stack()
    app = StackApp(account, lambda: ContactsScreen())
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            assert isinstance(screen, ContactsScreen)
            # The demo's contacts arrive with the first sync pass.
            assert await wait_for(pilot, lambda: len(screen.shown) > 5)
            before = len(server_contacts(emu))

            # Create: the form refuses an empty contact, then saves a real one.
            await pilot.press("n")
            form = app.screen
            assert isinstance(form, ContactForm)
            await pilot.press("ctrl+s")
            assert app.screen is form
            problem = str(form.query_one("#problem").render())
            assert "name or an email" in problem
            await fill(pilot, form, given_name="Zed", surname="Quinlan",
                       emails="zed@fabrikam.example", company_name="Fabrikam",
                       job_title="Buyer", city="Oslo", birthday="1990-04-23",
                       business_phones="+47 1, +47 2")
            await pilot.press("ctrl+s")
            assert app.screen is screen

            def created() -> dict[str, Any] | None:
                return next((c for c in server_contacts(emu)
                             if c.get("displayName") == "Zed Quinlan"), None)

            assert await wait_for(pilot, created)
            server = created()
            assert server is not None
            assert server["emailAddresses"][0]["address"] == "zed@fabrikam.example"
            assert server["companyName"] == "Fabrikam"
            assert server["businessPhones"] == ["+47 1", "+47 2"]
            assert server["businessAddress"]["city"] == "Oslo"
            assert server["birthday"].startswith("1990-04-23")
            assert len(server_contacts(emu)) == before + 1

            # Instant search narrows the list as you type.
            await pilot.press("slash", *"quinl")
            assert await wait_for(pilot, lambda: [c.display_name for c in screen.shown]
                                  == ["Zed Quinlan"])
            await pilot.press("enter")
            assert await wait_for(pilot, lambda: screen.current is not None
                                  and not screen.current.id.startswith("local-"))

            # Edit: a bad address is refused, then a new job title and notes are saved.
            await pilot.press("e")
            form = app.screen
            assert isinstance(form, ContactForm)
            await fill(pilot, form, emails="not an address")
            await pilot.press("ctrl+s")
            assert app.screen is form
            assert "Email" in str(form.query_one("#problem").render())
            await fill(pilot, form, emails="zed@fabrikam.example", job_title="Head buyer")
            await pilot.press("ctrl+s")
            assert app.screen is screen
            assert await wait_for(pilot, lambda: (created() or {}).get("jobTitle")
                                  == "Head buyer")

            # Delete: cancelled once, then confirmed.
            await pilot.press("d")
            await pilot.press("n")
            assert app.screen is screen and created() is not None
            await pilot.press("d", "y")
            assert await wait_for(pilot, lambda: created() is None)
            assert len(server_contacts(emu)) == before
            assert app.failures == []
    finally:
        if account.close is not None:
            await account.close()  # type: ignore[misc]
        cleanup()


async def test_write_mail_to_and_folders() -> None:
    _emu, account, cleanup = await started_stack()
    written: list[Recipient] = []
    app = StackApp(account, lambda: ContactsScreen(write_to=written.append))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            assert isinstance(screen, ContactsScreen)
            assert await wait_for(pilot, lambda: len(screen.shown) > 5 and screen.folders)
            everyone = len(screen.shown)
            # Pick the first real folder ("Family" in the demo): the list narrows to it.
            await pilot.press("f", "down", "enter")
            family = screen.folders[0]
            assert screen.folder == family.id
            assert screen.shown and len(screen.shown) < everyone
            assert all(c.folder_id == family.id for c in screen.shown)
            contact = screen.current
            assert contact is not None and contact.emails
            await pilot.press("w")
            if len(contact.emails) > 1:
                await pilot.press("1")
            assert [r.address for r in written] == [contact.emails[0].address]
            options = screen.query_one("#contacts-list", OptionList)
            assert options.option_count == len(screen.shown)
    finally:
        if account.close is not None:
            await account.close()  # type: ignore[misc]
        cleanup()


async def test_write_mail_opens_the_composer_in_the_real_app() -> None:
    from olk_tui.ui.app import make_app
    from olk_tui.ui.compose.screen import ComposeScreen

    _emu, account, cleanup = await started_stack()
    app = make_app(Settings(), account)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = ContactsScreen()  # takes the account from the app, like a mode
            await app.push_screen(screen)
            assert await wait_for(pilot, lambda: len(screen.shown) > 5)
            contact = screen.current
            assert contact is not None and contact.emails
            await pilot.press("w")
            if len(contact.emails) > 1:
                await pilot.press("1")
            assert await wait_for(pilot, lambda: isinstance(app.screen, ComposeScreen))
            composer = app.screen
            assert isinstance(composer, ComposeScreen)
            draft = composer.build_draft()
            assert [r.address for r in draft.to] == [contact.emails[0].address]
    finally:
        cleanup()
