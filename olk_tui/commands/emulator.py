"""``olk-tui emulator [--port N] [--seed DIR] [--faults SPEC] [--size N]``: run the Graph
emulator as a loopback HTTP server in the foreground, printing its base URL."""

from __future__ import annotations

import argparse

from olk_tui.emulator.serve_cli import add_server_arguments, serve_forever


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    """Adds --port, --host, --faults, --no-auth (--seed and --size are common options)."""
    add_server_arguments(parser, with_data=False)


def run(args: argparse.Namespace) -> int:
    """Serves until Ctrl-C; returns the exit code."""
    return serve_forever(args)
