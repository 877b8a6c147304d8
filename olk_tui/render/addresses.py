"""Address fields as people type them: parsing, validation and ``mailto:`` URLs.

Pure text work. ``parse_addresses`` accepts what Outlook users type into To/Cc/Bcc (``Name
<a@b>``, bare addresses, lists separated by commas or semicolons, quoted names that contain
commas) and returns the recipients plus one readable error per bad entry, so the composer can
show an inline message while the user types. ``parse_mailto`` reads RFC 6068 URLs.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from email.utils import getaddresses
from urllib.parse import unquote

from olk_tui.domain.mail import Draft, MessageBody, Recipient

#: Longest address field we parse; longer input is refused rather than scanned.
MAX_FIELD_CHARS = 20_000
#: RFC 5321 limits.
MAX_ADDRESS_CHARS = 254
MAX_LOCAL_CHARS = 64

# Local part: anything printable except specials and whitespace (non-ASCII allowed: RFC 6531).
_LOCAL_RE = re.compile(r"^[^\s()<>\[\]:;@\\,\"\x00-\x1f\x7f]+$")
# One domain label: letters/digits (any script) and inner hyphens.
_LABEL_RE = re.compile(r"^(?!-)[^\W_](?:[\w-]*[^\W_])?$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class AddressError(ValueError):
    """An address or ``mailto:`` URL that cannot be used; ``str`` is fit to show a user."""


@dataclass(frozen=True, slots=True)
class ParsedAddresses:
    """The result of parsing one address field.

    Attributes:
        recipients: the valid entries, in order, without duplicates (case-insensitive).
        errors: one readable message per bad entry (empty when the field is fine).
    """

    recipients: tuple[Recipient, ...] = ()
    errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every entry was valid."""
        return not self.errors


def _show(text: str, limit: int = 60) -> str:
    """A bad entry quoted for an error message: one line, no controls, bounded."""
    text = _CONTROL_RE.sub("?", " ".join(text.split()))
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def separator_indexes(text: str) -> list[int]:
    """Where the commas and semicolons that separate entries are: outside quotes (honouring
    backslash escapes in them) and outside angle brackets."""
    out: list[int] = []
    in_quote = in_angle = escaped = False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\" and in_quote:
            escaped = True
        elif ch == '"' and not in_angle:
            in_quote = not in_quote
        elif ch == "<" and not in_quote:
            in_angle = True
        elif ch == ">" and not in_quote:
            in_angle = False
        elif ch in ",;" and not in_quote and not in_angle:
            out.append(i)
    return out


def split_entries(text: str) -> list[str]:
    """Split an address field on commas and semicolons outside quotes and angle brackets.

    Returns:
        The entries, stripped, empty ones dropped.
    """
    cuts = [-1, *separator_indexes(text), len(text)]
    entries = (text[a + 1:b].strip() for a, b in itertools.pairwise(cuts))
    return [e for e in entries if e]


def address_problem(address: str) -> str | None:
    """Why ``address`` (a bare ``local@domain``) is not usable, or None when it is fine."""
    shown = _show(address)
    if not address:
        return "empty address"
    if any(c.isspace() for c in address):
        return f"{shown} contains a space"
    if _CONTROL_RE.search(address):
        return f"{shown} contains a control character"
    if "@" not in address:
        return f"{shown} is not an email address (no @)"
    if address.count("@") > 1:
        return f"{shown} has more than one @"
    local, domain = address.split("@")
    if not local:
        return f"{shown} has nothing before the @"
    if not domain:
        return f"{shown} has no domain after the @"
    if len(address) > MAX_ADDRESS_CHARS or len(local) > MAX_LOCAL_CHARS:
        return f"{shown} is too long"
    if not _LOCAL_RE.match(local) or local.startswith(".") or local.endswith(".") \
            or ".." in local:
        return f"{shown} has characters that are not allowed before the @"
    labels = domain.split(".")
    if len(labels) < 2:
        return f"{shown}: the domain needs a dot (like example.com)"
    if not all(_LABEL_RE.match(label) for label in labels):
        return f"{shown}: {_show(domain)} is not a valid domain"
    if labels[-1].isdigit():
        return f"{shown}: {_show(domain)} is not a valid domain"
    return None


def parse_entry(entry: str) -> Recipient:
    """Parse one entry (``Name <a@b>``, ``"Last, First" <a@b>``, ``a@b``).

    Raises:
        AddressError: with a readable reason.
    """
    entry = entry.strip()
    if "<" in entry or ">" in entry:
        start, end = entry.rfind("<"), entry.rfind(">")
        if start < 0 or end < start:
            raise AddressError(f"{_show(entry)}: the address needs both < and >")
        if entry[end + 1:].strip():
            raise AddressError(f"{_show(entry)}: unexpected text after >")
        address = entry[start + 1:end].strip()
        problem = address_problem(address)
        if problem:
            raise AddressError(problem)
        # getaddresses unquotes "Last, First" and handles escapes in the name.
        parsed = getaddresses([entry])
        name = parsed[0][0] if len(parsed) == 1 else entry[:start].strip().strip('"')
        return Recipient(address=address, name=" ".join(name.split()))
    problem = address_problem(entry)
    if problem:
        raise AddressError(problem)
    return Recipient(address=entry)


def parse_addresses(text: str) -> ParsedAddresses:
    """Parse an address field as typed; never raises.

    Duplicates (same address, any case) are dropped, keeping the first.
    """
    if len(text) > MAX_FIELD_CHARS:
        return ParsedAddresses(errors=("the address list is too long",))
    recipients: list[Recipient] = []
    errors: list[str] = []
    seen: set[str] = set()
    for entry in split_entries(text):
        try:
            rcpt = parse_entry(entry)
        except AddressError as exc:
            errors.append(str(exc))
            continue
        key = rcpt.address.casefold()
        if key not in seen:
            seen.add(key)
            recipients.append(rcpt)
    return ParsedAddresses(tuple(recipients), tuple(errors))


def format_addresses(recipients: tuple[Recipient, ...] | list[Recipient]) -> str:
    """Recipients as an editable field value that ``parse_addresses`` reads back the same."""
    parts = []
    for r in recipients:
        if not r.name:
            parts.append(r.address)
            continue
        name = " ".join(r.name.split())
        if any(c in name for c in ',;<>@"()'):
            name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        parts.append(f"{name} <{r.address}>")
    return ", ".join(parts)


# --------------------------------------------------------------------------- mailto

#: Longest mailto URL accepted.
MAX_MAILTO_CHARS = 100_000


def _addresses_strict(text: str, what: str) -> tuple[Recipient, ...]:
    parsed = parse_addresses(text)
    if parsed.errors:
        raise AddressError(f"mailto {what}: {parsed.errors[0]}")
    return parsed.recipients


def parse_mailto(url: str) -> Draft:
    """Turn a ``mailto:`` URL (RFC 6068) into a new-message draft.

    Supports the address path and the ``to``, ``cc``, ``bcc``, ``subject`` and ``body``
    header fields (names case-insensitive, repeated fields joined); other fields are ignored,
    as RFC 6068 advises for unknown or unsafe ones. ``+`` is a literal plus, not a space.

    Raises:
        AddressError: not a mailto URL, too long, or an address in it is invalid.
    """
    if len(url) > MAX_MAILTO_CHARS:
        raise AddressError("the mailto link is too long")
    scheme, sep, rest = url.partition(":")
    if not sep or scheme.strip().lower() != "mailto":
        raise AddressError(f"{_show(url)} is not a mailto: link")
    path, _, query = rest.partition("?")
    query = query.split("#", 1)[0]
    fields: dict[str, list[str]] = {"to": [], "cc": [], "bcc": [], "subject": [], "body": []}
    if path:
        fields["to"].append(unquote(path, errors="replace"))
    for pair in query.split("&"):
        if not pair:
            continue
        key, _, value = pair.partition("=")
        key = unquote(key, errors="replace").strip().lower()
        if key in fields:
            fields[key].append(unquote(value, errors="replace"))
    body = "\n".join(fields["body"]).replace("\r\n", "\n").replace("\r", "\n")
    subject = " ".join(" ".join(fields["subject"]).split())
    to = _addresses_strict(", ".join(fields["to"]), "to")
    cc = _addresses_strict(", ".join(fields["cc"]), "cc")
    bcc = _addresses_strict(", ".join(fields["bcc"]), "bcc")
    return Draft(subject=subject, to=to, cc=cc, bcc=bcc,
                 body=MessageBody(content_type="text", content=body))
