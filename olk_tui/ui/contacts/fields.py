"""Contact form values <-> Graph contact fields, validation, and the detail text.

The form works on a flat ``dict[str, str]`` of what the user typed (:data:`FORM_FIELDS`);
:func:`to_graph` validates it and builds the Graph-shaped ``fields`` of a ``SaveContact``
(givenName, surname, displayName, emailAddresses [{address, name}], businessPhones,
mobilePhone, companyName, jobTitle, businessAddress {...}, birthday, personalNotes).
:func:`detail_text` shows a contact as plain ``Text``, every network string sanitised.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text

from olk_tui.domain.contacts import Contact, PhysicalAddress
from olk_tui.render.addresses import parse_addresses
from olk_tui.ui.text import block, editable_addresses, inline

#: (key, label) of every form input, in order.
FORM_FIELDS: tuple[tuple[str, str], ...] = (
    ("given_name", "First name"),
    ("surname", "Last name"),
    ("display_name", "Display name"),
    ("emails", "Emails"),
    ("business_phones", "Business phones"),
    ("mobile_phone", "Mobile"),
    ("company_name", "Company"),
    ("job_title", "Job title"),
    ("street", "Street"),
    ("city", "City"),
    ("state", "State"),
    ("postal_code", "Postal code"),
    ("country", "Country"),
    ("birthday", "Birthday"),
    ("notes", "Notes"),
)

#: Longest value kept from one form input (notes are bounded separately).
MAX_FIELD = 1000
MAX_NOTES = 20_000


class FormError(ValueError):
    """The form cannot be saved; ``str`` is a sentence fit to show and ``key`` the input."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def form_values(contact: Contact | None) -> dict[str, str]:
    """The form's starting values for ``contact`` (empty for a new one)."""
    if contact is None:
        return {key: "" for key, _ in FORM_FIELDS}
    a = contact.business_address or PhysicalAddress()
    return {
        "given_name": contact.given_name, "surname": contact.surname,
        "display_name": contact.display_name,
        "emails": editable_addresses(contact.emails),
        "business_phones": ", ".join(contact.business_phones),
        "mobile_phone": contact.mobile_phone, "company_name": contact.company_name,
        "job_title": contact.job_title, "street": a.street, "city": a.city,
        "state": a.state, "postal_code": a.postal_code, "country": a.country,
        "birthday": contact.birthday.isoformat() if contact.birthday else "",
        "notes": contact.personal_notes,
    }


def _clean(value: str, limit: int = MAX_FIELD) -> str:
    """One line: no control characters, bounded."""
    return "".join(c for c in " ".join(value.split()) if c.isprintable())[:limit]


def _birthday(text: str) -> str | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise FormError("birthday", f"Birthday {text[:20]!r} is not a date like 1990-04-23."
                        ) from None
    if not 1900 <= day.year <= 2100:
        raise FormError("birthday", "Birthday must be between 1900 and 2100.")
    return day.isoformat() + "T00:00:00Z"


def to_graph(values: dict[str, str]) -> dict[str, Any]:
    """Validate what was typed and build Graph contact fields.

    Raises:
        FormError: no name and no email, a bad address, a bad birthday.
    """
    v = {key: _clean(values.get(key, "")) for key, _ in FORM_FIELDS if key != "notes"}
    notes = "".join(c for c in values.get("notes", "") if c.isprintable() or c in "\n\t")
    parsed = parse_addresses(v["emails"])
    if parsed.errors:
        raise FormError("emails", f"Email: {parsed.errors[0]}")
    display = v["display_name"] or " ".join(p for p in (v["given_name"], v["surname"]) if p)
    if not display and not parsed.recipients:
        raise FormError("given_name", "A contact needs at least a name or an email address.")
    if not display:
        display = parsed.recipients[0].name or parsed.recipients[0].address
    phones = [p for p in (_clean(x) for x in v["business_phones"].split(",")) if p]
    fields: dict[str, Any] = {
        "givenName": v["given_name"], "surname": v["surname"], "displayName": display,
        "emailAddresses": [{"address": r.address, "name": r.name or display}
                           for r in parsed.recipients],
        "businessPhones": phones, "mobilePhone": v["mobile_phone"] or None,
        "companyName": v["company_name"], "jobTitle": v["job_title"],
        "businessAddress": {"street": v["street"], "city": v["city"], "state": v["state"],
                            "postalCode": v["postal_code"], "countryOrRegion": v["country"]},
        "birthday": _birthday(v["birthday"]),
        "personalNotes": notes[:MAX_NOTES],
    }
    return fields


def list_label(contact: Contact, width: int = 60) -> Text:
    """One list row: the name and the first address, sanitised."""
    name = inline(contact.display_name, width) or inline(
        contact.emails[0].address if contact.emails else "", width, placeholder="(no name)")
    text = Text(name)
    if contact.emails and contact.display_name:
        text.append("  " + inline(contact.emails[0].address, width), style="dim")
    return text


def _address_lines(a: PhysicalAddress | None) -> list[str]:
    if a is None:
        return []
    city = " ".join(p for p in (a.postal_code, a.city, a.state) if p)
    return [inline(p, 120) for p in (a.street, city, a.country) if p]


def detail_text(contact: Contact) -> Text:
    """Everything the contact has, as plain text (labels dim, values sanitised)."""
    out = Text()
    out.append(inline(contact.display_name, 120, placeholder="(no name)") + "\n",
               style="bold")
    role = " · ".join(inline(p, 80) for p in (contact.job_title, contact.department,
                                               contact.company_name) if p)
    if role:
        out.append(role + "\n")
    out.append("\n")

    def row(label: str, value: str) -> None:
        out.append(f"{label:<12}", style="dim")
        out.append(value + "\n")

    names = " ".join(inline(p, 60) for p in (contact.given_name, contact.surname) if p)
    if names:
        row("Name", names)
    for email in contact.emails:
        row("Email", inline(email.address, 120))
    for phone in contact.business_phones:
        row("Business", inline(phone, 60))
    if contact.mobile_phone:
        row("Mobile", inline(contact.mobile_phone, 60))
    for phone in contact.home_phones:
        row("Home", inline(phone, 60))
    for label, addr in (("Work addr", contact.business_address),
                        ("Home addr", contact.home_address)):
        for i, line in enumerate(_address_lines(addr)):
            row(label if i == 0 else "", line)
    if contact.birthday:
        row("Birthday", contact.birthday.strftime("%d %B %Y"))
    if contact.categories:
        row("Categories", ", ".join(inline(c, 40) for c in contact.categories))
    if contact.personal_notes.strip():
        out.append("\nNotes\n", style="dim")
        out.append(block(contact.personal_notes) + "\n")
    return out
