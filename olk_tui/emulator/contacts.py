"""Contacts: contactFolders (the default Contacts folder is not listed, FACTS 41), childFolders,
contacts per folder (CRUD), and contacts and contactFolders delta. Contacts are kept in
``mailbox.contacts`` exactly as given (``/me/people`` is in ``people.py``)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from olk_tui.emulator.calendar_http import now, page, select
from olk_tui.emulator.calendar_tz import format_utc
from olk_tui.emulator.router import Request, Response, Router, bad_request, graph_error, not_found

if TYPE_CHECKING:
    from olk_tui.emulator.state import Mailbox

FOLDERS = "contactFolders"
_READ_ONLY = ("id", "@odata.etag", "changeKey", "createdDateTime", "lastModifiedDateTime",
              "parentFolderId")


def _container(folder_id: str) -> str:
    return f"contacts:{folder_id}"


def default_folder(mailbox: Mailbox) -> dict[str, Any]:
    """The default Contacts folder (kept apart: Graph does not list it)."""
    found = mailbox.extra.get("contacts_default")
    if found is None:
        found = {"id": mailbox.ids.new(b"K"), "displayName": "Contacts",
                 "parentFolderId": mailbox.root_id}
        mailbox.extra["contacts_default"] = found
    return found


def resolve_folder(mailbox: Mailbox, folder_id: str | None) -> dict[str, Any] | None:
    """A contact folder by id (None or "contacts": the default one)."""
    default = default_folder(mailbox)
    if folder_id is None or folder_id == default["id"] or folder_id.lower() == "contacts":
        return default
    return mailbox.contact_folders.get(folder_id)


def add_folder(mailbox: Mailbox, name: str, parent_id: str | None = None, *,
               resource: dict[str, Any] | None = None) -> dict[str, Any]:
    """Create a contact folder (top level unless ``parent_id``)."""
    folder = dict(resource or {})
    folder.setdefault("id", mailbox.ids.new(b"K"))
    folder.setdefault("displayName", name)
    folder["parentFolderId"] = parent_id or default_folder(mailbox)["parentFolderId"]
    mailbox.contact_folders[folder["id"]] = folder
    mailbox.changes.record(FOLDERS, folder["id"])
    return folder


def fill_contact(mailbox: Mailbox, contact: dict[str, Any], folder_id: str, moment: datetime
                 ) -> dict[str, Any]:
    """Fill the fields Graph adds to a contact (shape of ``contact-get.1``)."""
    stamp = format_utc(moment)
    contact.setdefault("id", mailbox.ids.new(b"P"))
    contact.setdefault("createdDateTime", stamp[:19] + "Z")
    contact.setdefault("lastModifiedDateTime", contact["createdDateTime"])
    contact.setdefault("categories", [])
    contact["parentFolderId"] = folder_id
    for key in ("birthday", "middleName", "title", "yomiGivenName", "yomiSurname",
                "yomiCompanyName", "generation", "profession", "assistantName", "manager",
                "mobilePhone", "spouseName", "personalNotes", "jobTitle", "companyName",
                "department", "officeLocation", "businessHomePage", "nickName"):
        contact.setdefault(key, None)
    contact.setdefault("givenName", None)
    contact.setdefault("surname", None)
    if not contact.get("displayName"):
        parts = [contact.get("givenName") or "", contact.get("surname") or ""]
        contact["displayName"] = " ".join(p for p in parts if p)
    contact.setdefault("fileAs", "")
    contact.setdefault("initials", "".join(f"{p[0]}." for p in
                                           str(contact["displayName"]).split()[:3] if p))
    for key in ("emailAddresses", "imAddresses", "homePhones", "businessPhones", "children"):
        contact.setdefault(key, [])
    for key in ("homeAddress", "businessAddress", "otherAddress"):
        contact.setdefault(key, {})
    _stamp(mailbox, contact)
    return contact


def _stamp(mailbox: Mailbox, item: dict[str, Any]) -> None:
    raw = f"{item['id']}:{mailbox.changes.seq}".encode()
    key = base64.b64encode(raw[-24:]).decode()
    item["changeKey"] = key
    item["@odata.etag"] = f'W/"{key}"'


def add_contact(mailbox: Mailbox, contact: dict[str, Any], folder_id: str | None = None, *,
                now_: datetime | None = None) -> dict[str, Any]:
    """Store a contact (kept as given, defaults filled) in a folder (default: Contacts)."""
    given = contact.get("parentFolderId")
    if folder_id is None and isinstance(given, str) and given:
        default = default_folder(mailbox)
        if given in mailbox.contact_folders:
            folder_id = given
        elif given != default["id"] and not any(
                c.get("parentFolderId") == default["id"] for c in mailbox.contacts.values()):
            default["id"] = given  # seed data: adopt the exported mailbox's Contacts folder id
    folder = resolve_folder(mailbox, folder_id)
    if folder is None:
        raise KeyError(folder_id)
    item = fill_contact(mailbox, contact, folder["id"], now_ or datetime.now(UTC))
    if item["id"] in mailbox.contacts:
        raise ValueError(f"duplicate contact id {item['id']!r}")
    mailbox.contacts[item["id"]] = item
    mailbox.changes.record(_container(folder["id"]), item["id"])
    return item


def register(router: Router) -> None:
    """Add the contact and contact folder routes."""
    router.add("GET", "/me/contactFolders", list_folders)
    router.add("POST", "/me/contactFolders", create_folder)
    router.add("GET", "/me/contactFolders/delta", folders_delta)
    router.add("GET", "/me/contactFolders/{fid}", get_folder)
    router.add("PATCH", "/me/contactFolders/{fid}", update_folder)
    router.add("DELETE", "/me/contactFolders/{fid}", delete_folder)
    router.add("GET", "/me/contactFolders/{fid}/childFolders", list_folders)
    router.add("POST", "/me/contactFolders/{fid}/childFolders", create_folder)
    for base in ("/me", "/me/contactFolders/{fid}"):
        router.add("GET", base + "/contacts", list_contacts)
        router.add("POST", base + "/contacts", create_contact)
        router.add("GET", base + "/contacts/delta", contacts_delta)
        router.add("GET", base + "/contacts/{id}", get_contact)
        router.add("PATCH", base + "/contacts/{id}", update_contact)
        router.add("DELETE", base + "/contacts/{id}", delete_contact)


# ------------------------------------------------------------------ folders
def list_folders(req: Request) -> Response:
    """GET /me/contactFolders (top level, without Contacts) or .../{id}/childFolders."""
    parent = req.params.get("fid")
    if parent is not None:
        folder = resolve_folder(req.mailbox, parent)
        if folder is None:
            return not_found(req)
        wanted = folder["id"]
    else:
        wanted = default_folder(req.mailbox)["parentFolderId"]
    items = [f for f in req.mailbox.contact_folders.values() if f.get("parentFolderId") == wanted]
    return page(req, items, context="me/contactFolders", default_top=10)


def create_folder(req: Request) -> Response:
    """POST a contact folder: 201."""
    body = req.json_object()
    name = body.get("displayName")
    if not isinstance(name, str) or not name.strip():
        return bad_request("displayName is required.", req, "ErrorInvalidRequest")
    parent = None
    if "fid" in req.params:
        folder = resolve_folder(req.mailbox, req.params["fid"])
        if folder is None:
            return not_found(req)
        parent = folder["id"]
    siblings = [f for f in req.mailbox.contact_folders.values()
                if f.get("parentFolderId") == (parent or default_folder(req.mailbox)[
                    "parentFolderId"])]
    if any(str(f.get("displayName", "")).lower() == name.lower() for f in siblings):
        return graph_error(409, "ErrorFolderExists",
                           "A folder with the specified name already exists.", req)
    folder = add_folder(req.mailbox, name, parent,
                        resource={k: v for k, v in body.items() if k not in _READ_ONLY})
    return Response.ok({"@odata.context": req.context_url("me/contactFolders/$entity"),
                        **folder}, status=201)


def get_folder(req: Request) -> Response:
    """GET a contact folder (the default one too, by its id)."""
    folder = resolve_folder(req.mailbox, req.params["fid"])
    if folder is None:
        return not_found(req)
    return Response.ok({"@odata.context": req.context_url("me/contactFolders/$entity"),
                        **select(folder, req)})


def update_folder(req: Request) -> Response:
    """PATCH a contact folder's displayName."""
    folder = req.mailbox.contact_folders.get(req.params["fid"])
    if folder is None:
        return not_found(req) if resolve_folder(req.mailbox, req.params["fid"]) is None else \
            graph_error(403, "ErrorAccessDenied", "The default folder cannot be renamed.", req)
    for key, value in req.json_object().items():
        if key not in _READ_ONLY:
            folder[key] = value
    req.mailbox.changes.record(FOLDERS, folder["id"])
    return Response.ok({"@odata.context": req.context_url("me/contactFolders/$entity"),
                        **folder})


def delete_folder(req: Request) -> Response:
    """DELETE a contact folder, its subfolders and contacts: 204."""
    fid = req.params["fid"]
    if fid not in req.mailbox.contact_folders:
        return not_found(req) if resolve_folder(req.mailbox, fid) is None else graph_error(
            403, "ErrorAccessDenied", "The default folder cannot be deleted.", req)
    _delete_folder(req.mailbox, fid)
    return Response.empty(204)


def _delete_folder(mailbox: Mailbox, fid: str) -> None:
    for child in [f["id"] for f in mailbox.contact_folders.values()
                  if f.get("parentFolderId") == fid]:
        _delete_folder(mailbox, child)
    for cid in [c["id"] for c in mailbox.contacts.values() if c.get("parentFolderId") == fid]:
        del mailbox.contacts[cid]
        mailbox.changes.record(_container(fid), cid)
    del mailbox.contact_folders[fid]
    mailbox.changes.record(FOLDERS, fid)


# ----------------------------------------------------------------- contacts
def _folder_for(req: Request) -> dict[str, Any] | None:
    return resolve_folder(req.mailbox, req.params.get("fid"))


def _contact_for(req: Request) -> dict[str, Any] | None:
    folder = _folder_for(req)
    contact = req.mailbox.contacts.get(req.params["id"])
    if folder is None or contact is None:
        return None
    if "fid" in req.params and contact.get("parentFolderId") != folder["id"]:
        return None
    return contact


def list_contacts(req: Request) -> Response:
    """GET /me/contacts (the default folder) or /me/contactFolders/{id}/contacts."""
    folder = _folder_for(req)
    if folder is None:
        return not_found(req)
    items = [c for c in req.mailbox.contacts.values() if c.get("parentFolderId") == folder["id"]]
    order = req.query.get("$orderby", "").lower()
    if order.startswith("displayname"):
        items.sort(key=lambda c: str(c.get("displayName") or "").lower(),
                   reverse=order.endswith("desc"))
    return page(req, items, context="me/contacts", default_top=10)


def create_contact(req: Request) -> Response:
    """POST a contact: 201."""
    folder = _folder_for(req)
    if folder is None:
        return not_found(req)
    body = {k: v for k, v in req.json_object().items() if k not in _READ_ONLY}
    emails = body.get("emailAddresses", [])
    if not isinstance(emails, list) or len(emails) > 3:
        return bad_request("A contact has at most three emailAddresses.", req,
                           "ErrorInvalidRequest")
    contact = add_contact(req.mailbox, body, folder["id"], now_=now(req))
    return Response.ok({"@odata.context": req.context_url("me/contacts/$entity"), **contact},
                       status=201)


def get_contact(req: Request) -> Response:
    """GET a contact."""
    contact = _contact_for(req)
    if contact is None:
        return not_found(req)
    return Response.ok({"@odata.context": req.context_url("me/contacts/$entity"),
                        **select(contact, req)})


def update_contact(req: Request) -> Response:
    """PATCH a contact: 200 with it."""
    contact = _contact_for(req)
    if contact is None:
        return not_found(req)
    for key, value in req.json_object().items():
        if key not in _READ_ONLY:
            contact[key] = value
    contact["lastModifiedDateTime"] = format_utc(now(req))[:19] + "Z"
    _stamp(req.mailbox, contact)
    req.mailbox.changes.record(_container(contact["parentFolderId"]), contact["id"])
    return Response.ok({"@odata.context": req.context_url("me/contacts/$entity"), **contact})


def delete_contact(req: Request) -> Response:
    """DELETE a contact: 204."""
    contact = _contact_for(req)
    if contact is None:
        return not_found(req)
    del req.mailbox.contacts[contact["id"]]
    req.mailbox.changes.record(_container(contact["parentFolderId"]), contact["id"])
    return Response.empty(204)


# -------------------------------------------------------------------- delta
def _token(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _untoken(text: str) -> dict[str, Any] | None:
    try:
        found = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, TypeError):
        return None
    return found if isinstance(found, dict) and {"q", "n", "o", "e"} <= found.keys() else None


def _delta(req: Request, container: str, current: dict[str, dict[str, Any]], link: str
           ) -> Response:
    epoch = int(getattr(req.emulator, "delta_epoch", 0) or 0)
    raw = req.query.get("$skiptoken") or req.query.get("$deltatoken")
    if raw is None:
        token: dict[str, Any] = {"q": -1, "n": req.mailbox.changes.seq, "o": 0, "e": epoch,
                                 "s": req.query.get("$select", "")}
    else:
        found = _untoken(raw)
        if found is None:
            return bad_request("The delta token is not valid.", req, "ErrorInvalidSyncStateData")
        if found["e"] != epoch:
            return graph_error(410, "SyncStateNotFound",
                               "The sync state generation is not found; generation=0.", req,
                               headers={"Location": req.mailbox_url(link)})
        token = found
        if "$deltatoken" in req.query:
            token = {**found, "q": found["n"], "n": req.mailbox.changes.seq, "o": 0}
    if token["q"] < 0:
        ids = list(current)
    else:
        ids = req.mailbox.changes.since(container, token["q"])
    try:
        size = max(1, min(int(req.prefer.get("odata.maxpagesize", "10")), 1000))
    except ValueError:
        size = 10
    chunk = ids[token["o"]:token["o"] + size]
    fields = [f for f in str(token.get("s") or "").split(",") if f]
    value = []
    for item_id in chunk:
        item = current.get(item_id)
        if item is None:
            value.append({"id": item_id, "@removed": {"reason": "deleted"}})
        elif fields:
            value.append({k: v for k, v in item.items()
                          if k in fields or k == "id" or k.startswith("@odata.")})
        else:
            value.append(item)
    body: dict[str, Any] = {"@odata.context": req.context_url("Collection(contact)")}
    if token["o"] + size < len(ids):
        body["@odata.nextLink"] = req.mailbox_url(link) + "?$skiptoken=" + quote(
            _token({**token, "o": token["o"] + size}))
    else:
        body["@odata.deltaLink"] = req.mailbox_url(link) + "?$deltatoken=" + quote(
            _token({**token, "o": 0}))
    body["value"] = value
    return Response.ok(body)


def contacts_delta(req: Request) -> Response:
    """GET /me/contacts/delta or /me/contactFolders/{id}/contacts/delta."""
    folder = _folder_for(req)
    if folder is None:
        return not_found(req)
    current = {c["id"]: c for c in req.mailbox.contacts.values()
               if c.get("parentFolderId") == folder["id"]}
    link = "/contacts/delta" if "fid" not in req.params else \
        f"/contactFolders/{folder['id']}/contacts/delta"
    return _delta(req, _container(folder["id"]), current, link)


def folders_delta(req: Request) -> Response:
    """GET /me/contactFolders/delta."""
    return _delta(req, FOLDERS, dict(req.mailbox.contact_folders), "/contactFolders/delta")
