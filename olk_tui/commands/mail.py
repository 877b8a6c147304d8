"""``olk-tui mail list|read|send|move|flag|mark-read``: mail from scripts and cron.

Reads come from the account's cache after one sync of what they need (the folder tree and the
folder listed), so a script always sees fresh data; changes go through the same durable
operation queue and outbox as the app, and the command waits until the server confirmed them
(exit 1 with the reason when an operation was reverted or a send failed). JSON shapes and exit
codes are documented in ``docs/cli.md``. This module parses the verbs and hands each to its job:
the reads are in ``mail_read``, the changes in ``mail_write``, the output shapes in
``mail_output`` and the folder and message look-ups in ``mail_lookup``.
"""

from __future__ import annotations

import argparse
import sys

from olk_tui.commands.mail_read import list_job, read_job
from olk_tui.commands.mail_write import (
    draft_from_args,
    flag_job,
    mark_read_job,
    move_job,
    send_job,
)
from olk_tui.commands.output import add_common_to, add_timeout, run_command, usage_error

VERBS = ("list", "read", "send", "move", "flag", "mark-read")


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    """The verbs and their options."""
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    p = verbs.add_parser("list", help="list messages of a folder (default: Inbox)")
    p.add_argument("--folder", metavar="F",
                   help="well-known name (inbox, sentitems...), display name or path (A/B)")
    p.add_argument("--unread", action="store_true", help="only unread messages")
    p.add_argument("--flagged", action="store_true", help="only flagged messages")
    p.add_argument("--search", metavar="Q", help="full-text search (local, then the server)")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="at most N (default 50)")
    p = verbs.add_parser("read", help="print one message as text")
    p.add_argument("id", metavar="ID")
    p = verbs.add_parser("send", help="send a message; the body is read from stdin")
    p.add_argument("--to", action="append", default=[], metavar="ADDR", required=True)
    p.add_argument("--cc", action="append", default=[], metavar="ADDR")
    p.add_argument("--bcc", action="append", default=[], metavar="ADDR")
    p.add_argument("--subject", required=True)
    p.add_argument("--attach", action="append", default=[], metavar="FILE")
    p.add_argument("--html", action="store_true", help="the body is HTML, not plain text")
    add_timeout(p)
    p = verbs.add_parser("move", help="move a message to a folder")
    p.add_argument("id", metavar="ID")
    p.add_argument("folder", metavar="FOLDER")
    add_timeout(p)
    p = verbs.add_parser("flag", help="flag a message for follow-up (or clear/complete)")
    p.add_argument("id", metavar="ID")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--clear", action="store_true", help="remove the flag")
    how.add_argument("--complete", action="store_true", help="mark the flag complete")
    p.add_argument("--due", metavar="DATE", help="due date (fri, 2026-12-03, 12 dec...)")
    add_timeout(p)
    p = verbs.add_parser("mark-read", help="mark a message read (or --unread)")
    p.add_argument("id", metavar="ID")
    p.add_argument("--unread", action="store_true", help="mark it unread instead")
    add_timeout(p)
    for sub in verbs.choices.values():
        add_common_to(sub)


def run(args: argparse.Namespace) -> int:
    """Run the verb against the account."""
    jobs = {"list": list_job, "read": read_job, "send": send_job, "move": move_job,
            "flag": flag_job, "mark-read": mark_read_job}
    if args.verb == "send":
        from olk_tui.commands.output import report_error
        from olk_tui.domain.errors import OlkError

        try:
            args.draft = draft_from_args(args, sys.stdin)
        except OlkError as exc:
            return report_error(exc)
        except (OSError, UnicodeDecodeError) as exc:
            return report_error(usage_error(f"cannot read the body: {exc}", "stdin"))
    return run_command(args, jobs[args.verb])
