"""The changing verbs of ``olk-tui mail``: ``send`` (a draft built from the command line and
stdin, through the outbox) and ``move``, ``flag``, ``mark-read`` (operations through the
durable queue). Each waits until the server confirmed the change (exit 1 with the reason when
an operation was reverted or a send failed)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from olk_tui.commands.mail_lookup import folders, message, resolve_folder
from olk_tui.commands.mail_output import flag_json, folder_json
from olk_tui.commands.output import Context, people, print_json, usage_error
from olk_tui.domain.ids import FolderId
from olk_tui.domain.mail import Draft, Flag, FlagStatus, MessageBody
from olk_tui.domain.operations import MarkRead, MoveMessages, Operation, SetFlag

#: Longest body read from stdin (Outlook's own limits are far lower for plain text).
MAX_BODY = 4 * 1024 * 1024


# --------------------------------------------------------------------------- send


def _addresses(values: list[str], option: str) -> tuple[Any, ...]:
    from olk_tui.render.addresses import parse_addresses

    parsed = parse_addresses(", ".join(values))
    if parsed.errors:
        raise usage_error(parsed.errors[0], option)
    return parsed.recipients


def draft_from_args(args: argparse.Namespace, stdin: Any) -> Draft:
    """The draft ``mail send`` sends (addresses checked, attachments readable, body from
    stdin).

    Raises:
        ConfigError: a bad address, an unreadable attachment or an oversized body.
    """
    to = _addresses(args.to, "--to")
    if not to:
        raise usage_error("give at least one recipient", "--to")
    cc, bcc = _addresses(args.cc, "--cc"), _addresses(args.bcc, "--bcc")
    paths = []
    for name in args.attach:
        path = Path(name).expanduser()
        if not path.is_file():
            raise usage_error(f"{name!r} is not a readable file", "--attach")
        try:
            with path.open("rb"):
                pass
        except OSError as exc:
            raise usage_error(f"cannot read {name!r}: {exc.strerror}", "--attach") from None
        paths.append(str(path.resolve()))
    if getattr(stdin, "isatty", lambda: False)():
        print("Type the message, then Ctrl-D.", file=sys.stderr)
    text = stdin.read(MAX_BODY + 1)
    if len(text) > MAX_BODY:
        raise usage_error("the body is larger than 4 MB", "stdin")
    return Draft(subject=args.subject, to=to, cc=cc, bcc=bcc,
                 body=MessageBody("html" if args.html else "text", text),
                 attachment_paths=tuple(paths))


async def send_job(ctx: Context) -> int:
    """``mail send``: through the outbox, then wait until it reports sent or failed."""
    draft: Draft = ctx.args.draft
    item_id = await ctx.account.outbox.send(draft)
    await ctx.wait_sent(item_id, ctx.args.timeout)
    if ctx.args.json:
        print_json({"outboxId": item_id, "state": "sent", "subject": draft.subject,
                    "to": people(draft.to), "cc": people(draft.cc), "bcc": people(draft.bcc),
                    "attachments": [Path(p).name for p in draft.attachment_paths]})
    else:
        print(f"Sent to {len(draft.to) + len(draft.cc) + len(draft.bcc)} recipient(s).")
    return 0


# --------------------------------------------------------------------------- changes


async def _change(ctx: Context, op: Operation, summary: dict[str, Any], text: str) -> int:
    await ctx.account.mail.submit(op)
    await ctx.drain(op, ctx.args.timeout)
    if ctx.args.json:
        print_json({**summary, "status": "done"})
    else:
        print(text)
    return 0


async def move_job(ctx: Context) -> int:
    """``mail move ID FOLDER``."""
    from olk_tui.render.safe import safe_inline

    tree = await folders(ctx)
    dest = resolve_folder(tree, ctx.args.folder)
    msg = await message(ctx, ctx.args.id)
    op = MoveMessages(message_ids=(msg.id,), destination_id=FolderId(dest.id),
                      source_id=msg.summary.folder_id or None)
    where = folder_json(dest, tree)
    return await _change(ctx, op, {"id": msg.id, "folder": where},
                         f"Moved to {safe_inline(where['path'])}.")


async def flag_job(ctx: Context) -> int:
    """``mail flag ID [--clear|--complete] [--due DATE]``."""
    from datetime import datetime, time

    from olk_tui.render.dates import parse_date

    args = ctx.args
    now = ctx.now()
    if args.due and (args.clear or args.complete):
        raise usage_error("--due goes with flagging, not with --clear or --complete", "--due")
    if args.clear:
        flag = Flag()
    elif args.complete:
        flag = Flag(FlagStatus.COMPLETE, completed=now)
    elif args.due:
        try:
            day = parse_date(args.due, now)
        except ValueError as exc:
            raise usage_error(str(exc), "--due") from None
        due = datetime.combine(day, time(17), tzinfo=ctx.zone)
        start = min(datetime.combine(now.date(), time(8), tzinfo=ctx.zone),
                    datetime.combine(day, time(8), tzinfo=ctx.zone))
        flag = Flag(FlagStatus.FLAGGED, start=start, due=due)
    else:
        flag = Flag(FlagStatus.FLAGGED)
    msg = await message(ctx, args.id)
    op = SetFlag(message_ids=(msg.id,), flag=flag)
    text = {"flagged": "Flagged.", "complete": "Flag completed.", "notFlagged": "Flag cleared."}
    return await _change(ctx, op, {"id": msg.id, "flag": flag_json(flag, ctx)},
                         text[flag.status.value])


async def mark_read_job(ctx: Context) -> int:
    """``mail mark-read ID [--unread]``."""
    msg = await message(ctx, ctx.args.id)
    is_read = not ctx.args.unread
    op = MarkRead(message_ids=(msg.id,), is_read=is_read)
    return await _change(ctx, op, {"id": msg.id, "isRead": is_read},
                         "Marked read." if is_read else "Marked unread.")
