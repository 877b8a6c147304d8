"""internetMessageId through the draft flow: assigned (or kept) when the draft is created and
kept by ``send``, in Sent Items and in every recipient's copy, as Exchange does; ``sendMail``
assigns one server-side. The outbox finds a sent message by it after an unknown outcome."""

from __future__ import annotations

import httpx

TO_ALEX = [{"emailAddress": {"address": "alex@contoso.example"}}]


async def _sent_with(aclient: httpx.AsyncClient, imid: str, who: str = "/me") -> list[dict]:
    escaped = imid.replace("'", "''")
    resp = await aclient.get(f"{who}/mailFolders/sentitems/messages", params={
        "$filter": f"internetMessageId eq '{escaped}'", "$select": "id,internetMessageId"})
    assert resp.status_code == 200
    return resp.json()["value"]


async def _alex_inbox(aclient: httpx.AsyncClient) -> list[dict]:
    resp = await aclient.get("/users/alex@contoso.example/mailFolders/inbox/messages",
                             params={"$select": "subject,internetMessageId"})
    return resp.json()["value"]


async def test_draft_gets_id_at_creation_and_keeps_it_through_send(
        aclient: httpx.AsyncClient) -> None:
    created = await aclient.post("/me/messages", json={
        "subject": "Kept id", "toRecipients": TO_ALEX})
    assert created.status_code == 201
    draft = created.json()
    imid = draft["internetMessageId"]
    assert imid.startswith("<") and imid.endswith(">")
    got = (await aclient.get(f"/me/messages/{draft['id']}")).json()
    assert got["internetMessageId"] == imid
    assert (await aclient.post(f"/me/messages/{draft['id']}/send")).status_code == 202
    sent = await _sent_with(aclient, imid)
    assert [m["internetMessageId"] for m in sent] == [imid]
    delivered = [m for m in await _alex_inbox(aclient) if m["subject"] == "Kept id"]
    assert [m["internetMessageId"] for m in delivered] == [imid]


async def test_client_supplied_id_is_kept_on_create_and_send(
        aclient: httpx.AsyncClient) -> None:
    imid = "<outbox-1234@olk-tui.example>"
    created = await aclient.post("/me/messages", json={
        "subject": "Client id", "toRecipients": TO_ALEX, "internetMessageId": imid},
        headers={"Prefer": 'IdType="ImmutableId"'})
    assert created.status_code == 201 and created.json()["internetMessageId"] == imid
    draft_id = created.json()["id"]
    assert (await aclient.post(f"/me/messages/{draft_id}/send")).status_code == 202
    sent = await _sent_with(aclient, imid)
    assert [(m["id"], m["internetMessageId"]) for m in sent] == [(draft_id, imid)]
    delivered = [m for m in await _alex_inbox(aclient) if m["subject"] == "Client id"]
    assert [m["internetMessageId"] for m in delivered] == [imid]


async def test_send_mail_assigns_one_server_side(aclient: httpx.AsyncClient) -> None:
    resp = await aclient.post("/me/sendMail", json={"message": {
        "subject": "No draft", "toRecipients": TO_ALEX}})
    assert resp.status_code == 202 and resp.content == b""
    sent = (await aclient.get("/me/mailFolders/sentitems/messages",
                              params={"$select": "subject,internetMessageId"})).json()["value"]
    imid = next(m["internetMessageId"] for m in sent if m["subject"] == "No draft")
    assert imid.startswith("<") and imid.endswith(">") and "@" in imid
    delivered = [m for m in await _alex_inbox(aclient) if m["subject"] == "No draft"]
    assert [m["internetMessageId"] for m in delivered] == [imid]


async def test_create_reply_draft_keeps_its_id_when_sent(aclient: httpx.AsyncClient) -> None:
    inbox = (await aclient.get("/me/mailFolders/inbox/messages",
                               params={"$select": "id", "$top": "1"})).json()["value"]
    draft = (await aclient.post(f"/me/messages/{inbox[0]['id']}/createReply")).json()
    imid = draft["internetMessageId"]
    assert imid
    assert (await aclient.post(f"/me/messages/{draft['id']}/send")).status_code == 202
    assert [m["internetMessageId"] for m in await _sent_with(aclient, imid)] == [imid]
