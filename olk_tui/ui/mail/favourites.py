"""Favourite folders (``[ui] favourites``): which folders are pinned on top of the tree.

Pure: given the mailbox's folders and the configured entries, returns the favourite folders in
config order and the entries that name no folder. An entry is a folder's path from the top
(``Projects/Apollo``) or its display name (``Receipts``), compared without regard to case; a
full path wins over a bare name, and when a bare name is shared by several folders the one
nearest the top (then first in display order) is taken. Hidden folders are never pinned, and
a folder is pinned once even when two entries name it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from olk_tui.domain.ids import FolderId
from olk_tui.domain.mail import Folder

#: The glyph that marks a pinned folder.
STAR = "\u2605"


@dataclass(frozen=True, slots=True)
class Favourites:
    """What ``pin`` found: the pinned folders in config order, and the unknown entries."""

    folders: list[Folder] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def folder_paths(folders: Iterable[Folder]) -> dict[FolderId, tuple[str, ...]]:
    """Each folder's path of display names from the top (a parent that is not in the list or
    is hidden, such as the message-folder root, ends the path)."""
    by_id = {f.id: f for f in folders}
    paths: dict[FolderId, tuple[str, ...]] = {}

    def path(fid: FolderId, seen: frozenset[FolderId]) -> tuple[str, ...]:
        if fid in paths:
            return paths[fid]
        folder = by_id[fid]
        parent = folder.parent_id
        # A hidden parent (the message-folder root) or a cycle in bad data ends the path.
        if parent in by_id and not by_id[parent].is_hidden and parent not in seen:
            result = (*path(parent, seen | {fid}), folder.display_name)
        else:
            result = (folder.display_name,)
        paths[fid] = result
        return result

    for fid in by_id:
        path(fid, frozenset())
    return paths


def pin(folders: Sequence[Folder], favourites: Sequence[str]) -> Favourites:
    """The favourite folders, in the order of ``favourites``, and the entries that match none.

    Args:
        folders: the mailbox's folders in display order.
        favourites: the ``[ui] favourites`` entries (paths with ``/`` or display names).
    """
    visible = [f for f in folders if not f.is_hidden]
    paths = folder_paths(folders)
    by_path: dict[str, Folder] = {}
    by_name: dict[str, Folder] = {}
    for f in sorted(visible, key=lambda f: len(paths[f.id])):  # stable: display order kept
        by_path.setdefault(_key("/".join(paths[f.id])), f)
        by_name.setdefault(_key(f.display_name), f)
    pinned: list[Folder] = []
    unknown: list[str] = []
    for entry in favourites:
        wanted = _key(entry.strip().strip("/"))
        if not wanted:
            continue
        folder = by_path.get(wanted) or by_name.get(wanted)
        if folder is None:
            if entry not in unknown:
                unknown.append(entry)
        elif folder not in pinned:
            pinned.append(folder)
    return Favourites(pinned, unknown)
