"""Contact and calendar operations against the emulator: contacts created in a folder,
calendars created, renamed, recoloured and deleted (applied at once, reverted on failure)."""

from __future__ import annotations

from typing import Any

import pytest

from olk_tui.domain.errors import GraphError
from olk_tui.domain.ids import CalendarId, ContactFolderId, ContactId, EventId
from olk_tui.domain.operations import (
    CreateCalendar,
    DeleteCalendar,
    SaveContact,
    SaveEvent,
    UpdateCalendar,
    from_json,
    to_json,
)
from olk_tui.emulator import calendar_store
from olk_tui.graph.client import json_object
from olk_tui.sync.api import OperationFailed

from .conftest import Harness


async def test_contact_created_in_a_folder_goes_to_that_folder(hi: Harness) -> None:
    h = hi
    folder = json_object(await h.svc.client.request(
        "POST", "/me/contactFolders", json={"displayName": "Suppliers"}))
    fid = ContactFolderId(str(folder["id"]))
    op = SaveContact(fields={"displayName": "Vera Vendor", "emailAddresses": [
        {"address": "vera@vendor.example", "name": "Vera"}]}, local_id=ContactId("local-v"),
        folder_id=fid)
    assert from_json(to_json(op)) == op
    await h.account.contacts.submit(op)
    shown = await h.account.contacts.contacts("vera")
    assert [(c.id, c.folder_id) for c in shown] == [("local-v", fid)]
    await h.svc.runner.run_once()
    made = [c for c in h.mb.contacts.values() if c.get("displayName") == "Vera Vendor"]
    assert len(made) == 1 and made[0]["parentFolderId"] == fid
    shown = await h.account.contacts.contacts("vera")
    assert [(c.id, c.folder_id) for c in shown] == [(made[0]["id"], fid)]


def _emu_calendar(h: Harness, name: str) -> list[dict[str, Any]]:
    return [c for c in h.mb.calendars.values() if c.get("name") == name]


async def test_calendar_created_shows_at_once_and_becomes_the_servers(hi: Harness) -> None:
    h = hi
    op = CreateCalendar(name="Hiking", color="lightGreen", local_id=CalendarId("local-cal"))
    assert from_json(to_json(op)) == op
    await h.account.calendar.submit(op)
    assert ("local-cal", "Hiking", "lightGreen") in [
        (c.id, c.name, c.color) for c in await h.account.calendar.calendars()]
    # an event made in the new calendar before it reached the server goes there too
    await h.account.calendar.submit(SaveEvent(calendar_id=CalendarId("local-cal"), fields={
        "subject": "Ridge walk", "start": {"dateTime": "2031-06-01T08:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2031-06-01T12:00:00", "timeZone": "UTC"}},
        local_id=EventId("local-walk")))
    await h.svc.pim_sync.sync_calendars()  # a sync before the send keeps the placeholder
    assert "local-cal" in {c.id for c in await h.account.calendar.calendars()}
    await h.svc.runner.run_once()
    made = _emu_calendar(h, "Hiking")
    assert len(made) == 1 and made[0]["color"] == "lightGreen"
    cals = {c.id: c for c in await h.account.calendar.calendars()}
    assert "local-cal" not in cals and cals[made[0]["id"]].name == "Hiking"
    walk = [e for e in h.mb.events.values() if e.get("subject") == "Ridge walk"]
    assert len(walk) == 1
    assert calendar_store.data(h.mb).event_calendar[walk[0]["id"]] == made[0]["id"]


async def test_calendar_renamed_recoloured_and_deleted(hi: Harness) -> None:
    h = hi
    await h.svc.engine.run_pass()
    cal = json_object(await h.svc.client.request("POST", "/me/calendars",
                                                 json={"name": "Book club"}))
    cid = CalendarId(str(cal["id"]))
    await h.svc.pim_sync.sync_calendars()
    await h.account.calendar.submit(UpdateCalendar(calendar_id=cid, name="Reading",
                                                   color="lightRed"))
    shown = {c.id: c for c in await h.account.calendar.calendars()}
    assert (shown[cid].name, shown[cid].color) == ("Reading", "lightRed")
    await h.svc.runner.run_once()
    assert (h.mb.calendars[cid]["name"], h.mb.calendars[cid]["color"]) == ("Reading",
                                                                           "lightRed")
    await h.account.calendar.submit(DeleteCalendar(calendar_id=cid))
    assert cid not in {c.id for c in await h.account.calendar.calendars()}
    await h.svc.runner.run_once()
    assert cid not in h.mb.calendars
    assert not h.of(OperationFailed)


async def test_refused_calendar_operations_are_reverted(hi: Harness) -> None:
    h = hi
    await h.svc.pim_sync.sync_calendars()
    cals = await h.account.calendar.calendars()
    default = next(c for c in cals if c.is_default)
    # the default calendar cannot be deleted: it comes back
    await h.account.calendar.submit(DeleteCalendar(calendar_id=default.id))
    assert default.id not in {c.id for c in await h.account.calendar.calendars()}
    await h.svc.runner.run_once()
    assert [c.id for c in await h.account.calendar.calendars()] == [c.id for c in cals]
    # a name already taken: the placeholder goes away
    await h.account.calendar.submit(CreateCalendar(name=default.name,
                                                   local_id=CalendarId("local-dup")))
    await h.svc.runner.run_once()
    assert [c.id for c in await h.account.calendar.calendars()] == [c.id for c in cals]
    assert len(h.of(OperationFailed)) == 2
    assert len(_emu_calendar(h, default.name)) == 1


async def test_calendar_creation_replayed_after_a_lost_answer_creates_one(
        hi: Harness) -> None:
    h = hi
    h.emu.faults.add("504", regex=r"/calendars$", method="POST", times=1, after=True)
    await h.account.calendar.submit(CreateCalendar(name="Garden",
                                                   local_id=CalendarId("local-g")))
    with pytest.raises(GraphError):
        await h.svc.runner.run_once()
    assert len(_emu_calendar(h, "Garden")) == 1  # it was made; the answer was lost
    await h.svc.runner.run_once()
    assert len(_emu_calendar(h, "Garden")) == 1
    assert not h.of(OperationFailed)
    ids = {c.id for c in await h.account.calendar.calendars()}
    assert _emu_calendar(h, "Garden")[0]["id"] in ids and "local-g" not in ids
