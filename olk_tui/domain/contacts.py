"""Contacts and contact folders, as Graph's contact resource has them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from olk_tui.domain.ids import ContactFolderId, ContactId
from olk_tui.domain.mail import Recipient


@dataclass(frozen=True, slots=True)
class PhysicalAddress:
    """A postal address."""

    street: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""


@dataclass(frozen=True, slots=True)
class Contact:
    """A contact; ``emails`` keep the display name Graph stores with each address."""

    id: ContactId
    display_name: str = ""
    given_name: str = ""
    surname: str = ""
    emails: tuple[Recipient, ...] = ()
    business_phones: tuple[str, ...] = ()
    mobile_phone: str = ""
    home_phones: tuple[str, ...] = ()
    company_name: str = ""
    job_title: str = ""
    department: str = ""
    business_address: PhysicalAddress | None = None
    home_address: PhysicalAddress | None = None
    birthday: date | None = None
    personal_notes: str = ""
    folder_id: ContactFolderId | None = None
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ContactFolder:
    """A contact folder."""

    id: ContactFolderId
    display_name: str
    parent_id: ContactFolderId | None = None
