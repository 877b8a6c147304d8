"""The reading verbs of ``olk-tui mail``: ``list`` (a folder's messages, filtered or
searched) and ``read`` (one message as text or JSON)."""

from __future__ import annotations

import argparse

from olk_tui.commands.mail_lookup import folders, message, resolve_folder
from olk_tui.commands.mail_output import (
    body_text,
    folder_json,
    message_json,
    print_message,
    print_rows,
    summary_json,
)
from olk_tui.commands.output import Context, print_json, usage_error
from olk_tui.domain.ids import FolderId
from olk_tui.domain.mail import Folder
from olk_tui.domain.mail import MessageSummary as Summary


async def list_job(ctx: Context) -> int:
    """``mail list``."""
    from olk_tui.sync.api import ListQuery

    args = ctx.args
    if args.limit < 1:
        raise usage_error("--limit must be at least 1", "--limit")
    tree = await folders(ctx)
    folder: Folder | None = None
    if args.folder or not args.search:
        folder = resolve_folder(tree, args.folder or "inbox")
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
        print_json({"folder": folder_json(folder, tree) if folder else None,
                    "count": len(rows), "messages": [summary_json(r, ctx) for r in rows]})
        return 0
    print_rows(rows, ctx)
    return 0


def _matches(m: Summary, args: argparse.Namespace) -> bool:
    return (not args.unread or not m.is_read) and (not args.flagged or m.flag.is_flagged)


def _received(m: Summary) -> float:
    when = m.received or m.sent
    return when.timestamp() if when else 0.0


async def read_job(ctx: Context) -> int:
    """``mail read ID``."""
    msg = await message(ctx, ctx.args.id)
    body, links = body_text(msg)
    if ctx.args.json:
        data = message_json(msg, body, ctx)
        data["links"] = [{"number": link.number, "text": link.text, "url": link.url}
                         for link in links]
        print_json(data)
        return 0
    print_message(msg, body, ctx)
    return 0
