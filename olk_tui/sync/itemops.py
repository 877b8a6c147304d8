"""Send one non-message operation (folders, events, contacts, mailbox settings, calendars)
to Graph.

Each is written so that sending it twice (a replay after a crash or after an answer that
never came) does no harm:

- deletes (folder, event, contact, calendar) and cancel treat 404 as done;
- a mail folder is looked up by name before it is created; a calendar creation that was
  attempted before is looked up by name (``calendarops``);
- an event is created with a ``transactionId`` (Graph's guard against duplicate POSTs);
- PATCHes (event, contact, folder rename, mailbox settings, calendar) are idempotent;
- each message copy made is noted, so a replay skips it;
- an RSVP is POSTed without automatic retries; a replay of an attempted one first reads the
  event's ``responseStatus`` and sends nothing when the response is already there (a
  declined meeting that is gone counts as done);
- a contact creation is POSTed without automatic retries; a replay of an attempted one first
  lists the target folder and adopts a contact with the same display name and first address
  that the cache did not know before.

Known limits (not solved here):

- the contact match is a heuristic: a namesake created elsewhere between the lost answer and
  the replay, or one that existed but was not synced yet, is adopted instead of a new one
  being made (no duplicate, but the queued fields are not applied to it). Graph's
  ``singleValueExtendedProperties`` marker with a ``$filter`` lookup would be exact; the
  emulator does not filter on extended properties yet;
- a replayed RSVP whose response was already the wanted one before the user acted (answering
  "accept" again to send a new comment) is not sent again;
- a crash between a copy's answer and its note, or between a created contact's answer and
  the settle, can still repeat a copy (contacts are caught by the lookup above);
- a replayed ``CancelEvent`` whose first try went through gets 404 and counts as done, but
  the attendees' cancellation message is not resent (and must not be).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from olk_tui.domain.errors import BadRequest, Conflict, Forbidden, GraphError, NotFound
from olk_tui.domain.ids import FolderId
from olk_tui.domain.mail import Folder
from olk_tui.domain.operations import (
    CancelEvent,
    CopyMessages,
    CreateFolder,
    DeleteCalendar,
    DeleteContact,
    DeleteEvent,
    DeleteFolder,
    MoveFolder,
    Operation,
    RenameFolder,
    RespondToEvent,
    SaveContact,
    SaveEvent,
    UpdateMailboxSettings,
)
from olk_tui.graph.bodies import json_object
from olk_tui.graph.mapping import contact_from_json, event_from_json, mailbox_settings_from_json
from olk_tui.graph.mapping.common import timestamp_to_json
from olk_tui.store import AsyncStore, QueuedOp, Store
from olk_tui.sync.announce import Announcer
from olk_tui.sync.api import (
    ContactsChanged,
    EventsChanged,
    FoldersChanged,
    OperationFailed,
    SettingsChanged,
)
from olk_tui.sync.calendarops import CALENDAR_OPS, CalendarSender, revert_calendar
from olk_tui.sync.localops import cached_settings, revert_item, settings_with_pending

if TYPE_CHECKING:
    from olk_tui.graph.client import GraphClient  # made after the first paint (see sync.account)

PERMANENT = (NotFound, Forbidden, BadRequest, Conflict)
#: The responseStatus each action leaves on the event.
_RESPONDED = {"accept": "accepted", "tentativelyAccept": "tentativelyAccepted",
              "decline": "declined"}
_RSVP = {"accept": "accept", "accepted": "accept", "tentative": "tentativelyAccept",
         "tentativelyaccept": "tentativelyAccept", "tentativelyaccepted": "tentativelyAccept",
         "decline": "decline", "declined": "decline"}


def _q(value: str) -> str:
    return quote(value, safe="=-_")


class ItemOps:
    """Runs one queued non-message operation and settles its queue row."""

    def __init__(self, store: AsyncStore, client: GraphClient, announcer: Announcer) -> None:
        self._store = store
        self._client = client
        self._announce = announcer
        self._calendars = CalendarSender(store, client)

    async def run(self, queued: QueuedOp) -> None:
        """Send ``queued.op``; transient errors propagate (the row stays queued)."""
        op = queued.op
        try:
            await self._send(op, queued.seq)
        except PERMANENT as exc:
            if isinstance(exc, NotFound) and isinstance(
                    op, DeleteFolder | DeleteEvent | DeleteContact | CancelEvent
                    | DeleteCalendar):
                # Already gone (a replay after a crash, or deleted elsewhere): done.
                await self._store.tx(lambda s: s.queue.remove([queued.seq]))
                return
            await self._store.tx(lambda s: self._revert(s, queued))
            from olk_tui.sync.runner import reason_for

            self._announce.emit(OperationFailed(operation=op, reason=reason_for(exc)))
            await self._announce_kind(op)
            return
        def settle(s: Store) -> None:
            s.queue.remove([queued.seq])
            s.queue.drop_prefix(f"copied:{queued.seq}:")
            s.queue.put(f"attempted:{queued.seq}", None)

        await self._store.tx(settle)
        await self._announce_kind(op)

    async def _announce_kind(self, op: Operation) -> None:
        if isinstance(op, UpdateMailboxSettings):
            data = await self._store.run(cached_settings)
            self._announce.emit(SettingsChanged(settings=mailbox_settings_from_json(data)))
        elif isinstance(op, (SaveEvent, DeleteEvent, CancelEvent, RespondToEvent,
                                  *CALENDAR_OPS)):
            self._announce.emit(EventsChanged())
        elif isinstance(op, SaveContact | DeleteContact):
            self._announce.emit(ContactsChanged())
        else:
            self._announce.emit(FoldersChanged())

    def _revert(self, store: Store, queued: QueuedOp) -> None:
        op = queued.op
        if isinstance(op, CALENDAR_OPS):
            revert_calendar(store, op, queued.snapshot)
        else:
            revert_item(store, queued.snapshot)
        if isinstance(op, CreateFolder):
            store.mail.remove_folders([op.local_id])
        elif isinstance(op, RenameFolder | DeleteFolder) and queued.snapshot:
            row = queued.snapshot[0]
            folder = store.mail.folder(row["folder_id"])
            if folder is not None:
                from dataclasses import replace

                store.mail.upsert_folders([replace(folder, display_name=row["display_name"])])
        store.queue.remove([queued.seq])
        store.queue.put(f"attempted:{queued.seq}", None)
        if isinstance(op, UpdateMailboxSettings):
            # Settings changes queued after this one stay shown.
            store.queue.put("settings", json.dumps(settings_with_pending(
                store, cached_settings(store))))

    async def _resolve(self, folder_id: str | None) -> str | None:
        if folder_id is None:
            return None
        real = await self._store.run(lambda s: s.queue.delta_link(f"folder-map:{folder_id}"))
        return real or folder_id

    async def _send(self, op: Operation, seq: int) -> None:
        """Send ``op`` (queue row ``seq``); permanent and transient errors propagate."""
        c = self._client
        if isinstance(op, CALENDAR_OPS):
            await self._calendars.send(op, seq)
        elif isinstance(op, CreateFolder):
            await self._create_folder(op)
        elif isinstance(op, RenameFolder):
            fid = await self._resolve(op.folder_id)
            await c.request("PATCH", f"/me/mailFolders/{_q(fid or '')}",
                            json={"displayName": op.display_name})
        elif isinstance(op, MoveFolder):
            fid, dest = await self._resolve(op.folder_id), await self._resolve(op.destination_id)
            await c.request("POST", f"/me/mailFolders/{_q(fid or '')}/move",
                            json={"destinationId": dest}, idempotent=True)
        elif isinstance(op, DeleteFolder):
            fid = await self._resolve(op.folder_id)
            await c.request("DELETE", f"/me/mailFolders/{_q(fid or '')}")
        elif isinstance(op, CopyMessages):
            dest = await self._resolve(op.destination_id)
            for mid in op.message_ids:
                # Copies are not idempotent: remember each one made, so a replay after a
                # crash skips it (only a crash between the answer and this note can repeat).
                key = f"copied:{seq}:{mid}"
                if await self._store.run(lambda s, k=key: s.queue.get(k)):
                    continue
                await c.request("POST", f"/me/messages/{_q(mid)}/copy",
                                json={"destinationId": dest})
                await self._store.tx(lambda s, k=key: s.queue.put(k, "1"))
        elif isinstance(op, SaveEvent):
            if op.event_id:
                response = await c.request("PATCH", f"/me/events/{_q(op.event_id)}",
                                           json=op.fields)
            else:
                body = dict(op.fields)
                if op.local_id:
                    body.setdefault("transactionId", op.local_id)
                cid = await self._calendars.resolve(op.calendar_id)
                path = f"/me/calendars/{_q(cid)}/events" if cid else "/me/events"
                response = await c.request("POST", path, json=body,
                                           idempotent=bool(op.local_id))
            await self._keep_event(op, response.content)
        elif isinstance(op, DeleteEvent):
            await c.request("DELETE", f"/me/events/{_q(op.event_id)}")
        elif isinstance(op, CancelEvent):
            await c.request("POST", f"/me/events/{_q(op.event_id)}/cancel",
                            json={"comment": op.comment})
        elif isinstance(op, RespondToEvent):
            await self._respond(op, seq)
        elif isinstance(op, SaveContact):
            if op.contact_id:
                response = await c.request("PATCH", f"/me/contacts/{_q(op.contact_id)}",
                                           json=op.fields)
            else:
                path = (f"/me/contactFolders/{_q(op.folder_id)}/contacts" if op.folder_id
                        else "/me/contacts")
                found = await self._replayed_contact(op, seq, path)
                if found is not None:
                    await self._keep_contact(op, json.dumps(found).encode())
                    return
                response = await c.request("POST", path, json=op.fields, idempotent=False)
            await self._keep_contact(op, response.content)
        elif isinstance(op, DeleteContact):
            await c.request("DELETE", f"/me/contacts/{_q(op.contact_id)}")
        elif isinstance(op, UpdateMailboxSettings):
            await c.request("PATCH", "/me/mailboxSettings", json=op.fields)
            data = await c.get_json("/me/mailboxSettings")
            # The server's copy, with any later queued change still shown on top.
            await self._store.tx(lambda s: s.queue.put("settings", json.dumps(
                settings_with_pending(s, data, skip_seq=seq))))

    async def _attempted(self, seq: int) -> bool:
        """Whether ``seq`` was sent before (its outcome unknown); marks it sent from now."""
        key = f"attempted:{seq}"

        def mark(s: Store) -> bool:
            seen = bool(s.queue.get(key))
            s.queue.put(key, "1")
            return seen

        return await self._store.tx(mark)

    async def _respond(self, op: RespondToEvent, seq: int) -> None:
        """accept / tentativelyAccept / decline, sent once: a replay first reads the
        event's responseStatus and sends nothing when the response is already there."""
        action = _RSVP.get(op.response.lower(), "accept")
        url = f"/me/events/{_q(op.event_id)}"
        if await self._attempted(seq):
            try:
                data = await self._client.get_json(url, params={"$select": "responseStatus"})
            except NotFound:
                if action == "decline":
                    return  # a declined meeting may leave the calendar: nothing to do
                raise
            status = data.get("responseStatus")
            current = status.get("response") if isinstance(status, dict) else None
            if current == _RESPONDED[action]:
                return
        await self._client.request("POST", f"{url}/{action}", json=_rsvp_body(op),
                                   idempotent=False)

    async def _replayed_contact(self, op: SaveContact, seq: int,
                                path: str) -> dict[str, Any] | None:
        """On a replay of a creation, the contact an earlier try made (same name and first
        address, and not a contact the cache already knew), else None."""
        if not await self._attempted(seq):
            return None
        name = str(op.fields.get("displayName") or "").casefold()
        emails = op.fields.get("emailAddresses")
        first = emails[0] if isinstance(emails, list) and emails else {}
        address = str(first.get("address") or "").casefold() if isinstance(first, dict) \
            else ""
        async for item in self._client.items(path, params={
                "$top": "100", "$select": "id,displayName,emailAddresses,parentFolderId"}):
            if str(item.get("displayName") or "").casefold() != name:
                continue
            got = item.get("emailAddresses")
            got_first = got[0] if isinstance(got, list) and got else {}
            got_address = str(got_first.get("address") or "").casefold() \
                if isinstance(got_first, dict) else ""
            cid = str(item.get("id") or "")
            if got_address == address and cid and await self._store.run(
                    lambda s, c=cid: s.contacts.contact(c)) is None:
                return item
        return None

    async def _keep_event(self, op: SaveEvent, content: bytes) -> None:
        """Replace the local copy by the server's answer."""
        data = _json(content)
        event = event_from_json(data) if data else None

        def write(store: Store) -> None:
            if op.local_id and not op.event_id:
                store.calendar.remove_events([op.local_id])
            # A series master is not an occurrence: the window sync brings those.
            if event is not None and event.id and event.type != "seriesMaster":
                store.calendar.upsert_events([event])

        await self._store.tx(write)

    async def _keep_contact(self, op: SaveContact, content: bytes) -> None:
        data = _json(content)
        contact = contact_from_json(data) if data else None

        def write(store: Store) -> None:
            if op.local_id and not op.contact_id:
                store.contacts.remove([op.local_id])
            if contact is not None and contact.id:
                store.contacts.upsert([contact])

        await self._store.tx(write)

    async def _create_folder(self, op: CreateFolder) -> None:
        parent = await self._resolve(op.parent_id)
        base = f"/me/mailFolders/{_q(parent)}/childFolders" if parent else "/me/mailFolders"
        existing = await self._find_folder(base, op.display_name)
        if existing is None:
            try:
                existing = json_object(await self._client.request(
                    "POST", base, json={"displayName": op.display_name}, idempotent=True))
            except Conflict:  # created by an earlier attempt whose answer was lost
                existing = await self._find_folder(base, op.display_name)
                if existing is None:
                    raise
        real = str(existing.get("id", ""))
        local = op.local_id

        def record(store: Store) -> None:
            store.queue.set_delta_link(f"folder-map:{local}", real)
            for mid in list(store.mail.message_ids(local)):
                store.mail.update_columns(mid, {"folder_id": real})
            store.mail.remove_folders([local])
            store.mail.upsert_folders([Folder(FolderId(real), op.display_name,
                                              FolderId(parent) if parent else None)])

        await self._store.tx(record)

    async def _find_folder(self, base: str, name: str) -> dict[str, Any] | None:
        try:
            async for item in self._client.items(base, params={"$top": "100"}):
                if str(item.get("displayName", "")).casefold() == name.casefold():
                    return item
        except GraphError:
            raise
        return None


def _json(content: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(content) if content else None
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _rsvp_body(op: RespondToEvent) -> dict[str, Any]:
    body: dict[str, Any] = {"comment": op.comment, "sendResponse": op.send_response}
    if op.proposed_start and op.proposed_end and op.response.lower().startswith(
            ("decline", "tentative")):
        body["proposedNewTime"] = {
            "start": {"dateTime": timestamp_to_json(op.proposed_start).rstrip("Z"),
                      "timeZone": "UTC"},
            "end": {"dateTime": timestamp_to_json(op.proposed_end).rstrip("Z"),
                    "timeZone": "UTC"}}
    return body
