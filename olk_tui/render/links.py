"""Links found in a message body: numbering, which ones may be opened, and spoofing warnings.

Only ``https``, ``http`` (with a warning) and ``mailto`` links are openable. ``javascript:``,
``data:``, ``vbscript:``, ``file:``, relative and unparsable links are kept in the list, marked
inert, so the user can see them but nothing can open them. A warning is attached when the link's
text names a different host (or address) than its real target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from olk_tui.render.safe import mixes_scripts, safe_inline

#: Schemes the UI may hand to a browser or mail composer.
OPENABLE_SCHEMES = frozenset({"https", "http", "mailto"})
#: Longest URL shown in the list at the end of a body (the full target stays in ``Link.url``).
SHOWN_URL_CHARS = 300
#: Inert links (javascript:, data:, ...) keep at most this much of their target.
INERT_URL_CHARS = 2000
#: At most this many links are numbered; the rest stay as plain text.
MAX_LINKS = 2000

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_AUTHORITY = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*://([^/?#]*)")
_TAB_NEWLINE = re.compile("[\t\n\r]")
_HOST_IN_TEXT = re.compile(
    r"(?:(?:https?|ftp)://|\bwww\.)(?:[^\s/@:?#]+@)?([^\s/:?#<>\"'()\[\]]+)", re.IGNORECASE)
_BARE_DOMAIN = re.compile(
    r"^(?:[^\s/@:?#]+@)?((?:[\w-]+\.)+[^\W\d_]{2,})(?:[:/?#]\S*)?\.?$", re.UNICODE)
_EMAIL_TEXT = re.compile(r"^\s*(?:mailto:)?([^\s@<>]+@[^\s@<>]+?)\.?\s*$", re.IGNORECASE)
#: URLs in plain text: an explicit scheme, or www.; trailing punctuation is trimmed afterwards.
URL_IN_TEXT = re.compile(r"\b(?:https?://|mailto:|www\.)[^\s<>\"'\x00-\x1f\x7f]+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Link:
    """A numbered link: ``text`` and ``url`` are already safe to display.

    Attributes:
        number: The number shown as ``[n]`` in the body.
        text: The link's visible text (sanitised, shortened).
        url: The real target, whitespace removed as a browser would (sanitised).
        warning: Why the user should be careful, or "".
        openable: False for inert links (javascript:, data:, file:, relative, ...).
    """

    number: int
    text: str
    url: str
    warning: str = ""
    openable: bool = True


def normalise_url(url: str) -> str:
    """Strip the ends and drop tabs and newlines inside, as browsers do before parsing."""
    return _TAB_NEWLINE.sub("", url.strip(" \x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e"
                                          "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a"
                                          "\x1b\x1c\x1d\x1e\x1f\t\n\r"))


def url_scheme(url: str) -> str:
    """The lower-case scheme of a normalised URL, or "" when it has none (relative)."""
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else ""


def url_host(url: str) -> str:
    """The host of an absolute URL, lower case without a leading ``www.``; "" if none."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return _bare_host(host)


def _bare_host(host: str) -> str:
    """Lower case, no leading ``www.``, international names in their ``xn--`` form."""
    host = host.strip(".").lower()
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass
    return host[4:] if host.startswith("www.") else host


def host_named_by_text(text: str) -> str:
    """The host a link's visible text claims to point at, or "" if the text names none."""
    text = text.strip()
    match = _HOST_IN_TEXT.search(text) or _BARE_DOMAIN.match(text)
    if not match:
        return ""
    return _bare_host(match.group(1).rstrip(".,;:!)"))


def _decode_host(host: str) -> str:
    """The Unicode form of an ``xn--`` host (unchanged when it does not decode)."""
    try:
        return host.encode("ascii").decode("idna")
    except UnicodeError:
        return host


def _same_host(a: str, b: str) -> bool:
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def classify(text: str, url: str) -> tuple[str, bool, str]:
    """Decide whether a link may be opened and whether its text misleads.

    Args:
        text: The link's visible text (raw).
        url: The raw href.

    Returns:
        (normalised url, openable, warning).
    """
    return LinkClassifier().classify(text, url)


class LinkClassifier:
    """:func:`classify` with its per-host and per-text work cached, for one body's links.

    A newsletter repeats a few hosts and link texts ("Read more") over hundreds of links, so
    the host parsing (IDNA, ``www.``) and the search for a host named in the text are done
    once per distinct value. The caches live as long as the object (one body), so nothing is
    shared between threads.
    """

    def __init__(self) -> None:
        self._hosts: dict[str, str] = {}
        self._claims: dict[str, str] = {}
        self._host_notes: dict[str, str] = {}

    def classify(self, text: str, url: str) -> tuple[str, bool, str]:
        """The same answer as the module's :func:`classify`."""
        url = normalise_url(url)
        scheme = url_scheme(url)
        if scheme not in OPENABLE_SCHEMES:
            what = f"{scheme}: links" if scheme else "relative links"
            return url, False, f"disabled: {what} cannot be opened"
        if scheme == "mailto":
            claimed = _EMAIL_TEXT.match(text)
            target = unquote(url[7:].split("?", 1)[0]).strip().lower()
            if claimed and claimed.group(1).lower() != target:
                return url, True, f"text shows {claimed.group(1)} but writes to {target}"
            return url, True, ""
        warnings: list[str] = []
        authority = _AUTHORITY.match(url)  # what urlsplit(url).netloc gives, without its cost
        netloc = authority.group(1) if authority else ""
        real = self._host(netloc)
        claimed_host = self._claims.get(text)
        if claimed_host is None:
            claimed_host = self._claims[text] = host_named_by_text(text)
        if claimed_host and real and not _same_host(claimed_host, real):
            warnings.append(f"text shows {claimed_host} but the link goes to {real}")
        if real and "@" in netloc:
            warnings.append("the address contains a user name, which can disguise the host")
        if scheme == "http":
            warnings.append("not encrypted (http)")
        note = self._host_note(real)
        if note:
            warnings.append(note)
        return url, True, "; ".join(warnings)

    def _host(self, netloc: str) -> str:
        """:func:`url_host` of a URL with this ``netloc``, cached."""
        host = self._hosts.get(netloc)
        if host is None:
            host = self._hosts[netloc] = url_host(f"//{netloc}")
        return host

    def _host_note(self, real: str) -> str:
        """The warning about an international host name, or "" (cached per host)."""
        note = self._host_notes.get(real)
        if note is None:
            note = ""
            if real.startswith("xn--") or ".xn--" in real:
                decoded = _decode_host(real)
                mixed = " that mixes scripts" if mixes_scripts(decoded) else ""
                note = f"international host name{mixed}: {decoded}"
            self._host_notes[real] = note
        return note


class LinkTable:
    """Numbers links in order of appearance; one number per distinct target."""

    def __init__(self) -> None:
        self._by_url: dict[str, int] = {}
        self._classifier = LinkClassifier()
        self.links: list[Link] = []

    def add(self, text: str, url: str) -> int | None:
        """Register a link and return its number (None when the table is full)."""
        normalised, openable, warning = self._classifier.classify(text, url)
        key = normalised
        if key in self._by_url:
            number = self._by_url[key]
            old = self.links[number - 1]
            if warning and not old.warning:
                self.links[number - 1] = Link(number, old.text, old.url,
                                              safe_inline(warning, 300), old.openable)
            return number
        if len(self.links) >= MAX_LINKS:
            return None
        number = len(self.links) + 1
        self._by_url[key] = number
        # An inert link cannot be opened, so a 1 MB data: URI need not be kept whole.
        shown_url = safe_inline(normalised, None if openable else INERT_URL_CHARS)
        self.links.append(Link(number, safe_inline(text, 120), shown_url,
                               safe_inline(warning, 300), openable))
        return number

    def listing(self) -> str:
        """The "Links:" section appended to a body, one link per line."""
        if not self.links:
            return ""
        lines = ["Links:"]
        for link in self.links:
            shown = safe_inline(link.url, SHOWN_URL_CHARS)
            if not link.openable:
                shown = f"(disabled) {shown}"
            note = f"  ! {link.warning}" if link.warning else ""
            lines.append(f"[{link.number}] {shown}{note}")
        return "\n".join(lines)


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """URLs in plain text as (start, end, url), trailing punctuation trimmed."""
    found: list[tuple[int, int, str]] = []
    for match in URL_IN_TEXT.finditer(text):
        url = match.group().rstrip(".,;:!?'\")]}>")
        if url.count("(") > url.count(")") and match.group()[len(url):].startswith(")"):
            url += ")"
        found.append((match.start(), match.start() + len(url), url))
    return found
