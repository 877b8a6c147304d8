"""Shared readers for Graph JSON: tolerant scalars, timestamps, dateTimeTimeZone, recipients.

Every reader accepts anything (missing keys, nulls, wrong types, the docs' placeholder values
like ``"datetime-value"``) and returns a safe default, noting what it could not read in a
``Warnings`` list when one is given. Nothing here raises on shape.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from olk_tui.domain.mail import Recipient
from olk_tui.graph.timezones import zone_for

#: Collects human-readable notes about fields that could not be read.
Warnings = list[str]

_FRACTION = re.compile(r"^(.*T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def note(warnings: Warnings | None, message: str) -> None:
    """Record a warning when a collector is given (bounded, so hostile input cannot bloat it)."""
    if warnings is not None and len(warnings) < 200:
        warnings.append(message)


def obj(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a JSON object, else an empty mapping."""
    return value if isinstance(value, Mapping) else {}


def objs(value: Any) -> list[Mapping[str, Any]]:
    """The JSON objects in a list (anything else is skipped)."""
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def text(value: Any, default: str = "") -> str:
    """A string, or ``default`` for null/other types."""
    return value if isinstance(value, str) else default


def texts(value: Any) -> tuple[str, ...]:
    """A tuple of the strings in a list."""
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def boolean(value: Any, default: bool = False) -> bool:
    """A JSON boolean (or the strings "true"/"false" some payloads carry), or ``default``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return default


def integer(value: Any, default: int = 0) -> int:
    """A JSON integer (not a bool), or ``default``."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return default


def number(value: Any, default: float = 0.0) -> float:
    """A JSON number as float, or ``default``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return float(value)


def _fromiso(value: str) -> datetime | None:
    """ISO 8601 with Graph's 7-digit fractions; naive when no offset is given."""
    value = value.strip()
    if len(value) == 10:
        value += "T00:00:00"
    match = _FRACTION.match(value)
    if not match:
        return None
    head, frac, offset = match.groups()
    cleaned = head + ("." + frac[1:7].ljust(6, "0") if frac else "")
    if offset:
        cleaned += "+00:00" if offset == "Z" else offset
    try:
        return datetime.fromisoformat(cleaned)
    except ValueError:
        return None


def timestamp(value: Any, field: str = "", warnings: Warnings | None = None) -> datetime | None:
    """An ISO 8601 timestamp (``2018-09-09T03:15:08Z``) as an aware UTC datetime, or None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        note(warnings, f"{field}: not a timestamp")
        return None
    parsed = _fromiso(value)
    if parsed is None:
        note(warnings, f"{field}: unreadable timestamp {value[:40]!r}")
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def resolve_zone(name: Any, field: str = "", warnings: Warnings | None = None) -> tzinfo:
    """The zone for a Windows/IANA name; unknown names (e.g. "Customized Time Zone") give UTC."""
    if isinstance(name, str) and name:
        zone = zone_for(name)
        if zone is not None:
            return zone
        note(warnings, f"{field}: unknown time zone {name[:60]!r}, read as UTC")
    return UTC


def date_time_tz(value: Any, field: str = "", warnings: Warnings | None = None,
                 ) -> datetime | None:
    """Graph's ``dateTimeTimeZone`` (``{"dateTime", "timeZone"}``) as an aware datetime."""
    data = obj(value)
    raw = data.get("dateTime")
    if raw is None:
        if value is not None:
            note(warnings, f"{field}: missing dateTime")
        return None
    if not isinstance(raw, str):
        note(warnings, f"{field}: dateTime is not text")
        return None
    parsed = _fromiso(raw)
    if parsed is None:
        note(warnings, f"{field}: unreadable dateTime {raw[:40]!r}")
        return None
    if parsed.tzinfo is not None:
        return parsed
    return parsed.replace(tzinfo=resolve_zone(data.get("timeZone"), field, warnings))


def day(value: Any, field: str = "", warnings: Warnings | None = None) -> date | None:
    """A ``YYYY-MM-DD`` date (or the date part of a timestamp), or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        note(warnings, f"{field}: unreadable date {value[:40]!r}")
        return None


def recipient(value: Any) -> Recipient | None:
    """``{"emailAddress": {"name", "address"}}`` (or a bare emailAddress) as a Recipient."""
    data = obj(value)
    email = obj(data.get("emailAddress")) or data
    address = text(email.get("address"))
    name = text(email.get("name"))
    if not address and not name:
        return None
    return Recipient(address=address, name=name)


def recipients(value: Any) -> tuple[Recipient, ...]:
    """A list of recipients, skipping unreadable entries."""
    return tuple(r for r in (recipient(v) for v in objs(value)) if r is not None)


# ---------------------------------------------------------------- domain -> JSON


def recipient_to_json(who: Recipient) -> dict[str, Any]:
    """A Recipient as Graph's recipient object."""
    email: dict[str, Any] = {"address": who.address}
    if who.name:
        email["name"] = who.name
    return {"emailAddress": email}


def date_time_tz_to_json(when: datetime) -> dict[str, str]:
    """An aware datetime as ``dateTimeTimeZone`` (IANA zone kept when known, else UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    zone = when.tzinfo
    if isinstance(zone, ZoneInfo) and zone.key:
        name = "UTC" if zone.key in ("UTC", "Etc/UTC") else zone.key
        local = when
    else:
        name, local = "UTC", when.astimezone(UTC)
    return {"dateTime": local.replace(tzinfo=None).isoformat(timespec="seconds"),
            "timeZone": name}


def timestamp_to_json(when: datetime) -> str:
    """An aware datetime as Graph's UTC ``...Z`` timestamp."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
