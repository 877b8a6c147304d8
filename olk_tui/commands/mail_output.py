"""What ``olk-tui mail`` prints: the JSON shapes of folders, flags, list rows and messages
(documented in ``docs/cli.md``), the message list as a text table, and a message as text.
Text output is built only from ``render.safe`` output."""

from __future__ import annotations

from typing import Any

from olk_tui.commands.mail_lookup import folder_path
from olk_tui.commands.output import Context, iso, people, person, print_table
from olk_tui.domain.mail import Flag, FlagStatus, Folder, LastVerb, Message
from olk_tui.domain.mail import MessageSummary as Summary

#: The FLAGS cell's last character: replied (to the sender or to all) or forwarded, as the
#: app's message list shows them.
VERB_MARKS = {LastVerb.REPLIED: "↩", LastVerb.REPLIED_ALL: "↩", LastVerb.FORWARDED: "↪"}


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
            "preview": m.preview, "lastVerb": m.last_verb.value or None,
            "lastVerbTime": iso(m.last_verb_time, ctx.zone) if m.last_verb else None}


def folder_json(folder: Folder, folders: list[Folder]) -> dict[str, Any]:
    """``{"id", "name", "path", "wellKnownName"}``."""
    by_id = {f.id: f for f in folders}
    return {"id": folder.id, "name": folder.display_name, "path": folder_path(folder, by_id),
            "wellKnownName": folder.well_known_name}


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


def print_rows(rows: list[Summary], ctx: Context) -> None:
    """The message list as a table: date, marks (unread, flag, attachment, replied or
    forwarded), from, subject, id."""
    from olk_tui.render.safe import safe_address, safe_inline

    table = []
    for m in rows:
        who = m.from_ or m.sender
        name = (safe_inline(who.name, 40) or safe_address(who.address, 40)) if who else ""
        when = m.received or m.sent
        marks = ("U" if not m.is_read else "-") + {"flagged": "F", "complete": "C"}.get(
            m.flag.status.value, "-") + ("A" if m.has_attachments else "-") + VERB_MARKS.get(
            m.last_verb, "-")
        table.append([when.astimezone(ctx.zone).strftime("%Y-%m-%d %H:%M") if when else "",
                      marks, name, safe_inline(m.subject, 200) or "(no subject)",
                      safe_inline(m.id)])
    print_table(table, [16, 4, 24, 50, None])


def print_message(msg: Message, body: str, ctx: Context) -> None:
    """A message as text: the header lines that have a value, a blank line, the body."""
    from olk_tui.render.safe import safe_filename_display, safe_inline, safe_recipient

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
