"""Make untrusted strings safe to show in a terminal.

Every string that comes from the network or from a file (subjects, names, addresses, previews,
bodies after HTML conversion, attachment and folder names, event fields, error messages) passes
through one of these functions before any Rich/Textual object is built from it.

Why: Rich and Textual strip only BEL, BS, VT, FF and CR. ESC, NUL, DEL and the 8-bit controls
U+0080-U+009F reach the terminal live (OSC 52 clipboard writes, title changes, clear screen,
OSC 8 hyperlinks), and html2text turns ``&#27;`` back into a raw ESC. Nothing in the stack
protects us, so we do it here.

The output is **plain text**: build ``Text(s)`` / ``Content(s)`` from it, never markup. Where a
markup string is unavoidable, wrap the sanitised value in :func:`escape_markup`.

Guarantees (see ``docs/SECURITY.md``): the output of every function here contains no C0 or C1
control character, no ESC and no DEL (``safe_block`` keeps ``\\n`` only), no bidi override,
embedding, isolate or mark, no lone surrogate, no more than :data:`MAX_COMBINING` combining
marks in a row; it is idempotent and at most ``MAX_GROWTH`` times longer than its input (plus
the placeholder).
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata

#: At most this many combining marks are kept after one base character.
MAX_COMBINING = 4
#: Upper bound of output length per input character (a ``<U+E0041>`` marker is 9 characters).
MAX_GROWTH = 9
#: Tab stops used when ``safe_block`` expands tabs.
TAB_SIZE = 8

#: Bidi formatting characters: overrides, embeddings, isolates and marks. Always shown.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
#: Zero-width characters named by the hardening issue.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
#: Letters that render as blank space and are used to fake empty names.
_BLANK_LETTERS = frozenset("\u115f\u1160\u17b4\u17b5\u3164\uffa0")
#: Format characters that are visible (prepended concatenation marks): left alone.
_VISIBLE_FORMAT = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2")
_VISIBLE_FORMAT |= {chr(0x110BD), chr(0x110CD)}
#: Line breaks other than LF.
_LINE_BREAKS = "\r\n\v\f\x85\u2028\u2029"

_CONFUSABLE_SCRIPTS = frozenset({"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC"})
_ASCII_UNSAFE_IN_BLOCK = re.compile("[\x00-\x09\x0b-\x1f\x7f]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_INLINE_BREAKS = re.compile(f"[{_LINE_BREAKS}\t]+")
_BLOCK_BREAKS = re.compile("\r\n?|[\v\f\x85\u2028\u2029]")
# The look-behind makes a match start only at the beginning of a run: without it, a long run
# with no "@" is rescanned from every position (quadratic: 19 s for a 100,000-character name).
_EMAIL_IN_TEXT = re.compile(
    r"(?<![^\s<>()\[\]\"',;:])[^\s<>()\[\]\"',;:@]+@[^\s<>()\[\]\"',;:@]+\.[^\s<>()\[\]\"',;:@]+")


def _marker(char: str) -> str:
    """A visible, ASCII-only stand-in for ``char``, e.g. ``<U+202E>``."""
    return f"<U+{ord(char):04X}>"


def _control_picture(char: str) -> str:
    """The Unicode Control Pictures glyph for a C0 control or DEL (NUL -> U+2400, ESC -> U+241B)."""
    code = ord(char)
    return "\u2421" if code == 0x7F else chr(0x2400 + code)


def _ranges_class(codes: list[int]) -> str:
    """A regex character class body matching exactly ``codes`` (compressed to ranges)."""
    parts: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -2]:
        if code == prev + 1:
            prev = code
            continue
        parts.append(re.escape(chr(start)) if start == prev else
                     f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
        start = prev = code
    return "".join(parts)


@functools.cache
def _tables() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str], re.Pattern[str]]:
    """Build the character tables once per process (not at import time: it scans Unicode).

    Returns:
        (unsafe-character pattern, combining-flood pattern, invisible set, variation-selector
        pattern).
    """
    marks: list[int] = []
    unsafe: list[int] = []
    invisible: set[str] = set(ZERO_WIDTH | _BLANK_LETTERS)
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        category = unicodedata.category(char)
        if category[0] == "M":
            marks.append(code)
        elif category == "Cc":
            unsafe.append(code)
        elif category == "Cf" and char not in _VISIBLE_FORMAT:
            unsafe.append(code)
            if char not in BIDI_CONTROLS:
                invisible.add(char)
    unsafe.extend(ord(c) for c in _BLANK_LETTERS | {"\u034f"})
    # Variation selectors are combining marks (legitimate after emoji), but in addresses and
    # file names they only serve to make two strings look alike.
    selectors = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
    invisible.add("\u034f")
    unsafe_re = re.compile(f"[{_ranges_class(sorted(set(unsafe)))}]")
    flood_re = re.compile(f"([{_ranges_class(marks)}]{{{MAX_COMBINING}}})[{_ranges_class(marks)}]+")
    return unsafe_re, flood_re, frozenset(invisible), selectors


def _sanitise(text: str, *, block: bool, reveal_invisible: bool) -> str:
    """Core of every public function; see the module docstring for the rules."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if text.isascii() and (text.isprintable() or (block and not _ASCII_UNSAFE_IN_BLOCK.search(
            text))):
        return text  # fast path: printable ASCII (plus LF in blocks) needs no change
    unsafe_re, flood_re, invisible, selectors = _tables()
    text = _SURROGATES.sub("\ufffd", text)
    text = _BLOCK_BREAKS.sub("\n", text) if block else _INLINE_BREAKS.sub(" ", text)

    def replace(match: re.Match[str]) -> str:
        char = match.group()
        code = ord(char)
        if char in "\t\n":  # only reached in block mode: kept, tabs expanded below
            return char
        if code < 0x20 or code == 0x7F:
            return _control_picture(char)
        if char in invisible and not reveal_invisible:
            return ""
        return _marker(char)

    text = unsafe_re.sub(replace, text)
    if block:
        text = text.expandtabs(TAB_SIZE)
    if reveal_invisible:
        text = selectors.sub(lambda m: _marker(m.group()), text)
    return flood_re.sub(r"\1", text)


def _is_blank(text: str) -> bool:
    return not text or text.isspace()


def _truncate(text: str, max_len: int | None, *, force: bool = False) -> str:
    """Cut to ``max_len`` characters with an ellipsis, never inside a ``<U+...>`` marker.

    With ``force`` the ellipsis is added even when ``text`` fits (the input was already cut).
    """
    if max_len is None or (len(text) <= max_len and not force):
        return text
    if max_len <= 1:
        return "…"[:max(max_len, 0)]
    cut = min(max_len - 1, len(text))
    start = text.rfind("<U+", max(0, cut - 10), cut + 2)  # a marker starting before the cut
    if start != -1:
        end = text.find(">", start)
        if end == -1 or end >= cut:
            cut = start
    return text[:cut].rstrip() + "…"


def safe_inline(text: str, max_len: int | None = None, *, placeholder: str = "",
                reveal_invisible: bool = False) -> str:
    """Make a one-line field (subject, name, folder name, preview) safe to show.

    C0 controls, ESC and DEL become Control Pictures (``␛``); C1 controls, bidi formatting
    characters and other format characters become ``<U+XXXX>`` markers; CR, LF, VT, FF, NEL,
    U+2028/U+2029 and TAB collapse to one space; zero-width and tag characters are removed (or
    shown as markers with ``reveal_invisible``); combining floods are capped; lone surrogates
    become U+FFFD; leading and trailing whitespace is stripped.

    Args:
        text: Untrusted text (``None`` is treated as empty).
        max_len: Cut to this many characters, ending in "…".
        placeholder: Returned when nothing visible is left (e.g. "(no subject)").
        reveal_invisible: Show zero-width, tag and variation-selector characters as markers
            instead of removing them (for addresses and file names).

    Returns:
        Plain text for ``Text(...)``/``Content(...)``; never parse it as markup.
    """
    if isinstance(text, str) and text.isascii() and text.isprintable() and (
            max_len is None or len(text) <= max_len):
        # Printable ASCII that fits (most fields): only the ends can change.
        result = text.strip()
        if result or not placeholder:
            return result
    cut = False
    if max_len is not None and isinstance(text, str) and len(text) > 4 * max_len + 256:
        # A 1 MB subject in a list row: only the start can be shown, so only the start is
        # worked on; the ellipsis still says that something was cut.
        text, cut = text[:4 * max_len + 256], True
    result = _sanitise(text, block=False, reveal_invisible=reveal_invisible).strip()
    if _is_blank(result):
        result = placeholder
    return _truncate(result, max_len, force=cut and not result.endswith("…"))


def safe_block(text: str, *, placeholder: str = "", reveal_invisible: bool = False) -> str:
    """Make a multi-line body safe to show: like :func:`safe_inline` but keeps line breaks.

    CRLF, CR, VT, FF, NEL and U+2028/U+2029 become LF; tabs are expanded to spaces.

    Args:
        text: Untrusted text.
        placeholder: Returned when nothing visible is left.
        reveal_invisible: Show zero-width and tag characters as markers instead of removing them.

    Returns:
        Plain text whose only control character is ``\\n``.
    """
    result = _sanitise(text, block=True, reveal_invisible=reveal_invisible)
    return placeholder if _is_blank(result) else result


def safe_address(address: str, max_len: int | None = None) -> str:
    """Make an email address safe to show, with every invisible character made visible."""
    return safe_inline(address, max_len, placeholder="(no address)", reveal_invisible=True)


def safe_filename_display(name: str, max_len: int | None = None) -> str:
    """Make a file name safe to show, with invisible and bidi characters made visible."""
    return safe_inline(name, max_len, placeholder="(unnamed)", reveal_invisible=True)


def safe_recipient(name: str, address: str, max_len: int | None = None) -> str:
    """Show a sender or recipient as ``Name <address>``: the real address is always shown."""
    shown_address = safe_address(address)
    shown_name = safe_inline(name)
    if not shown_name or shown_name.casefold() == shown_address.casefold():
        return _truncate(shown_address, max_len)
    return _truncate(f"{shown_name} <{shown_address}>", max_len)


def escape_markup(text: str) -> str:
    """Escape a (sanitised) string for inclusion in a Textual markup string.

    Textual's markup treats any ``[`` not preceded by a backslash as a tag opener and turns
    ``\\[`` back into ``[``, so escaping every ``[`` keeps the text literal. Prefer building
    ``Content(text)``/``Text(text)`` directly; use this only where a markup string is required.
    """
    return text.replace("[", "\\[")


def _script(char: str) -> str:
    """A rough script name for a letter: the first word of its Unicode name."""
    try:
        return unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return "UNKNOWN"


def mixes_scripts(domain: str) -> bool:
    """True when Latin letters meet look-alike scripts in a domain, or another script in a label.

    Whole-label Japanese or Chinese names under a Latin TLD are normal and not flagged;
    ``аррӏе.com`` (Cyrillic label, Latin TLD) and ``pаypal.com`` (mixed label) are.
    """
    all_scripts = {_script(c) for c in domain if c.isalpha()}
    if "LATIN" in all_scripts and all_scripts & _CONFUSABLE_SCRIPTS:
        return True
    for label in domain.split("."):
        scripts = {_script(c) for c in label if c.isalpha()}
        if "LATIN" in scripts and len(scripts) > 1:
            return True
    return False


def _decode_punycode(label: str) -> str:
    try:
        return label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return label


def sender_warnings(display_name: str, address: str, sender_address: str | None = None
                    ) -> list[str]:
    """Spoofing checks for a message's From (and Sender), as short sanitised sentences.

    Warns when the display name contains a different address, when Sender differs from From,
    when the domain mixes scripts (Latin with Cyrillic or Greek look-alikes) and when the domain
    is punycode (``xn--``).

    Args:
        display_name: From's display name (untrusted).
        address: From's address (untrusted).
        sender_address: The Sender header's address, when Graph gives one.

    Returns:
        Warnings to show next to the sender; empty when nothing looks wrong.
    """
    warnings: list[str] = []
    display_name = display_name or ""
    address = (address or "").strip()
    folded = address.casefold()
    for match in _EMAIL_IN_TEXT.findall(display_name):
        found = match.strip(".")
        if found.casefold() != folded:
            warnings.append(f"The name shows the address {safe_address(found)} but the mail is "
                            f"from {safe_address(address)}")
            break
    if sender_address and sender_address.strip().casefold() != folded:
        warnings.append(f"Sent by {safe_address(sender_address)} on behalf of "
                        f"{safe_address(address)}")
    domain = address.rpartition("@")[2].rstrip(".")
    if mixes_scripts(domain):
        scripts = sorted({_script(c).title() for c in domain if c.isalpha()})
        warnings.append(f"The domain {safe_address(domain)} mixes scripts "
                        f"({', '.join(scripts)}): it may imitate another domain")
    labels = domain.split(".")
    if any(label.lower().startswith("xn--") for label in labels):
        decoded = ".".join(_decode_punycode(x) if x.lower().startswith("xn--") else x
                           for x in labels)
        warnings.append(f"The domain {safe_address(domain)} is an international name "
                        f"({safe_address(decoded)}): check it is the one you expect")
    return warnings
