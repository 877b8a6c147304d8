"""Helpers for the key-shape comparison over ``/work/shared/graph-samples``: reading the
``.http`` request files, adapting their ids to an emulator's data, and comparing JSON shapes."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from olk_tui.emulator import Emulator
from tests.samples import SAMPLES as _SAMPLES_DIR

SAMPLES = _SAMPLES_DIR
_KEY_FORM = re.compile(r"([A-Za-z]+)\('([^']*)'\)")
_PLACEHOLDER = re.compile(r"(-value$|^\{.*\}$|^datetime-value$|-value\b|^null$)",
                          re.IGNORECASE)


@dataclass
class SampleRequest:
    """One parsed ``.http`` file."""

    name: str
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def parse_http(path: Path) -> SampleRequest:
    """Request line, headers, blank line, body (the docs' files are loose: tolerate it)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    # The URL runs from the method to an optional " HTTP/x.y"; it may hold spaces
    # (``$search="Irene McGowen"``).
    method, _, target = lines[0].strip().partition(" ")
    url = re.sub(r"\s+HTTP/\d(\.\d)?$", "", target.strip())
    headers: dict[str, str] = {}
    i = 1
    while i < len(lines) and lines[i].strip():
        if ":" in lines[i]:
            k, v = lines[i].split(":", 1)
            headers[k.strip()] = v.strip()
        i += 1
    rest = [ln for ln in lines[i + 1:] if ln.strip()]
    # Some doc files put headers after the blank line (e.g. Prefer on a GET).
    while rest and re.match(r"^[A-Za-z-]+: ", rest[0]) and method.upper() == "GET":
        k, v = rest.pop(0).split(":", 1)
        headers[k.strip()] = v.strip()
    body = "\n".join(rest).strip()
    if url.startswith("/"):
        url = "https://graph.microsoft.com/v1.0" + url
    return SampleRequest(path.name[: -len(".http")], method.upper(), url, headers,
                         body.encode())


def manifest() -> dict[str, dict[str, Any]]:
    """Manifest entries by request file name (without ``.http``)."""
    out: dict[str, dict[str, Any]] = {}
    for entry in json.loads((SAMPLES / "manifest.json").read_text()):
        req = entry.get("request_file")
        if req:
            out[Path(req).name[: -len(".http")]] = entry
    return out


def expected_status(entry: dict[str, Any]) -> int | None:
    """The documented status code, if the status line has one."""
    m = re.search(r"\b([1-5]\d\d)\b", entry.get("status_line") or "")
    return int(m.group(1)) if m else None


def lenient_json(raw: bytes) -> Any:
    """JSON, forgiving the docs' trailing commas."""
    text = raw.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError:
        return json.loads(re.sub(r",(\s*[}\]])", r"\1", text))


class IdMap:
    """Real ids from an emulator, by collection name, to put into sample URLs and bodies."""

    def __init__(self, emu: Emulator) -> None:
        mb = emu.default_mailbox
        self.mb = mb
        inbox = mb.well_known["inbox"]
        msg_id = mb.sorted_ids(inbox)[0]
        att = next(iter(mb.attachments.get(msg_id, {}) or {}), None)
        self.ids: dict[str, str | None] = {
            "messages": msg_id,
            "mailfolders": inbox,
            "childfolders": mb.folder_children(inbox)[0]["id"] if mb.folder_children(inbox)
            else None,
            "attachments": att,
            "events": next(iter(mb.events), None),
            "calendars": next(iter(mb.calendars), None),
            "contacts": next(iter(mb.contacts), None),
            "contactfolders": next(iter(mb.contact_folders), None),
            "users": mb.address,
        }
        drafts = mb.sorted_ids(mb.well_known["drafts"])
        self.draft_id = drafts[0] if drafts else None
        if self.ids["events"]:
            ev_atts = mb.extra.get("event_attachments", {})
            self.ids.setdefault("eventattachments", next(iter(ev_atts.get(
                self.ids["events"], {})), None))

    KEYWORDS = {"delta", "$value", "createuploadsession", "childfolders", "messages",
                "attachments", "instances", "events", "calendarview", "contacts", "send",
                "reply", "replyall", "forward", "createreply", "createreplyall",
                "createforward", "move", "copy", "accept", "decline", "tentativelyaccept",
                "cancel", "snoozereminder", "dismissreminder", "$count"}

    def prefer_attachment(self, odata_type: str) -> None:
        """Map ``attachments/{id}`` to an attachment of this type on the message, if any."""
        msg_id = self.ids["messages"]
        for aid, att in self.mb.attachments.get(msg_id or "", {}).items():
            if str(att.get("@odata.type", "")).lower().endswith(odata_type.lower()):
                self.ids["attachments"] = aid
                return

    def adapt_path(self, path: str, method: str = "GET") -> tuple[str, list[str]]:
        """``path`` with ids replaced; returns the new path and any collections without ids.

        Sends use a draft; deleting, moving or copying a mail folder uses a child folder (the
        well-known ones cannot be deleted or moved)."""
        path = _KEY_FORM.sub(lambda m: f"{m.group(1)}/{m.group(2)}", path)
        segs = [s for s in path.split("/") if s != ""]
        last = segs[-1].lower() if segs else ""
        overrides: dict[str, str | None] = {}
        if last == "send":
            overrides["messages"] = self.draft_id
        if segs and segs[-2:-1] != [] and (method == "DELETE" or last in ("move", "copy")):
            overrides["mailfolders"] = self.ids["childfolders"]
        missing: list[str] = []
        for i in range(1, len(segs)):
            coll = segs[i - 1].lower()
            if coll not in self.ids or segs[i].lower() in self.KEYWORDS:
                continue
            if coll == "users" and segs[i] == "":
                continue
            real = overrides.get(coll, self.ids[coll])
            if coll == "attachments" and i >= 4 and segs[i - 3].lower() == "events":
                real = self.ids.get("eventattachments")
            if real is None:
                missing.append(coll)
                continue
            segs[i] = real
        return "/" + "/".join(segs), missing

    def adapt_body(self, body: Any) -> Any:
        """Replace placeholder ids in a JSON body (destinationId and the like)."""
        if isinstance(body, dict):
            out = {}
            for k, v in body.items():
                if k == "destinationId" and isinstance(v, str) and v.endswith("-value"):
                    v = "archive"
                out[k] = self.adapt_body(v)
            return out
        if isinstance(body, list):
            return [self.adapt_body(v) for v in body]
        return body


def split_url(url: str) -> tuple[str, str]:
    """(path after the host, query string) of a sample URL."""
    parts = urlsplit(url)
    return parts.path, parts.query


def is_placeholder(value: Any) -> bool:
    """Doc placeholders like ``"displayName-value"`` or ``"{_skipToken_}"``."""
    return isinstance(value, str) and bool(_PLACEHOLDER.search(value))


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def shape_diff(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Differences in shape: every key of ``expected`` present in ``actual`` with a value of
    the same type (null and placeholder strings in the sample match loosely; list items are
    compared by their first element)."""
    if expected is None:
        return []
    if is_placeholder(expected):
        return [] if not isinstance(actual, dict | list) else [f"{path}: {_kind(actual)}"]
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected object, got {_kind(actual)}"]
        diffs = []
        for key, value in expected.items():
            if key not in actual:
                diffs.append(f"{path}.{key}: missing")
            else:
                diffs.extend(shape_diff(value, actual[key], f"{path}.{key}"))
        return diffs
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected array, got {_kind(actual)}"]
        if expected and not actual:
            return [f"{path}: empty array"]
        if expected and actual:
            return shape_diff(expected[0], actual[0], f"{path}[0]")
        return []
    if actual is None:
        return [f"{path}: expected {_kind(expected)}, got null"]
    if _kind(expected) != _kind(actual):
        # Graph itself sends "true" strings in one doc sample; a type change is still a diff.
        return [f"{path}: expected {_kind(expected)}, got {_kind(actual)}"]
    return []


def mime_body(req: SampleRequest) -> bool:
    """Whether the sample sends base64 MIME (Content-Type: text/plain)."""
    return any(k.lower() == "content-type" and v.lower().startswith("text/plain")
               for k, v in req.headers.items())


def valid_base64(raw: bytes) -> bool:
    """True when ``raw`` decodes as base64 (doc samples truncate theirs with '...')."""
    try:
        base64.b64decode(raw.strip(), validate=True)
    except ValueError:
        return False
    return True
