"""``/me/people``: the people the user works with, ranked by how often they correspond (From,
To and Cc of the mailbox's messages), with the user's contacts first; ``$search`` matches the
start of a name or address, ``$top`` pages."""

from __future__ import annotations

import base64
from collections import Counter
from typing import TYPE_CHECKING, Any

from olk_tui.emulator.calendar_http import page
from olk_tui.emulator.router import Request, Response, Router

if TYPE_CHECKING:
    from olk_tui.emulator.state import Mailbox


def register(router: Router) -> None:
    """Add ``GET /me/people``."""
    router.add("GET", "/me/people", people)


def ranked_people(mailbox: Mailbox) -> list[dict[str, Any]]:
    """People ranked by how often the user corresponds with them, contacts included."""
    cache = mailbox.extra.get("people_cache")
    if cache is not None and cache[0] == mailbox.changes.seq:
        return cache[1]
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    me = mailbox.address.lower()
    for msg in mailbox.messages.values():
        for field in ("from", "toRecipients", "ccRecipients"):
            value = msg.get(field)
            for rcpt in value if isinstance(value, list) else [value]:
                addr = ((rcpt or {}).get("emailAddress") or {}) if isinstance(rcpt, dict) else {}
                address = str(addr.get("address") or "").lower()
                if address and address != me:
                    counts[address] += 1
                    names.setdefault(address, str(addr.get("name") or address))
    people: dict[str, dict[str, Any]] = {}
    for contact in mailbox.contacts.values():
        for email in contact.get("emailAddresses") or []:
            address = str((email or {}).get("address") or "").lower()
            if address and address not in people:
                people[address] = _person(contact.get("displayName") or address, address,
                                          contact, counts[address] + 5, "PersonalContact")
    for address, count in counts.items():
        if address not in people:
            people[address] = _person(names[address], address, {}, count, "OrganizationUser")
    ranked = sorted(people.values(), key=lambda p: (-p["scoredEmailAddresses"][0][
        "relevanceScore"], p["displayName"].lower()))
    mailbox.extra["people_cache"] = (mailbox.changes.seq, ranked)
    return ranked


def _person(name: str, address: str, contact: dict[str, Any], score: int, subclass: str
            ) -> dict[str, Any]:
    given, _, surname = name.partition(" ")
    phones = [{"type": "business", "number": n} for n in contact.get("businessPhones") or []]
    if contact.get("mobilePhone"):
        phones.append({"type": "mobile", "number": contact["mobilePhone"]})
    return {
        "id": contact.get("id") or "P" + base64.urlsafe_b64encode(address.encode()).decode(),
        "displayName": name, "givenName": contact.get("givenName", given or None),
        "surname": contact.get("surname", surname or None), "birthday": "",
        "personNotes": "", "isFavorite": False, "jobTitle": contact.get("jobTitle"),
        "companyName": contact.get("companyName"), "yomiCompany": "",
        "department": contact.get("department"), "officeLocation": contact.get("officeLocation"),
        "profession": "", "userPrincipalName": "",
        "imAddress": (contact.get("imAddresses") or [None])[0],
        "scoredEmailAddresses": [{"address": address, "relevanceScore": float(score)}],
        "phones": phones, "postalAddresses": [], "websites": [],
        "personType": {"class": "Person", "subclass": subclass},
    }


def people(req: Request) -> Response:
    """GET /me/people?$search=...&$top=...: relevant people, best first."""
    items = ranked_people(req.mailbox)
    search = req.query.get("$search", "").strip().strip('"').strip().lower()
    if search:
        items = [p for p in items if any(
            str(v or "").lower().startswith(search) or f" {search}" in str(v or "").lower()
            for v in (p["displayName"], p["givenName"], p["surname"],
                      p["scoredEmailAddresses"][0]["address"]))]
    return page(req, items, context="Collection(microsoft.graph.person)", default_top=10)
