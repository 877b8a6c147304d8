"""The emulator's in-memory mailbox model.

A :class:`Mailbox` holds Graph-shaped dicts exactly as given (unknown fields included) plus the
indexes the HTTP handlers need so that a 100,000-message folder lists, pages and deltas without
scanning every message per request:

* ``folders``: folder id -> mailFolder resource; ``well_known``: ``"inbox"`` -> folder id.
* ``messages``: message id -> message resource; ``folder_index``: folder id -> ids (insertion
  ordered); ``order``: the :class:`~olk_tui.emulator.message_order.MessageOrder` behind
  :meth:`Mailbox.sorted_ids` (each folder's ids newest first, kept up to date in place).
* ``attachments``: message id -> attachment id -> attachment resource.
* ``changes``: a :class:`ChangeLog` of (sequence, container, item id) entries that delta reads.
* Empty containers that the calendar engineer's modules fill and serve: ``calendars``,
  ``calendar_groups``, ``events``, ``contacts``, ``contact_folders``, ``mailbox_settings``,
  and ``extra`` for anything else (keyed by module name).

Mutating code must hold the emulator's lock (handlers always do: the app runs them under it) and
must go through the ``add_*``/``update_*``/``move_*``/``delete_*`` methods or call
:meth:`Mailbox.touch` so delta and the caches stay right.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from olk_tui.emulator import extended_props
from olk_tui.emulator.message_defaults import fill_attachment, fill_message
from olk_tui.emulator.message_order import MessageOrder
from olk_tui.emulator.state_base import (
    ChangeLog,
    IdFactory,
    parse_graph_datetime,
    utc_now_iso,
)

__all__ = ["HIDDEN_FOLDERS", "WELL_KNOWN_FOLDERS", "ChangeLog", "IdFactory", "Mailbox",
           "parse_graph_datetime", "utc_now_iso"]

#: Well-known mail folder names, with their display names, in Outlook's list order.
WELL_KNOWN_FOLDERS: dict[str, str] = {
    "inbox": "Inbox",
    "drafts": "Drafts",
    "sentitems": "Sent Items",
    "deleteditems": "Deleted Items",
    "archive": "Archive",
    "junkemail": "Junk Email",
    "outbox": "Outbox",
    "conversationhistory": "Conversation History",
}

#: Well-known folders Graph hides unless ``includeHiddenFolders=true`` (none by default).
HIDDEN_FOLDERS: frozenset[str] = frozenset()

_ROOT = "msgfolderroot"


class Mailbox:
    """One user's mailbox: identity, folders, messages, attachments and the calendar/contact
    containers, all as Graph-shaped dicts."""

    def __init__(self, address: str, name: str, *, ids: IdFactory | None = None,
                 user_id: str | None = None, kind: str = "work") -> None:
        self.calendars: dict[str, dict[str, Any]] = {}
        self.kind = kind
        self.address = address
        self.name = name
        self.ids = ids or IdFactory()
        self.user_id = user_id or str(uuid.uuid5(uuid.NAMESPACE_URL, "olk-tui:" + address.lower()))
        given, _, surname = name.partition(" ")
        self.me: dict[str, Any] = {
            "businessPhones": [],
            "displayName": name,
            "givenName": given or None,
            "jobTitle": None,
            "mail": address,
            "mobilePhone": None,
            "officeLocation": None,
            "preferredLanguage": "en-US",
            "surname": surname or None,
            "userPrincipalName": address,
            "id": self.user_id,
        }
        self.folders: dict[str, dict[str, Any]] = {}
        self.well_known: dict[str, str] = {}
        self.children: dict[str | None, list[str]] = {}
        self.messages: dict[str, dict[str, Any]] = {}
        self.folder_index: dict[str, dict[str, None]] = {}
        self.attachments: dict[str, dict[str, dict[str, Any]]] = {}
        self.changes = ChangeLog()
        self.order = MessageOrder()
        self._unread: dict[str, int] = {}
        # Filled by the calendar engineer's modules.
        self.calendar_groups: dict[str, dict[str, Any]] = {}
        self.events: dict[str, dict[str, Any]] = {}
        self.contacts: dict[str, dict[str, Any]] = {}
        self.contact_folders: dict[str, dict[str, Any]] = {}
        self.mailbox_settings: dict[str, Any] = {}
        self.extra: dict[str, Any] = {}
        self.root_id = self.ids.new(b"R")
        self.well_known[_ROOT] = self.root_id
        for wk, display in WELL_KNOWN_FOLDERS.items():
            self.add_folder(display, well_known=wk)

    @property
    def kind(self) -> str:
        """"work" (Microsoft 365) or "personal" (outlook.com: no findMeetingTimes, Skype
        rather than Teams meetings)."""
        return self._kind

    @kind.setter
    def kind(self, value: str) -> None:
        if value not in ("work", "personal"):
            raise ValueError(f"kind must be 'work' or 'personal', not {value!r}")
        self._kind = value
        provider = "skypeForConsumer" if value == "personal" else "teamsForBusiness"
        for cal in self.calendars.values():
            cal["allowedOnlineMeetingProviders"] = [provider]
            cal["defaultOnlineMeetingProvider"] = provider

    # ----------------------------------------------------------------- folders
    def add_folder(self, display_name: str | None = None, parent_id: str | None = None, *,
                   resource: dict[str, Any] | None = None,
                   well_known: str | None = None) -> dict[str, Any]:
        """Create a folder (kept exactly as ``resource`` gives it, missing fields filled).

        Args:
            display_name: the name, unless ``resource`` carries ``displayName``.
            parent_id: parent folder id; ``None`` for a top-level folder.
            resource: a Graph mailFolder dict to keep as given.
            well_known: a well-known name (``inbox``...) this folder answers to.
        """
        folder = dict(resource or {})
        folder_id = folder.get("id") or self.ids.new(b"F")
        if folder_id in self.folders:
            raise ValueError(f"duplicate folder id {folder_id!r}")
        folder["id"] = folder_id
        folder.setdefault("displayName", display_name or "Folder")
        folder["parentFolderId"] = parent_id or self.root_id
        folder.setdefault("childFolderCount", 0)
        folder.setdefault("unreadItemCount", 0)
        folder.setdefault("totalItemCount", 0)
        folder.setdefault("isHidden", False)
        self.folders[folder_id] = folder
        self.children.setdefault(parent_id, []).append(folder_id)
        self.folder_index[folder_id] = {}
        self._unread[folder_id] = 0
        if well_known:
            self.well_known[well_known] = folder_id
        self._refresh_child_count(parent_id)
        self.changes.record("mailFolders", folder_id)
        return folder

    def resolve_folder(self, id_or_name: str) -> dict[str, Any] | None:
        """A folder by id or well-known name (case-insensitive), or ``None``."""
        folder = self.folders.get(id_or_name)
        if folder is not None:
            return folder
        fid = self.well_known.get(id_or_name.lower())
        return self.folders.get(fid) if fid else None

    def folder_children(self, folder_id: str | None) -> list[dict[str, Any]]:
        """Child folders of ``folder_id`` (``None`` or the root id: top level)."""
        key = None if folder_id in (None, self.root_id) else folder_id
        return [self.folders[c] for c in self.children.get(key, [])]

    def folder_view(self, folder_id: str) -> dict[str, Any]:
        """The folder resource with live counts."""
        folder = self.folders[folder_id]
        folder["totalItemCount"] = len(self.folder_index[folder_id])
        folder["unreadItemCount"] = self._unread[folder_id]
        return folder

    def _parent_key(self, folder_id: str) -> str | None:
        parent = self.folders[folder_id]["parentFolderId"]
        return None if parent == self.root_id else parent

    def _refresh_child_count(self, parent_key: str | None) -> None:
        if parent_key is not None and parent_key in self.folders:
            self.folders[parent_key]["childFolderCount"] = len(self.children.get(parent_key, []))

    def update_folder(self, folder_id: str, patch: dict[str, Any]) -> dict[str, Any]:
        """Apply a PATCH (displayName and the like) to a folder."""
        folder = self.folders[folder_id]
        for key, value in patch.items():
            if key not in ("id", "parentFolderId"):
                folder[key] = value
        self.changes.record("mailFolders", folder_id)
        return folder

    def move_folder(self, folder_id: str, dest_id: str) -> dict[str, Any]:
        """Re-parent a folder (dest may be the root id)."""
        old = self._parent_key(folder_id)
        self.children[old].remove(folder_id)
        new = None if dest_id == self.root_id else dest_id
        self.children.setdefault(new, []).append(folder_id)
        self.folders[folder_id]["parentFolderId"] = dest_id
        self._refresh_child_count(old)
        self._refresh_child_count(new)
        self.changes.record("mailFolders", folder_id)
        return self.folders[folder_id]

    def delete_folder(self, folder_id: str) -> None:
        """Delete a folder, its subfolders and their messages."""
        for child in list(self.children.get(folder_id, [])):
            self.delete_folder(child)
        for mid in list(self.folder_index[folder_id]):
            self.delete_message(mid)
        parent = self._parent_key(folder_id)
        self.children[parent].remove(folder_id)
        self._refresh_child_count(parent)
        del self.folders[folder_id]
        del self.folder_index[folder_id]
        self.children.pop(folder_id, None)
        self.order.forget_folder(folder_id)
        for wk, fid in list(self.well_known.items()):
            if fid == folder_id:
                del self.well_known[wk]
        self.changes.record("mailFolders", folder_id)

    def folder_path(self, folder_id: str) -> list[str]:
        """Display names from the top level down to ``folder_id``."""
        names: list[str] = []
        fid: str | None = folder_id
        while fid and fid in self.folders:
            names.append(self.folders[fid].get("displayName", ""))
            fid = self._parent_key(fid)
        return names[::-1]

    # ---------------------------------------------------------------- messages
    def _stamp(self, msg: dict[str, Any]) -> None:
        seq = self.changes.seq + 1
        key = base64.b64encode(b"CQAAABYAAAA" + seq.to_bytes(6, "big")).decode("ascii")
        msg["changeKey"] = key
        msg["@odata.etag"] = f'W/"{key}"'

    def add_message(self, msg: dict[str, Any], folder_id: str, *,
                    now: datetime | None = None) -> dict[str, Any]:
        """Store ``msg`` (kept as given) in ``folder_id``, filling id, dates and defaults."""
        stamp = utc_now_iso(now)
        try:  # a seeded singleValueExtendedProperties list
            extended_props.absorb(msg)
        except extended_props.GraphError as exc:
            raise ValueError(f"singleValueExtendedProperties: {exc}") from None
        msg.setdefault("id", self.ids.new(b"M"))
        if msg["id"] in self.messages:
            raise ValueError(f"duplicate message id {msg['id']!r}")
        fill_message(msg, stamp)
        msg["parentFolderId"] = folder_id
        if "@odata.etag" not in msg or "changeKey" not in msg:
            self._stamp(msg)
        self.messages[msg["id"]] = msg
        self.order.add(folder_id, msg["id"], msg.get("receivedDateTime"))
        self.folder_index[folder_id][msg["id"]] = None
        if not msg.get("isRead"):
            self._unread[folder_id] += 1
        self.changes.record(folder_id, msg["id"])
        return msg

    def update_message(self, message_id: str, patch: dict[str, Any],
                       *, now: datetime | None = None) -> dict[str, Any]:
        """Apply a PATCH to a message (read state, flag, categories, draft fields...)."""
        msg = self.messages[message_id]
        folder_id = msg["parentFolderId"]
        was_unread = not msg.get("isRead")
        for key, value in patch.items():
            if key in ("id", "parentFolderId", "@odata.etag", "changeKey"):
                continue
            msg[key] = value
        if "receivedDateTime" in patch:
            self.order.redate(folder_id, message_id, msg.get("receivedDateTime"))
        self._unread[folder_id] += (not msg.get("isRead")) - was_unread
        msg["lastModifiedDateTime"] = utc_now_iso(now)
        self.touch(message_id)
        return msg

    def touch(self, message_id: str) -> None:
        """Record a change to a message made in place (new change key, delta entry)."""
        msg = self.messages[message_id]
        self._stamp(msg)
        self.changes.record(msg["parentFolderId"], message_id)

    def _unlink(self, message_id: str) -> dict[str, Any]:
        msg = self.messages.pop(message_id)
        folder_id = msg["parentFolderId"]
        del self.folder_index[folder_id][message_id]
        if not msg.get("isRead"):
            self._unread[folder_id] -= 1
        self.order.remove(folder_id, message_id)
        self.changes.record(folder_id, message_id)
        return msg

    def delete_message(self, message_id: str) -> dict[str, Any]:
        """Remove a message for good (and its attachments); returns the removed dict."""
        self.attachments.pop(message_id, None)
        return self._unlink(message_id)

    def move_message(self, message_id: str, dest_id: str, *, keep_id: bool,
                     now: datetime | None = None) -> dict[str, Any]:
        """Move to ``dest_id``; the id is kept only when ``keep_id`` (immutable ids)."""
        atts = self.attachments.pop(message_id, None)
        msg = self._unlink(message_id)
        if not keep_id:
            del msg["id"]
            msg.pop("webLink", None)
        msg["lastModifiedDateTime"] = utc_now_iso(now)
        self._stamp(msg)
        moved = self.add_message(msg, dest_id, now=now)
        if atts is not None:
            self.attachments[moved["id"]] = atts
        return moved

    def copy_message(self, message_id: str, dest_id: str, *,
                     now: datetime | None = None) -> dict[str, Any]:
        """Copy to ``dest_id`` under a new id (copies always get one)."""
        import copy as _copy

        src = self.messages[message_id]
        msg = _copy.deepcopy(src)
        del msg["id"]
        msg.pop("@odata.etag", None)
        msg["lastModifiedDateTime"] = utc_now_iso(now)
        new = self.add_message(msg, dest_id, now=now)
        if message_id in self.attachments:
            self.attachments[new["id"]] = {
                self.ids.new(b"A"): {**_copy.deepcopy(a), "id": None}
                for a in self.attachments[message_id].values()
            }
            for aid, att in self.attachments[new["id"]].items():
                att["id"] = aid
        return new

    def sorted_ids(self, folder_id: str) -> list[str]:
        """Ids in ``folder_id`` newest first by receivedDateTime (cached until it changes)."""
        return self.order.folder(folder_id, self.folder_index[folder_id])

    def all_sorted_ids(self) -> list[str]:
        """Every message id in the mailbox, newest first (for ``/me/messages``)."""
        return self.order.everything(self.messages)

    # ------------------------------------------------------------- attachments
    def add_attachment(self, message_id: str, attachment: dict[str, Any]) -> dict[str, Any]:
        """Attach ``attachment`` (kept as given) to a message and mark it hasAttachments."""
        att = attachment
        fill_attachment(att, self.ids.new(b"A"), utc_now_iso())
        self.attachments.setdefault(message_id, {})[att["id"]] = att
        msg = self.messages[message_id]
        if not att.get("isInline"):
            msg["hasAttachments"] = True
        self.touch(message_id)
        return att

    def delete_attachment(self, message_id: str, attachment_id: str) -> None:
        """Remove one attachment; hasAttachments follows what is left."""
        atts = self.attachments.get(message_id, {})
        del atts[attachment_id]
        msg = self.messages[message_id]
        msg["hasAttachments"] = any(not a.get("isInline") for a in atts.values())
        self.touch(message_id)

    def iter_messages(self, folder_ids: Iterable[str]) -> Iterable[dict[str, Any]]:
        """Messages of the given folders, newest first per folder."""
        for fid in folder_ids:
            for mid in self.sorted_ids(fid):
                yield self.messages[mid]
