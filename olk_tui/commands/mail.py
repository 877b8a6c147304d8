"""``olk-tui mail list|read|send|move|flag|mark-read``: mail from scripts and cron.

Reads come from the account's cache after one sync of what they need (the folder tree and the
folder listed), so a script always sees fresh data; changes go through the same durable
operation queue and outbox as the app, and the command waits until the server confirmed them
(exit 1 with the reason when an operation was reverted or a send failed). JSON shapes and exit
codes are documented in ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from olk_tui.commands.output import (
    Context,
    add_common_to,
    add_timeout,
    iso,
    people,
    person,
    print_json,
    print_table,
    run_command,
    usage_error,
)
from olk_tui.domain.errors import NotFound
from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import Draft, Flag, FlagStatus, Folder, Message, MessageBody
from olk_tui.domain.mail import MessageSummary as Summary
from olk_tui.domain.operations import MarkRead, MoveMessages, Operation, SetFlag

VERBS = ("list", "read", "send", "move", "flag", "mark-read")
#: Longest body read from stdin (Outlook's own limits are far lower for plain text).
MAX_BODY = 4 * 1024 * 1024


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


# --------------------------------------------------------------------------- folders


def folder_path(folder: Folder, by_id: dict[str, Folder]) -> str:
    """``Parent/Child`` path of a folder (display names)."""
    parts, seen, cur = [], set(), folder
    while cur is not None and cur.id not in seen:
        seen.add(cur.id)
        parts.append(cur.display_name)
        cur = by_id.get(cur.parent_id or "")
    return "/".join(reversed(parts))


def _norm(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def resolve_folder(folders: list[Folder], text: str) -> Folder:
    """A folder by id, well-known name, display name or path (case-insensitive).

    Raises:
        NotFound: no such folder.
        ConfigError: the name matches several folders (the paths are listed).
    """
    by_id = {f.id: f for f in folders}
    if text in by_id:
        return by_id[text]
    want = text.strip().strip("/")
    for f in folders:
        if f.well_known_name and _norm(f.well_known_name) == _norm(want):
            return f
    paths = {folder_path(f, by_id).casefold(): f for f in folders}
    if "/" in want and want.casefold() in paths:
        return paths[want.casefold()]
    named = [f for f in folders if f.display_name.casefold() == want.casefold()]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        choices = ", ".join(sorted(folder_path(f, by_id) for f in named))
        raise usage_error(f"folder {want!r} is ambiguous; use a path: {choices}", "--folder")
    raise NotFound(f"no mail folder {want!r}")


# --------------------------------------------------------------------------- JSON shapes


def flag_json(flag: Flag, ctx: Context) -> dict[str, Any]:
    """``{"status", "start", "due", "completed"}``."""
    return {"status": flag.status.value, "start": iso(flag.start, ctx.zone),
            "due": iso(flag.due, ctx.zone), "completed": iso(flag.completed, ctx.zone)}


def summary_json(m: Summary, ctx: Context) -> dict[str, Any]:
    """A message list row."""
    return {"id": m.id, "folderId": m.folder_id, "subject": m.subject,
            "from": person(m.from_ or m.sender), "to": people(m.to), "cc": people(m.cc),
            "received": iso(m.received, ctx.zone), "sent": iso(m.sent, ctx.zone),
            "isRead": m.is_read, "isDraft": m.is_draft, "flag": flag_json(m.flag, ctx),
            "importance": m.importance.value, "hasAttachments": m.has_attachments,
            "categories": list(m.categories), "conversationId": m.conversation_id,
            "preview": m.preview}


def folder_json(folder: Folder, folders: list[Folder]) -> dict[str, Any]:
    """``{"id", "name", "path", "wellKnownName"}``."""
    by_id = {f.id: f for f in folders}
    return {"id": folder.id, "name": folder.display_name, "path": folder_path(folder, by_id),
            "wellKnownName": folder.well_known_name}


# --------------------------------------------------------------------------- list


async def _folders(ctx: Context) -> list[Folder]:
    await ctx.services.mail_sync.sync_folders()
    return await ctx.account.mail.folders()


async def list_job(ctx: Context) -> int:
    """``mail list``."""
    from olk_tui.sync.api import ListQuery

    args = ctx.args
    if args.limit < 1:
        raise usage_error("--limit must be at least 1", "--limit")
    folders = await _folders(ctx)
    folder: Folder | None = None
    if args.folder or not args.search:
        folder = resolve_folder(folders, args.folder or "inbox")
        await ctx.services.mail_sync.sync_folder(folder.id, announce_new=False)
    fid = FolderId(folder.id) if folder else None
    query = ListQuery(folder_id=fid, unread_only=args.unread, flagged_only=args.flagged,
                      text=args.search or None)
    rows = await ctx.account.mail.window(query, 0, args.limit)
    if args.search and len(rows) < args.limit:
        found = await ctx.account.mail.search_server(args.search, fid)
        seen = {r.id for r in rows}
        extra = [r for r in found if r.id not in seen and _matches(r, args)]
        rows = sorted([*rows, *extra], key=_received, reverse=True)[: args.limit]
    if args.json:
        print_json({"folder": folder_json(folder, folders) if folder else None,
                    "count": len(rows), "messages": [summary_json(r, ctx) for r in rows]})
        return 0
    _print_rows(rows, ctx)
    return 0


def _matches(m: Summary, args: argparse.Namespace) -> bool:
    return (not args.unread or not m.is_read) and (not args.flagged or m.flag.is_flagged)


def _received(m: Summary) -> float:
    when = m.received or m.sent
    return when.timestamp() if when else 0.0


def _print_rows(rows: list[Summary], ctx: Context) -> None:
    from olk_tui.render.safe import safe_address, safe_inline

    table = []
    for m in rows:
        who = m.from_ or m.sender
        name = (safe_inline(who.name, 40) or safe_address(who.address, 40)) if who else ""
        when = m.received or m.sent
        marks = ("U" if not m.is_read else "-") + {"flagged": "F", "complete": "C"}.get(
            m.flag.status.value, "-") + ("A" if m.has_attachments else "-")
        table.append([when.astimezone(ctx.zone).strftime("%Y-%m-%d %H:%M") if when else "",
                      marks, name, safe_inline(m.subject, 200) or "(no subject)",
                      safe_inline(m.id)])
    print_table(table, [16, 3, 24, 50, None])


# --------------------------------------------------------------------------- read


async def message(ctx: Context, message_id: str) -> Message:
    """The message (cached or fetched); ``NotFound`` names the id."""
    try:
        return await ctx.account.mail.message(MessageId(message_id))
    except NotFound:
        raise NotFound(f"no message with id {message_id!r}") from None


def message_json(msg: Message, body: str, ctx: Context) -> dict[str, Any]:
    """A full message: the list row plus bcc, replyTo, body text, links and attachments."""
    out = summary_json(msg.summary, ctx)
    out.update(bcc=people(msg.bcc), replyTo=people(msg.reply_to),
               bodyType=msg.body.content_type, body=body,
               attachments=[{"id": a.id, "name": a.name, "contentType": a.content_type,
                             "size": a.size, "isInline": a.is_inline} for a in msg.attachments])
    return out


def body_text(msg: Message) -> tuple[str, list[Any]]:
    """The body as safe plain text and its numbered links."""
    from olk_tui.render.body import text_body
    from olk_tui.render.html import html_to_text
    from olk_tui.render.safe import safe_block

    if msg.body.content_type.lower() == "html":
        rendered = html_to_text(msg.body.content)
    else:
        rendered = text_body(msg.body.content)
    return safe_block(rendered.text), list(rendered.links)


async def read_job(ctx: Context) -> int:
    """``mail read ID``."""
    from olk_tui.render.safe import safe_filename_display, safe_inline, safe_recipient

    msg = await message(ctx, ctx.args.id)
    body, links = body_text(msg)
    if ctx.args.json:
        data = message_json(msg, body, ctx)
        data["links"] = [{"number": link.number, "text": link.text, "url": link.url}
                         for link in links]
        print_json(data)
        return 0
    s = msg.summary

    def line(label: str, value: str) -> None:
        if value:
            print(f"{label + ':':<10}{value}")

    def many(rs: tuple[Any, ...]) -> str:
        return ", ".join(safe_recipient(r.name, r.address) for r in rs)

    who = s.from_ or s.sender
    line("From", safe_recipient(who.name, who.address) if who else "")
    line("To", many(s.to))
    line("Cc", many(s.cc))
    line("Bcc", many(msg.bcc))
    when = s.received or s.sent
    line("Date", when.astimezone(ctx.zone).strftime("%a %Y-%m-%d %H:%M %Z") if when else "")
    line("Subject", safe_inline(s.subject) or "(no subject)")
    line("Flag", s.flag.status.value if s.flag.status is not FlagStatus.NOT_FLAGGED else "")
    for a in msg.attachments:
        line("Attached", f"{safe_filename_display(a.name, 120)} ({a.size} bytes)")
    print()
    print(body)
    return 0


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
    folders = await _folders(ctx)
    dest = resolve_folder(folders, ctx.args.folder)
    msg = await message(ctx, ctx.args.id)
    op = MoveMessages(message_ids=(msg.id,), destination_id=FolderId(dest.id),
                      source_id=msg.summary.folder_id or None)
    from olk_tui.render.safe import safe_inline

    return await _change(ctx, op, {"id": msg.id, "folder": folder_json(dest, folders)},
                         f"Moved to {safe_inline(folder_json(dest, folders)['path'])}.")


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
