"""``olk-tui mail ...`` against the in-process demo emulator: JSON shapes, human output, the
emulator's state after each change, and exit codes on bad input."""

from __future__ import annotations

import re

import pytest

from olk_tui.emulator import Emulator

from .conftest import assert_one_line_error

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
SUMMARY_KEYS = {"id", "folderId", "subject", "from", "to", "cc", "received", "sent", "isRead",
                "isDraft", "flag", "importance", "hasAttachments", "categories",
                "conversationId", "preview", "lastVerb", "lastVerbTime"}


def inbox_messages(emu: Emulator) -> list[dict]:
    box = emu.default_mailbox
    inbox = box.well_known["inbox"]
    return [box.messages[i] for i in box.sorted_ids(inbox)]


def an_unread(emu: Emulator) -> dict:
    return next(m for m in inbox_messages(emu) if not m.get("isRead"))


def test_list_json_shape_is_the_newest_inbox_rows(demo, emu) -> None:
    result = demo("mail", "list", "--limit", "5", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert set(data) == {"folder", "count", "messages"}
    assert data["folder"]["wellKnownName"] == "inbox" and data["folder"]["path"] == "Inbox"
    assert data["count"] == len(data["messages"]) == 5
    for m in data["messages"]:
        assert set(m) == SUMMARY_KEYS
        assert ISO.match(m["received"]), m["received"]
        assert set(m["from"]) == {"name", "address"}
        assert set(m["flag"]) == {"status", "start", "due", "completed"}
    times = [m["received"] for m in data["messages"]]
    ids = {m["id"] for m in data["messages"]}
    assert len(ids) == 5
    server = {m["id"]: m["receivedDateTime"] for m in inbox_messages(emu)}
    shown = [server[i] for i in ids]
    rest = [t for i, t in server.items() if i not in ids]
    assert min(shown) >= max(rest)  # the newest five (ties may come in any order)
    assert times == sorted(times, reverse=True) or len(set(times)) < 5


def test_list_folder_by_path_display_name_and_well_known(demo, emu) -> None:
    box = emu.default_mailbox
    apollo = next(f for f in box.folders.values() if f["displayName"] == "Apollo")
    expected = set(box.sorted_ids(apollo["id"]))
    for name in ("Projects/Apollo", "apollo"):
        data = demo("mail", "list", "--folder", name, "--limit", "500", "--json").json()
        assert data["folder"]["id"] == apollo["id"]
        assert {m["id"] for m in data["messages"]} == expected
    data = demo("mail", "list", "--folder", "Sent Items", "--json").json()
    assert data["folder"]["wellKnownName"] == "sentitems"


def test_list_unknown_folder_is_not_found(demo) -> None:
    assert_one_line_error(demo("mail", "list", "--folder", "No/Such"), 3)


def test_list_unread_and_flagged_filters(demo, emu) -> None:
    data = demo("mail", "list", "--unread", "--limit", "1000", "--json").json()
    unread = {m["id"] for m in inbox_messages(emu) if not m.get("isRead")}
    assert {m["id"] for m in data["messages"]} == unread and unread
    data = demo("mail", "list", "--flagged", "--limit", "1000", "--json").json()
    flagged = {m["id"] for m in inbox_messages(emu)
               if (m.get("flag") or {}).get("flagStatus") == "flagged"}
    assert {m["id"] for m in data["messages"]} == flagged


def test_search_finds_local_and_server_matches(demo, emu) -> None:
    box = emu.default_mailbox
    apollo = next(f for f in box.folders.values() if f["displayName"] == "Apollo")
    target = box.messages[box.sorted_ids(apollo["id"])[0]]
    word = target["subject"].split()[-1]
    data = demo("mail", "list", "--search", word, "--limit", "100", "--json").json()
    assert data["folder"] is None
    assert target["id"] in {m["id"] for m in data["messages"]}


def test_list_human_output_is_aligned_and_sanitised(demo, emu) -> None:
    box = emu.default_mailbox
    box.add_message({"subject": "evil \x1b]52;c;aGk=\x07 subject\u202e",
                     "from": {"emailAddress": {"name": "Mal\x1b[2J", "address": "m@x.example"}},
                     "receivedDateTime": "2099-01-01T00:00:00Z", "isRead": False},
                    box.well_known["inbox"])
    result = demo("mail", "list", "--limit", "5")
    assert result.code == 0, result.err
    assert "\x1b" not in result.out and "\x07" not in result.out and "\u202e" not in result.out
    lines = result.out.splitlines()
    assert len(lines) == 5
    assert "evil" in lines[0]
    # The id column starts at the same place on every line.
    starts = {line.rindex("AAMk") for line in lines}
    assert len(starts) == 1


def test_read_prints_headers_and_body_as_text(demo, emu) -> None:
    msg = inbox_messages(emu)[0]
    result = demo("mail", "read", msg["id"])
    assert result.code == 0, result.err
    assert "Subject:" in result.out and "From:" in result.out
    assert "<html" not in result.out.lower() and "<p>" not in result.out.lower()
    data = demo("mail", "read", msg["id"], "--json").json()
    assert data["id"] == msg["id"] and data["subject"] == msg["subject"]
    assert {"body", "bodyType", "bcc", "replyTo", "attachments", "links"} <= set(data)
    assert data["body"].strip()


def test_read_unknown_id_is_not_found(demo) -> None:
    result = demo("mail", "read", "AAMkAGnope==")
    assert_one_line_error(result, 3)
    assert "AAMkAGnope==" in result.err


def test_mark_read_and_unread_reach_the_server(demo, emu) -> None:
    msg = an_unread(emu)
    result = demo("mail", "mark-read", msg["id"], "--json")
    assert result.code == 0, result.err
    assert result.json() == {"id": msg["id"], "isRead": True, "status": "done"}
    assert emu.default_mailbox.messages[msg["id"]]["isRead"] is True
    assert demo("mail", "mark-read", msg["id"], "--unread").code == 0
    assert emu.default_mailbox.messages[msg["id"]]["isRead"] is False


def test_flag_due_complete_and_clear(demo, emu) -> None:
    msg = inbox_messages(emu)[1]
    box = emu.default_mailbox
    result = demo("mail", "flag", msg["id"], "--due", "2030-01-15", "--json")
    assert result.code == 0, result.err
    assert result.json()["flag"]["status"] == "flagged"
    flag = box.messages[msg["id"]]["flag"]
    assert flag["flagStatus"] == "flagged"
    assert flag["dueDateTime"]["dateTime"].startswith("2030-01-1")
    assert demo("mail", "flag", msg["id"], "--complete").code == 0
    assert box.messages[msg["id"]]["flag"]["flagStatus"] == "complete"
    assert demo("mail", "flag", msg["id"], "--clear").code == 0
    assert box.messages[msg["id"]]["flag"]["flagStatus"] == "notFlagged"


def test_flag_bad_due_date_is_a_usage_error(demo, emu) -> None:
    msg = inbox_messages(emu)[1]
    assert_one_line_error(demo("mail", "flag", msg["id"], "--due", "someday maybe"), 2)
    assert emu.default_mailbox.messages[msg["id"]]["flag"]["flagStatus"] == "notFlagged"


def test_move_changes_the_folder_on_the_server(demo, emu) -> None:
    box = emu.default_mailbox
    msg = inbox_messages(emu)[2]
    result = demo("mail", "move", msg["id"], "Projects/Apollo", "--json")
    assert result.code == 0, result.err
    apollo = next(f for f in box.folders.values() if f["displayName"] == "Apollo")
    assert result.json()["folder"]["id"] == apollo["id"]
    moved = [m for m in box.messages.values() if m.get("internetMessageId") ==
             msg.get("internetMessageId")]
    assert [m["parentFolderId"] for m in moved] == [apollo["id"]]


def test_change_to_unknown_message_is_not_found(demo) -> None:
    assert_one_line_error(demo("mail", "mark-read", "AAMkAGnope=="), 3)
    assert_one_line_error(demo("mail", "move", "AAMkAGnope==", "archive"), 3)


def test_reverted_change_exits_non_zero_with_the_reason(demo, emu, monkeypatch) -> None:
    from olk_tui.commands import output

    msg = an_unread(emu)
    original = output.Context.drain

    async def deleted_meanwhile(self, op, limit):  # someone deletes it in Outlook
        emu.default_mailbox.delete_message(msg["id"])
        return await original(self, op, limit)

    monkeypatch.setattr(output.Context, "drain", deleted_meanwhile)
    result = demo("mail", "mark-read", msg["id"])
    assert_one_line_error(result, 1)
    assert "reverted" in result.err and "deleted elsewhere" in result.err


@pytest.mark.parametrize("argv", [
    ("--to", "not an address", "--subject", "x"),
    ("--to", "a@b.example", "--subject", "x", "--attach", "/no/such/file"),
])
def test_send_bad_input_is_a_usage_error(demo, emu, argv) -> None:
    before = len(emu.default_mailbox.messages)
    assert_one_line_error(demo("mail", "send", *argv, stdin="body"), 2)
    assert len(emu.default_mailbox.messages) == before


def test_send_reaches_recipient_and_sent_items_once(demo, emu, tmp_path) -> None:
    adele = emu.add_mailbox("adele.vance@contoso.example", "Adele Vance")
    attachment = tmp_path / "notes.txt"
    attachment.write_text("attached text")
    subject = "CLI send test 7f3a"
    result = demo("mail", "send", "--to", "Adele Vance <adele.vance@contoso.example>",
                  "--subject", subject, "--attach", str(attachment), "--json",
                  stdin="Hello Adele,\nfrom a script.\n")
    assert result.code == 0, result.err
    data = result.json()
    assert data["state"] == "sent" and data["attachments"] == ["notes.txt"]
    assert data["to"] == [{"name": "Adele Vance", "address": "adele.vance@contoso.example"}]
    box = emu.default_mailbox
    sent = [m for m in (box.messages[i] for i in box.sorted_ids(box.well_known["sentitems"]))
            if m["subject"] == subject]
    assert len(sent) == 1
    received = [m for m in adele.messages.values() if m["subject"] == subject]
    assert len(received) == 1
    assert "from a script." in received[0]["body"]["content"]
    assert [a["name"] for a in adele.attachments.get(received[0]["id"], {}).values()] == [
        "notes.txt"]


def test_send_failure_exits_non_zero_and_keeps_the_draft(demo, emu, tmp_path,
                                                         monkeypatch) -> None:
    from olk_tui.commands import output

    attachment = tmp_path / "gone.txt"
    attachment.write_text("x")
    original = output.Context.wait_sent

    async def file_removed(self, item_id, limit):
        attachment.unlink()
        return await original(self, item_id, limit)

    monkeypatch.setattr(output.Context, "wait_sent", file_removed)
    result = demo("mail", "send", "--to", "a@b.example", "--subject", "will fail",
                  "--attach", str(attachment), stdin="body")
    assert_one_line_error(result, 1)
    assert "not sent" in result.err and "gone.txt" in result.err
    box = emu.default_mailbox
    drafts = [box.messages[i]["subject"] for i in box.sorted_ids(box.well_known["drafts"])]
    assert "will fail" in drafts


def test_common_options_work_before_and_after_the_verb(cli, emu) -> None:
    before = cli("mail", "--demo", "--json", "list", "--limit", "2")
    after = cli("mail", "list", "--limit", "2", "--json", "--demo")
    assert before.code == after.code == 0, (before.err, after.err)
    assert before.json()["count"] == after.json()["count"] == 2


def test_refused_mailbox_settings_fall_back_to_the_system_zone(demo, emu) -> None:
    from olk_tui.emulator.router import Response

    def refuse(req):  # a shared mailbox whose settings the user may not read
        return Response(403, json={"error": {"code": "ErrorAccessDenied",
                                             "message": "Access is denied."}})

    for route in emu.router._routes:
        if route.method == "GET" and [s.lower() for s in route.segments][-1:] == [
                "mailboxsettings"]:
            route.handler = refuse
    result = demo("mail", "list", "--limit", "1", "--json")
    assert result.code == 0, result.err
    assert result.json()["messages"][0]["received"].endswith("+00:00")  # TZ=UTC in tests


def test_read_hostile_html_body_cannot_drive_the_terminal(demo, emu) -> None:
    box = emu.default_mailbox
    msg = box.add_message({
        "subject": "hostile\x1b]0;title\x07", "isRead": False,
        "from": {"emailAddress": {"name": "Eve\u202e", "address": "eve@x.example"}},
        "body": {"contentType": "html",
                 "content": "<p>Hi &#27;[2J there\x1b]52;c;aGk=\x07</p><a href='https://x.example'>link</a>"},
        "receivedDateTime": "2099-01-01T00:00:00Z"}, box.well_known["inbox"])
    result = demo("mail", "read", msg["id"])
    assert result.code == 0, result.err
    assert not any(c in result.out for c in "\x1b\x07\u202e\x9b")
    assert "Hi" in result.out and "https://x.example" in result.out
    data = demo("mail", "read", msg["id"], "--json")
    assert data.code == 0 and data.out.isascii()
    assert data.json()["links"][0]["url"] == "https://x.example"
