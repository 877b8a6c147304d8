"""The real app in a pseudo-terminal over the hostile mailbox: no byte the terminal would act on
comes from data.

``python -m olk_tui --demo --seed tests/fixtures/hostile`` runs at 80x24 and 160x48 while a
clean demo runs the same key script; the escape-sequence *kinds* the clean run emits are
Textual's own (the allow-list, measured rather than guessed). The hostile runs may emit no other
kind, no forbidden byte (NUL, DEL, C1, bidi, tag characters, stray C0), and the payloads may
appear only as defused, visible text. The three sessions run in parallel threads (each a child
process) to stay well inside the time budget on a 2-core CI machine.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.hardening.pty_bytes import forbidden_bytes, sequence_kinds, text_of

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
sys.path.insert(0, str(ROOT))
from benchmarks.pty_runner import PtyApp  # noqa: E402

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


@dataclass
class Session:
    """What one run wrote and what the script saw."""

    name: str
    output: bytes = b""
    seen: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    exit_status: int | None = None
    seconds: float = 0.0
    #: Output offsets of the "HTML source" view (shows the raw HTML on purpose).
    source_view: list[int] = field(default_factory=lambda: [0, 0])
    #: The run's HOME (its ~/Downloads got the saved attachments).
    home: Path = Path()
    #: Output offsets of the reply composer (editable text: see the composer test below).
    composer: list[int] = field(default_factory=lambda: [0, 0])

    def without_composer(self) -> bytes:
        """The output minus what the reply composer drew."""
        start, end = self.composer
        return self.output[:start] + self.output[end:]

    def composer_output(self) -> bytes:
        """What the reply composer drew."""
        start, end = self.composer
        return self.output[start:end]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OLK_TUI", "XDG_"))}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", CI="true", HOME=str(home),
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
               XDG_STATE_HOME=str(home / "state"), XDG_CACHE_HOME=str(home / "cache"),
               TZ="UTC", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.pop("NO_COLOR", None)
    return env


def _drive(name: str, argv: list[str], cols: int, rows: int, home: Path,
           hostile: bool) -> Session:
    """The key script: every message in the reader, headers and HTML source, a reply quoting
    the worst message, the save-attachments dialog, the hostile folder, the calendar (the
    hostile event's day and its detail), contacts, help, quit."""
    session = Session(name)
    app = PtyApp(argv, cols=cols, rows=rows, env=_env(home))
    started = time.perf_counter()
    app.start()

    def expect(pattern: str, timeout: float = 20.0) -> None:
        try:
            app.wait_for(pattern, timeout=timeout, since=mark[0])
            session.seen.append(pattern)
        except TimeoutError:
            session.missed.append(pattern)

    def key(data: bytes, idle: float = 0.25, wait: str | None = None) -> None:
        mark[0] = len(app.buffer)
        os.write(app.fd, data)
        if wait and hostile:
            expect(wait)
        app.drain(idle=idle, timeout=10)

    mark = [0]
    try:
        expect("Urgent wire" if hostile else "Inbox", timeout=40)
        app.drain(idle=0.4, timeout=10)
        key(b"\r", 0.4, wait="From:")                      # 19-everything in the reader
        key(b"H", 0.3)                                      # all headers
        key(b"H", 0.2)
        session.composer[0] = len(app.buffer)
        key(b"r", 0.5, wait="Replying to")                  # reply: hostile quote, To, Subject
        session.composer[1] = len(app.buffer)
        key(b"\x1b", 0.4, wait="From:")                    # save & close: back to the reader
        for n in range(18):                                 # 18 .. 01
            key(b"J", 0.3)
            if hostile and n == 2:                          # 16-attachment-names
                expect("Attachments with hostile names")
                key(b"a", 0.4, wait="Save which attachment")
                key(b"a", 0.4, wait="Downloads")            # all of them, to ~/Downloads
                key(b"\r", 0.5, wait="Saved")
            if hostile and n == 3:                          # 15-hostile-html
                expect("Newsletter with everything")
                session.source_view[0] = len(app.buffer)
                key(b"S", 0.3)                              # its HTML source (raw, defused)
                key(b"S", 0.2)
                session.source_view[1] = len(app.buffer)
        key(b"q", 0.3)
        key(b"b", 0.3)                                      # go to the hostile folder
        key(b"Folder", 0.3)
        key(b"\r", 0.4, wait="Inside a hostile folder")
        key(b"\r", 0.4, wait="From:")                      # its message in the reader
        key(b"q", 0.3)
        key(b"2", 0.5, wait="week|Nov|Agenda")              # calendar
        key(b"g", 0.3)
        key(b"2026-11-23\r", 0.5)
        key(b"j", 0.3)
        key(b"\r", 0.5)                                     # the hostile event's detail
        key(b"\x1b", 0.3)
        key(b"a", 0.4)                                      # agenda view
        key(b"3", 0.5, wait="Contact")                      # contacts
        key(b"j", 0.3)
        key(b"\r", 0.3)
        key(b"\x1b", 0.2)
        key(b"1", 0.3)
        key(b"?", 0.4, wait="keys")                         # help
        key(b"\x1b", 0.2)
        key(b"\x11", 0.3)                                   # ctrl+q
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            pid, status = os.waitpid(app.pid, os.WNOHANG)
            if pid:
                session.exit_status = os.waitstatus_to_exitcode(status)
                app.pid = 0
                break
            app._read(0.05)
    finally:
        app.drain(idle=0.1, timeout=2)
        app.close()
        session.output = bytes(app.buffer)
        session.seconds = time.perf_counter() - started
    return session


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Session]:
    python = sys.executable
    hostile = [python, "-m", "olk_tui", "--demo", "--seed", str(HOSTILE)]
    clean = [python, "-m", "olk_tui", "--demo", "--size", "40"]
    runs = {
        "clean": (clean, 80, 24, False),
        "hostile-80x24": (hostile, 80, 24, True),
        "hostile-160x48": (hostile, 160, 48, True),
    }
    homes = {name: tmp_path_factory.mktemp(name) for name in runs}
    for home in homes.values():
        _plant(home)
    with ThreadPoolExecutor(max_workers=len(runs)) as pool:
        futures = {name: pool.submit(_drive, name, argv, cols, rows, homes[name], is_hostile)
                   for name, (argv, cols, rows, is_hostile) in runs.items()}
        out = {name: f.result() for name, f in futures.items()}
    for name, session in out.items():
        session.home = homes[name]
    return out


def _plant(home: Path) -> None:
    """A downloads folder with a symlink planted under a name an attachment reduces to, a
    dangling one, and a file that must not be overwritten."""
    downloads = home / "Downloads"
    downloads.mkdir(parents=True)
    (home / "outside-target").write_text("untouched")
    (downloads / "passwd").symlink_to(home / "outside-target")
    (downloads / "absolute.sh").symlink_to(home / "dangling")
    (downloads / "run.sh").write_text("existing")


HOSTILE_RUNS = ["hostile-80x24", "hostile-160x48"]


def test_clean_run_is_a_usable_baseline(sessions: dict[str, Session]) -> None:
    clean = sessions["clean"]
    assert clean.output and not clean.missed, clean.missed
    assert forbidden_bytes(clean.output) == {}
    assert "Traceback" not in text_of(clean.output)


@pytest.mark.parametrize("name", HOSTILE_RUNS)
def test_script_reached_every_hostile_screen(sessions: dict[str, Session], name: str) -> None:
    """Guards the other assertions: the app really showed the hostile data."""
    run = sessions[name]
    assert run.missed == [], f"never appeared: {run.missed}"
    text = text_of(run.output)
    assert "Traceback" not in text
    assert run.exit_status == 0, f"app did not quit cleanly: {run.exit_status}"
    for defused in ("␛]52;c;aGFja2Vk", "␛]0;PWNED-TITL", "<U+009D>0;C1-TITLE", "␀", "␡",
                    "<U+202E>", "[bold red]MARKUP[/]"):
        assert defused in text, f"{defused!r} never shown: the script missed a screen"


@pytest.mark.parametrize("name", HOSTILE_RUNS)
def test_no_forbidden_bytes_reach_the_terminal(sessions: dict[str, Session], name: str) -> None:
    assert sessions[name].composer[1] > sessions[name].composer[0]
    assert forbidden_bytes(sessions[name].without_composer()) == {}


@pytest.mark.parametrize("name", [
    "hostile-80x24",  # the To field is cut before the bidi part at this width
    "hostile-160x48",
])
def test_no_forbidden_bytes_in_the_reply_composer(sessions: dict[str, Session],
                                                  name: str) -> None:
    assert forbidden_bytes(sessions[name].composer_output()) == {}


@pytest.mark.parametrize("name", HOSTILE_RUNS)
def test_only_textuals_own_sequence_kinds(sessions: dict[str, Session], name: str) -> None:
    """Every escape-sequence kind the hostile run emits, the clean run emits too."""
    allowed = set(sequence_kinds(sessions["clean"].output))
    extra = Counter({k: v for k, v in sequence_kinds(sessions[name].output).items()
                     if k not in allowed})
    assert not extra, f"sequences not emitted by a clean run: {extra.most_common(20)}"


_NAMED = {
    "OSC 52 clipboard": rb"\x1b\]52", "OSC 0/2 title": rb"\x1b\][02];",
    "OSC 8 hyperlink to data": rb"\x1b\]8;[^\x07\x1b]*evil", "OSC 1337": rb"\x1b\]1337",
    "DCS": rb"\x1bP", "APC": rb"\x1b_", "RIS": rb"\x1bc", "DSR": rb"\x1b\[6n",
    "title report": rb"\x1b\[21t", "clear screen": rb"\x1b\[[23]J", "concealed": rb"\x1b\[8m",
}


@pytest.mark.parametrize("name", HOSTILE_RUNS)
def test_named_attack_sequences_absent(sessions: dict[str, Session], name: str) -> None:
    out = sessions[name].output
    found = {what: len(re.findall(rx, out)) for what, rx in _NAMED.items() if re.search(rx, out)}
    assert found == {}
    # The alternate screen is Textual's own, entered once; data cannot enter it again.
    assert out.count(b"\x1b[?1049h") == sessions["clean"].output.count(b"\x1b[?1049h") == 1


@pytest.mark.parametrize("name", HOSTILE_RUNS)
def test_payloads_only_as_defused_text(sessions: dict[str, Session], name: str) -> None:
    run = sessions[name]
    text = text_of(run.without_composer())  # the composer drops ESC silently (still inert)
    start, end = run.source_view
    assert start and end > start and run.composer[1] < start
    rendered = text_of(run.output[:run.composer[0]] + run.output[run.composer[1]:start]
                       + run.output[end:])
    assert "PREHEADER-SECRET" not in rendered  # a CSS-hidden preheader, outside "view source"
    assert "echo pwned" not in text           # an attachment's content
    # The title payload is always shown with its (now inert) "]0;" prefix, after the ␛ glyph
    # or, where a field drops controls instead (saved file names, the composer), after text.
    for m in re.finditer("PWNED-TITLE", text):
        assert text[max(0, m.start() - 3):m.start()] == "]0;", text[m.start() - 20:m.end()]
    assert "␛]0;PWNED-TITLE" in text
    # Raw ESC in a field shows as the glyph; an entity-encoded ``&#27;`` in HTML is dropped by
    # the converter, leaving "]52;c;aGFja2Vk" as inert text: either way never a raw ESC.
    for m in re.finditer("aGFja2Vk", rendered):
        before = rendered[max(0, m.start() - 7):m.start()]
        assert before[1:] == "]52;c;" and before[0] in "␛ \n:", rendered[m.start() - 20:m.end()]


def test_within_budget(sessions: dict[str, Session]) -> None:
    """About 20 s on an idle 2-core machine (the three sessions run in parallel); the bound
    only catches a hang or a script stuck on timeouts, with room for a loaded CI runner."""
    assert max(s.seconds for s in sessions.values()) < 60


_ATTACKS = ["OSC52_CLIPBOARD", "OSC0_TITLE", "CSI_CLEAR", "OSC8_LINK", "CSI_DSR",
            "CSI_TITLE_REPORT", "RIS_RESET", "CSI_HIDDEN", "DCS_DECRQSS", "APC_KITTY",
            "OSC1337_FILE", "C1_CSI", "C1_OSC", "C0_ALL", "NUL_DEL", "BIDI", "TAGS"]


@pytest.mark.parametrize("attack", _ATTACKS)
def test_the_checks_catch_each_attack_if_it_leaked(sessions: dict[str, Session],
                                                   attack: str) -> None:
    """The detectors have teeth: each README sequence spliced raw into the clean output is
    flagged as a new sequence kind, a named attack or a forbidden byte."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("hostile_generate", HOSTILE / "generate.py")
    assert spec and spec.loader
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    clean = sessions["clean"].output
    leaked = clean[:len(clean) // 2] + getattr(generate, attack).encode() + clean[len(clean) // 2:]
    new_kinds = set(sequence_kinds(leaked)) - set(sequence_kinds(clean))
    named = [w for w, rx in _NAMED.items() if re.search(rx, leaked)]
    assert new_kinds or named or forbidden_bytes(leaked), attack


_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}


@pytest.mark.parametrize("name", HOSTILE_RUNS)
def test_saved_attachments_are_safe_files_inside_downloads(sessions: dict[str, Session],
                                                           name: str) -> None:
    """"Save attachments > All" in the reader on the 14 hostile names: each lands directly in
    ~/Downloads as a new regular file, 0600, not executable, under a safe name; the planted
    symlinks, their targets and the existing file are untouched; nothing escapes the folder."""
    home = sessions[name].home
    downloads = home / "Downloads"
    planted = {"passwd", "absolute.sh", "run.sh"}
    saved = [p for p in downloads.iterdir() if p.name not in planted]
    assert len(saved) == 14, sorted(p.name for p in saved)
    for path in saved:
        assert path.is_file() and not path.is_symlink(), path
        assert stat.S_IMODE(path.lstat().st_mode) == 0o600, path
        assert not path.name.startswith(("-", ".")), path.name
        assert path.name.split(".")[0].split(" ")[0].upper() not in _RESERVED, path.name
        assert path.name.isprintable(), ascii(path.name)
    assert (downloads / "passwd").is_symlink() and (downloads / "absolute.sh").is_symlink()
    assert (home / "outside-target").read_text() == "untouched"
    assert not (home / "dangling").exists()
    assert (downloads / "run.sh").read_text() == "existing"
    outside = {p.name for p in home.iterdir()} - {"Downloads", "outside-target", "config",
                                                  "data", "state", "cache"}
    assert not outside, outside
