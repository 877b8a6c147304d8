"""Contacts, the user, mailbox settings, people and the zone/language lists, JSON <-> domain."""

from __future__ import annotations

from typing import Any

from olk_tui.domain.contacts import Contact, ContactFolder, PhysicalAddress
from olk_tui.domain.ids import ContactFolderId, ContactId
from olk_tui.domain.mail import Recipient
from olk_tui.domain.settings import AutomaticReplies, MailboxSettings, User, WorkingHours
from olk_tui.graph.mapping.common import (
    Warnings,
    date_time_tz,
    date_time_tz_to_json,
    day,
    note,
    obj,
    objs,
    text,
    texts,
)

_REPLY_STATUS = {"disabled": "disabled", "alwaysenabled": "alwaysEnabled",
                 "scheduled": "scheduled"}
_AUDIENCE = {"none": "none", "contactsonly": "contactsOnly", "all": "all"}


def user_from_json(data: Any, warnings: Warnings | None = None) -> User:
    """/me."""
    d = obj(data)
    if not text(d.get("id")):
        note(warnings, "user: no id")
    return User(id=text(d.get("id")), display_name=text(d.get("displayName")),
                mail=text(d.get("mail")), user_principal_name=text(d.get("userPrincipalName")))


def _address(data: Any) -> PhysicalAddress | None:
    d = obj(data)
    address = PhysicalAddress(
        street=text(d.get("street")), city=text(d.get("city")), state=text(d.get("state")),
        postal_code=text(d.get("postalCode")), country=text(d.get("countryOrRegion")),
    )
    return None if address == PhysicalAddress() else address


def contact_from_json(data: Any, warnings: Warnings | None = None) -> Contact:
    """A contact."""
    d = obj(data)
    if not text(d.get("id")):
        note(warnings, "contact: no id")
    emails = tuple(Recipient(address=text(e.get("address")), name=text(e.get("name")))
                   for e in objs(d.get("emailAddresses")) if text(e.get("address")))
    folder = text(d.get("parentFolderId"))
    return Contact(
        id=ContactId(text(d.get("id"))),
        display_name=text(d.get("displayName")),
        given_name=text(d.get("givenName")),
        surname=text(d.get("surname")),
        emails=emails,
        business_phones=texts(d.get("businessPhones")),
        mobile_phone=text(d.get("mobilePhone")),
        home_phones=texts(d.get("homePhones")),
        company_name=text(d.get("companyName")),
        job_title=text(d.get("jobTitle")),
        department=text(d.get("department")),
        business_address=_address(d.get("businessAddress")),
        home_address=_address(d.get("homeAddress")),
        birthday=day(d.get("birthday"), "contact.birthday", warnings),
        personal_notes=text(d.get("personalNotes")),
        folder_id=ContactFolderId(folder) if folder else None,
        categories=texts(d.get("categories")),
    )


def contact_folder_from_json(data: Any, warnings: Warnings | None = None) -> ContactFolder:
    """A contactFolder."""
    d = obj(data)
    if not text(d.get("id")):
        note(warnings, "contactFolder: no id")
    parent = text(d.get("parentFolderId"))
    return ContactFolder(id=ContactFolderId(text(d.get("id"))),
                         display_name=text(d.get("displayName")),
                         parent_id=ContactFolderId(parent) if parent else None)


def automatic_replies_from_json(data: Any, warnings: Warnings | None = None
                                ) -> AutomaticReplies:
    """automaticRepliesSetting; statuses normalised to the documented camelCase values."""
    auto = obj(data)
    return AutomaticReplies(
        status=_REPLY_STATUS.get(text(auto.get("status")).lower(), "disabled"),
        external_audience=_AUDIENCE.get(text(auto.get("externalAudience")).lower(), "none"),
        scheduled_start=date_time_tz(auto.get("scheduledStartDateTime"),
                                     "automaticReplies.start", warnings),
        scheduled_end=date_time_tz(auto.get("scheduledEndDateTime"),
                                   "automaticReplies.end", warnings),
        internal_message=text(auto.get("internalReplyMessage")),
        external_message=text(auto.get("externalReplyMessage")),
    )


def working_hours_from_json(data: Any) -> WorkingHours:
    """workingHours; times cut to ``HH:MM:SS``."""
    hours = obj(data)
    defaults = WorkingHours()
    return WorkingHours(
        days=texts(hours.get("daysOfWeek")) if "daysOfWeek" in hours else defaults.days,
        start=text(hours.get("startTime")).split(".", 1)[0] or defaults.start,
        end=text(hours.get("endTime")).split(".", 1)[0] or defaults.end,
        time_zone=text(obj(hours.get("timeZone")).get("name")) or defaults.time_zone,
    )


def mailbox_settings_from_json(data: Any, warnings: Warnings | None = None) -> MailboxSettings:
    """mailboxSettings (language read from ``language.locale``)."""
    d = obj(data)
    language = d.get("language")
    locale = text(obj(language).get("locale")) if isinstance(language, dict) else text(language)
    return MailboxSettings(
        time_zone=text(d.get("timeZone")) or "UTC",
        automatic_replies=automatic_replies_from_json(d.get("automaticRepliesSetting"),
                                                      warnings),
        working_hours=working_hours_from_json(d.get("workingHours")),
        language=locale or "en-US",
        date_format=text(d.get("dateFormat")),
        time_format=text(d.get("timeFormat")),
    )


def person_from_json(data: Any) -> Recipient | None:
    """A person (people API) as a Recipient with their most relevant address."""
    d = obj(data)
    scored = objs(d.get("scoredEmailAddresses"))
    address = next((text(s.get("address")) for s in scored if text(s.get("address"))), "")
    if not address:
        address = text(d.get("userPrincipalName"))
    if not address:
        return None
    return Recipient(address=address, name=text(d.get("displayName")))


def pairs_from_json(data: Any, key: str) -> list[tuple[str, str]]:
    """supportedTimeZones (``alias``) or supportedLanguages (``locale``) as (key, display)."""
    out = []
    for item in objs(obj(data).get("value")):
        value = text(item.get(key))
        if value:
            out.append((value, text(item.get("displayName")) or value))
    return out


# ---------------------------------------------------------------- domain -> JSON


def contact_to_json(contact: Contact) -> dict[str, Any]:
    """A Contact as a contact resource for POST/PATCH."""

    def address(a: PhysicalAddress | None) -> dict[str, str]:
        if a is None:
            return {}
        return {"street": a.street, "city": a.city, "state": a.state,
                "postalCode": a.postal_code, "countryOrRegion": a.country}

    out: dict[str, Any] = {
        "displayName": contact.display_name,
        "givenName": contact.given_name,
        "surname": contact.surname,
        "emailAddresses": [{"address": e.address, "name": e.name or e.address}
                           for e in contact.emails],
        "businessPhones": list(contact.business_phones),
        "homePhones": list(contact.home_phones),
        "mobilePhone": contact.mobile_phone or None,
        "companyName": contact.company_name,
        "jobTitle": contact.job_title,
        "department": contact.department,
        "businessAddress": address(contact.business_address),
        "homeAddress": address(contact.home_address),
        "personalNotes": contact.personal_notes,
        "categories": list(contact.categories),
    }
    if contact.birthday is not None:
        out["birthday"] = contact.birthday.isoformat() + "T00:00:00Z"
    return out


def automatic_replies_to_json(auto: AutomaticReplies) -> dict[str, Any]:
    """AutomaticReplies as automaticRepliesSetting (for a mailboxSettings PATCH)."""
    out: dict[str, Any] = {
        "status": auto.status,
        "externalAudience": auto.external_audience,
        "internalReplyMessage": auto.internal_message,
        "externalReplyMessage": auto.external_message,
    }
    if auto.scheduled_start is not None:
        out["scheduledStartDateTime"] = date_time_tz_to_json(auto.scheduled_start)
    if auto.scheduled_end is not None:
        out["scheduledEndDateTime"] = date_time_tz_to_json(auto.scheduled_end)
    return out
