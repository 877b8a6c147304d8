"""Command line: parses arguments and hands each command to its module in ``olk_tui.commands``.

Command modules are imported only when used, so ``olk-tui whoami`` never loads Textual and
``olk-tui --demo`` loads the network stack only after the first paint.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from olk_tui import __version__, startup_gc

if TYPE_CHECKING:
    from olk_tui.domain.errors import OlkError

#: subcommand -> module in olk_tui.commands that provides ``add_arguments(p)`` and ``run(args)``.
COMMANDS: dict[str, tuple[str, str]] = {
    "login": ("auth", "sign in (device code by default; --browser; --app-only)"),
    "logout": ("auth", "forget the account's tokens"),
    "whoami": ("auth", "print who is signed in"),
    "graph": ("raw", "send a raw Graph request, e.g. graph GET /me/calendars"),
    "emulator": ("emulator", "run the Graph emulator as a loopback HTTP server"),
    "mail": ("mail", "list, read, send, move, flag mail from scripts"),
    "calendar": ("calendar", "agenda, week, quick add, RSVP from scripts"),
    "contacts": ("contacts", "find contacts from scripts"),
    "config": ("config_cmd", "print the config path or write a starter config"),
}


def _app_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="olk-tui",
        description="Terminal client for Outlook mail, calendar and contacts (Microsoft Graph).",
        epilog="Commands: " + ", ".join(COMMANDS) + ". Run 'olk-tui COMMAND --help'.",
    )
    add_common(p)
    p.add_argument("--version", action="version", version=f"olk-tui {__version__}")
    p.add_argument("mailto", nargs="?", help="a mailto: URL to open in the composer")
    return p


def add_common(p: argparse.ArgumentParser) -> None:
    """Options every command understands (where to find the account and the mailbox)."""
    p.add_argument("--demo", action="store_true",
                   help="use the built-in demo mailbox (no account, no network)")
    p.add_argument("--emulator", metavar="URL",
                   help="use a running olk-tui Graph emulator as if it were Microsoft")
    p.add_argument("--seed", metavar="DIR", help="demo: load the mailbox from a seed folder")
    p.add_argument("--size", type=int, metavar="N", help="demo: number of Inbox messages")
    p.add_argument("--account", metavar="NAME", help="account name from the config")
    p.add_argument("--config", metavar="FILE", help="config file (default: platform path)")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``olk-tui`` script; returns the process exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    index = command_index(args_list)
    command = args_list[index] if index is not None else None
    if command is None:
        startup_gc.pause()  # the UI: resumed after its first paint (see startup_gc)
    from olk_tui.domain.errors import OlkError

    try:
        if command in COMMANDS:
            module_name, help_text = COMMANDS[command]
            module = importlib.import_module(f"olk_tui.commands.{module_name}")
            parser = argparse.ArgumentParser(prog=f"olk-tui {command}", description=help_text)
            add_common(parser)
            module.add_arguments(parser, command)
            rest = args_list[:index] + args_list[index + 1:]
            args = parser.parse_args(rest)
            args.command = command
            return int(module.run(args) or 0)
        args = _app_parser().parse_args(args_list)
        args.command = None
        from olk_tui.commands import app

        return int(app.run(args) or 0)
    except OlkError as exc:
        print(f"olk-tui: {exc}", file=sys.stderr)
        hint = getattr(exc, "hint", "")
        if hint:
            print(hint, file=sys.stderr)
        return exit_code_for(exc)
    except KeyboardInterrupt:
        return 130
    finally:
        if command is None:
            startup_gc.release()


#: Common options that take a value (so the value is not mistaken for a command).
_VALUED = frozenset({"--emulator", "--seed", "--size", "--account", "--config"})


def find_command(args: Sequence[str]) -> str | None:
    """The subcommand word in ``args``, skipping common options and their values."""
    index = command_index(args)
    return args[index] if index is not None else None


def command_index(args: Sequence[str]) -> int | None:
    """Where the subcommand word is in ``args`` (None: run the app)."""
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
            continue
        if arg == "--":
            return None
        if arg in _VALUED:
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return i if arg in COMMANDS else None
    return None


def exit_code_for(exc: OlkError) -> int:
    """Stable exit codes for scripts: 2 usage/config, 3 not found, 4 auth, 5 offline, 1 other."""
    from olk_tui.domain.errors import AuthRequired, ConfigError, NotFound, Offline

    if isinstance(exc, ConfigError):
        return 2
    if isinstance(exc, NotFound):
        return 3
    if isinstance(exc, AuthRequired):
        return 4
    if isinstance(exc, Offline):
        return 5
    return 1
