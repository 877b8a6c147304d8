"""The folder tree's cursor sits on the folder that is open: at start, after every folder
change (tree, folder jump, code), and after the tree is rebuilt by a new folder."""

from __future__ import annotations

from textual.app import App, ComposeResult

from olk_tui.domain.ids import FolderId
from olk_tui.domain.mail import Folder
from olk_tui.domain.operations import CreateFolder
from olk_tui.ui.mail.folders import FolderTree
from olk_tui.ui.mail.screen import MailScreen
from tests.ui.conftest import build_app
from tests.ui.test_mail_journeys import settle


def highlighted(screen: MailScreen) -> FolderId | None:
    """The folder under the tree's cursor."""
    node = screen.query_one(FolderTree).cursor_node
    return node.data if node is not None else None


async def test_tree_cursor_follows_the_open_folder() -> None:
    app, mail = build_app(inbox_size=50)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, MailScreen)
        inbox = mail.well_known("inbox") if hasattr(mail, "well_known") else FolderId("f-inbox")
        assert screen.folder_id == inbox
        assert highlighted(screen) == inbox  # at start
        tree = screen.query_one(FolderTree)
        others = [n.data for n in tree.root.children if n.data not in (None, inbox)]
        for folder in others[:3]:
            screen.open_folder(folder)
            await settle(pilot, app)
            assert screen.folder_id == folder and highlighted(screen) == folder
        await mail.submit(CreateFolder(display_name="Aardvark"))  # rebuilds the tree
        await settle(pilot, app)
        assert highlighted(screen) == screen.folder_id == others[2]
        # Keys in the tree move its cursor without opening; Enter opens, the cursor stays.
        await pilot.press("h", "k", "enter")
        await settle(pilot, app)
        assert highlighted(screen) == screen.folder_id == others[1]


async def test_tree_cursor_is_on_the_inbox_after_a_first_sync_of_the_real_stack() -> None:
    """The demo's first start: the folder list arrives from sync (empty cache first)."""
    from olk_tui.commands.app import demo_account
    from olk_tui.config import Settings
    from olk_tui.emulator import Emulator
    from olk_tui.ui.app import make_app
    from tests.ui.test_mail_real_stack import wait_for

    account, cleanup = demo_account(Settings(), emulator=Emulator.demo(size=500))
    app = make_app(Settings(), account)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            screen = app.screen
            assert isinstance(screen, MailScreen)
            assert await wait_for(pilot, lambda: screen.messages.current is not None)
            for _ in range(3):  # the other folders' first sync rebuilds the tree meanwhile
                await app.workers.wait_for_complete()
                await screen.workers.wait_for_complete()
                await pilot.pause(0.1)
            inbox = screen.commands.well_known("inbox")
            assert inbox is not None and screen.folder_id == inbox
            assert highlighted(screen) == inbox
    finally:
        cleanup()


NAMES = (("i", "Inbox", "inbox"), ("d", "Drafts", "drafts"), ("s", "Sent Items", "sentitems"),
         ("a", "Archive", "archive"), ("x", "Deleted Items", "deleteditems"),
         ("p", "Projects", None), ("q", "Projects child", None))


def folders(*, well_known: bool) -> list[Folder]:
    """The mailbox's folders; without well-known names (the first sync's first answer) they
    sort by name, so every folder sits on another line than after the names arrive."""
    return [Folder(FolderId(i), name, FolderId("p") if i == "q" else None,
                   wk if well_known else None) for i, name, wk in NAMES]


class TreeApp(App[None]):
    """Just the folder tree."""

    def compose(self) -> ComposeResult:
        yield FolderTree()


async def test_select_folder_right_after_a_rebuild_lands_on_that_folder() -> None:
    app = TreeApp()
    async with app.run_test(size=(40, 20)) as pilot:
        tree = app.query_one(FolderTree)
        tree.show(folders(well_known=False), None)
        await pilot.pause()
        tree.select_folder(FolderId("x"))
        await pilot.pause()
        assert tree.cursor_node is not None and tree.cursor_node.data == "x"
        # The names arrive and the Inbox is opened in the same turn: the tree's old lines
        # must not decide where the cursor goes.
        tree.show(folders(well_known=True), FolderId("x"))
        tree.select_folder(FolderId("i"))
        await pilot.pause()
        assert tree.cursor_node is not None and tree.cursor_node.data == "i"
        tree.show(folders(well_known=False), FolderId("i"))  # a rebuild keeps the open one
        await pilot.pause()
        assert tree.cursor_node.data == "i"
        tree.select_folder(FolderId("q"))  # a child: its parent is expanded first
        await pilot.pause()
        assert tree.cursor_node.data == "q"
