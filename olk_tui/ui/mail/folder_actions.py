"""The folder keys of the mail screen (focus the tree or the list; create, rename, move and
delete the folder under the tree cursor); mixed into ``MailScreen``."""

from __future__ import annotations

from olk_tui.domain.mail import Folder
from olk_tui.ui.mail.folders import FolderTree
from olk_tui.ui.mail.message_list import MessageList
from olk_tui.ui.mail.ops import MailCommands


class FolderActions:
    """Actions on the folder tree; the screen provides ``tree``, ``messages``, ``commands``."""

    tree: FolderTree
    messages: MessageList
    commands: MailCommands

    def action_focus_folders(self) -> None:
        """Focus the folder tree."""
        self.tree.focus()

    def action_focus_list(self) -> None:
        """Focus the message list."""
        self.messages.focus()

    def _tree_folder(self) -> Folder | None:
        node = self.tree.cursor_node
        return self.commands.folders.get(node.data) if node and node.data else None

    def action_new_folder(self) -> None:
        """Create a folder under the one under the tree cursor."""
        folder = self._tree_folder()
        self.commands.new_folder(folder.id if folder and not folder.well_known_name else None)

    def action_rename_folder(self) -> None:
        """Rename the folder under the tree cursor."""
        if (folder := self._tree_folder()) is not None:
            self.commands.rename_folder(folder)

    def action_move_folder(self) -> None:
        """Move the folder under the tree cursor."""
        if (folder := self._tree_folder()) is not None:
            self.commands.move_folder(folder)

    def action_delete_folder(self) -> None:
        """Delete the folder under the tree cursor."""
        if (folder := self._tree_folder()) is not None:
            self.commands.delete_folder(folder)
