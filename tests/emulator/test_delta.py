"""Delta for messages per folder and for mail folders: maxpagesize paging, tombstones, changes
since the token, replays, restrictions, expiry with 410 Gone + Location."""

from __future__ import annotations

import httpx

from olk_tui.emulator import Emulator

PAGE2 = {"Prefer": "odata.maxpagesize=2"}


def _sync(client: httpx.Client, url: str, headers: dict[str, str] | None = None
          ) -> tuple[list[dict], str, int]:
    items: list[dict] = []
    pages = 0
    resp = client.get(url, headers=headers)
    while True:
        assert resp.status_code == 200, resp.text
        body = resp.json()
        pages += 1
        items.extend(body["value"])
        if "@odata.deltaLink" in body:
            assert "@odata.nextLink" not in body
            return items, body["@odata.deltaLink"], pages
        resp = client.get(body["@odata.nextLink"], headers=headers)


def test_initial_sync_pages_by_maxpagesize(client: httpx.Client, emu: Emulator) -> None:
    items, link, pages = _sync(client, "/me/mailFolders/inbox/messages/delta", PAGE2)
    mb = emu.default_mailbox
    inbox = mb.well_known["inbox"]
    assert sorted(m["id"] for m in items) == sorted(mb.folder_index[inbox])
    assert pages == (len(items) + 1) // 2
    assert "$deltatoken=" in link
    assert all(m["@odata.type"] == "#microsoft.graph.message" for m in items)


def test_changes_since_the_token_with_tombstones(client: httpx.Client, emu: Emulator) -> None:
    _, link, _ = _sync(client, "/me/mailFolders/inbox/messages/delta?$select=subject,isRead")
    mb = emu.default_mailbox
    ids = mb.sorted_ids(mb.well_known["inbox"])
    read_elsewhere, deleted, moved = ids[0], ids[1], ids[2]
    assert client.patch(f"/me/messages/{read_elsewhere}",
                        json={"isRead": not mb.messages[read_elsewhere]["isRead"]}
                        ).status_code == 200
    assert client.delete(f"/me/messages/{deleted}").status_code == 204
    assert client.post(f"/me/messages/{moved}/move",
                       json={"destinationId": "archive"}).status_code == 201
    new = client.post("/me/mailFolders/inbox/messages", json={"subject": "new"}).json()
    changes, link2, _ = _sync(client, link, PAGE2)
    by_id = {c["id"]: c for c in changes}
    assert set(by_id) == {read_elsewhere, deleted, moved, new["id"]}
    assert by_id[deleted]["@removed"] == {"reason": "deleted"}
    assert by_id[moved]["@removed"] == {"reason": "deleted"}
    assert set(by_id[read_elsewhere]) == {"@odata.type", "subject", "isRead", "id",
                                          "@odata.etag"}
    assert "@removed" not in by_id[new["id"]]
    # Nothing changed since the new token.
    assert _sync(client, link2)[0] == []
    # Replays are allowed: the old token gives the same changes again.
    again, _, _ = _sync(client, link)
    assert {c["id"] for c in again} == set(by_id)


def test_emulator_can_replay_the_previous_round(client: httpx.Client, emu: Emulator) -> None:
    _, link, _ = _sync(client, "/me/mailFolders/inbox/messages/delta")
    mb = emu.default_mailbox
    first = mb.sorted_ids(mb.well_known["inbox"])[0]
    client.patch(f"/me/messages/{first}", json={"categories": ["Blue"]})
    changes, link2, _ = _sync(client, link)
    assert [c["id"] for c in changes] == [first]
    emu.delta_replays = True
    replayed, _, _ = _sync(client, link2)
    assert [c["id"] for c in replayed] == [first]


def test_expired_token_answers_410_with_a_fresh_location(client: httpx.Client,
                                                         emu: Emulator) -> None:
    _, link, _ = _sync(client, "/me/mailFolders/inbox/messages/delta?$select=subject")
    emu.expire_delta_tokens()
    resp = client.get(link)
    assert resp.status_code == 410
    assert resp.json()["error"]["code"] == "SyncStateNotFound"
    fresh = resp.headers["Location"]
    assert "$deltatoken" not in fresh and "select=subject" in fresh.replace("%24", "$")
    items, _, _ = _sync(client, fresh)
    assert items and set(items[0]) >= {"subject", "id"}


def test_unknown_token_is_gone_too(client: httpx.Client) -> None:
    resp = client.get("/me/mailFolders/inbox/messages/delta?$deltatoken=bogus")
    assert resp.status_code == 410


def test_delta_query_restrictions(client: httpx.Client) -> None:
    url = "/me/mailFolders/inbox/messages/delta"
    ok = client.get(url, params={"$filter": "receivedDateTime ge 2025-01-01T00:00:00Z",
                                 "$orderby": "receivedDateTime desc"})
    assert ok.status_code == 200
    assert all(m["receivedDateTime"] >= "2025-01-01" for m in ok.json()["value"])
    for params in ({"$filter": "isRead eq false"}, {"$orderby": "subject"},
                   {"$search": '"x"'}, {"$skip": "2"}):
        assert client.get(url, params=params).status_code == 400, params


def test_folder_delta_lists_every_level_then_changes(client: httpx.Client,
                                                     emu: Emulator) -> None:
    items, link, _ = _sync(client, "/me/mailFolders/delta", PAGE2)
    names = {f["displayName"] for f in items}
    assert {"Inbox", "Projects", "Falcon", "Receipts", "Sent Items"} <= names
    falcon = next(f for f in items if f["displayName"] == "Falcon")
    created = client.post("/me/mailFolders", json={"displayName": "Travel"}).json()
    client.patch(f"/me/mailFolders/{falcon['id']}", json={"displayName": "Falcon 2"})
    receipts = next(f for f in items if f["displayName"] == "Receipts")
    assert client.delete(f"/me/mailFolders/{receipts['id']}").status_code == 204
    changes, _, _ = _sync(client, link)
    by_id = {c["id"]: c for c in changes}
    assert by_id[created["id"]]["displayName"] == "Travel"
    assert by_id[falcon["id"]]["displayName"] == "Falcon 2"
    assert by_id[receipts["id"]]["@removed"] == {"reason": "deleted"}


def test_delta_carries_context_and_preference_applied(client: httpx.Client) -> None:
    resp = client.get("/me/mailFolders/inbox/messages/delta", headers=PAGE2)
    assert resp.json()["@odata.context"].endswith("$metadata#Collection(message)")
    assert resp.headers["Preference-Applied"] == "odata.maxpagesize=2"


def test_top_on_message_delta_caps_the_round_not_the_page(client: httpx.Client,
                                                          emu: Emulator) -> None:
    """As the service does (microsoft-graph-docs#2232, #6006; Wino-Mail#716): pages stay at the
    Prefer/default size and ``$top`` caps how many items the round returns; the rest of the
    folder is never sent, and the next round starts from the token's point."""
    mb = emu.default_mailbox
    total = len(mb.folder_index[mb.well_known["inbox"]])
    assert total > 12
    items, link, pages = _sync(client, "/me/mailFolders/inbox/messages/delta?$top=12")
    assert len(items) == 12 and pages == 2  # default page of 10, then 2
    items, link, pages = _sync(client, "/me/mailFolders/inbox/messages/delta?$top=12",
                               {"Prefer": "odata.maxpagesize=5"})
    assert len(items) == 12 and pages == 3
    again, _, _ = _sync(client, link)
    assert again == []
    everything, _, _ = _sync(client, "/me/mailFolders/inbox/messages/delta")
    assert len(everything) == total
