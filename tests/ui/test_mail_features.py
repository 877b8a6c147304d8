"""Mail UI features beyond the core journeys: folders, reader tools, safety, keys, filters."""

from __future__ import annotations

from pathlib import Path

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import Folder
from olk_tui.domain.operations import (
    CreateFolder,
    DeleteFolder,
    MoveFolder,
    MoveMessages,
    RenameFolder,
    RespondToEvent,
)
from olk_tui.sync.api import SyncState, SyncStatus
from olk_tui.ui.help import help_text
from olk_tui.ui.keymap import SPECS, keymap_for
from olk_tui.ui.mail.folders import FolderTree, ordered
from olk_tui.ui.mail.reader import ReaderScreen
from olk_tui.ui.status import StatusLine
from tests.ui.conftest import build_app
from tests.ui.test_mail_journeys import settle, the_list


def test_folders_in_outlook_order_then_user_folders_nested() -> None:
    folders = [Folder(FolderId(i), n, FolderId(p) if p else None, w) for i, n, p, w in (
        ("z", "Zed", None, None), ("j", "Junk Email", None, "junkemail"),
        ("a", "Archive", None, "archive"), ("i", "Inbox", None, "inbox"),
        ("c", "child", "z", None), ("s", "Sent Items", None, "sentitems"),
        ("d", "Drafts", None, "drafts"), ("x", "Deleted Items", None, "deleteditems"),
        ("b", "bills", None, None))]
    assert [(depth, f.display_name) for depth, f in ordered(folders)] == [
        (0, "Inbox"), (0, "Drafts"), (0, "Sent Items"), (0, "Archive"), (0, "Deleted Items"),
        (0, "Junk Email"), (0, "bills"), (0, "Zed"), (1, "child")]


async def test_folder_create_rename_move_delete_through_dialogs(app_and_mail) -> None:
    app, mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        tree = app.screen.query_one(FolderTree)
        await pilot.press("h")
        assert app.focused is tree
        tree.select_folder(FolderId("f-news"))
        await pilot.press("N", *"Clients", "enter")
        await settle(pilot, app)
        assert mail.submitted[-1] == CreateFolder("Clients", FolderId("f-news"))
        assert any(f.display_name == "Clients" and f.parent_id == "f-news"
                   for f in app.commands.folders.values())
        tree.select_folder(FolderId("f-launch"))
        await pilot.press("R", *["backspace"] * 20, *"Launch", "enter")
        await settle(pilot, app)
        assert mail.submitted[-1] == RenameFolder(FolderId("f-launch"), "Launch")
        tree.select_folder(FolderId("f-launch"))
        await pilot.press("M", *"newsl", "enter", "y")
        await settle(pilot, app)
        assert mail.submitted[-1] == MoveFolder(FolderId("f-launch"), FolderId("f-news"))
        tree.select_folder(FolderId("f-budget"))
        await pilot.press("D", "y")
        await settle(pilot, app)
        assert mail.submitted[-1] == DeleteFolder(FolderId("f-budget"))
        assert FolderId("f-budget") not in app.commands.folders
        tree.select_folder(FolderId("f-inbox"))
        await pilot.press("D")  # well-known: refused without a dialog
        await settle(pilot, app)
        assert mail.submitted[-1] == DeleteFolder(FolderId("f-budget"))


async def test_attachments_saved_never_overwriting(app_and_mail, tmp_path: Path) -> None:
    app, _mail = app_and_mail
    app.download_dir = tmp_path
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("j", "enter")  # f-inbox:1 has two attachments
        await settle(pilot, app)
        assert "Q3 numbers.xlsx" in str(app.screen.query_one("#attachments").render())
        await pilot.press("a", "a")  # save, all of them
        await settle(pilot, app)
        await pilot.press("enter")  # the folder prompt, pre-filled with the download folder
        await settle(pilot, app)
        await pilot.press("a", "1", "enter")  # the first again
        await settle(pilot, app)
        names = sorted(p.name for p in tmp_path.iterdir())  # noqa: ASYNC240
        assert names == ["Q3 numbers (1).xlsx", "Q3 numbers.xlsx", "photo.png"]


async def test_links_by_number_copy_and_confirm_before_open(app_and_mail) -> None:
    app, _mail = app_and_mail
    opened: list[str] = []
    app.open_url = lambda url, **kw: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")  # f-inbox:0: HTML with links
        await settle(pilot, app)
        await pilot.press("y", "1", "enter")
        await settle(pilot, app)
        assert app.clipboard == "https://contoso.example/plan"
        await pilot.press("o", "1", "enter")
        await settle(pilot, app)
        assert "Open https://contoso.example/plan" in str(
            app.screen.query("Label").first().render())
        await pilot.press("n")
        await settle(pilot, app)
        assert opened == []
        await pilot.press("y", "9", "enter")
        await settle(pilot, app)
        assert app.clipboard == "https://contoso.example/plan"


async def test_headers_source_and_quote_folding(app_and_mail) -> None:
    app, _mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        body = app.screen.query_one("#body")
        assert "Can you send the latest numbers?" in str(body.render())
        await pilot.press("z")
        assert "quoted text folded" in str(body.render())
        assert "Can you send the latest numbers?" not in str(body.render())
        await pilot.press("H")
        assert "Authentication-Results" in str(body.render())
        await pilot.press("S")
        assert "<table>" in str(body.render())


async def test_hostile_strings_are_neutralised_and_spoofing_warned(app_and_mail) -> None:
    app, _mail = app_and_mail
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        messages = the_list(app)
        line = messages.render_line(4).text
        assert "\x1b" not in line and "\u202e" not in line and "\x07" not in line
        assert "␛" in line and "<U+202E>" in line
        await pilot.press(*"jjjj", "enter")
        await settle(pilot, app)
        headers = str(app.screen.query_one("#headers").render())
        assert "billing@evil.example" in headers
        assert "The name shows the address support@microsoft.com" in headers


async def test_meeting_invitation_answer_posts_rsvp(app_and_mail) -> None:
    app, _mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("j", "j", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.query_one("#meeting").display
        info = str(app.screen.query_one("#meeting-info").render())
        assert "When: Thu 26 Nov 10:00–11:00" in info and "Room 4" in info
        assert "Conflicts with: Dentist" in info
        await pilot.click("#tentativelyAccept")
        await settle(pilot, app)
        await pilot.press("ctrl+s")  # the calendar's RSVP dialog: send
        await settle(pilot, app)
        [op] = app.account.calendar.submitted  # type: ignore[attr-defined]
        assert isinstance(op, RespondToEvent)
        assert (op.event_id, op.response) == ("ev-f-inbox:2", "tentativelyAccept")


async def test_quick_filters_and_sort(app_and_mail) -> None:
    app, mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        messages = the_list(app)
        await pilot.press("F", "u")
        await settle(pilot, app)
        assert messages.count == mail.unread["f-inbox"]
        assert all(not messages.row_at(i).is_read for i in range(messages.count))
        await pilot.press("F", "a", "o")  # all, then oldest first
        await settle(pilot, app)
        assert messages.count == 400 and messages.current.id == "f-inbox:399"
        await pilot.press("o", "F", "s")  # newest first, from this sender
        await settle(pilot, app)
        sender = mail.row(MessageId("f-inbox:0")).from_
        assert {messages.row_at(i).from_ for i in range(messages.count)} == {sender}


async def test_command_palette_runs_any_action(app_and_mail) -> None:
    app, mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p", *"archive")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot, app)
        assert mail.submitted[-1] == MoveMessages((MessageId("f-inbox:0"),),
                                                  FolderId("f-archive"), FolderId("f-inbox"))


async def test_status_line_shows_sync_queue_offline_and_errors(app_and_mail) -> None:
    app, mail = app_and_mail
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        mail.announce(SyncStatus(SyncState.OFFLINE, pending_operations=3,
                                 last_error="no route to host\x1b[2J"))
        await settle(pilot, app)
        text = str(app.screen.query_one(StatusLine).render())
        assert "DEMO MAILBOX" in text and "OFFLINE" in text and "3 queued" in text
        assert "no route to host" in text and "\x1b" not in text
        mail.announce(SyncStatus(SyncState.SYNCING, progress=0.4))
        await settle(pilot, app)
        assert "syncing 40%" in str(app.screen.query_one(StatusLine).render())


async def test_reply_opens_the_composer(app_and_mail) -> None:
    from olk_tui.ui.compose import ComposeScreen

    app, _mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("r")
        await settle(pilot, app)
        assert isinstance(app.screen, ComposeScreen)
        await pilot.press("escape")  # save & close (the composer's own key)
        await settle(pilot, app)
        assert not isinstance(app.screen, ComposeScreen)


def test_help_lists_every_binding_with_the_keys_in_force() -> None:
    keymap, problems = keymap_for("mutt", {"mail.delete": "x", "nope": "z"})
    assert problems == ["keymap: unknown binding id 'nope'"]
    text = help_text(keymap, "mutt").plain
    for spec in SPECS:
        assert spec.id in text
    delete_line = next(line for line in text.splitlines() if line.endswith(" mail.delete"))
    assert delete_line.split()[0] == "x"
    toggle_line = next(line for line in text.splitlines()
                       if line.endswith(" mail.toggle_read"))
    assert toggle_line.split()[0] == "N"


async def test_unknown_keymap_id_is_reported_not_fatal() -> None:
    app, _mail = build_app(keymap={"mail.nope": "x"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert any("mail.nope" in n.message for n in app._notifications)


async def test_escape_leaves_search_then_filter(app_and_mail) -> None:
    app, _mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        messages = the_list(app)
        await pilot.press("slash", *"offsite", "enter")
        await settle(pilot, app)
        assert messages.count < 400
        await pilot.press("escape")
        await settle(pilot, app)
        assert messages.count == 400 and app.screen.search_text == ""
        await pilot.press("F", "f", "escape")
        await settle(pilot, app)
        assert messages.count == 400


async def test_new_mail_hook_runs_without_a_shell(tmp_path: Path) -> None:
    import sys

    from olk_tui.sync.api import NewMail

    out = tmp_path / "hook.txt"
    script = "import sys; open(sys.argv[1], 'w').write('|'.join(sys.argv[2:]))"
    app, mail = build_app(new_mail_hook=(sys.executable, "-c", script, str(out)),
                          notify_new_mail=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        mail.announce(NewMail((mail.row(MessageId("f-inbox:4")),)))
        await settle(pilot, app)
        await app.workers.wait_for_complete()
        written = out.read_text()
        assert written.startswith(
            "Microsoft Support <support@microsoft.com> <billing@evil.example>|Invoice ␛[31m")
        assert "\x1b" not in written
        assert not any(n.title == "New mail" for n in app._notifications)


async def test_new_mail_toast_and_time_zone_follows_mailbox(app_and_mail) -> None:
    import dataclasses

    from olk_tui.sync.api import NewMail

    app, mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        mail.announce(NewMail((mail.row(MessageId("f-inbox:0")),)))
        app.account.settings = dataclasses.replace(app.account.settings,
                                                   time_zone="Pacific Standard Time")
        mail.announce(SyncStatus())
        await settle(pilot, app)
        assert any(n.title == "New mail"
                   and n.message.startswith("Tailspin Toys Orders <noreply@tailspin.example>")
                   for n in app._notifications)
        assert str(app.tz) == "America/Los_Angeles"
        assert "01:30" in the_list(app).render_line(0).text  # 09:30 UTC in Los Angeles


async def test_mark_read_after_a_delay() -> None:
    app, mail = build_app(mark_read="1")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert mail.submitted == []
        await pilot.pause(1.2)
        await settle(pilot, app)
        assert [op.message_ids for op in mail.submitted] == [("f-inbox:0",)]


async def test_conversation_view_groups_expands_and_acts_on_whole_conversation(
        app_and_mail) -> None:
    from olk_tui.domain.operations import DeleteMessages

    app, mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        messages = the_list(app)
        await pilot.press("v")
        await settle(pilot, app)
        assert messages.count == 134  # 400 rows, three per conversation
        assert "▸3 " in messages.render_line(0).text
        await pilot.press("space")
        await settle(pilot, app)
        assert messages.count == 136 and "▾3 " in messages.render_line(0).text
        assert "└ " in messages.render_line(1).text
        await pilot.press("space", "d")  # close it again, delete the whole conversation
        await settle(pilot, app)
        op = mail.submitted[-1]
        assert isinstance(op, DeleteMessages)
        assert set(op.message_ids) == {"f-inbox:0", "f-inbox:1", "f-inbox:2"}
        assert messages.count == 133
        await pilot.press("v")
        await settle(pilot, app)
        assert messages.count == 397


async def test_palette_offers_folder_actions_while_the_list_has_focus(app_and_mail) -> None:
    app, mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert app.focused is the_list(app)
        await pilot.press("ctrl+p", *"new folder")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press(*"Travel", "enter")
        await settle(pilot, app)
        assert isinstance(mail.submitted[-1], CreateFolder)
        assert mail.submitted[-1].display_name == "Travel"


async def test_contacts_and_settings_screens_are_reachable(app_and_mail) -> None:
    from olk_tui.ui.contacts.screen import ContactsScreen
    from olk_tui.ui.settings.screen import SettingsScreen

    app, _mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("3")
        await settle(pilot, app)
        assert isinstance(app.screen, ContactsScreen)
        await pilot.press("1", "4")
        await settle(pilot, app)
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.current_mode == "mail" and not isinstance(app.screen, SettingsScreen)


async def test_mailto_from_the_command_line_opens_the_composer() -> None:
    from olk_tui.config import Settings
    from olk_tui.ui.app import make_app
    from olk_tui.ui.compose import ComposeScreen
    from olk_tui.ui.demo_data import fixed_now
    from olk_tui.ui.testing import fake_account

    app = make_app(Settings(), fake_account(50, now=fixed_now()), now=fixed_now,
                   mailto="mailto:adele@contoso.example?subject=Lunch")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, ComposeScreen)
        await pilot.press("escape")
        await settle(pilot, app)


def test_tag_patterns_combine_from_and_subject_terms() -> None:
    from olk_tui.ui.mail.actions import pattern_matcher
    from olk_tui.ui.testing import FakeMail

    mail = FakeMail()
    rows = [mail.row(MessageId(f"f-inbox:{i}")) for i in range(60)]
    keep = pattern_matcher("from:lee subject:SECURITY")
    picked = [r for r in rows if keep(r)]
    assert picked and all(r.from_.name == "Lee Gu" and "Security" in r.subject for r in picked)
    assert [r for r in rows if pattern_matcher("lee")(r)] == [
        r for r in rows if "lee" in str(r.from_).lower() or "lee" in r.subject.lower()]


async def test_a_draft_opens_in_the_composer(app_and_mail) -> None:
    from olk_tui.ui.compose import ComposeScreen

    app, _mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        app.screen.open_folder(FolderId("f-drafts"))
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ComposeScreen)
        await pilot.press("escape")
        await settle(pilot, app)


async def test_results_from_every_folder_name_their_folder(app_and_mail) -> None:
    app, _mail = app_and_mail
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("slash", "ctrl+t", *"offsite")
        await settle(pilot, app)
        messages = the_list(app)
        assert messages.source.folder_id is None
        lines = [messages.render_line(i).text for i in range(min(messages.count, 25))]
        assert any("Inbox · " in line for line in lines)
        assert any("Archive · " in line or "Newsletters · " in line or "Contoso Launch · "
                   in line for line in lines)


async def test_open_attachment_with_the_system_viewer_after_confirming(app_and_mail,
                                                                       monkeypatch) -> None:
    import olk_tui.ui.mail.reader_tools as tools

    launched: list[list[str]] = []
    monkeypatch.setattr(tools, "has_display", lambda: True)
    monkeypatch.setattr(tools, "launch", launched.append)
    app, _mail = app_and_mail
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("j", "enter")
        await settle(pilot, app)
        await pilot.press("O", "2")
        await settle(pilot, app)
        assert launched == []  # nothing opens before the user says yes
        await pilot.press("y")
        await settle(pilot, app)
        [argv] = launched
        assert argv[0] in {"xdg-open", "open"} and Path(argv[1]).name == "photo.png"
        assert Path(argv[1]).read_bytes().startswith(b"attachment")  # noqa: ASYNC240


def test_both_key_sets_are_clash_free_and_remap_clashes_are_reported() -> None:
    assert keymap_for("vim", {})[1] == [] and keymap_for("mutt", {})[1] == []
    assert keymap_for("vim", {"mail.delete": "j"})[1] == [
        "keymap: mail.down and mail.delete share the key 'j'"]
    assert keymap_for("mutt", {"mail.delete": "1"})[1] == [
        "keymap: app.mode.mail and mail.delete share the key '1'"]
