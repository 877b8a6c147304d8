"""The Outbox is reachable (folder tree entry while it has items, key 5, the palette); Enter on
a message in Drafts opens the composer; drafts left by a crash are offered at start."""

from __future__ import annotations

from olk_tui.domain.ids import FolderId
from olk_tui.domain.mail import Draft, Recipient
from olk_tui.sync.api import OutboxChanged
from olk_tui.ui.commands import BindingCommands
from olk_tui.ui.compose.dialogs import ResumeDraftsDialog
from olk_tui.ui.compose.outbox import OutboxScreen
from olk_tui.ui.compose.screen import ComposeScreen
from olk_tui.ui.mail.folders import OUTBOX, FolderTree
from olk_tui.ui.mail.screen import MailScreen
from tests.ui.conftest import build_app
from tests.ui.test_mail_journeys import settle

WAITING = Draft(subject="Quarterly numbers", to=(Recipient("alex@contoso.example", "Alex"),))


def tree_ids(app) -> list:
    tree = app.screen.query_one(FolderTree)
    return [n.data for n in tree._all_nodes()]


async def test_outbox_entry_appears_with_items_and_opens_the_outbox() -> None:
    app, mail = build_app(inbox_size=50)
    items: list = []

    async def outbox():
        return list(items)

    app.account.outbox.outbox = outbox  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert OUTBOX not in tree_ids(app)  # nothing waiting: no entry
        items.append(("out-1", "queued", WAITING))
        mail.announce(OutboxChanged(item_id="out-1", state="queued"))
        await settle(pilot, app)
        assert OUTBOX in tree_ids(app)
        tree = app.screen.query_one(FolderTree)
        node = next(n for n in tree._all_nodes() if n.data == OUTBOX)
        assert "Outbox 1" in str(node.label)
        tree.focus()
        tree.move_cursor(node)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, OutboxScreen)
        assert app.screen.items == [("out-1", "queued", WAITING)]
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, MailScreen)
        await pilot.press("5")  # the app-wide key
        await settle(pilot, app)
        assert isinstance(app.screen, OutboxScreen)


async def test_outbox_is_a_palette_command() -> None:
    app, _mail = build_app(inbox_size=50)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        provider = BindingCommands(app.screen)
        names = [name for name, *_ in provider._commands()]
        assert "Outbox" in names


async def test_enter_on_a_draft_opens_it_in_the_composer() -> None:
    app, _mail = build_app(inbox_size=50)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, MailScreen)
        screen.open_folder(FolderId("f-drafts"))
        await settle(pilot, app)
        row = screen.messages.current
        assert row is not None and row.is_draft
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ComposeScreen)
        assert app.screen._server_id == row.id  # the same server draft, not a new one


async def test_local_drafts_are_offered_at_start() -> None:
    app, _mail = build_app(inbox_size=50)
    app.account.outbox.local["crash-1"] = WAITING  # type: ignore[attr-defined]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, ResumeDraftsDialog)


async def test_contacts_write_to_goes_through_compose_requested(monkeypatch) -> None:
    from olk_tui.ui import wiring
    from olk_tui.ui.contacts.screen import ContactsScreen

    requests: list[tuple] = []
    real = wiring.open_composer

    def recording(app, kind, message_id, *, to=()):
        requests.append((kind, message_id, to))
        real(app, kind, message_id, to=to)

    monkeypatch.setattr(wiring, "open_composer", recording)
    app, _mail = build_app(inbox_size=50)
    alex = Recipient("alex@contoso.example", "Alex Wilber")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = ContactsScreen()
        await app.push_screen(screen)
        await settle(pilot, app)
        screen.write_to(alex)
        await settle(pilot, app)
        assert requests == [("new", None, (alex,))]
        assert isinstance(app.screen, ComposeScreen)
        assert app.screen.build_draft().to == (alex,)


async def test_upload_progress_does_not_reload_the_folder_tree() -> None:
    from olk_tui.sync.api import OutboxChanged
    from olk_tui.ui.mail.screen import MailScreen
    from tests.ui.conftest import build_app

    app, mail = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = next(s for s in app.screen_stack if isinstance(s, MailScreen))
        loads: list[int] = []
        screen._load_folders = lambda: loads.append(1)  # type: ignore[method-assign]
        for listener in list(mail._listeners):
            listener(OutboxChanged(item_id="o1", state="uploading", progress=0.5))
        await pilot.pause()
        assert loads == []
        for listener in list(mail._listeners):
            listener(OutboxChanged(item_id="o1", state="confirmed"))
        await pilot.pause()
        assert loads == [1]
