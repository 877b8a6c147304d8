"""OData rules on message lists: opaque skiptoken paging, $select, $top bounds, $filter forms,
InefficientFilter, $search restrictions and KQL, $count, $expand, unsupported forms -> 400."""

from __future__ import annotations

import base64

import httpx
import pytest

from olk_tui.emulator import Emulator
from tests.emulator.conftest import BASE, make_emulator


def _all_pages(client: httpx.Client, url: str, params: dict[str, str] | None = None
               ) -> list[dict]:
    items: list[dict] = []
    resp = client.get(url, params=params)
    while True:
        assert resp.status_code == 200, resp.text
        body = resp.json()
        items.extend(body["value"])
        link = body.get("@odata.nextLink")
        if not link:
            return items
        resp = client.get(link)


def test_paging_uses_an_opaque_skiptoken_and_covers_the_folder_once(client: httpx.Client,
                                                                    emu: Emulator) -> None:
    first = client.get("/me/mailFolders/inbox/messages", params={"$top": "7"}).json()
    link = first["@odata.nextLink"]
    assert "$skiptoken=" in link and "$skip=" not in link
    # The token names server-side state: a readable offset in its place is refused.
    assert client.get("/me/mailFolders/inbox/messages",
                      params={"$skiptoken": "7"}).status_code == 400
    items = _all_pages(client, "/me/mailFolders/inbox/messages", {"$top": "7"})
    mb = emu.default_mailbox
    assert [m["id"] for m in items] == mb.sorted_ids(mb.well_known["inbox"])
    stamps = [m["receivedDateTime"] for m in items]
    assert stamps == sorted(stamps, reverse=True)


def test_default_page_size_is_ten(client: httpx.Client) -> None:
    body = client.get("/me/messages").json()
    assert len(body["value"]) == 10 and "@odata.nextLink" in body


def test_a_forged_skiptoken_is_rejected(client: httpx.Client) -> None:
    resp = client.get("/me/messages", params={"$skiptoken": "c2tpcD0xMA"})
    assert resp.status_code == 400
    assert resp.json()["error"]["innerError"]["request-id"]


def test_select_returns_only_chosen_fields_plus_id_and_etag(client: httpx.Client) -> None:
    body = client.get("/me/messages", params={"$select": "subject,isRead", "$top": "3"}).json()
    for item in body["value"]:
        assert set(item) == {"subject", "isRead", "id", "@odata.etag"}


def test_select_of_an_unknown_property_is_400(client: httpx.Client) -> None:
    resp = client.get("/me/messages", params={"$select": "subjekt"})
    assert resp.status_code == 400
    assert "subjekt" in resp.json()["error"]["message"]


@pytest.mark.parametrize(("top", "status"), [("0", 400), ("1", 200), ("1000", 200),
                                             ("1001", 400), ("x", 400)])
def test_top_bounds(client: httpx.Client, top: str, status: int) -> None:
    assert client.get("/me/messages", params={"$top": top}).status_code == status


@pytest.mark.parametrize(("flt", "check"), [
    ("isRead eq false", lambda m: m["isRead"] is False),
    ("flag/flagStatus eq 'flagged'", lambda m: m["flag"]["flagStatus"] == "flagged"),
    ("importance eq 'high'", lambda m: m["importance"] == "high"),
    ("hasAttachments eq false", lambda m: m["hasAttachments"] is False),
    ("categories/any(c:c eq 'Red category')", lambda m: "Red category" in m["categories"]),
    ("from/emailAddress/address eq 'ADELE@contoso.example'",
     lambda m: m["from"]["emailAddress"]["address"] == "adele@contoso.example"),
    ("receivedDateTime ge 2024-06-01T00:00:00Z and receivedDateTime lt 2025-01-01T00:00:00Z",
     lambda m: "2024-06-01" <= m["receivedDateTime"] < "2025-01-01"),
])
def test_filter_forms(client: httpx.Client, emu: Emulator, flt: str, check) -> None:
    items = _all_pages(client, "/me/mailFolders/inbox/messages", {"$filter": flt, "$top": "50"})
    mb = emu.default_mailbox
    expected = [i for i in mb.sorted_ids(mb.well_known["inbox"]) if check(mb.messages[i])]
    assert expected, flt
    assert [m["id"] for m in items] == expected


@pytest.mark.parametrize("flt", ["subject has 'x'", "nosuch eq 1", "isRead eq", "(isRead eq true"])
def test_unsupported_filters_are_400_not_ignored(client: httpx.Client, flt: str) -> None:
    assert client.get("/me/messages", params={"$filter": flt}).status_code == 400


def test_orderby_must_lead_the_filter_or_inefficientfilter(client: httpx.Client) -> None:
    bad = client.get("/me/messages", params={
        "$filter": "isRead eq false and receivedDateTime ge 2024-01-01T00:00:00Z",
        "$orderby": "receivedDateTime desc"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "InefficientFilter"
    missing = client.get("/me/messages", params={"$filter": "isRead eq false",
                                                 "$orderby": "receivedDateTime desc"})
    assert missing.json()["error"]["code"] == "InefficientFilter"
    good = client.get("/me/messages", params={
        "$filter": "receivedDateTime ge 2024-01-01T00:00:00Z and isRead eq false",
        "$orderby": "receivedDateTime asc", "$top": "100"})
    assert good.status_code == 200
    stamps = [m["receivedDateTime"] for m in good.json()["value"]]
    assert stamps == sorted(stamps)


def test_search_rejects_orderby_and_filter(client: httpx.Client) -> None:
    r1 = client.get("/me/messages", params={"$search": '"lunch"',
                                            "$orderby": "receivedDateTime desc"})
    assert r1.status_code == 400 and "$orderBy" in r1.json()["error"]["message"]
    r2 = client.get("/me/messages", params={"$search": '"lunch"', "$filter": "isRead eq true"})
    assert r2.status_code == 400


def test_search_is_rejected_in_delta(client: httpx.Client) -> None:
    resp = client.get("/me/mailFolders/inbox/messages/delta", params={"$search": '"x"'})
    assert resp.status_code == 400


@pytest.mark.parametrize(("query", "check"), [
    ('"subject:lunch"', lambda m: "lunch" in m["subject"].lower()),
    ('"from:adele"', lambda m: m["from"]["emailAddress"]["address"].startswith("adele")),
    ('"lunch"', lambda m: "lunch" in (m["subject"] + m["body"]["content"]).lower()),
    ('"received>=2025-06-01"', lambda m: m["receivedDateTime"] >= "2025-06-01"),
    ('"hasAttachments:false subject:invoice"',
     lambda m: not m["hasAttachments"] and "invoice" in m["subject"].lower()),
    ('"to:megan"', lambda m: True),
])
def test_kql_terms(client: httpx.Client, emu: Emulator, query: str, check) -> None:
    items = _all_pages(client, "/me/messages", {"$search": query, "$top": "100"})
    mb = emu.default_mailbox
    expected = {i for i, m in mb.messages.items() if check(m)}
    assert {m["id"] for m in items} == expected
    sent = [m["sentDateTime"] for m in items]
    assert sent == sorted(sent, reverse=True)


def test_search_returns_at_most_1000() -> None:
    emu = make_emulator(1010)
    with httpx.Client(transport=emu.sync_transport(), base_url=BASE) as c:
        items = _all_pages(c, "/me/messages", {"$search": '"megan"', "$top": "500"})
    assert len(items) == 1000


def test_count_and_expand_attachments(client: httpx.Client, emu: Emulator) -> None:
    mb = emu.default_mailbox
    mid = mb.sorted_ids(mb.well_known["inbox"])[0]
    mb.add_attachment(mid, {"@odata.type": "#microsoft.graph.fileAttachment", "name": "a.txt",
                            "contentBytes": base64.b64encode(b"abc").decode()})
    body = client.get("/me/mailFolders/inbox/messages",
                      params={"$count": "true", "$top": "1", "$expand": "attachments"}).json()
    assert body["@odata.count"] == len(mb.folder_index[mb.well_known["inbox"]])
    assert body["value"][0]["attachments"][0]["name"] == "a.txt"
    assert body["value"][0]["hasAttachments"] is True
    assert client.get("/me/messages", params={"$expand": "nope"}).status_code == 400


def test_unknown_query_option_is_400(client: httpx.Client) -> None:
    assert client.get("/me/messages", params={"$apply": "x"}).status_code == 400


def test_listing_reuses_the_cached_folder_order(emu: Emulator, client: httpx.Client) -> None:
    mb = emu.default_mailbox
    client.get("/me/mailFolders/inbox/messages")
    cached = mb.sorted_ids(mb.well_known["inbox"])
    client.get("/me/mailFolders/inbox/messages", params={"$top": "5"})
    assert mb.sorted_ids(mb.well_known["inbox"]) is cached


def test_nextlink_keeps_an_encoded_folder_id_as_sent() -> None:
    from urllib.parse import quote

    emu = make_emulator(40)
    fid = emu.default_mailbox.well_known["inbox"]
    assert "=" in fid
    with emu.serve() as server, httpx.Client(base_url=server.base_url + "/v1.0") as c:
        seen: list[str] = []
        resp = c.get(f"/me/mailFolders/{quote(fid, safe='')}/messages", params={"$top": "9"})
        while True:
            body = resp.json()
            seen.extend(m["id"] for m in body["value"])
            link = body.get("@odata.nextLink")
            if not link:
                break
            assert "%25" not in link
            resp = c.get(link)
    assert len(seen) == len(set(seen)) == 40


def test_kql_attachment_term_sees_file_names(client: httpx.Client, emu: Emulator) -> None:
    mb = emu.default_mailbox
    mid = mb.sorted_ids(mb.well_known["inbox"])[3]
    mb.add_attachment(mid, {"@odata.type": "#microsoft.graph.fileAttachment",
                            "name": "Budget-2025.xlsx", "contentBytes": "eA=="})
    found = client.get("/me/messages", params={"$search": '"attachment:budget-2025"'}).json()
    assert [m["id"] for m in found["value"]] == [mid]


def test_expand_attachments_with_nested_select(client: httpx.Client, emu: Emulator) -> None:
    """Graph accepts ``$expand=attachments($select=...)`` and serves only those fields."""
    mb = emu.default_mailbox
    mid = mb.sorted_ids(mb.well_known["inbox"])[0]
    mb.add_attachment(mid, {"@odata.type": "#microsoft.graph.fileAttachment", "name": "a.txt",
                            "contentType": "text/plain",
                            "contentBytes": base64.b64encode(b"abc").decode()})
    expand = "attachments($select=name,size,contentType,isInline)"
    one = client.get(f"/me/messages/{mid}", params={"$expand": expand,
                                                     "$select": "subject"})
    assert one.status_code == 200, one.text
    att = one.json()["attachments"][0]
    assert att["name"] == "a.txt" and att["size"] == 3 and att["isInline"] is False
    assert att["@odata.type"] == "#microsoft.graph.fileAttachment" and "id" in att
    assert "contentBytes" not in att
    listed = client.get("/me/mailFolders/inbox/messages",
                        params={"$top": "1", "$expand": expand}).json()["value"][0]
    assert set(listed["attachments"][0]) <= {"@odata.type", "id", "name", "size",
                                             "contentType", "isInline"}
    # Two expands with nested options, and bad nested forms.
    assert client.get(f"/me/messages/{mid}", params={
        "$expand": "attachments($select=name)"}).json()["attachments"][0].keys() >= {"name"}
    assert client.get(f"/me/messages/{mid}", params={
        "$expand": "attachments($select=nope)"}).status_code == 400
    assert client.get(f"/me/messages/{mid}", params={
        "$expand": "attachments($select=name"}).status_code == 400
    assert client.get(f"/me/messages/{mid}", params={
        "$expand": "attachments($orderby=name)"}).status_code == 400
