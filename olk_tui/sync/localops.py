"""Apply operations to the cache (optimistically), compute their inverses, and revert them.

All functions here run on the store thread inside the transaction that also appends the
operation to the queue, so the cache and the queue never disagree.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from typing import Any

from olk_tui.domain.calendar import Event
from olk_tui.domain.contacts import Contact
from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import Flag, FlagStatus, Folder, Importance, WellKnownFolder
from olk_tui.domain.operations import (
    CancelEvent,
    CreateFolder,
    DeleteContact,
    DeleteEvent,
    DeleteFolder,
    DeleteMessages,
    MarkRead,
    MoveMessages,
    Operation,
    RenameFolder,
    RespondToEvent,
    SaveContact,
    SaveEvent,
    SetCategories,
    SetFlag,
    SetImportance,
    UpdateMailboxSettings,
)
from olk_tui.graph.mapping import (
    contact_from_json,
    contact_to_json,
    event_from_json,
    event_to_json,
)
from olk_tui.store import Store, codec
from olk_tui.store.rows import MUTABLE_COLUMNS, flag_columns
from olk_tui.sync import replymarks
from olk_tui.sync.calendarops import CALENDAR_OPS, apply_calendar_op

_RESPONSES = {"accept": "accepted", "tentativelyaccept": "tentativelyAccepted",
              "tentative": "tentativelyAccepted", "decline": "declined"}

#: Operations on messages (coalesced and batched by the runner).
MESSAGE_OPS = (MarkRead, SetFlag, SetCategories, SetImportance, MoveMessages, DeleteMessages)


def message_ids_of(op: Operation) -> tuple[MessageId, ...]:
    """The messages an operation touches (empty for others)."""
    return tuple(getattr(op, "message_ids", ()))


def deleted_items_id(store: Store) -> FolderId | None:
    """The cached id of Deleted Items, when known."""
    return store.mail.folder_id_by_well_known(WellKnownFolder.DELETED_ITEMS.value)


def changes_for(op: Operation, store: Store) -> dict[str, Any] | None:
    """The ``messages`` columns ``op`` sets on each of its messages; None means "remove"."""
    if isinstance(op, MarkRead):
        return {"is_read": int(op.is_read)}
    if isinstance(op, SetFlag):
        return flag_columns(op.flag)
    if isinstance(op, SetCategories):
        return {"categories_json": json.dumps(list(op.categories), ensure_ascii=False)}
    if isinstance(op, SetImportance):
        return {"importance": op.importance.value}
    if isinstance(op, MoveMessages):
        return {"folder_id": op.destination_id}
    if isinstance(op, DeleteMessages):
        trash = deleted_items_id(store)
        if op.permanent or trash is None:
            return None
        return {"folder_id": trash}
    return {}


def apply_local(store: Store, op: Operation) -> list[dict[str, Any]]:
    """Change the cache as ``op`` will change the server; returns the snapshot to revert it."""
    if isinstance(op, MESSAGE_OPS):
        snapshot = store.mail.raw_rows(message_ids_of(op))
        changes = changes_for(op, store)
        for row in snapshot:
            if changes is None:
                store.mail.remove_messages([row["id"]])
                _adjust(store, row, None)
            else:
                store.mail.update_columns(row["id"], changes)
                _adjust(store, row, changes)
        return snapshot
    if isinstance(op, CreateFolder):
        store.mail.upsert_folders([Folder(op.local_id, op.display_name, op.parent_id)])
        return []
    if isinstance(op, SaveEvent):
        return _save_event_locally(store, op)
    if isinstance(op, SaveContact):
        return _save_contact_locally(store, op)
    if isinstance(op, DeleteEvent | CancelEvent | RespondToEvent):
        event = store.calendar.event(op.event_id)
        if event is None:
            return []
        snapshot = [{"event": codec.to_data(event)}]
        if isinstance(op, DeleteEvent):
            store.calendar.remove_events([op.event_id])
        elif isinstance(op, CancelEvent):
            store.calendar.upsert_events([replace(event, is_cancelled=True)])
        else:
            store.calendar.upsert_events([replace(event, response=_RESPONSES.get(
                op.response.lower(), event.response))])
        return snapshot
    if isinstance(op, DeleteContact):
        contact = store.contacts.contact(op.contact_id)
        if contact is None:
            return []
        store.contacts.remove([op.contact_id])
        return [{"contact": codec.to_data(contact)}]
    if isinstance(op, RenameFolder):
        folder = store.mail.folder(op.folder_id)
        if folder is None:
            return []
        store.mail.upsert_folders([replace(folder, display_name=op.display_name)])
        return [{"folder_id": folder.id, "display_name": folder.display_name}]
    if isinstance(op, DeleteFolder):
        folder = store.mail.folder(op.folder_id)
        store.mail.remove_folders([op.folder_id])
        return [{"folder_id": op.folder_id, "display_name": folder.display_name}] \
            if folder else []
    if isinstance(op, CALENDAR_OPS):
        return apply_calendar_op(store, op)
    if isinstance(op, UpdateMailboxSettings):
        before = store.queue.get("settings")
        store.queue.put("settings", json.dumps(merge_settings(
            _json_object(before), op.fields)))
        return [{"settings": before}]
    return []


def merge_settings(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """mailboxSettings JSON with a PATCH body applied (nested objects merged)."""
    out = dict(base)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_settings(out[key], value)
        else:
            out[key] = value
    return out


def _json_object(text: str | None) -> dict[str, Any]:
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def cached_settings(store: Store) -> dict[str, Any]:
    """The cached mailboxSettings JSON (empty when never fetched)."""
    return _json_object(store.queue.get("settings"))


def settings_with_pending(store: Store, data: dict[str, Any],
                          skip_seq: int | None = None) -> dict[str, Any]:
    """Graph's mailboxSettings with the still-queued settings changes applied on top (so a
    fetch never hides a change the user made that is not sent yet)."""
    for queued in store.queue.pending(10_000):
        if isinstance(queued.op, UpdateMailboxSettings) and queued.seq != skip_seq:
            data = merge_settings(data, queued.op.fields)
    return data


_EVENT_FIELDS = ("subject", "start", "end", "is_all_day", "location", "attendees", "show_as",
                 "categories", "reminder_minutes", "is_reminder_on", "sensitivity",
                 "importance", "body_html", "body_content_type", "is_online_meeting")


def _save_event_locally(store: Store, op: SaveEvent) -> list[dict[str, Any]]:
    """Show a created or edited event at once (the server's copy replaces it when sent)."""
    if op.event_id:
        existing = store.calendar.event(op.event_id)
        if existing is None or existing.type == "seriesMaster" or "recurrence" in op.fields:
            return []
        edited = event_from_json({**event_to_json(existing), **op.fields, "id": existing.id})
        store.calendar.upsert_events([replace(existing, **{
            f: getattr(edited, f) for f in _EVENT_FIELDS if f in _touched_event_fields(op)})])
        return [{"event": codec.to_data(existing)}]
    if not op.local_id or op.fields.get("recurrence"):
        return []  # a series shows once the server has expanded it
    placeholder = event_from_json({**op.fields, "id": op.local_id})
    if placeholder.start.year > 1970:  # only when the fields had a usable start/end
        store.calendar.upsert_events([replace(placeholder, calendar_id=op.calendar_id,
                                              is_organizer=True)])
    return [{"placeholder_event": op.local_id}]


def _touched_event_fields(op: SaveEvent) -> set[str]:
    names = {"subject": "subject", "start": "start", "end": "end", "isAllDay": "is_all_day",
             "location": "location", "attendees": "attendees", "showAs": "show_as",
             "categories": "categories", "reminderMinutesBeforeStart": "reminder_minutes",
             "isReminderOn": "is_reminder_on", "sensitivity": "sensitivity",
             "importance": "importance", "body": "body_html",
             "isOnlineMeeting": "is_online_meeting"}
    out = {names[k] for k in op.fields if k in names}
    if "body" in op.fields:
        out.add("body_content_type")
    return out


def _save_contact_locally(store: Store, op: SaveContact) -> list[dict[str, Any]]:
    """Show a created or edited contact at once."""
    if op.contact_id:
        existing = store.contacts.contact(op.contact_id)
        if existing is None:
            return []
        edited = contact_from_json({**contact_to_json(existing), **op.fields,
                                    "id": existing.id})
        store.contacts.upsert([replace(edited, folder_id=existing.folder_id)])
        return [{"contact": codec.to_data(existing)}]
    if not op.local_id:
        return []
    placeholder = contact_from_json({**op.fields, "id": op.local_id})
    store.contacts.upsert([replace(placeholder, folder_id=op.folder_id)
                           if op.folder_id else placeholder])
    return [{"placeholder_contact": op.local_id}]


def revert_item(store: Store, snapshot: list[dict[str, Any]]) -> None:
    """Put back an event or contact changed by a failed operation."""
    for row in snapshot:
        if "placeholder_event" in row:
            store.calendar.remove_events([row["placeholder_event"]])
        elif "placeholder_contact" in row:
            store.contacts.remove([row["placeholder_contact"]])
        elif "event" in row:
            store.calendar.upsert_events([codec.from_data(Event, row["event"])])
        elif "contact" in row:
            store.contacts.upsert([codec.from_data(Contact, row["contact"])])
        elif "settings" in row:
            store.queue.put("settings", row["settings"])


def _adjust(store: Store, row: dict[str, Any], changes: dict[str, Any] | None) -> None:
    """Keep the folders' server counts in step with a local change."""
    was_unread = int(row["is_read"]) == 0
    if changes is None:
        store.mail.adjust_folder_counts(row["folder_id"], -1, -int(was_unread))
        return
    now_unread = int(changes.get("is_read", row["is_read"])) == 0
    dest = changes.get("folder_id", row["folder_id"])
    if dest != row["folder_id"]:
        store.mail.adjust_folder_counts(row["folder_id"], -1, -int(was_unread))
        store.mail.adjust_folder_counts(dest, 1, int(now_unread))
    elif was_unread != now_unread:
        store.mail.adjust_folder_counts(dest, 0, 1 if now_unread else -1)


def revert_messages(store: Store, snapshot: list[dict[str, Any]], ids: set[str]) -> set[str]:
    """Put back the mutable columns (or whole rows) of ``ids`` from a snapshot.

    Returns the folders touched.
    """
    folders: set[str] = set()
    for row in snapshot:
        if row["id"] not in ids:
            continue
        current = store.mail.summary(row["id"])
        if current is None:
            store.mail.restore_row(row)
        else:
            folders.add(current.folder_id)
            store.mail.update_columns(row["id"], {c: row[c] for c in MUTABLE_COLUMNS})
        folders.add(row["folder_id"])
    return folders


def _group(snapshot: list[dict[str, Any]], key: str) -> dict[Any, list[MessageId]]:
    groups: dict[Any, list[MessageId]] = defaultdict(list)
    for row in snapshot:
        groups[row[key]].append(MessageId(row["id"]))
    return groups


def inverse(op: Operation, snapshot: list[dict[str, Any]]) -> list[Operation]:
    """The operations that undo ``op`` given the rows before it (empty: not undoable)."""
    out: list[Operation] = []
    if isinstance(op, MarkRead):
        for was, ids in _group(snapshot, "is_read").items():
            if bool(was) != op.is_read:
                out.append(MarkRead(message_ids=tuple(ids), is_read=bool(was)))
    elif isinstance(op, SetFlag):
        flags: dict[tuple[Any, ...], list[MessageId]] = defaultdict(list)
        for row in snapshot:
            flags[(row["flag_status"], row["flag_start"], row["flag_due"],
                   row["flag_completed"])].append(MessageId(row["id"]))
        for (status, start, due, done), ids in flags.items():
            out.append(SetFlag(message_ids=tuple(ids), flag=_flag(status, start, due, done)))
    elif isinstance(op, SetCategories):
        for cats, ids in _group(snapshot, "categories_json").items():
            out.append(SetCategories(message_ids=tuple(ids),
                                     categories=tuple(json.loads(cats or "[]"))))
    elif isinstance(op, SetImportance):
        for imp, ids in _group(snapshot, "importance").items():
            out.append(SetImportance(message_ids=tuple(ids), importance=Importance(imp)))
    elif isinstance(op, MoveMessages | DeleteMessages):
        if isinstance(op, DeleteMessages) and op.permanent:
            return []
        for folder, ids in _group(snapshot, "folder_id").items():
            out.append(MoveMessages(message_ids=tuple(ids), destination_id=FolderId(folder)))
    elif isinstance(op, RenameFolder) and snapshot:
        out.append(RenameFolder(folder_id=op.folder_id,
                                display_name=snapshot[0]["display_name"]))
    return out


def _flag(status: str, start: str | None, due: str | None, done: str | None) -> Flag:
    from datetime import datetime

    def dt(v: str | None) -> datetime | None:
        return datetime.fromisoformat(v) if v else None

    try:
        st = FlagStatus(status)
    except ValueError:
        st = FlagStatus.NOT_FLAGGED
    return Flag(st, dt(start), dt(due), dt(done))


def overlay_pending(store: Store, ids: set[str]) -> None:
    """Re-apply pending operations on top of rows a sync just wrote (so a sync never undoes
    a change the user made that is still queued)."""
    if not ids:
        return
    replymarks.overlay(store, ids)
    for queued in store.queue.pending(10_000):
        touched = [m for m in message_ids_of(queued.op) if m in ids]
        if not touched:
            continue
        changes = changes_for(queued.op, store)
        for mid in touched:
            if changes is None:
                store.mail.remove_messages([mid])
            else:
                store.mail.update_columns(mid, changes)


def pending_message_ids(store: Store) -> set[str]:
    """Messages with queued operations."""
    out: set[str] = set()
    for queued in store.queue.pending(10_000):
        out.update(message_ids_of(queued.op))
    return out
