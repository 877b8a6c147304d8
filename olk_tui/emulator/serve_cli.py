"""Running the emulator as a foreground loopback server: shared by ``olk-tui emulator`` and
``python -m olk_tui.emulator``. Prints the base URL first (scripts read that line), serves until
Ctrl-C or SIGTERM, then stops cleanly."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from olk_tui.emulator.core import Emulator
from olk_tui.emulator.faults import FaultSpecError
from olk_tui.emulator.seed import SeedError


def add_server_arguments(parser: argparse.ArgumentParser, *, with_data: bool) -> None:
    """Options of the server command (``with_data`` adds --seed/--size when the caller's
    parser does not have them already)."""
    parser.add_argument("--port", type=int, default=0, help="TCP port (default: a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--faults", metavar="SPEC",
                        help="fault injection spec, e.g. '429:0.1,503@/me/sendMail:1x' "
                             "(also $OLK_TUI_EMULATOR_FAULTS)")
    parser.add_argument("--no-auth", action="store_true",
                        help="accept Graph requests without a bearer token")
    if with_data:
        parser.add_argument("--seed", metavar="DIR", help="load the mailbox from a seed folder")
        parser.add_argument("--size", type=int, metavar="N", help="number of Inbox messages")


def build(args: argparse.Namespace) -> Emulator:
    """The emulator the arguments describe (raises SeedError/FaultSpecError)."""
    require_auth = not getattr(args, "no_auth", False)
    if getattr(args, "seed", None):
        emu = Emulator.from_seed_dir(Path(args.seed), require_auth=require_auth)
    else:
        size = args.size if getattr(args, "size", None) is not None else 3000
        if size < 0:
            raise SeedError("--size must not be negative")
        emu = Emulator.demo(size=size, require_auth=require_auth)
    emu.identity.auto_approve = True
    emu.load_faults_from_env()
    if getattr(args, "faults", None):
        emu.faults.load_spec(args.faults)
    return emu


def serve_forever(args: argparse.Namespace, *, out: Any = None) -> int:
    """Build, serve, print the base URL, wait for Ctrl-C; returns the exit code."""
    out = out or sys.stdout
    try:
        emu = build(args)
        server = emu.serve(port=args.port, host=args.host)
    except (SeedError, FaultSpecError) as exc:
        print(f"olk-tui emulator: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"olk-tui emulator: cannot listen on {args.host}:{args.port}: {exc.strerror}",
              file=sys.stderr)
        return 2
    stop = threading.Event()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(server.base_url, file=out, flush=True)
    print(f"Graph: {server.base_url}/v1.0  sign-in: {server.base_url}/common  "
          f"mailbox: {emu.default_mailbox.address}  (Ctrl-C stops)", file=sys.stderr, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m olk_tui.emulator``."""
    parser = argparse.ArgumentParser(prog="python -m olk_tui.emulator",
                                     description="Run the olk-tui Graph emulator.")
    add_server_arguments(parser, with_data=True)
    return serve_forever(parser.parse_args(argv))
