"""Contacts, contact folders, delta and /me/people over httpx."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.calendar_harness import client, make_emulator


@pytest.fixture
def emu() -> Any:
    return make_emulator()


def person(given: str, surname: str, address: str) -> dict[str, Any]:
    return {"givenName": given, "surname": surname,
            "emailAddresses": [{"name": f"{given} {surname}", "address": address}],
            "businessPhones": ["+1 555 0100"]}


async def test_contacts_crud(emu: Any) -> None:
    async with client(emu) as me:
        created = await me.post("/contacts", json=person("Garth", "Fort", "garth@fab.example")
                                | {"x-custom": [1, 2]})
        assert created.status_code == 201
        garth = created.json()
        assert garth["displayName"] == "Garth Fort" and garth["x-custom"] == [1, 2]
        assert garth["homeAddress"] == {} and garth["children"] == []
        got = await me.get(f"/contacts/{garth['id']}", params={"$select": "displayName"})
        assert set(got.json()) - {"@odata.context", "@odata.etag"} == {"id", "displayName"}
        patched = await me.patch(f"/contacts/{garth['id']}", json={"jobTitle": "CEO"})
        assert patched.status_code == 200 and patched.json()["jobTitle"] == "CEO"
        default_id = garth["parentFolderId"]
        folders = (await me.get("/contactFolders")).json()["value"]
        assert folders == []  # the default Contacts folder is not listed (FACTS 41)
        made = await me.post("/contactFolders", json={"displayName": "Family"})
        assert made.status_code == 201
        family = made.json()
        assert family["id"] != default_id
        child = await me.post(f"/contactFolders/{family['id']}/childFolders",
                              json={"displayName": "Cousins"})
        assert child.status_code == 201
        kids = (await me.get(f"/contactFolders/{family['id']}/childFolders")).json()["value"]
        assert [k["displayName"] for k in kids] == ["Cousins"]
        assert [f["displayName"] for f in (await me.get("/contactFolders")).json()["value"]] \
            == ["Family"]
        assert (await me.get(f"/contactFolders/{default_id}")).json()["displayName"] == "Contacts"
        mum = await me.post(f"/contactFolders/{family['id']}/contacts",
                            json=person("Ann", "Fort", "ann@home.example"))
        assert mum.json()["parentFolderId"] == family["id"]
        in_family = (await me.get(f"/contactFolders/{family['id']}/contacts")).json()["value"]
        assert [c["givenName"] for c in in_family] == ["Ann"]
        assert [c["givenName"] for c in (await me.get("/contacts")).json()["value"]] == ["Garth"]
        assert (await me.delete(f"/contacts/{garth['id']}")).status_code == 204
        assert (await me.get(f"/contacts/{garth['id']}")).status_code == 404
        assert (await me.delete(f"/contactFolders/{default_id}")).status_code == 403


async def test_contacts_delta_and_folder_delta(emu: Any) -> None:
    async with client(emu) as me:
        ids = [(await me.post("/contacts", json=person(f"P{i}", "X", f"p{i}@x.example"))).json()
               ["id"] for i in range(3)]
        headers = {"Prefer": "odata.maxpagesize=2"}
        first = (await me.get("/contacts/delta", params={"$select": "displayName"},
                              headers=headers)).json()
        assert len(first["value"]) == 2 and "@odata.nextLink" in first
        assert set(first["value"][0]) <= {"id", "displayName", "@odata.etag"}
        second = (await me.get(first["@odata.nextLink"], headers=headers)).json()
        assert [v["id"] for v in first["value"] + second["value"]] == ids
        await me.delete(f"/contacts/{ids[0]}")
        await me.patch(f"/contacts/{ids[1]}", json={"surname": "Y"})
        changes = (await me.get(second["@odata.deltaLink"])).json()
        assert changes["value"][0] == {"id": ids[0], "@removed": {"reason": "deleted"}}
        assert changes["value"][1]["id"] == ids[1]
        folder = (await me.post("/contactFolders", json={"displayName": "Work"})).json()
        fdelta = (await me.get("/contactFolders/delta")).json()
        assert [f["id"] for f in fdelta["value"]] == [folder["id"]]
        emu.expire_delta_tokens()
        assert (await me.get(fdelta["@odata.deltaLink"])).status_code == 410


async def test_people_ranked_and_searchable(emu: Any) -> None:
    box = emu.mailbox("megan@contoso.example")
    inbox = box.resolve_folder("inbox")["id"]
    for n in range(3):
        box.add_message({"subject": f"hi {n}", "from": {"emailAddress": {
            "name": "Isaiah Langer", "address": "isaiah@contoso.example"}}}, inbox)
    box.add_message({"subject": "yo", "from": {"emailAddress": {
        "name": "Irene Gray", "address": "irene@contoso.example"}}}, inbox)
    async with client(emu) as me:
        await me.post("/contacts", json=person("Zoe", "Quinn", "zoe@x.example"))
        ranked = (await me.get("/people")).json()["value"]
        assert ranked[0]["scoredEmailAddresses"][0]["address"] == "zoe@x.example"
        names = [p["displayName"] for p in ranked]
        assert names.index("Isaiah Langer") < names.index("Irene Gray")
        found = (await me.get("/people", params={"$search": '"Ire"'})).json()["value"]
        assert [p["displayName"] for p in found] == ["Irene Gray"]
        top = (await me.get("/people", params={"$top": 1})).json()
        assert len(top["value"]) == 1 and "@odata.nextLink" in top
