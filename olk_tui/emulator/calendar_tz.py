"""Time zones for the emulator's calendar: Windows <-> IANA names and Graph dateTimeTimeZone.

Graph speaks Windows zone names ("Pacific Standard Time") and IANA names
("America/Los_Angeles") interchangeably in ``Prefer: outlook.timezone``, ``start.timeZone`` and
``recurrenceTimeZone``. The emulator keeps its own small table (it may not import the client's
``olk_tui.graph``), covering the zones Graph lists in ``supportedTimeZones``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# (Windows name, display name, IANA name). Subset of CLDR windowsZones.xml, in Graph's order.
WINDOWS_ZONES: tuple[tuple[str, str, str], ...] = (
    ("Dateline Standard Time", "(UTC-12:00) International Date Line West", "Etc/GMT+12"),
    ("UTC-11", "(UTC-11:00) Coordinated Universal Time-11", "Etc/GMT+11"),
    ("Aleutian Standard Time", "(UTC-10:00) Aleutian Islands", "America/Adak"),
    ("Hawaiian Standard Time", "(UTC-10:00) Hawaii", "Pacific/Honolulu"),
    ("Alaskan Standard Time", "(UTC-09:00) Alaska", "America/Anchorage"),
    ("Pacific Standard Time (Mexico)", "(UTC-08:00) Baja California", "America/Tijuana"),
    ("Pacific Standard Time", "(UTC-08:00) Pacific Time (US & Canada)", "America/Los_Angeles"),
    ("US Mountain Standard Time", "(UTC-07:00) Arizona", "America/Phoenix"),
    ("Mountain Standard Time", "(UTC-07:00) Mountain Time (US & Canada)", "America/Denver"),
    ("Central America Standard Time", "(UTC-06:00) Central America", "America/Guatemala"),
    ("Central Standard Time", "(UTC-06:00) Central Time (US & Canada)", "America/Chicago"),
    ("Central Standard Time (Mexico)", "(UTC-06:00) Guadalajara, Mexico City, Monterrey",
     "America/Mexico_City"),
    ("Canada Central Standard Time", "(UTC-06:00) Saskatchewan", "America/Regina"),
    ("SA Pacific Standard Time", "(UTC-05:00) Bogota, Lima, Quito, Rio Branco",
     "America/Bogota"),
    ("Eastern Standard Time", "(UTC-05:00) Eastern Time (US & Canada)", "America/New_York"),
    ("Atlantic Standard Time", "(UTC-04:00) Atlantic Time (Canada)", "America/Halifax"),
    ("Newfoundland Standard Time", "(UTC-03:30) Newfoundland", "America/St_Johns"),
    ("E. South America Standard Time", "(UTC-03:00) Brasilia", "America/Sao_Paulo"),
    ("Argentina Standard Time", "(UTC-03:00) City of Buenos Aires",
     "America/Argentina/Buenos_Aires"),
    ("UTC-02", "(UTC-02:00) Coordinated Universal Time-02", "Etc/GMT+2"),
    ("Azores Standard Time", "(UTC-01:00) Azores", "Atlantic/Azores"),
    ("UTC", "(UTC) Coordinated Universal Time", "Etc/UTC"),
    ("GMT Standard Time", "(UTC+00:00) Dublin, Edinburgh, Lisbon, London", "Europe/London"),
    ("Greenwich Standard Time", "(UTC+00:00) Monrovia, Reykjavik", "Atlantic/Reykjavik"),
    ("W. Europe Standard Time",
     "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin"),
    ("Central Europe Standard Time",
     "(UTC+01:00) Belgrade, Bratislava, Budapest, Ljubljana, Prague", "Europe/Budapest"),
    ("Romance Standard Time", "(UTC+01:00) Brussels, Copenhagen, Madrid, Paris",
     "Europe/Paris"),
    ("Central European Standard Time", "(UTC+01:00) Sarajevo, Skopje, Warsaw, Zagreb",
     "Europe/Warsaw"),
    ("W. Central Africa Standard Time", "(UTC+01:00) West Central Africa", "Africa/Lagos"),
    ("GTB Standard Time", "(UTC+02:00) Athens, Bucharest", "Europe/Bucharest"),
    ("Egypt Standard Time", "(UTC+02:00) Cairo", "Africa/Cairo"),
    ("South Africa Standard Time", "(UTC+02:00) Harare, Pretoria", "Africa/Johannesburg"),
    ("FLE Standard Time", "(UTC+02:00) Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius",
     "Europe/Kiev"),
    ("Israel Standard Time", "(UTC+02:00) Jerusalem", "Asia/Jerusalem"),
    ("Turkey Standard Time", "(UTC+03:00) Istanbul", "Europe/Istanbul"),
    ("Arab Standard Time", "(UTC+03:00) Kuwait, Riyadh", "Asia/Riyadh"),
    ("Russian Standard Time", "(UTC+03:00) Moscow, St. Petersburg", "Europe/Moscow"),
    ("E. Africa Standard Time", "(UTC+03:00) Nairobi", "Africa/Nairobi"),
    ("Iran Standard Time", "(UTC+03:30) Tehran", "Asia/Tehran"),
    ("Arabian Standard Time", "(UTC+04:00) Abu Dhabi, Muscat", "Asia/Dubai"),
    ("Afghanistan Standard Time", "(UTC+04:30) Kabul", "Asia/Kabul"),
    ("Pakistan Standard Time", "(UTC+05:00) Islamabad, Karachi", "Asia/Karachi"),
    ("India Standard Time", "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi",
     "Asia/Calcutta"),
    ("Nepal Standard Time", "(UTC+05:45) Kathmandu", "Asia/Katmandu"),
    ("Bangladesh Standard Time", "(UTC+06:00) Dhaka", "Asia/Dhaka"),
    ("SE Asia Standard Time", "(UTC+07:00) Bangkok, Hanoi, Jakarta", "Asia/Bangkok"),
    ("China Standard Time", "(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi",
     "Asia/Shanghai"),
    ("Singapore Standard Time", "(UTC+08:00) Kuala Lumpur, Singapore", "Asia/Singapore"),
    ("W. Australia Standard Time", "(UTC+08:00) Perth", "Australia/Perth"),
    ("Tokyo Standard Time", "(UTC+09:00) Osaka, Sapporo, Tokyo", "Asia/Tokyo"),
    ("Korea Standard Time", "(UTC+09:00) Seoul", "Asia/Seoul"),
    ("Cen. Australia Standard Time", "(UTC+09:30) Adelaide", "Australia/Adelaide"),
    ("AUS Eastern Standard Time", "(UTC+10:00) Canberra, Melbourne, Sydney",
     "Australia/Sydney"),
    ("E. Australia Standard Time", "(UTC+10:00) Brisbane", "Australia/Brisbane"),
    ("New Zealand Standard Time", "(UTC+12:00) Auckland, Wellington", "Pacific/Auckland"),
    ("UTC+12", "(UTC+12:00) Coordinated Universal Time+12", "Etc/GMT-12"),
    ("Tonga Standard Time", "(UTC+13:00) Nuku'alofa", "Pacific/Tongatapu"),
    ("Samoa Standard Time", "(UTC+13:00) Samoa", "Pacific/Apia"),
    ("Line Islands Standard Time", "(UTC+14:00) Kiritimati Island", "Pacific/Kiritimati"),
)

_WIN_TO_IANA = {win.casefold(): iana for win, _display, iana in WINDOWS_ZONES}
_UTC_NAMES = {"utc", "etc/utc", "gmt", "etc/gmt", "z", "coordinated universal time"}
_FRACTION = re.compile(r"^(?P<base>[^.]+)(?:\.(?P<frac>\d+))?(?P<tz>Z|[+-]\d{2}:?\d{2})?$")


def iana_name(name: str) -> str | None:
    """The IANA name for a Windows or IANA zone name, or None when unknown."""
    cleaned = name.strip().strip('"').strip()
    if not cleaned:
        return None
    if cleaned.casefold() in _UTC_NAMES:
        return "UTC"
    mapped = _WIN_TO_IANA.get(cleaned.casefold())
    if mapped:
        return mapped
    try:
        ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return cleaned


def zone(name: str | None) -> ZoneInfo | None:
    """A ZoneInfo for a Windows or IANA name; None for unknown names (callers decide)."""
    mapped = iana_name(name or "")
    if mapped is None:
        return None
    return ZoneInfo(mapped)


def zone_or_utc(name: str | None) -> ZoneInfo:
    """Like :func:`zone` but falls back to UTC."""
    return zone(name) or ZoneInfo("UTC")


def parse_naive(value: str) -> datetime:
    """Parse Graph's ``2017-04-21T10:00:00.0000000`` (7 fraction digits, maybe an offset).

    Raises:
        ValueError: not a date-time.
    """
    text = value.strip()
    match = _FRACTION.match(text)
    if not match:
        raise ValueError(f"not a date-time: {value!r}")
    base = match.group("base")
    frac = (match.group("frac") or "")[:6].ljust(6, "0") if match.group("frac") else ""
    tz = match.group("tz") or ""
    if tz == "Z":
        tz = "+00:00"
    iso = base + (f".{frac}" if frac else "") + tz
    parsed = datetime.fromisoformat(iso)
    if len(base) == 10:  # a bare date
        parsed = datetime.combine(parsed.date(), datetime.min.time(), parsed.tzinfo)
    return parsed


def parse_dtz(value: object, default_zone: str = "UTC") -> datetime:
    """An aware UTC datetime from a Graph dateTimeTimeZone dict.

    Raises:
        ValueError: malformed value or unknown zone.
    """
    if isinstance(value, dict) and "dateTime" not in value:
        value = {k[:1].lower() + k[1:]: v for k, v in value.items()}  # Graph ignores case
    if not isinstance(value, dict) or not isinstance(value.get("dateTime"), str):
        raise ValueError("dateTimeTimeZone needs a dateTime string")
    parsed = parse_naive(value["dateTime"])
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    tz_name = value.get("timeZone") or default_zone
    tz = zone(tz_name if isinstance(tz_name, str) else "")
    if tz is None:
        raise ValueError(f"unknown time zone {tz_name!r}")
    return parsed.replace(tzinfo=tz).astimezone(UTC)


def parse_query_datetime(value: str) -> datetime:
    """startDateTime/endDateTime query values: the offset is honoured; none means UTC (FACTS 27).

    Raises:
        ValueError: not a date-time.
    """
    parsed = parse_naive(value.replace(" ", "+"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_naive(moment: datetime) -> str:
    """Graph's 7-digit fraction form of a (wall-clock) datetime, without offset."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond:06d}0"


def format_dtz(moment: datetime, tz_name: str) -> dict[str, str]:
    """A dateTimeTimeZone dict for an aware moment shown in ``tz_name`` (Windows or IANA)."""
    local = moment.astimezone(zone_or_utc(tz_name))
    return {"dateTime": format_naive(local.replace(tzinfo=None)), "timeZone": tz_name}


def format_utc(moment: datetime) -> str:
    """``2017-04-15T03:00:50.7579581Z`` style stamp (7 fraction digits, Z)."""
    return format_naive(moment.astimezone(UTC).replace(tzinfo=None)) + "Z"


def prefer_timezone(prefer_header: str | None) -> str | None:
    """The zone named in ``Prefer: outlook.timezone="..."`` if it is a known zone."""
    if not prefer_header:
        return None
    match = re.search(r'outlook\.timezone\s*=\s*"?([^",]+)"?', prefer_header, re.IGNORECASE)
    if not match:
        return None
    name = match.group(1).strip()
    return name if iana_name(name) else None


def utc_offset_minutes(tz_name: str, at: datetime) -> int:
    """Offset from UTC in minutes of ``tz_name`` at ``at`` (for display lists)."""
    offset = at.astimezone(zone_or_utc(tz_name)).utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)
