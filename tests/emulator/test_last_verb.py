"""Extended properties and the replied/forwarded verbs: returned only when expanded with an id
filter (list, get, delta), set on the original by every way of sending a reply or forward,
reported by delta as a change, and an expand the emulator cannot serve is a Graph 400."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from olk_tui.emulator import Emulator

EXPAND = ("singleValueExtendedProperties($filter=id eq 'Integer 0x1081' "
          "or id eq 'SystemTime 0x1082')")
TO_ALEX = [{"emailAddress": {"address": "alex@contoso.example"}}]
NOW = datetime(2026, 3, 12, 14, 2, tzinfo=UTC)


def _inbox_ids(emu: Emulator) -> list[str]:
    mb = emu.default_mailbox
    return list(mb.sorted_ids(mb.well_known["inbox"]))


def _props(client: httpx.Client, mid: str) -> list[dict[str, str]] | None:
    body = client.get(f"/me/messages/{mid}", params={"$expand": EXPAND,
                                                     "$select": "id,subject"}).json()
    return body.get("singleValueExtendedProperties")


@pytest.fixture(autouse=True)
def _frozen(emu: Emulator) -> None:
    emu.clock.freeze(NOW)


def test_nothing_without_the_expand_and_no_key_when_absent(client: httpx.Client,
                                                          emu: Emulator) -> None:
    mid = _inbox_ids(emu)[0]
    plain = client.get(f"/me/messages/{mid}").json()
    assert "singleValueExtendedProperties" not in plain
    assert _props(client, mid) is None


@pytest.mark.parametrize(("action", "verb"), [("reply", "102"), ("replyAll", "103"),
                                              ("forward", "104")])
def test_actions_mark_the_original(client: httpx.Client, emu: Emulator, action: str,
                                   verb: str) -> None:
    mid = _inbox_ids(emu)[0]
    before = client.get(f"/me/messages/{mid}").json()
    emu.clock.advance(60)
    body = {"comment": "ok", **({"toRecipients": TO_ALEX} if action == "forward" else {})}
    assert client.post(f"/me/messages/{mid}/{action}", json=body).status_code == 202
    assert _props(client, mid) == [{"id": "Integer 0x1081", "value": verb},
                                   {"id": "SystemTime 0x1082", "value": "2026-03-12T14:03:00Z"}]
    after = client.get(f"/me/messages/{mid}").json()
    assert after["changeKey"] != before["changeKey"]
    assert after["lastModifiedDateTime"] == "2026-03-12T14:03:00Z"
    # Still only when asked for.
    assert "singleValueExtendedProperties" not in after


@pytest.mark.parametrize(("create", "verb"), [("createReply", "102"),
                                              ("createReplyAll", "103"),
                                              ("createForward", "104")])
def test_drafts_mark_the_original_when_sent(client: httpx.Client, emu: Emulator, create: str,
                                            verb: str) -> None:
    mid = _inbox_ids(emu)[1]
    draft = client.post(f"/me/messages/{mid}/{create}", json={}).json()
    assert "_origin" not in draft and "singleValueExtendedProperties" not in draft
    assert client.patch(f"/me/messages/{draft['id']}",
                        json={"toRecipients": TO_ALEX}).status_code == 200
    assert _props(client, mid) is None  # creating the draft is not replying
    assert client.post(f"/me/messages/{draft['id']}/send").status_code == 202
    assert _props(client, mid) == [{"id": "Integer 0x1081", "value": verb},
                                   {"id": "SystemTime 0x1082", "value": "2026-03-12T14:02:00Z"}]


def test_sent_and_delivered_copies_carry_no_verb(client: httpx.Client, emu: Emulator) -> None:
    mb = emu.default_mailbox
    mid = _inbox_ids(emu)[0]
    client.post(f"/me/messages/{mid}/forward", json={"comment": "x", "toRecipients": TO_ALEX})
    alex = emu.mailbox("alex@contoso.example")
    assert alex is not None
    delivered = alex.sorted_ids(alex.well_known["inbox"])[0]
    sent = mb.sorted_ids(mb.well_known["sentitems"])[0]
    for box, other in ((alex, delivered), (mb, sent)):
        msg = box.messages[other]
        assert "_origin" not in msg and not msg.get("_svep")
    # Forwarding the forward later marks only that one.
    client.post(f"/me/messages/{sent}/forward", json={"comment": "x", "toRecipients": TO_ALEX})
    assert _props(client, sent) is not None


def test_list_returns_the_property_only_on_marked_messages(client: httpx.Client,
                                                           emu: Emulator) -> None:
    a, b = _inbox_ids(emu)[:2]
    client.post(f"/me/messages/{a}/reply", json={"comment": "ok"})
    page = client.get("/me/mailFolders/inbox/messages", params={
        "$select": "id", "$expand": EXPAND, "$top": "50"}).json()["value"]
    by_id = {m["id"]: m for m in page}
    assert by_id[a]["singleValueExtendedProperties"][0] == {"id": "Integer 0x1081",
                                                           "value": "102"}
    assert "singleValueExtendedProperties" not in by_id[b]
    only_verb = client.get("/me/messages", params={
        "$select": "id", "$top": "50",
        "$expand": "singleValueExtendedProperties($filter=id eq 'Integer 0x1081')"}).json()
    mine = next(m for m in only_verb["value"] if m["id"] == a)
    assert mine["singleValueExtendedProperties"] == [{"id": "Integer 0x1081", "value": "102"}]


def test_delta_reports_the_mark_as_a_change(client: httpx.Client, emu: Emulator) -> None:
    params = {"$select": "id,subject", "$expand": EXPAND}
    url = "/me/mailFolders/inbox/messages/delta"
    resp = client.get(url, params=params, headers={"Prefer": "odata.maxpagesize=1000"}).json()
    while "@odata.nextLink" in resp:
        resp = client.get(resp["@odata.nextLink"]).json()
    assert all("singleValueExtendedProperties" not in m for m in resp["value"])
    delta = resp["@odata.deltaLink"]
    mid = _inbox_ids(emu)[3]
    client.post(f"/me/messages/{mid}/forward", json={"comment": "x", "toRecipients": TO_ALEX})
    changes = client.get(delta).json()["value"]
    assert [c["id"] for c in changes] == [mid]
    assert changes[0]["singleValueExtendedProperties"][0]["value"] == "104"


def test_patch_and_seed_set_properties_in_graph_form(client: httpx.Client,
                                                     emu: Emulator) -> None:
    mid = _inbox_ids(emu)[0]
    resp = client.patch(f"/me/messages/{mid}", json={"singleValueExtendedProperties": [
        {"id": "integer 0x00001081", "value": "103"}]})
    assert resp.status_code == 200 and "singleValueExtendedProperties" not in resp.json()
    assert _props(client, mid) == [{"id": "Integer 0x1081", "value": "103"}]
    # A client cannot reach the private fields.
    client.patch(f"/me/messages/{mid}", json={"_svep": {"Integer 0x1081": "104"}})
    assert _props(client, mid) == [{"id": "Integer 0x1081", "value": "103"}]
    mb = emu.default_mailbox
    seeded = mb.add_message({"subject": "seeded", "singleValueExtendedProperties": [
        {"id": "Integer 0x1081", "value": "104"}]}, mb.well_known["inbox"])
    assert _props(client, seeded["id"]) == [{"id": "Integer 0x1081", "value": "104"}]
    with pytest.raises(ValueError, match="singleValueExtendedProperties"):  # seed error
        mb.add_message({"singleValueExtendedProperties": "102"}, mb.well_known["inbox"])
    bad = client.patch(f"/me/messages/{mid}", json={"singleValueExtendedProperties": [
        {"id": "Integer 0x1081", "value": 103}]})
    assert bad.status_code == 400 and bad.json()["error"]["code"]


@pytest.mark.parametrize("expand", [
    "singleValueExtendedProperties",
    "singleValueExtendedProperties($select=id)",
    "singleValueExtendedProperties($filter=value eq '102')",
    "singleValueExtendedProperties($filter=id ne 'Integer 0x1081')",
    "singleValueExtendedProperties($filter=id eq 'Integer 0x1081' and id eq 'String 0x1')",
    "singleValueExtendedProperties($filter=id eq 'Nonsense 0x1081')",
    "singleValueExtendedProperties($filter=id eq 'Integer 1081')",
    "multiValueExtendedProperties($filter=id eq 'Integer 0x1081')",
])
@pytest.mark.parametrize("where", ["get", "list", "delta"])
def test_expands_it_cannot_serve_are_graph_errors(client: httpx.Client, emu: Emulator,
                                                  expand: str, where: str) -> None:
    url = {"get": f"/me/messages/{_inbox_ids(emu)[0]}",
           "list": "/me/mailFolders/inbox/messages",
           "delta": "/me/mailFolders/inbox/messages/delta"}[where]
    resp = client.get(url, params={"$expand": expand})
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["code"] and error["message"]


def test_batch_reply_marks_the_original(client: httpx.Client, emu: Emulator) -> None:
    mid = _inbox_ids(emu)[2]
    resp = client.post("/$batch", json={"requests": [
        {"id": "1", "method": "POST", "url": f"/me/messages/{mid}/reply",
         "headers": {"Content-Type": "application/json"}, "body": {"comment": "ok"}}]})
    assert resp.json()["responses"][0]["status"] == 202
    assert (_props(client, mid) or [{}])[0].get("value") == "102"


def test_mime_reply_marks_the_original(client: httpx.Client, emu: Emulator) -> None:
    import base64

    mid = _inbox_ids(emu)[4]
    mime = (b"To: alex@contoso.example\r\nSubject: RE: x\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: text/plain\r\n\r\nOK\r\n")
    resp = client.post(f"/me/messages/{mid}/reply", content=base64.b64encode(mime),
                       headers={"Content-Type": "text/plain"})
    assert resp.status_code == 202
    assert (_props(client, mid) or [{}])[0].get("value") == "102"
