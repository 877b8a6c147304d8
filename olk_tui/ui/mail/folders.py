"""The folder tree: well-known folders first in Outlook's order, then the user's folders nested.

Labels are built as plain ``Text`` from sanitised names (Tree would parse a ``str`` as markup),
with the unread count beside each folder; counts update in place when the repository
announces ``FoldersChanged``, and a structural change rebuilds the tree keeping what was
expanded and where the cursor was.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree

from olk_tui.domain.ids import FolderId
from olk_tui.domain.mail import WELL_KNOWN_ORDER, Folder
from olk_tui.ui.keymap import bindings
from olk_tui.ui.text import inline

_RANK = {w.value: i for i, w in enumerate(WELL_KNOWN_ORDER)}
#: The tree node of the local Outbox (not a Graph folder): shown while messages wait to go.
OUTBOX = FolderId("olk-tui:outbox")


def ordered(folders: list[Folder]) -> list[tuple[int, Folder]]:
    """(depth, folder) in display order: well-known top-level folders first, then by name."""
    by_parent: dict[FolderId | None, list[Folder]] = {}
    known = {f.id for f in folders}
    for f in folders:
        if f.is_hidden:
            continue
        parent = f.parent_id if f.parent_id in known else None
        by_parent.setdefault(parent, []).append(f)

    def key(f: Folder) -> tuple[int, str]:
        return (_RANK.get(f.well_known_name or "", len(_RANK)), f.display_name.casefold())

    out: list[tuple[int, Folder]] = []

    def walk(parent: FolderId | None, depth: int) -> None:
        for f in sorted(by_parent.get(parent, []), key=key):
            out.append((depth, f))
            walk(f.id, depth + 1)

    walk(None, 0)
    return out


def folder_label(folder: Folder) -> Text:
    """``Inbox 12`` with the name sanitised and the count bold (plain text, never markup)."""
    label = Text(inline(folder.display_name, 40, placeholder="(unnamed)"))
    if folder.unread_count and folder.well_known_name not in {"sentitems", "drafts"}:
        label.stylize("bold")
        label.append(f" {folder.unread_count}", style="bold")
    return label


class FolderTree(Tree[FolderId]):
    """Folders of the mailbox; Enter opens one (posts ``FolderOpened``)."""

    BINDINGS = bindings("folders")

    class FolderOpened(Message):
        """The user opened a folder."""

        def __init__(self, folder_id: FolderId) -> None:
            super().__init__()
            self.folder_id = folder_id

    class OutboxOpened(Message):
        """The user opened the Outbox entry."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("Folders", **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = False  # Enter opens a folder; space folds it
        self.folders: dict[FolderId, Folder] = {}
        self._shape: tuple[tuple[str, str | None, str], ...] = ()
        self.outbox_count = 0

    def process_label(self, label: str | Text) -> Text:
        """Never parse labels as markup."""
        text = Text(label) if isinstance(label, str) else label
        return text.split()[0] if text.plain else text

    def show(self, folders: list[Folder], current: FolderId | None,
             outbox: int | None = None) -> None:
        """Show ``folders``: relabel in place when only counts changed, else rebuild.

        ``outbox`` is how many messages wait in the outbox (None: unchanged); while there
        are any, an "Outbox" entry follows the folders.
        """
        self.folders = {f.id: f for f in folders}
        if outbox is not None:
            self.outbox_count = outbox
        shape = tuple((f.id, f.parent_id, f.display_name) for _, f in ordered(folders))
        if self.outbox_count:
            shape += ((OUTBOX, None, "Outbox"),)
        if shape == self._shape:
            for node in self._all_nodes():
                if node.data in self.folders:
                    node.set_label(folder_label(self.folders[node.data]))
                elif node.data == OUTBOX:
                    node.set_label(self._outbox_label())
            return
        expanded = {n.data for n in self._all_nodes() if n.is_expanded} if self._shape else None
        cursor = self.cursor_node.data if self.cursor_node else current
        self._shape = shape
        self.clear()
        nodes: dict[FolderId, object] = {}
        for _, f in ordered(folders):
            parent = nodes.get(f.parent_id) if f.parent_id else None
            parent_node = parent if parent is not None else self.root
            node = parent_node.add(folder_label(f), data=f.id,  # type: ignore[attr-defined]
                                   expand=expanded is None or f.id in expanded)
            nodes[f.id] = node
            if not any(c.parent_id == f.id for c in folders):
                node.allow_expand = False
        if self.outbox_count:
            nodes[OUTBOX] = self.root.add_leaf(self._outbox_label(), data=OUTBOX)
        self.root.expand()
        if cursor in nodes:
            self.call_after_refresh(self.move_cursor, nodes[cursor])

    def _outbox_label(self) -> Text:
        return Text.assemble("Outbox", (f" {self.outbox_count}", "bold"))

    def _all_nodes(self) -> list:
        out, stack = [], list(self.root.children)
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(node.children)
        return out

    def select_folder(self, folder_id: FolderId) -> None:
        """Move the cursor to a folder (expanding its parents)."""
        for node in self._all_nodes():
            if node.data == folder_id:
                parent = node.parent
                while parent is not None:
                    parent.expand()
                    parent = parent.parent
                self.move_cursor(node)
                return

    def on_tree_node_selected(self, event: Tree.NodeSelected[FolderId]) -> None:
        """Enter on a folder opens it."""
        event.stop()
        if event.node.data == OUTBOX:
            self.post_message(self.OutboxOpened())
        elif event.node.data is not None:
            self.post_message(self.FolderOpened(event.node.data))
