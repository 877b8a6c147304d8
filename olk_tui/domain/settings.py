"""The signed-in user and their mailbox settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class User:
    """/me: who is signed in."""

    id: str
    display_name: str = ""
    mail: str = ""
    user_principal_name: str = ""


@dataclass(frozen=True, slots=True)
class AutomaticReplies:
    """automaticRepliesSetting; status is disabled, alwaysEnabled or scheduled."""

    status: str = "disabled"
    external_audience: str = "none"
    scheduled_start: datetime | None = None
    scheduled_end: datetime | None = None
    internal_message: str = ""
    external_message: str = ""


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """workingHours: days, start and end ("08:00:00") and the zone they are in."""

    days: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday")
    start: str = "08:00:00"
    end: str = "17:00:00"
    time_zone: str = "UTC"


@dataclass(frozen=True, slots=True)
class MailboxSettings:
    """mailboxSettings; ``time_zone`` as Graph gave it (Windows or IANA name)."""

    time_zone: str = "UTC"
    automatic_replies: AutomaticReplies = AutomaticReplies()
    working_hours: WorkingHours = WorkingHours()
    language: str = "en-US"
    date_format: str = ""
    time_format: str = ""
