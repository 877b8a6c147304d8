"""The ``folders`` table: the mail folder tree, well-known names and server counts."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from olk_tui.domain.ids import FolderId
from olk_tui.domain.mail import Folder


class FolderTables:
    """Folder methods of ``MailStore`` (which provides ``_db`` and ``_delete_rks``)."""

    _db: sqlite3.Connection

    def _delete_rks(self, rks: Sequence[int]) -> None:
        raise NotImplementedError

    def upsert_folders(self, folders: Iterable[Folder]) -> None:
        """Insert or update folders by id."""
        self._db.executemany(
            "INSERT INTO folders (id, parent_id, display_name, well_known, child_folder_count,"
            " unread_count, total_count, is_hidden) VALUES (?,?,?,?,?,?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET parent_id=excluded.parent_id,"
            " display_name=excluded.display_name,"
            " well_known=coalesce(excluded.well_known, folders.well_known),"
            " child_folder_count=excluded.child_folder_count,"
            " unread_count=excluded.unread_count, total_count=excluded.total_count,"
            " is_hidden=excluded.is_hidden",
            [(f.id, f.parent_id, f.display_name, f.well_known_name, f.child_folder_count,
              f.unread_count, f.total_count, int(f.is_hidden)) for f in folders])

    def set_well_known(self, folder_id: str, name: str) -> None:
        """Record that ``folder_id`` is the well-known folder ``name``."""
        self._db.execute("UPDATE folders SET well_known = NULL WHERE well_known = ?", (name,))
        self._db.execute("UPDATE folders SET well_known = ? WHERE id = ?", (name, folder_id))

    def remove_folders(self, ids: Iterable[str]) -> None:
        """Forget folders and every cached message in them."""
        for fid in ids:
            rks = [r[0] for r in self._db.execute(
                "SELECT rk FROM messages WHERE folder_id = ?", (fid,))]
            self._delete_rks(rks)
            self._db.execute("DELETE FROM folders WHERE id = ?", (fid,))
            self._db.execute("DELETE FROM folder_counts WHERE folder_id = ?", (fid,))

    def folders(self) -> list[Folder]:
        """Every folder, flat with parent ids, in name order.

        A parent that is not a folder here (the mailbox root) is reported as None, so the
        top-level folders are exactly those without a parent.
        """
        rows = self._db.execute(
            "SELECT id, display_name, parent_id, well_known, child_folder_count, unread_count,"
            " total_count, is_hidden FROM folders ORDER BY display_name COLLATE NOCASE"
        ).fetchall()
        known = {r[0] for r in rows}
        return [Folder(FolderId(r[0]), r[1], FolderId(r[2]) if r[2] in known else None, r[3],
                       r[4], r[5], r[6], bool(r[7])) for r in rows]

    def folder(self, folder_id: str) -> Folder | None:
        """One folder, or None."""
        return next((f for f in self.folders() if f.id == folder_id), None)

    def folder_id_by_well_known(self, name: str) -> FolderId | None:
        """The id of a well-known folder ("inbox", "sentitems", ...), when known."""
        row = self._db.execute("SELECT id FROM folders WHERE well_known = ?",
                               (name,)).fetchone()
        return FolderId(row[0]) if row else None

    def adjust_folder_counts(self, folder_id: str, total: int = 0, unread: int = 0) -> None:
        """Keep the server's folder counts in step with a local change until the next sync."""
        self._db.execute(
            "UPDATE folders SET total_count = max(0, total_count + ?),"
            " unread_count = max(0, unread_count + ?) WHERE id = ?", (total, unread, folder_id))
