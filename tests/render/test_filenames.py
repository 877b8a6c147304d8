"""Attachment names and exclusive writes: always inside the folder, never overwrite or follow."""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from olk_tui.render.filenames import (
    MAX_NAME_BYTES,
    safe_attachment_path,
    safe_file_name,
    save_attachment,
    write_exclusive,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\Windows\\system.ini", "system.ini"),
    ("/etc/shadow", "shadow"),
    ("C:\\Users\\x\\evil.exe", "evil.exe"),
    ("C:evil.exe", "C_evil.exe"),
    ("..", "attachment"),
    ("", "attachment"),
    (None, "attachment"),
    ("   ", "attachment"),
    ("a\x00b.pdf", "ab.pdf"),
    ("rep\x1b]0;x\x07ort.pdf", "rep]0;xort.pdf"),
    ("a\x9bb.txt", "ab.txt"),
    ("invoice\u202etxt.exe", "invoicetxt.exe"),        # the RLO "exe.txt" trick
    ("\u202eexe.txt", "exe.txt"),
    ("pay\u200bpal\ufeff.pdf", "paypal.pdf"),
    ("a\U000e0041b.txt", "ab.txt"),
    (".bashrc", "bashrc"),
    ("...hidden", "hidden"),
    ("-rf", "rf"),
    ("--help.txt", "help.txt"),
    ("CON", "_CON"),
    ("con.txt", "_con.txt"),
    ("nul.tar.gz", "_nul.tar.gz"),
    ("COM1.pdf", "_COM1.pdf"),
    ("lpt9", "_lpt9"),
    ("console.txt", "console.txt"),
    ('a<b>c:d"e|f?g*h.txt', "a_b_c_d_e_f_g_h.txt"),
    ("trailing dots... ", "trailing dots"),
    ("line\nbreak.txt", "line break.txt"),
    ("Résumé.pdf", "Résumé.pdf"),
    ("A\x00\u0301.txt", "\u00c1.txt"),  # normalised after the NUL is gone (idempotent)
])
def test_safe_file_name(raw: str | None, expected: str) -> None:
    assert safe_file_name(raw) == expected


def test_long_name_capped_keeping_extension() -> None:
    name = safe_file_name("é" * 500 + ".pdf")
    assert name.endswith(".pdf")
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES


@given(st.text(max_size=300))
def test_any_name_stays_inside_directory(raw: str) -> None:
    directory = Path("/srv/downloads")
    path = safe_attachment_path(directory, raw)
    assert path.parent == directory
    name = path.name
    assert name and name not in (".", "..")
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith((".", "-"))
    assert len(name.encode("utf-8", "surrogatepass")) <= MAX_NAME_BYTES
    assert not [c for c in name if unicodedata.category(c) in ("Cc", "Cf", "Cs")]
    assert safe_file_name(name) == name  # idempotent


def test_write_creates_file_with_mode_0600_even_with_open_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        path = write_exclusive(tmp_path / "a.txt", b"hello")
    finally:
        os.umask(old)
    assert path == tmp_path / "a.txt"
    assert path.read_bytes() == b"hello"
    mode = stat.S_IMODE(path.stat().st_mode)
    assert mode == 0o600
    assert not mode & 0o111


def test_collision_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "r.pdf").write_bytes(b"original")
    first = write_exclusive(tmp_path / "r.pdf", b"one")
    second = write_exclusive(tmp_path / "r.pdf", b"two")
    assert (tmp_path / "r.pdf").read_bytes() == b"original"
    assert first.name == "r (1).pdf" and first.read_bytes() == b"one"
    assert second.name == "r (2).pdf" and second.read_bytes() == b"two"


def test_planted_symlink_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    downloads = tmp_path / "dl"
    downloads.mkdir()
    (downloads / "report.pdf").symlink_to(victim)
    (downloads / "report (1).pdf").symlink_to(tmp_path / "does-not-exist")  # dangling
    path = save_attachment(downloads, "report.pdf", b"attachment")
    assert victim.read_bytes() == b"precious"
    assert not (tmp_path / "does-not-exist").exists()
    assert path == downloads / "report (2).pdf"
    assert not path.is_symlink() and path.read_bytes() == b"attachment"


def test_traversal_name_saved_inside_directory(tmp_path: Path) -> None:
    downloads = tmp_path / "dl"
    downloads.mkdir()
    path = save_attachment(downloads, "../../outside.sh", b"#!/bin/sh\n")
    assert path.parent == downloads
    assert not (tmp_path / "outside.sh").exists()
    assert not os.access(path, os.X_OK)


def test_missing_directory_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        write_exclusive(tmp_path / "missing" / "a.txt", b"x")


def test_failed_write_leaves_no_partial_file(tmp_path: Path) -> None:
    class Exploding:
        def __buffer__(self, flags: int) -> memoryview:
            raise OSError("disk full")

    with pytest.raises((OSError, TypeError)):
        write_exclusive(tmp_path / "a.bin", Exploding())  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
