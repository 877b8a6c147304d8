"""The generated demo mailbox: ``build(emulator, size=3000, seed=0)``.

Megan Bowen (``megan@contoso.example``, Pacific time, working 08:00-17:00) with a realistic
mailbox (``demo_mail.py``), a few hundred contacts and two calendars (``demo_calendar.py``), and
a second local mailbox, Adele Vance (``adele@contoso.example``, Eastern time), so invitations,
responses and free/busy between two people work. Everything is generated in code, relative to
the emulator's clock (freeze it for reproducible dates); the same seed gives the same ids.
"""

from __future__ import annotations

import gc
from datetime import UTC
from typing import Any

from olk_tui.emulator import calendar_store, contacts, settings
from olk_tui.emulator.demo_calendar import CalendarBuilder, build_contacts
from olk_tui.emulator.demo_mail import MailBuilder

MEGAN = ("megan@contoso.example", "Megan Bowen")
ADELE = ("adele@contoso.example", "Adele Vance")


def _seed_ids(emu: Any, seed: int) -> None:
    """Make the emulator's id factory deterministic for this seed (ids must repeat per seed):
    every id then depends only on the seed and creation order."""
    ids = getattr(emu, "ids", None)
    if ids is not None and hasattr(ids, "reseed"):
        ids.reseed(f"olk-tui-demo-{seed}")


def _mailbox(emu: Any, address: str, name: str) -> Any:
    found = emu.mailbox(address)
    return found if found is not None else emu.add_mailbox(address, name)


def _configure(box: Any, time_zone: str, start: str, end: str, **me: Any) -> None:
    prefs = settings.settings_of(box)
    prefs["timeZone"] = time_zone
    prefs["workingHours"] = {
        "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
        "startTime": f"{start}:00.0000000", "endTime": f"{end}:00.0000000",
        "timeZone": {"name": time_zone}}
    box.me.update(me)
    calendar_store.data(box)  # the default calendar exists from the start
    contacts.default_folder(box)


def build(emulator: Any, size: int = 3000, seed: int = 0) -> None:
    """Fill ``emulator`` with the demo: Megan (the default ``/me``) and Adele.

    Args:
        emulator: an ``Emulator`` with no mailboxes yet (or Megan's only).
        size: how many messages the Inbox gets (100,000 builds in a few seconds).
        seed: varies names, subjects and ids; the same seed builds the same mailbox.
    """
    if not emulator.mailboxes:
        _seed_ids(emulator, seed)
    # Building 100,000 dicts makes the cyclic GC rescan a growing heap again and again; none of
    # this data has cycles to collect, so pause it for the build (about half the time).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        _build(emulator, size, seed)
    finally:
        if was_enabled:
            gc.enable()


def _build(emulator: Any, size: int, seed: int) -> None:
    with emulator.lock if hasattr(emulator, "lock") else _NoLock():
        megan = _mailbox(emulator, *MEGAN)
        adele = _mailbox(emulator, *ADELE)
        now = emulator.clock.now().astimezone(UTC)
        _configure(megan, "Pacific Standard Time", "08:00", "17:00", jobTitle="Marketing Manager",
                   officeLocation="12/1110", mobilePhone="+1 412 555 0109",
                   businessPhones=["+1 412 555 0109"])
        _configure(adele, "Eastern Standard Time", "09:00", "17:00", jobTitle="Retail Manager",
                   officeLocation="18/2111")
        people = build_contacts(megan, seed)
        contacts.add_contact(megan, {"givenName": "Adele", "surname": "Vance",
                                     "emailAddresses": [{"name": ADELE[1],
                                                         "address": ADELE[0]}]})
        cats = settings.categories_of(megan)
        cats.extend([{"id": f"demo-category-{name.lower()}", "displayName": name,
                      "color": color} for name, color in (("Apollo", "preset9"),
                                                          ("Zephyr", "preset5"))])
        mail = MailBuilder(megan, people, now, seed)
        mail.inbox(size)
        mail.folders()
        mail.others()
        cal = CalendarBuilder(emulator, megan, adele, people, now, seed)
        cal.series()
        cal.singles()
        cal.family()


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
