"""Editing the body in ``$VISUAL``/``$EDITOR``, the way mutt does.

The text goes to a file created 0600 inside a fresh 0700 directory, the editor runs without a
shell, and the file and directory are removed afterwards whatever happens.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from typing import Any

from textual.app import SuspendNotSupported


class EditorError(Exception):
    """The editor could not be run or failed; ``str`` is fit to show a user."""


def editor_command(environ: Mapping[str, str]) -> list[str]:
    """``$VISUAL`` or else ``$EDITOR``, split like a shell would (no shell is run).

    Raises:
        EditorError: neither is set or the value cannot be split.
    """
    for name in ("VISUAL", "EDITOR"):
        value = environ.get(name, "").strip()
        if value:
            try:
                command = shlex.split(value)
            except ValueError as exc:
                raise EditorError(f"${name} cannot be read: {exc}") from None
            if command:
                return command
    raise EditorError("Set $VISUAL or $EDITOR to edit in an external editor")


def edit_text(text: str, command: list[str],
              run: Callable[..., Any] = subprocess.run) -> str:
    """Write ``text`` to a private temp file, run ``command + [path]``, return the new text.

    Raises:
        EditorError: the editor is missing, exits non-zero, or left unreadable text; the
            caller keeps its text unchanged.
    """
    directory = tempfile.mkdtemp(prefix="olk-tui-")  # created 0700
    path = os.path.join(directory, "draft.txt")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        try:
            result = run([*command, path], check=False)
        except OSError as exc:
            raise EditorError(f"cannot run {command[0]}: {exc.strerror or exc}") from None
        if result.returncode != 0:
            raise EditorError(f"{command[0]} exited with status {result.returncode}; "
                              "the text was not changed")
        try:
            with open(path, encoding="utf-8", newline="") as fh:
                return fh.read().replace("\r\n", "\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise EditorError(f"cannot read the edited text back: {exc}") from None
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def edit_in_editor(app: Any, text: str) -> str:
    """Suspend the Textual ``app``, edit ``text`` in the user's editor, resume.

    Headless apps (tests) have no terminal to hand over, so the editor simply runs.

    Raises:
        EditorError: as ``editor_command`` and ``edit_text`` do, or when the terminal cannot
            be handed over.
    """
    command = editor_command(os.environ)
    try:
        with app.suspend():
            return edit_text(text, command)
    except SuspendNotSupported:
        if not app.is_headless:
            raise EditorError("this terminal cannot hand over to an editor") from None
        return edit_text(text, command)
