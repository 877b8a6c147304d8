"""The folder tree: well-known folders first in Outlook's order, then the user's folders nested.

Labels are built as plain ``Text`` from sanitised names (Tree would parse a ``str`` as markup),
with the unread count beside each folder; counts update in place when the repository
announces ``FoldersChanged``, and a structural change rebuilds the tree keeping what was
expanded and where the cursor was. Favourite folders (``[ui] favourites``, see
``favourites.py``) are pinned above the well-known ones, in config order, with a star.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree

from olk_tui.domain.ids import FolderId
from olk_tui.domain.mail import WELL_KNOWN_ORDER, Folder
from olk_tui.ui.keymap import bindings
from olk_tui.ui.mail.favourites import STAR, pin
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


def pinned_label(folder: Folder) -> Text:
    """A favourite's label: the star, then the folder's usual label."""
    return Text.assemble((f"{STAR} ", "yellow"), folder_label(folder))


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
        #: The folder the cursor is kept on (the open one, or where the user moved it).
        self._wanted: FolderId | None = None
        #: ``[ui] favourites``; None: read from the app's settings when folders arrive.
        self.favourites: tuple[str, ...] | None = None
        self._pinned: list[object] = []
        self._warned: set[str] = set()

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
        pinned = self._favourites(folders)
        shape = tuple((f.id, "pinned", f.display_name) for f in pinned)
        shape += tuple((f.id, f.parent_id, f.display_name) for _, f in ordered(folders))
        if self.outbox_count:
            shape += ((OUTBOX, None, "Outbox"),)
        if shape == self._shape:
            for node in self._all_nodes():
                if node in self._pinned:
                    node.set_label(pinned_label(self.folders[node.data]))
                elif node.data in self.folders:
                    node.set_label(folder_label(self.folders[node.data]))
                elif node.data == OUTBOX:
                    node.set_label(self._outbox_label())
            return
        expanded = {n.data for n in self._all_nodes() if n.is_expanded} if self._shape else None
        # The cursor follows the open folder, unless the user is moving it in the tree.
        browsing = self.has_focus and self.cursor_node is not None
        cursor = self.cursor_node.data if browsing else (self._wanted or current)
        self._shape = shape
        self.clear()
        self._pinned = [self.root.add_leaf(pinned_label(f), data=f.id) for f in pinned]
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
            self._place(cursor)  # type: ignore[arg-type]

    def _favourites(self, folders: list[Folder]) -> list[Folder]:
        """The pinned folders; a one-time toast names entries that match no folder."""
        names = self.favourites
        if names is None:
            ui = getattr(getattr(self.app, "settings", None), "ui", None)
            names = tuple(getattr(ui, "favourites", ()) or ())
        if not names:
            return []
        found = pin(folders, names)
        unknown = [n for n in found.unknown if n not in self._warned]
        if folders and unknown:  # an empty list is "not loaded yet", not "unknown"
            self._warned.update(unknown)
            self.notify("No folder named " + ", ".join(inline(n, 40) for n in unknown)
                        + ": left out of the favourites", title="Favourites",
                        severity="warning", markup=False)
        return found.folders

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
        """Move the cursor to a folder (expanding its parents), now and again once the tree
        has redrawn: a rebuild in the same turn leaves node line numbers stale until then."""
        self._wanted = folder_id
        self._place(folder_id)

    def _place(self, folder_id: FolderId) -> None:
        self._move_to(folder_id)
        self.call_after_refresh(self._move_to, folder_id)

    def _move_to(self, folder_id: FolderId) -> None:
        here = self.cursor_node
        if here is not None and here in self._pinned and here.data == folder_id:
            return  # a favourite opened from its pinned entry keeps the cursor there
        node = next((n for n in self._all_nodes() if n.data == folder_id), None)
        if node is None:
            return
        parent = node.parent
        while parent is not None:
            if not parent.is_expanded:
                parent.expand()
            parent = parent.parent
        # A node's ``line`` is only right once the lines are built: asking for one builds
        # them when an expand or a rebuild has cleared them.
        self.get_node_at_line(0)
        if node.line >= 0:
            self.move_cursor(node)

    def on_tree_node_selected(self, event: Tree.NodeSelected[FolderId]) -> None:
        """Enter on a folder opens it."""
        event.stop()
        if event.node.data == OUTBOX:
            self.post_message(self.OutboxOpened())
        elif event.node.data is not None:
            self.post_message(self.FolderOpened(event.node.data))
