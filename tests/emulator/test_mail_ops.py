"""Message and folder operations: statuses and bodies, immutable ids on move, sendMail with
Sent Items and local delivery, the draft flow, replies and forwards, MIME."""

from __future__ import annotations

import base64
import email

import httpx

from olk_tui.emulator import Emulator

IMMUTABLE = {"Prefer": 'IdType="ImmutableId"'}
TO_ALEX = [{"emailAddress": {"address": "alex@contoso.example"}}]


def _inbox_ids(emu: Emulator) -> list[str]:
    mb = emu.default_mailbox
    return mb.sorted_ids(mb.well_known["inbox"])


def test_move_keeps_the_id_only_with_immutable_ids(client: httpx.Client, emu: Emulator) -> None:
    a, b = _inbox_ids(emu)[:2]
    plain = client.post(f"/me/messages/{a}/move", json={"destinationId": "archive"})
    assert plain.status_code == 201
    assert plain.json()["id"] != a
    assert client.get(f"/me/messages/{a}").status_code == 404
    assert client.get(f"/me/messages/{plain.json()['id']}").json()["parentFolderId"] == \
        emu.default_mailbox.well_known["archive"]
    kept = client.post(f"/me/messages/{b}/move", json={"destinationId": "archive"},
                       headers=IMMUTABLE)
    assert kept.status_code == 201 and kept.json()["id"] == b


def test_copy_always_makes_a_new_id(client: httpx.Client, emu: Emulator) -> None:
    a = _inbox_ids(emu)[0]
    copy = client.post(f"/me/messages/{a}/copy", json={"destinationId": "drafts"},
                       headers=IMMUTABLE)
    assert copy.status_code == 201 and copy.json()["id"] != a
    assert client.get(f"/me/messages/{a}").status_code == 200


def test_patch_and_delete_statuses(client: httpx.Client, emu: Emulator) -> None:
    a = _inbox_ids(emu)[0]
    resp = client.patch(f"/me/messages/{a}", json={
        "isRead": True, "flag": {"flagStatus": "flagged"}, "categories": ["Blue"]})
    assert resp.status_code == 200
    body = resp.json()
    assert body["isRead"] is True and body["flag"]["flagStatus"] == "flagged"
    assert client.patch(f"/me/messages/{a}", json={"isRead": "yes"}).status_code == 400
    assert client.delete(f"/me/messages/{a}").status_code == 204
    assert client.delete(f"/me/messages/{a}").json()["error"]["code"] == "ErrorItemNotFound"


def test_sendmail_is_202_without_body_saves_and_delivers(client: httpx.Client,
                                                        emu: Emulator) -> None:
    resp = client.post("/me/sendMail", json={"message": {
        "subject": "Lunch", "body": {"contentType": "Text", "content": "Noon?"},
        "toRecipients": TO_ALEX,
        "bccRecipients": [{"emailAddress": {"address": "outside@fabrikam.example"}}]}})
    assert resp.status_code == 202 and resp.content == b""
    sent = client.get("/me/mailFolders/sentitems/messages").json()["value"]
    assert len(sent) == 1 and sent[0]["subject"] == "Lunch" and sent[0]["isDraft"] is False
    imid = sent[0]["internetMessageId"]
    assert imid.startswith("<") and imid.endswith(">")
    inbox = client.get("/users/alex@contoso.example/mailFolders/inbox/messages").json()["value"]
    assert [m["subject"] for m in inbox] == ["Lunch"]
    got = inbox[0]
    assert got["internetMessageId"] == imid and got["isRead"] is False
    assert got["from"]["emailAddress"]["address"] == "megan@contoso.example"
    assert got["bccRecipients"] == []
    assert "internetMessageHeaders" not in got
    headers = client.get(f"/users/alex@contoso.example/messages/{got['id']}",
                         params={"$select": "internetMessageHeaders"}).json()
    assert {"name": "Message-ID", "value": imid} in headers["internetMessageHeaders"]
    assert "messages(internetMessageHeaders)/$entity" in headers["@odata.context"]


def test_sendmail_without_save_and_without_recipients(client: httpx.Client) -> None:
    resp = client.post("/me/sendMail", json={"message": {"subject": "x", "toRecipients": TO_ALEX},
                                             "saveToSentItems": False})
    assert resp.status_code == 202
    assert client.get("/me/mailFolders/sentitems/messages").json()["value"] == []
    bad = client.post("/me/sendMail", json={"message": {"subject": "x"}})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "ErrorInvalidRecipients"


def test_send_as_another_user_is_denied(client: httpx.Client) -> None:
    resp = client.post("/me/sendMail", json={"message": {
        "subject": "x", "toRecipients": TO_ALEX,
        "from": {"emailAddress": {"address": "patti@contoso.example"}}}})
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "ErrorSendAsDenied"


def test_draft_flow_with_immutable_id(client: httpx.Client, emu: Emulator) -> None:
    draft = client.post("/me/messages", json={"subject": "Plan", "toRecipients": TO_ALEX},
                        headers=IMMUTABLE)
    assert draft.status_code == 201
    body = draft.json()
    assert body["isDraft"] is True and body["parentFolderId"] == \
        emu.default_mailbox.well_known["drafts"]
    did = body["id"]
    assert client.patch(f"/me/messages/{did}", json={"subject": "Plan B"}).status_code == 200
    sent = client.post(f"/me/messages/{did}/send")
    assert sent.status_code == 202 and sent.content == b""
    assert client.get("/me/mailFolders/drafts/messages").json()["value"] == []
    copy = client.get(f"/me/messages/{did}").json()
    assert copy["subject"] == "Plan B" and copy["isDraft"] is False
    assert copy["parentFolderId"] == emu.default_mailbox.well_known["sentitems"]
    again = client.post(f"/me/messages/{did}/send")
    assert again.status_code == 400


def test_reply_and_forward_drafts(client: httpx.Client, emu: Emulator) -> None:
    original = client.get(f"/me/messages/{_inbox_ids(emu)[0]}").json()
    reply = client.post(f"/me/messages/{original['id']}/createReply", json={"comment": "ok"})
    assert reply.status_code == 201
    r = reply.json()
    assert r["subject"] == "RE: " + original["subject"] and r["isDraft"] is True
    assert r["conversationId"] == original["conversationId"]
    assert r["toRecipients"][0]["emailAddress"]["address"] == \
        original["from"]["emailAddress"]["address"]
    fwd = client.post(f"/me/messages/{original['id']}/createForward",
                      json={"toRecipients": TO_ALEX}).json()
    assert fwd["subject"] == "FW: " + original["subject"]
    assert fwd["toRecipients"][0]["emailAddress"]["name"] == "Alex Wilber"


def test_reply_all_and_forward_send_at_once(client: httpx.Client, emu: Emulator) -> None:
    mb = emu.default_mailbox
    alex = emu.mailbox("alex@contoso.example")
    assert alex is not None
    incoming = alex.add_message({
        "subject": "Team", "from": {"emailAddress": {"name": "Megan Bowen",
                                                     "address": "megan@contoso.example"}},
        "toRecipients": [{"emailAddress": {"address": "alex@contoso.example"}},
                         {"emailAddress": {"address": "nestor@fabrikam.example"}}],
        "body": {"contentType": "text", "content": "hello"}}, alex.well_known["inbox"])
    resp = client.post(f"/users/alex@contoso.example/messages/{incoming['id']}/replyAll",
                       json={"comment": "Thanks"})
    assert resp.status_code == 202 and resp.content == b""
    got = mb.messages[mb.sorted_ids(mb.well_known["inbox"])[0]]
    assert got["subject"] == "RE: Team"
    addrs = {r["emailAddress"]["address"] for r in got["toRecipients"]}
    assert addrs == {"megan@contoso.example", "nestor@fabrikam.example"}
    fwd = client.post(f"/me/messages/{got['id']}/forward",
                      json={"comment": "fyi", "toRecipients": TO_ALEX})
    assert fwd.status_code == 202


def test_value_is_mime_and_mime_drafts_parse(client: httpx.Client, emu: Emulator) -> None:
    a = _inbox_ids(emu)[0]
    raw = client.get(f"/me/messages/{a}/$value")
    assert raw.status_code == 200
    parsed = email.message_from_bytes(raw.content)
    assert parsed["Subject"] == emu.default_mailbox.messages[a]["subject"]
    mime = b"From: megan@contoso.example\r\nTo: alex@contoso.example\r\nSubject: Hi\r\n\r\nBody\r\n"
    created = client.post("/me/messages", content=base64.b64encode(mime),
                          headers={"Content-Type": "text/plain"})
    assert created.status_code == 201 and created.json()["subject"] == "Hi"
    bad = client.post("/me/sendMail", content=b"not base64 !!",
                      headers={"Content-Type": "text/plain"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "ErrorMimeContentInvalidBase64String"


def test_folder_crud(client: httpx.Client, emu: Emulator) -> None:
    inbox = client.get("/me/mailFolders/Inbox").json()
    assert inbox["displayName"] == "Inbox" and inbox["totalItemCount"] == 30
    made = client.post("/me/mailFolders/inbox/childFolders", json={"displayName": "Bills"})
    assert made.status_code == 201
    fid = made.json()["id"]
    assert client.post("/me/mailFolders/inbox/childFolders",
                       json={"displayName": "bills"}).status_code == 409
    renamed = client.patch(f"/me/mailFolders/{fid}", json={"displayName": "Invoices"})
    assert renamed.status_code == 200 and renamed.json()["displayName"] == "Invoices"
    moved = client.post(f"/me/mailFolders/{fid}/move", json={"destinationId": "archive"})
    assert moved.status_code == 201 and moved.json()["parentFolderId"] == \
        emu.default_mailbox.well_known["archive"]
    kids = client.get("/me/mailFolders/archive/childFolders").json()["value"]
    assert [k["displayName"] for k in kids] == ["Invoices"]
    assert client.delete(f"/me/mailFolders/{fid}").status_code == 204
    assert client.delete("/me/mailFolders/inbox").status_code == 403
    hidden = client.post("/me/mailFolders", json={"displayName": "Clutter", "isHidden": True})
    assert hidden.status_code == 201
    names = [f["displayName"] for f in client.get("/me/mailFolders").json()["value"]]
    assert "Clutter" not in names
    names = [f["displayName"] for f in client.get(
        "/me/mailFolders", params={"includeHiddenFolders": "true", "$top": "50"}).json()["value"]]
    assert "Clutter" in names


def test_unknown_routes_and_methods(client: httpx.Client) -> None:
    assert client.get("/me/nosuch").status_code == 400
    assert client.put("/me/messages").status_code == 405
    assert client.get("/users/nobody@x.example/messages").status_code == 404
    assert client.get("/me").json()["mail"] == "megan@contoso.example"


def test_translate_exchange_ids(client: httpx.Client, emu: Emulator) -> None:
    a = _inbox_ids(emu)[0]
    resp = client.post("/me/translateExchangeIds", json={
        "inputIds": [a], "sourceIdType": "restId", "targetIdType": "restImmutableEntryId"})
    assert resp.json()["value"] == [{"sourceId": a, "targetId": a}]
    too_many = client.post("/me/translateExchangeIds", json={
        "inputIds": ["x"] * 1001, "sourceIdType": "restId", "targetIdType": "ewsId"})
    assert too_many.status_code == 400


def test_prefer_body_content_type_text(client: httpx.Client, emu: Emulator) -> None:
    mid = client.post("/me/messages", json={
        "subject": "h", "body": {"contentType": "HTML", "content": "<p>Hello <b>you</b></p>"}}
    ).json()["id"]
    resp = client.get(f"/me/messages/{mid}",
                      headers={"Prefer": 'outlook.body-content-type="text"'})
    assert resp.json()["body"] == {"contentType": "text", "content": "Hello you"}
    assert resp.headers["Preference-Applied"] == 'outlook.body-content-type="text"'
    assert client.get(f"/me/messages/{mid}").json()["body"]["contentType"] == "html"


def test_replying_to_malformed_seeded_mail_does_not_crash(client: httpx.Client,
                                                          emu: Emulator) -> None:
    mb = emu.default_mailbox
    odd = mb.add_message({"subject": None, "from": "not an object", "toRecipients": [
        {"emailAddress": None}, "x", {"emailAddress": {"address": "alex@contoso.example"}}],
        "body": ["weird"]}, mb.well_known["inbox"])
    draft = client.post(f"/me/messages/{odd['id']}/createReplyAll", json={"comment": "hm"})
    assert draft.status_code == 201
    assert [r["emailAddress"]["address"] for r in draft.json()["toRecipients"]] == [
        "alex@contoso.example"]
    assert client.post(f"/me/messages/{odd['id']}/reply", json={}).status_code == 400
    assert client.get(f"/me/messages/{odd['id']}/$value").status_code == 200
    assert client.get("/me/messages", params={"$search": '"from:x"'}).status_code == 200


def test_mail_tips_show_a_local_automatic_reply(client: httpx.Client, emu: Emulator) -> None:
    alex = emu.mailbox("alex@contoso.example")
    assert alex is not None
    client.patch("/users/alex@contoso.example/mailboxSettings", json={
        "automaticRepliesSetting": {"status": "alwaysEnabled",
                                    "internalReplyMessage": "On leave"}})
    resp = client.post("/me/getMailTips", json={
        "EmailAddresses": ["alex@contoso.example", "x@fabrikam.example"],
        "MailTipsOptions": "automaticReplies, mailboxFullStatus, recipientScope"})
    assert resp.status_code == 200
    alex_tip, other = resp.json()["value"]
    assert alex_tip["automaticReplies"]["message"] == "On leave"
    assert alex_tip["recipientScope"] == "internal" and other["recipientScope"] == "external"
    assert other["automaticReplies"] == {"message": ""} and other["mailboxFull"] is False
    bad = client.post("/me/getMailTips", json={"EmailAddresses": [], "MailTipsOptions": "x"})
    assert bad.status_code == 400


def test_a_refused_draft_send_keeps_the_draft(client: httpx.Client) -> None:
    draft = client.post("/me/messages", json={
        "subject": "as Patti", "toRecipients": TO_ALEX,
        "from": {"emailAddress": {"address": "patti@contoso.example"}}}).json()
    resp = client.post(f"/me/messages/{draft['id']}/send")
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "ErrorSendAsDenied"
    kept = client.get(f"/me/messages/{draft['id']}")
    assert kept.status_code == 200 and kept.json()["isDraft"] is True


def test_lone_surrogates_in_seeded_data_are_served_as_escapes(client: httpx.Client,
                                                              emu: Emulator) -> None:
    mb = emu.default_mailbox
    odd = mb.add_message({"subject": "bad \ud800 half"}, mb.well_known["inbox"])
    resp = client.get(f"/me/messages/{odd['id']}", params={"$select": "subject"})
    assert resp.status_code == 200
    assert b"\\ud800" in resp.content
    assert resp.json()["subject"] == "bad \ud800 half"


def test_if_match_guards_updates(client: httpx.Client, emu: Emulator) -> None:
    a = _inbox_ids(emu)[0]
    etag = client.get(f"/me/messages/{a}").json()["@odata.etag"]
    ok = client.patch(f"/me/messages/{a}", json={"isRead": True}, headers={"If-Match": etag})
    assert ok.status_code == 200 and ok.json()["@odata.etag"] != etag
    stale = client.patch(f"/me/messages/{a}", json={"isRead": False},
                         headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "ErrorIrresolvableConflict"
    assert client.delete(f"/me/messages/{a}", headers={"If-Match": etag}).status_code == 412


def test_subfolders_through_their_parent(client: httpx.Client, emu: Emulator) -> None:
    projects = client.get("/me/mailFolders/inbox/childFolders").json()["value"][0]
    falcon = client.get(f"/me/mailFolders/inbox/childFolders/{projects['id']}/childFolders"
                        ).json()["value"][0]
    assert falcon["displayName"] == "Falcon"
    client.post(f"/me/mailFolders/{projects['id']}/messages", json={"subject": "p1"})
    listed = client.get(f"/me/mailFolders/inbox/childFolders/{projects['id']}/messages").json()
    assert [m["subject"] for m in listed["value"]] == ["p1"]
    delta = client.get(
        f"/me/mailFolders/inbox/childFolders/{projects['id']}/messages/delta").json()
    assert [m["subject"] for m in delta["value"]] == ["p1"]


def test_paths_are_case_insensitive_and_accept_odata_key_syntax(client: httpx.Client,
                                                                emu: Emulator) -> None:
    mb = emu.default_mailbox
    a = client.get("/ME/MAILFOLDERS/INBOX/MESSAGES", params={"$top": "1"}).json()
    b = client.get("/me/mailFolders('inbox')/messages", params={"$top": "1"}).json()
    c = client.get(f"/users/{mb.user_id}/mailFolders/Inbox/messages", params={"$top": "1"}).json()
    assert a["value"][0]["id"] == b["value"][0]["id"] == c["value"][0]["id"]
    assert client.get(f"/users('{mb.address}')/messages/{a['value'][0]['id']}").status_code == 200


def test_cached_orders_follow_changes_without_a_resort(client: httpx.Client,
                                                       emu: Emulator) -> None:
    mb = emu.default_mailbox
    inbox = mb.well_known["inbox"]
    order = mb.sorted_ids(inbox)
    everything = mb.all_sorted_ids()
    victim, newest = order[3], order[0]
    client.post(f"/me/messages/{victim}/move", json={"destinationId": "archive"})
    new = client.post("/me/mailFolders/inbox/messages", json={"subject": "fresh"}).json()
    client.patch(f"/me/messages/{newest}", json={"receivedDateTime": "2000-01-01T00:00:00Z"})
    assert mb.sorted_ids(inbox) is order  # maintained in place
    keys = mb.order.keys
    expected = sorted(mb.folder_index[inbox], key=lambda i: (-keys[i], i))
    assert order == expected and order[0] == new["id"] and order[-1] == newest
    assert victim not in order
    assert mb.all_sorted_ids() is everything
    assert everything == sorted(mb.messages, key=lambda i: (-keys[i], i))


def _with_attachments(emu: Emulator) -> str:
    mb = emu.default_mailbox
    mid = _inbox_ids(emu)[0]
    mb.add_attachment(mid, {"@odata.type": "#microsoft.graph.fileAttachment", "name": "a.pdf",
                            "contentType": "application/pdf",
                            "contentBytes": base64.b64encode(b"%PDF-1").decode()})
    mb.add_attachment(mid, {"@odata.type": "#microsoft.graph.fileAttachment", "name": "logo.png",
                            "contentType": "image/png", "isInline": True, "contentId": "logo",
                            "contentBytes": base64.b64encode(b"PNG").decode()})
    return mid


def _alex_latest(emu: Emulator) -> tuple[dict, list[dict]]:
    alex = emu.mailbox("alex@contoso.example")
    assert alex is not None
    got = alex.messages[alex.sorted_ids(alex.well_known["inbox"])[0]]
    return got, list(alex.attachments.get(got["id"], {}).values())


def test_create_forward_copies_the_attachments(client: httpx.Client, emu: Emulator) -> None:
    mid = _with_attachments(emu)
    draft = client.post(f"/me/messages/{mid}/createForward", json={"toRecipients": TO_ALEX})
    assert draft.status_code == 201
    did = draft.json()["id"]
    assert draft.json()["hasAttachments"] is True
    listed = client.get(f"/me/messages/{did}/attachments").json()["value"]
    assert sorted(a["name"] for a in listed) == ["a.pdf", "logo.png"]
    original_ids = set(emu.default_mailbox.attachments[mid])
    assert not {a["id"] for a in listed} & original_ids  # copies, with their own ids
    pdf = next(a for a in listed if a["name"] == "a.pdf")
    assert client.get(f"/me/messages/{did}/attachments/{pdf['id']}/$value").content == b"%PDF-1"
    # Removing one from the draft leaves the original alone.
    client.delete(f"/me/messages/{did}/attachments/{pdf['id']}")
    assert len(emu.default_mailbox.attachments[mid]) == 2
    assert client.post(f"/me/messages/{did}/send").status_code == 202
    got, atts = _alex_latest(emu)
    assert got["subject"].startswith("FW: ")
    assert [a["name"] for a in atts] == ["logo.png"]


def test_forward_delivers_the_attachments(client: httpx.Client, emu: Emulator) -> None:
    mid = _with_attachments(emu)
    resp = client.post(f"/me/messages/{mid}/forward",
                       json={"comment": "see", "toRecipients": TO_ALEX})
    assert resp.status_code == 202
    got, atts = _alex_latest(emu)
    assert got["hasAttachments"] is True
    assert sorted(a["name"] for a in atts) == ["a.pdf", "logo.png"]
    pdf = next(a for a in atts if a["name"] == "a.pdf")
    assert base64.b64decode(pdf["contentBytes"]) == b"%PDF-1"
    sent = emu.default_mailbox
    saved = sent.sorted_ids(sent.well_known["sentitems"])[0]
    assert len(sent.attachments.get(saved, {})) == 2


def test_listing_with_selected_body_confirms_the_body_format(client: httpx.Client) -> None:
    """FACTS 23: the response that carries the converted body says so in Preference-Applied,
    also for a list whose $select names the body."""
    text = {"Prefer": 'outlook.body-content-type="text"'}
    for params in ({"$top": "2"}, {"$top": "2", "$select": "subject,body"},
                   {"$top": "2", "$select": "uniqueBody"}):
        resp = client.get("/me/mailFolders/inbox/messages", params=params, headers=text)
        assert resp.headers.get("Preference-Applied") == 'outlook.body-content-type="text"', \
            params
    bodiless = client.get("/me/mailFolders/inbox/messages",
                          params={"$top": "2", "$select": "subject"}, headers=text)
    assert "Preference-Applied" not in bodiless.headers
