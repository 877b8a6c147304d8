"""Snapshots of the contacts screen at 80x24 and 160x48 (fixed data, TZ=UTC from the suite's
conftest, cursor blink off), including a hostile contact name shown as plain text."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from textual.app import App

from olk_tui.config import Settings
from olk_tui.domain.contacts import Contact, ContactFolder, PhysicalAddress
from olk_tui.domain.ids import ContactFolderId, ContactId
from olk_tui.domain.mail import Recipient
from olk_tui.domain.operations import Operation
from olk_tui.ui.contacts import ContactsScreen
from olk_tui.ui.demo_data import fixed_now
from olk_tui.ui.testing import fake_account

SIZES = [(80, 24), (160, 48)]
FAMILY = ContactFolderId("family")


def contacts() -> list[Contact]:
    rosa = Contact(
        id=ContactId("c1"), display_name="Rosa Jensen", given_name="Rosa", surname="Jensen",
        emails=(Recipient("rosa.jensen@contoso.example", "Rosa Jensen"),
                Recipient("rosa@home.example", "Rosa")),
        business_phones=("+1 425 555 7601",), mobile_phone="+1 425 555 0100",
        company_name="Contoso", job_title="Director", department="Legal",
        business_address=PhysicalAddress("269 Main St", "Redmond", "WA", "98052",
                                         "United States"),
        birthday=date(1984, 4, 23), personal_notes="Prefers mornings.\nLikes [b]tea[/b].")
    hostile = Contact(id=ContactId("c2"), display_name="Eve \x1b[31m\u202eevil [red]x[/red]",
                      emails=(Recipient("eve@fabrikam.example", "Eve"),))
    mum = Contact(id=ContactId("c3"), display_name="Mum", folder_id=FAMILY,
                  emails=(Recipient("mum@home.example", "Mum"),))
    return [hostile, mum, rosa]


class SnapContacts:
    """A fixed contacts repository."""

    async def folders(self) -> list[ContactFolder]:
        return [ContactFolder(FAMILY, "Family")]

    async def contacts(self, text: str = "", limit: int = 500) -> list[Contact]:
        return [c for c in contacts() if text.lower() in c.display_name.lower()][:limit]

    async def complete(self, prefix: str, limit: int = 10) -> list[Recipient]:
        return []

    async def submit(self, op: Operation) -> None:
        pass


class ContactsApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.account = dataclasses.replace(fake_account(10, now=fixed_now()),
                                           contacts=SnapContacts())
        self.settings = Settings()

    def on_mount(self) -> None:
        self.push_screen(ContactsScreen())


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_contacts_screen(snap_compare, size: tuple[int, int]) -> None:
    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("down", "down")  # Rosa: the full detail
        await _settle(pilot)

    assert snap_compare(ContactsApp(), terminal_size=size, run_before=run_before)


async def test_hostile_name_is_plain_text() -> None:
    app = ContactsApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        shown = str(screen.query_one("#contacts-detail").render())
        assert "\x1b" not in shown and "\u202e" not in shown
        assert "[red]x[/red]" in shown  # markup is text, not style
