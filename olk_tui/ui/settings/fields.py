"""Mailbox settings forms <-> Graph ``mailboxSettings`` PATCH bodies, with validation.

Pure functions, no widgets: :func:`auto_replies_patch`, :func:`working_hours_patch` and
:func:`time_zone_patch` validate what was typed and build the ``UpdateMailboxSettings.fields``;
:func:`apply_patch` gives the ``MailboxSettings`` the account has once the patch is applied
(the UI shows it at once; the runner sends the operation). Messages are stored as simple
HTML (escaped text, line breaks kept), as Outlook does; HTML coming back is shown as text.
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from olk_tui.domain.settings import AutomaticReplies, MailboxSettings, WorkingHours
from olk_tui.render.html import html_to_text
from olk_tui.ui.text import zone

#: (Graph value, label) of automaticRepliesSetting.status.
STATUSES = (("disabled", "Off"), ("alwaysEnabled", "On"), ("scheduled", "Scheduled"))
#: (Graph value, label) of externalAudience.
AUDIENCES = (("none", "No one outside"), ("contactsOnly", "My contacts only"),
             ("all", "Everyone outside"))
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: The format typed for scheduled start and end (in the mailbox time zone).
WHEN_FORMAT = "%Y-%m-%d %H:%M"
MAX_MESSAGE = 8000


class SettingsError(ValueError):
    """A value that cannot be saved; ``str`` is fit to show, ``key`` names the input."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


# ---------------------------------------------------------------- automatic replies


def message_text(value: str) -> str:
    """A reply message as editable text (Graph keeps them as HTML)."""
    if "<" in value and ">" in value:
        return html_to_text(value).text.strip()
    return value


def message_html(text: str) -> str:
    """Typed text as the HTML Graph stores: escaped, paragraphs and line breaks kept."""
    text = "".join(c for c in text if c.isprintable() or c == "\n")[:MAX_MESSAGE].strip()
    if not text:
        return ""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    body = "".join(f"<p>{'<br>'.join(html.escape(line) for line in p.split(chr(10)))}</p>"
                   for p in paragraphs)
    return f"<html><body>{body}</body></html>"


def format_when(when: datetime | None, tz: tzinfo) -> str:
    """A scheduled time as typed in the form (mailbox zone)."""
    return when.astimezone(tz).strftime(WHEN_FORMAT) if when else ""


def parse_when(text: str, tz: tzinfo, key: str) -> datetime:
    """``YYYY-MM-DD HH:MM`` in ``tz`` as an aware datetime."""
    try:
        naive = datetime.strptime(" ".join(text.split()), WHEN_FORMAT)
    except ValueError:
        raise SettingsError(key, f"{text.strip()[:30]!r} is not a time like 2026-12-24 "
                            "17:00.") from None
    return naive.replace(tzinfo=tz)


def _utc(when: datetime) -> dict[str, str]:
    return {"dateTime": when.astimezone(UTC).replace(tzinfo=None).isoformat(
        timespec="seconds"), "timeZone": "UTC"}


def auto_replies_patch(status: str, audience: str, start: str, end: str, internal: str,
                       external: str, tz: tzinfo) -> dict[str, Any]:
    """The PATCH body for automatic replies.

    Raises:
        SettingsError: an unknown status or audience; a schedule without a valid start before
            its end.
    """
    if status not in dict(STATUSES):
        raise SettingsError("status", f"Unknown status {status[:30]!r}.")
    if audience not in dict(AUDIENCES):
        raise SettingsError("audience", f"Unknown audience {audience[:30]!r}.")
    setting: dict[str, Any] = {"status": status, "externalAudience": audience,
                               "internalReplyMessage": message_html(internal),
                               "externalReplyMessage": message_html(external)}
    if status == "scheduled":
        begins = parse_when(start, tz, "start")
        ends = parse_when(end, tz, "end")
        if ends <= begins:
            raise SettingsError("end", "The end must be after the start.")
        setting["scheduledStartDateTime"] = _utc(begins)
        setting["scheduledEndDateTime"] = _utc(ends)
    return {"automaticRepliesSetting": setting}


# ---------------------------------------------------------------- working hours, time zone


def _time(text: str, key: str) -> str:
    try:
        parsed = datetime.strptime(text.strip(), "%H:%M")
    except ValueError:
        raise SettingsError(key, f"{text.strip()[:20]!r} is not a time like 08:30.") from None
    return parsed.strftime("%H:%M:00")


def working_hours_patch(days: list[str], start: str, end: str, time_zone: str,
                        known: set[str] | None = None) -> dict[str, Any]:
    """The PATCH body for working hours (times ``HH:MM``, days as Graph names them).

    Raises:
        SettingsError: no day, a bad time, the end not after the start, an unknown zone.
    """
    picked = [d for d in DAYS if d in {x.lower() for x in days}]
    if not picked:
        raise SettingsError("days", "Pick at least one working day.")
    begins, ends = _time(start, "start"), _time(end, "end")
    if ends <= begins:
        raise SettingsError("end", "The end of the working day must be after its start.")
    name = check_time_zone(time_zone, known, "hours-zone")
    return {"workingHours": {"daysOfWeek": picked, "startTime": begins + ".0000000",
                             "endTime": ends + ".0000000", "timeZone": {"name": name}}}


def check_time_zone(name: str, known: set[str] | None = None, key: str = "zone") -> str:
    """``name`` when it is a zone Graph accepts: one of ``known`` (supportedTimeZones) when
    given, else an IANA name or a Windows name the app knows.

    Raises:
        SettingsError: an unknown zone.
    """
    name = " ".join(name.split())
    if known is not None:
        if name in known:
            return name
        raise SettingsError(key, f"{name[:40]!r} is not one of the mailbox's time zones.")
    if name.upper() == "UTC" or getattr(zone(name), "key", "UTC") != "UTC":
        return name
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(key, f"{name[:40]!r} is not a known time zone (try Europe/Paris "
                            "or W. Europe Standard Time).") from None
    return name


def time_zone_patch(name: str, known: set[str] | None = None) -> dict[str, Any]:
    """The PATCH body for the mailbox time zone."""
    return {"timeZone": check_time_zone(name, known)}


def local_zone_names() -> list[str]:
    """Zone names to pick from when the mailbox's list is not available (IANA, sorted)."""
    return sorted(available_timezones())


# ---------------------------------------------------------------- local view of a patch


def _parse_utc(value: dict[str, str] | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value["dateTime"]).replace(tzinfo=UTC)


def apply_patch(settings: MailboxSettings, patch: dict[str, Any]) -> MailboxSettings:
    """``settings`` as they are once ``patch`` (built by this module) is applied."""
    out = settings
    if "timeZone" in patch:
        out = replace(out, time_zone=patch["timeZone"])
    if "automaticRepliesSetting" in patch:
        a = patch["automaticRepliesSetting"]
        old = out.automatic_replies
        out = replace(out, automatic_replies=AutomaticReplies(
            status=a["status"], external_audience=a["externalAudience"],
            scheduled_start=_parse_utc(a.get("scheduledStartDateTime")) or old.scheduled_start,
            scheduled_end=_parse_utc(a.get("scheduledEndDateTime")) or old.scheduled_end,
            internal_message=a["internalReplyMessage"],
            external_message=a["externalReplyMessage"]))
    if "workingHours" in patch:
        w = patch["workingHours"]
        out = replace(out, working_hours=WorkingHours(
            days=tuple(w["daysOfWeek"]), start=w["startTime"].split(".")[0],
            end=w["endTime"].split(".")[0], time_zone=w["timeZone"]["name"]))
    return out
