"""Contact and calendar operations against the emulator: contacts created in a folder,
calendars created, renamed, recoloured and deleted (applied at once, reverted on failure)."""

from __future__ import annotations

from olk_tui.domain.ids import ContactFolderId, ContactId
from olk_tui.domain.operations import SaveContact, from_json, to_json
from olk_tui.graph.client import json_object

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
