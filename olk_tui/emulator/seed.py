"""``--seed DIR``: load a mailbox from a folder of Graph-shaped JSON, so a bug report can be
replayed against the emulator.

Layout (every part optional)::

    DIR/me.json                   the user resource (mail/userPrincipalName, displayName...)
    DIR/mailboxSettings.json      mailbox settings
    DIR/mail/<folder>/*.json      messages: each file one message, or {"value": [...]}
    DIR/mail/<folder>/<sub>/...   nested folders as nested directories
    DIR/mail/<folder>.folder.json that folder's own resource (displayName and the rest), so a
                                  folder's name need not be a valid file name; also creates an
                                  empty folder that has no directory
    DIR/calendar/*.json           events of the default calendar
    DIR/calendars/<name>/*.json   events of another calendar named <name>
                                  (DIR/calendars/<name>.calendar.json: its resource)
    DIR/contacts/*.json           contacts of the default contacts folder

Directory names ``inbox``, ``drafts``, ``sentitems``, ``deleteditems``, ``archive`` and
``junkemail`` (any case) are the well-known folders. Every field the files carry is kept and
served back exactly as given, unknown ones included; missing ids, dates and folders are filled
in. A message's ``parentFolderId`` always becomes the folder it was found in, and an
``attachments`` array moves to the message's attachment store (served by ``/attachments`` and
``$expand=attachments``). Files are read in name order, so loading is deterministic.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from olk_tui.emulator.state import WELL_KNOWN_FOLDERS, Mailbox

if TYPE_CHECKING:
    from olk_tui.emulator.core import Emulator


class SeedError(ValueError):
    """A seed folder that cannot be loaded (the message names the file and the problem)."""


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SeedError(f"{path}: not readable JSON ({exc})") from None


def _items(path: Path) -> list[dict[str, Any]]:
    data = _read(path)
    items = data.get("value") if isinstance(data, dict) and isinstance(
        data.get("value"), list) else [data]
    for item in items:
        if not isinstance(item, dict):
            raise SeedError(f"{path}: expected a JSON object or {{\"value\": [...]}}")
    return items


def _json_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix == ".json" and not p.name.endswith(
                      (".folder.json", ".calendar.json")))


def load_seed_dir(emu: Emulator, root: Path) -> Mailbox:
    """Load ``root`` into ``emu`` as its default mailbox; returns the mailbox."""
    if not root.is_dir():
        raise SeedError(f"{root}: not a directory")
    me = _read(root / "me.json") if (root / "me.json").is_file() else {}
    if not isinstance(me, dict):
        raise SeedError(f"{root / 'me.json'}: expected a JSON object")
    address = str(me.get("mail") or me.get("userPrincipalName") or "megan@contoso.example")
    name = str(me.get("displayName") or "Megan Bowen")
    mb = emu.add_mailbox(address, name, user_id=me.get("id"))
    mb.me.update(me)
    if (root / "mailboxSettings.json").is_file():
        from olk_tui.emulator import settings

        resource = _read(root / "mailboxSettings.json")
        if not isinstance(resource, dict):
            raise SeedError(f"{root / 'mailboxSettings.json'}: expected a JSON object")
        settings.load_settings(mb, resource)
    if (root / "mail").is_dir():
        _load_folder_tree(mb, root / "mail", None, emu)
    _load_calendars(mb, root)
    if (root / "contacts").is_dir():
        from olk_tui.emulator import contacts

        for path in _json_files(root / "contacts"):
            for contact in _items(path):
                _guarded(path, contacts.add_contact, mb, contact)
    return mb


def _guarded(path: Path, func: Any, *args: Any) -> Any:
    """Run a loader; data it cannot take becomes a SeedError naming the file."""
    try:
        return func(*args)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SeedError(f"{path}: cannot load ({type(exc).__name__}: {exc})") from None


def _folder_names(directory: Path) -> list[str]:
    names = {p.name for p in directory.iterdir() if p.is_dir()}
    names |= {p.name[: -len(".folder.json")] for p in directory.iterdir()
              if p.is_file() and p.name.endswith(".folder.json")}
    return sorted(names)


def _load_folder_tree(mb: Mailbox, directory: Path, parent_id: str | None,
                      emu: Emulator) -> None:
    for name in _folder_names(directory):
        sub = directory / name
        meta_path = directory / f"{name}.folder.json"
        resource = _read(meta_path) if meta_path.is_file() else {}
        if not isinstance(resource, dict):
            raise SeedError(f"{meta_path}: expected a JSON object")
        folder = _folder_for(mb, name, parent_id, resource)
        if sub.is_dir():
            for path in _json_files(sub):
                for msg in _items(path):
                    _add_message(mb, msg, folder["id"], path)
            _load_folder_tree(mb, sub, folder["id"], emu)


def _folder_for(mb: Mailbox, name: str, parent_id: str | None,
                resource: dict[str, Any]) -> dict[str, Any]:
    key = name.lower()
    if parent_id is None and key in WELL_KNOWN_FOLDERS:
        folder = mb.resolve_folder(key)
        assert folder is not None
        if resource.get("id") and resource["id"] != folder["id"]:
            mb.delete_folder(folder["id"])
            return mb.add_folder(WELL_KNOWN_FOLDERS[key], None, resource=resource,
                                 well_known=key)
        folder.update({k: v for k, v in resource.items() if k != "parentFolderId"})
        return folder
    if resource.get("id") in mb.folders:
        raise SeedError(f"folder id {resource['id']!r} appears twice")
    return mb.add_folder(name, parent_id, resource=resource)


def _add_message(mb: Mailbox, msg: dict[str, Any], folder_id: str, path: Path) -> None:
    attachments = msg.pop("attachments", None)
    had = msg.get("hasAttachments")
    _guarded(path, mb.add_message, msg, folder_id)
    if isinstance(attachments, list):
        for att in attachments:
            if isinstance(att, dict):
                _guarded(path, mb.add_attachment, msg["id"], att)
        if had is not None:
            msg["hasAttachments"] = had


def _load_calendars(mb: Mailbox, root: Path) -> None:
    has_default = (root / "calendar").is_dir()
    others = root / "calendars"
    if not has_default and not others.is_dir():
        return
    from olk_tui.emulator import calendar_store

    if has_default:
        for path in _json_files(root / "calendar"):
            for event in _items(path):
                _guarded(path, calendar_store.add_event, mb, event)
    if others.is_dir():
        for name in sorted(p.name for p in others.iterdir() if p.is_dir()):
            meta = others / f"{name}.calendar.json"
            resource = _read(meta) if meta.is_file() else {}
            if not isinstance(resource, dict):
                raise SeedError(f"{meta}: expected a JSON object")
            resource.setdefault("name", name)
            cal = _guarded(meta, calendar_store.add_calendar, mb, resource)
            for path in _json_files(others / name):
                for event in _items(path):
                    _guarded(path, calendar_store.add_event, mb, event, cal["id"])
