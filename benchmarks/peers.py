"""NeoMutt and aerc on the same mailbox, for side-by-side figures (used when installed).

The benchmark writes the same N messages (subjects and senders from the demo generator's
vocabulary, deterministic) as a Maildir, then runs each peer in the same pty as olk-tui.
"""

from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

SUBJECTS = ("Quarterly report", "Lunch on Friday?", "Re: Apollo milestone", "Invoice 4411",
            "Weekly digest", "Build failed on main", "FW: Contract draft", "Team offsite plan")
NAMES = ("Adele Vance", "Alex Wilber", "Diego Siciliani", "Grady Archie", "Isaiah Langer",
         "Johanna Lorenz", "Lee Gu", "Lidia Holloway", "Lynne Robbins", "Miriam Graham")


def write_maildir(root: Path, count: int, newest_subject: str, seed: int = 7) -> Path:
    """Write ``count`` messages into ``root/cur``; the newest has ``newest_subject``."""
    box = root / "Inbox"
    if (box / ".count").exists() and (box / ".count").read_text() == str(count):
        return box
    shutil.rmtree(box, ignore_errors=True)
    for sub in ("cur", "new", "tmp"):
        (box / sub).mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    for i in range(count):
        when = now - timedelta(minutes=7 * i)
        name = rnd.choice(NAMES)
        subject = newest_subject if i == 0 else f"{rnd.choice(SUBJECTS)} #{count - i}"
        body = (f"From: {name} <{name.split()[0].lower()}@contoso.example>\n"
                f"To: Megan Bowen <megan@contoso.example>\nSubject: {subject}\n"
                f"Date: {format_datetime(when)}\nMessage-ID: <{i}.bench@contoso.example>\n\n"
                "Hello,\n\nThis is a benchmark message.\n")
        flags = "S" if i % 3 else ""
        (box / "cur" / f"{1700000000 - i}.{i}.bench:2,{flags}").write_text(body)
    (box / ".count").write_text(str(count))
    return box


@dataclass
class Peer:
    """How to start one peer on a Maildir, inside a private HOME."""

    name: str
    argv: list[str]
    env: dict[str, str]


def neomutt(maildir: Path, home: Path) -> Peer | None:
    """NeoMutt with a header cache (the first run warms it)."""
    exe = shutil.which("neomutt")
    if not exe:
        return None
    home.mkdir(parents=True, exist_ok=True)
    rc = home / "neomuttrc"
    rc.write_text(f'set folder="{maildir.parent}"\nset spoolfile="{maildir}"\n'
                  f'set header_cache="{home}/hcache"\nset mbox_type=Maildir\n'
                  'set sort=reverse-date\nset mail_check=0\nset timeout=0\n'
                  'set index_format="%4C %Z %{%b %d} %-15.15L %s"\n')
    env = dict(os.environ, HOME=str(home), TERM="xterm-256color")
    return Peer("neomutt", [exe, "-n", "-F", str(rc), "-f", str(maildir)], env)


def aerc(maildir: Path, home: Path) -> Peer | None:
    """aerc with one Maildir account."""
    exe = shutil.which("aerc")
    if not exe:
        return None
    conf = home / ".config" / "aerc"
    conf.mkdir(parents=True, exist_ok=True)
    accounts = conf / "accounts.conf"
    accounts.write_text(f"[bench]\nsource = maildir://{maildir.parent}\n"
                        "default = Inbox\nfrom = Megan Bowen <megan@contoso.example>\n"
                        "outgoing = /bin/true\n")
    os.chmod(accounts, 0o600)
    (conf / "aerc.conf").write_text("[ui]\nsort = -r date\n[general]\nunsafe-accounts-conf=true\n")
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               TERM="xterm-256color")
    return Peer("aerc", [exe], env)
