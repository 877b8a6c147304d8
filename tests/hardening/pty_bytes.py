"""Classify what an app wrote to a terminal: split the byte stream into escape sequences and
text, give each sequence a *kind* (what a terminal would do with it, parameters that only move
the cursor or pick colours left out), and find the forbidden bytes of the hostile README.

Used by the PTY test to build an allow-list of Textual's own sequence kinds from a clean run
and to diff a hostile run against it.
"""

from __future__ import annotations

import re
from collections import Counter

#: One escape sequence: CSI, OSC (BEL or ST ended), DCS/SOS/PM/APC strings, or ESC + one byte.
SEQUENCE = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    rb"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    rb"|\x1b[ -~]?"
)
_CSI = re.compile(rb"\x1b\[([<=>?]?)([0-9;:]*)([ -/]*)([@-~])")
#: CSI finals whose parameters only move or scroll: the numbers are data-independent in kind.
_POSITIONAL = frozenset(b"ABCDEFGHIPXSTLMdfr`@")

#: Bytes that must never reach the terminal, whatever sequence carries them (UTF-8 forms).
FORBIDDEN_BYTES = {
    "NUL": re.compile(rb"\x00"),
    "DEL": re.compile(rb"\x7f"),
    "C1 control (U+0080-U+009F)": re.compile(rb"\xc2[\x80-\x9f]"),
    "bidi control": re.compile(rb"\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c"),
    "tag character": re.compile(rb"\xf3\xa0[\x80\x81][\x80-\xbf]"),
    "C0 control other than ESC/CR/LF/BS/BEL/TAB":
        re.compile(rb"[\x01-\x06\x0b\x0c\x0e-\x1a\x1c-\x1f]"),
}


def _sgr_kinds(params: bytes) -> list[tuple[str, ...]]:
    """One kind per SGR attribute; colour arguments (38/48/58 ;5;n or ;2;r;g;b) dropped."""
    parts = [p for p in params.replace(b":", b";").split(b";")]
    kinds: list[tuple[str, ...]] = []
    i = 0
    while i < len(parts):
        code = parts[i].decode() or "0"
        if code in ("38", "48", "58") and i + 1 < len(parts):
            kinds.append(("SGR", code))
            i += 3 if parts[i + 1] == b"5" else 5
            continue
        kinds.append(("SGR", code if not (code.isdigit() and (30 <= int(code) <= 37 or 40 <= int(
            code) <= 47 or 90 <= int(code) <= 107)) else "colour"))
        i += 1
    return kinds


def kinds(seq: bytes) -> list[tuple[str, ...]]:
    """What a terminal would do with ``seq``, as comparable kinds."""
    if seq.startswith(b"\x1b["):
        m = _CSI.fullmatch(seq)
        if m is None:
            return [("CSI?", seq.decode("latin-1"))]
        prefix, params, inter, final = (g.decode("latin-1") for g in m.groups())
        if final == "m" and not prefix and not inter:
            return _sgr_kinds(m.group(2))
        if not prefix and m.group(4)[0] in _POSITIONAL:
            return [("CSI", inter + final)]
        return [("CSI", prefix + params + inter + final)]
    if seq.startswith(b"\x1b]"):
        return [("OSC", seq[2:].rstrip(b"\x07").removesuffix(b"\x1b\\").decode("latin-1"))]
    return [("ESC", seq[:2].decode("latin-1"))]


def sequence_kinds(data: bytes) -> Counter[tuple[str, ...]]:
    """Every sequence kind in ``data`` with its count."""
    out: Counter[tuple[str, ...]] = Counter()
    for m in SEQUENCE.finditer(data):
        out.update(kinds(m.group(0)))
    return out


def text_of(data: bytes) -> str:
    """``data`` with the escape sequences removed (what the user reads, roughly)."""
    return SEQUENCE.sub(b"", data).decode("utf-8", "replace")


def forbidden_bytes(data: bytes) -> dict[str, int]:
    """Name -> count of forbidden bytes outside and inside sequences (the whole stream)."""
    found = {}
    for name, rx in FORBIDDEN_BYTES.items():
        n = len(rx.findall(data))
        if n:
            found[name] = n
    return found
