"""Display helpers: untrusted strings through the sanitiser, dates in the mailbox time zone.

Every network string the UI shows goes through :func:`inline`, :func:`block` or
:func:`who`, which call ``olk_tui.render.safe``; the results are plain text for ``Text``/
``Content``, never markup.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from olk_tui.domain.mail import Recipient
from olk_tui.domain.timezones import to_iana
from olk_tui.render.addresses import format_addresses
from olk_tui.render.safe import safe_address, safe_block, safe_inline, safe_recipient


def inline(text: str | None, max_len: int | None = None, placeholder: str = "") -> str:
    """A one-line untrusted field made safe."""
    return safe_inline(text or "", max_len, placeholder=placeholder)


def block(text: str | None) -> str:
    """A multi-line untrusted body made safe."""
    return safe_block(text or "")


def name_of(r: Recipient | None, max_len: int | None = None) -> str:
    """The display name of a recipient (or its address), made safe."""
    if r is None:
        return "(unknown)"
    return inline(r.name, max_len) or safe_address(r.address, max_len)


def editable_addresses(recipients: Iterable[Recipient]) -> str:
    """Recipients as the value of an editable field (To, attendees, a contact's emails).

    An ``Input`` shows its value raw, so names from the network are made safe first (bidi,
    tag and control characters shown as visible marks, never sent to the terminal); the
    result still parses back with ``parse_addresses``.
    """
    return format_addresses([dataclasses.replace(r, name=inline(r.name, 200),
                                                 address=safe_address(r.address))
                             for r in recipients])


def who(r: Recipient | None) -> str:
    """``Name <address>``: the real address is always shown beside the name."""
    if r is None:
        return "(unknown)"
    return safe_recipient(r.name, r.address)


def zone(name: str | None, iana: str | None = None) -> tzinfo:
    """The mailbox time zone, UTC when unknown.

    Args:
        name: the zone as Graph gave it: any Windows name of the shared table
            (``olk_tui.domain.timezones``) or an IANA name.
        iana: an IANA name when the settings carry one (preferred over ``name``).
    """
    for candidate in (iana, name):
        key = to_iana(candidate) if candidate else None
        if key == "Etc/UTC":
            return ZoneInfo("UTC")
        if key:
            try:
                return ZoneInfo(key)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                continue
    return ZoneInfo("UTC")


def mailbox_zone(settings: object) -> tzinfo:
    """The zone of a ``MailboxSettings`` (its IANA name when it has one, else time_zone)."""
    return zone(getattr(settings, "time_zone", None),
                getattr(settings, "iana_time_zone", None) or None)


def relative_date(when: datetime | None, now: datetime, tz: tzinfo, short: bool = False) -> str:
    """A list date: time today, weekday this week, day and month this year, else the date.

    ``short`` keeps it to 6 characters for narrow terminals.
    """
    if when is None:
        return ""
    local, today = when.astimezone(tz), now.astimezone(tz)
    days = (today.date() - local.date()).days
    if days == 0:
        return local.strftime("%H:%M")
    if 0 < days < 7:
        return local.strftime("%a %H:%M") if days == 1 and not short else local.strftime("%a %d")
    if local.year == today.year:
        return local.strftime("%d %b")
    return local.strftime("%Y") if short else local.strftime("%Y-%m-%d")


def full_date(when: datetime | None, tz: tzinfo) -> str:
    """A full date for headers: ``Fri 20 Nov 2026 09:30 (Europe/Berlin)``."""
    if when is None:
        return ""
    return when.astimezone(tz).strftime("%a %d %b %Y %H:%M ") + f"({tz})"


def human_size(size: int) -> str:
    """Bytes as ``12 KB`` / ``1.2 MB``."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    return f"{size / (1024 * 1024):.1f} MB"
