"""``olk-tui config path|init|docs|check``: where the config lives, a starter file, the docs."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from olk_tui import paths
from olk_tui.config import load_settings
from olk_tui.config_docs import markdown, starter_toml


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    """Adds the ``config`` verbs."""
    parser.add_argument("verb", choices=("path", "init", "docs", "check"),
                        help="path: print the config path; init: write a commented starter; "
                             "docs: print the Markdown docs; check: validate the file")
    parser.add_argument("--force", action="store_true", help="init: overwrite an existing file")


def run(args: argparse.Namespace) -> int:
    """Runs one ``config`` verb."""
    target = Path(args.config) if args.config else paths.config_file()
    if args.verb == "path":
        print(target)
    elif args.verb == "docs":
        print(markdown())
    elif args.verb == "check":
        settings = load_settings(target)
        print(f"{target}: ok ({len(settings.accounts)} account(s))")
    else:
        if target.exists() and not args.force:
            print(f"{target} exists; use --force to overwrite")
            return 1
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(starter_toml())
        print(f"wrote {target}")
    return 0
