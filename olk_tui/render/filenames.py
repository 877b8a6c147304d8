"""Saving attachments: a safe file name inside the chosen folder, written exclusively.

An attachment's name is chosen by a stranger. :func:`safe_attachment_path` turns it into a
single, harmless path component inside the chosen directory (no ``..``, no absolute paths, no
NUL, control, bidi or zero-width characters, no Windows reserved names, no leading dots or
dashes, a bounded length that keeps the extension). :func:`write_exclusive` then creates the
file with ``O_CREAT | O_EXCL | O_NOFOLLOW`` relative to an open directory descriptor, mode
0600, so it never overwrites a file, never follows a planted symlink and is never executable.

This is the one render module that touches the file system; it does no network I/O.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

#: Name used when nothing usable is left of the original.
DEFAULT_NAME = "attachment"
#: Longest file name in UTF-8 bytes (255 is the usual limit; room is left for " (999)").
MAX_NAME_BYTES = 200
#: Longest extension kept when a name must be shortened.
MAX_EXTENSION_CHARS = 16
#: Give up after this many " (n)" attempts.
MAX_COLLISIONS = 10_000

_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
    | {f"{p}{n}" for p in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]})
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_SPACES = re.compile(r"\s+")
_LINE_BREAKS = re.compile("[\t\n\r\v\f\x85\u2028\u2029]+")


def _drop_invisible(name: str) -> str:
    """Remove controls, format characters (bidi, zero-width, tags) and lone surrogates."""
    return "".join(c for c in name
                   if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Zl", "Zp")
                   and c not in "\u034f\u115f\u1160\u3164\uffa0")


def _split_extension(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    if dot and stem and 0 < len(ext) <= MAX_EXTENSION_CHARS and ext.isalnum():
        return stem, "." + ext
    return name, ""


def _cap_bytes(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` UTF-8 bytes without splitting a character."""
    return text.encode("utf-8")[:max(limit, 0)].decode("utf-8", "ignore")


def safe_file_name(name: str | None) -> str:
    """Reduce an untrusted attachment name to one harmless file name component.

    Args:
        name: The name as the sender gave it (may hold paths, controls, anything).

    Returns:
        A non-empty name with no separator, no control/format character, no leading dot or
        dash, not a Windows reserved device name, at most :data:`MAX_NAME_BYTES` bytes.
    """
    text = (name or "").replace("\\", "/").rstrip("/").rpartition("/")[2]  # last component
    # Normalise after removing invisible characters, which may have separated a base letter
    # from its combining mark (keeps the function idempotent).
    text = unicodedata.normalize("NFC", _drop_invisible(_LINE_BREAKS.sub(" ", text)))
    text = _FORBIDDEN.sub("_", text)
    text = _SPACES.sub(" ", text).strip(" .")
    text = text.lstrip(".-_ ~")
    if not text:
        return DEFAULT_NAME
    stem, ext = _split_extension(text)
    if stem.split(".", 1)[0].strip().upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    if len((stem + ext).encode("utf-8")) > MAX_NAME_BYTES:
        stem = _cap_bytes(stem, MAX_NAME_BYTES - len(ext.encode("utf-8"))).rstrip(" .")
    return (stem + ext) if stem else DEFAULT_NAME + ext


def safe_attachment_path(directory: Path, name: str | None) -> Path:
    """The path an attachment called ``name`` is saved to: always directly inside ``directory``.

    Args:
        directory: The folder the user chose.
        name: The untrusted attachment name.

    Returns:
        ``directory / safe_file_name(name)``.
    """
    path = Path(directory) / safe_file_name(name)
    if path.parent != Path(directory):  # cannot happen; a guard against future edits
        raise ValueError("attachment path escapes its directory")
    return path


def _numbered(name: str, number: int) -> str:
    stem, ext = _split_extension(name)
    suffix = f" ({number})"
    stem = _cap_bytes(stem, MAX_NAME_BYTES - len((suffix + ext).encode("utf-8")))
    return f"{stem}{suffix}{ext}"


def write_exclusive(path: Path, data: bytes | bytearray | memoryview) -> Path:
    """Create ``path`` (or ``name (1).ext``, ``name (2).ext``, ...) and write ``data`` to it.

    The file is opened relative to a descriptor of its directory with ``O_CREAT | O_EXCL |
    O_NOFOLLOW``: an existing file or a planted symlink (even a dangling one) counts as taken,
    so nothing is overwritten and no link is followed. The mode is exactly 0600 whatever the
    umask (never executable). A partly written file is removed if writing fails.

    Args:
        path: Where to save, normally from :func:`safe_attachment_path`.
        data: The bytes to write.

    Returns:
        The path actually written.

    Raises:
        OSError: The directory is missing or not writable, the disk is full, or every
            numbered name is taken.
    """
    path = Path(path)
    flags = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    relative = os.open in os.supports_dir_fd  # POSIX: immune to a swapped parent directory
    dir_flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    dir_fd = os.open(path.parent, dir_flags) if relative else None
    try:
        for attempt in range(MAX_COLLISIONS):
            name = path.name if attempt == 0 else _numbered(path.name, attempt)
            target = name if relative else str(path.parent / name)
            try:
                fd = os.open(target, flags, 0o600, dir_fd=dir_fd)
            except FileExistsError:
                continue
            try:
                if hasattr(os, "fchmod"):
                    os.fchmod(fd, 0o600)  # exactly 0600 whatever the umask
                view = memoryview(data).cast("B")
                while view:
                    view = view[os.write(fd, view):]
            except BaseException:
                os.close(fd)
                os.unlink(target, dir_fd=dir_fd)
                raise
            os.close(fd)
            return path.parent / name
        raise FileExistsError(f"no free name for {path.name!r} after {MAX_COLLISIONS} tries")
    finally:
        if dir_fd is not None:
            os.close(dir_fd)


def save_attachment(directory: Path, name: str | None, data: bytes) -> Path:
    """Save an attachment under a safe name in ``directory``; see :func:`write_exclusive`."""
    return write_exclusive(safe_attachment_path(directory, name), data)
