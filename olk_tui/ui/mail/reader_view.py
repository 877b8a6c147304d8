"""Pure builders of the reader's text: header block and body with quoted history dimmed.

Kept apart from the screen so they can be tested without an app. Every field is sanitised
(``olk_tui.ui.text``/``render.safe``) and the results are plain ``Text``.
"""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text

from olk_tui.domain.calendar import Event
from olk_tui.domain.mail import (
    FlagStatus,
    Importance,
    LastVerb,
    Message,
    MessageSummary,
    Recipient,
)
from olk_tui.render.body import RenderedBody
from olk_tui.render.safe import sender_warnings
from olk_tui.ui.text import full_date, inline, who

MAX_RECIPIENTS = 8


def is_invitation(row: MessageSummary) -> bool:
    """A meeting request (an eventMessage the user can answer)."""
    return row.meeting_message_type == "meetingRequest" or row.odata_type.endswith(
        "eventMessageRequest")


def _people(people: tuple[Recipient, ...]) -> str:
    shown = ", ".join(who(p) for p in people[:MAX_RECIPIENTS])
    more = len(people) - MAX_RECIPIENTS
    return shown + (f" and {more} more" if more > 0 else "")


def header_text(row: MessageSummary, message: Message | None, tz: tzinfo) -> Text:
    """From (with the real address and spoofing warnings), To, Cc, Date, Subject, flag."""
    out = Text()

    def field(name: str, value: str, style: str = "") -> None:
        out.append(f"{name:<9}", "bold")
        out.append(value + "\n", style)

    sender = row.from_ or row.sender
    field("From:", who(sender))
    if sender is not None:
        other = row.sender.address if row.sender and row.sender != row.from_ else None
        for warning in sender_warnings(sender.name, sender.address, other):
            out.append("  ⚠ " + warning + "\n", "bold red")
    if row.to:
        field("To:", _people(row.to))
    if row.cc:
        field("Cc:", _people(row.cc))
    if message is not None and message.bcc:
        field("Bcc:", _people(message.bcc))
    field("Date:", full_date(row.received or row.sent, tz))
    field("Subject:", inline(row.subject, 500, placeholder="(no subject)"), "bold")
    extras = []
    if row.flag.status is FlagStatus.FLAGGED:
        due = row.flag.due.astimezone(tz).strftime(" due %a %d %b") if row.flag.due else ""
        extras.append("⚑ Flagged" + due)
    elif row.flag.status is FlagStatus.COMPLETE:
        extras.append("✓ Flag complete")
    if row.last_verb is not LastVerb.NONE:
        extras.append(verb_line(row, tz))
    if row.importance is Importance.HIGH:
        extras.append("↑ High importance")
    if row.categories:
        extras.append("Categories: " + ", ".join(inline(c, 30) for c in row.categories))
    if extras:
        out.append("  ".join(extras) + "\n", "italic")
    out.rstrip()
    return out


_VERB_WORDS = {LastVerb.REPLIED: "↩ Replied", LastVerb.REPLIED_ALL: "↩ Replied to all",
               LastVerb.FORWARDED: "↪ Forwarded"}


def verb_line(row: MessageSummary, tz: tzinfo) -> str:
    """``↩ Replied 12 Mar 2026 14:02`` (no time when Graph did not give one)."""
    words = _VERB_WORDS.get(row.last_verb, "")
    when = row.last_verb_time
    return words + (when.astimezone(tz).strftime(" %d %b %Y %H:%M") if when else "")


def meeting_text(event: Event | None, conflicts: list[Event], problem: str,
                 tz: tzinfo) -> Text:
    """One or two lines about an invitation: when, where, organizer, conflicts."""
    if event is None:
        return Text(problem or "The event is not in the calendar yet.", style="dim")
    start, end = event.start.astimezone(tz), event.end.astimezone(tz)
    when = start.strftime("%a %d %b %H:%M") + "–" + (
        end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%a %d %b %H:%M"))
    if event.is_all_day:
        when = start.strftime("%a %d %b") + " (all day)"
    out = Text()
    out.append("When: ", "bold")
    out.append(when)
    if event.location:
        out.append("  Where: ", "bold")
        out.append(inline(event.location, 60))
    if event.organizer is not None:
        out.append("  Organizer: ", "bold")
        out.append(who(event.organizer))
    if conflicts:
        names = ", ".join(inline(c.subject, 40, placeholder="(no subject)")
                          for c in conflicts[:3])
        more = f" and {len(conflicts) - 3} more" if len(conflicts) > 3 else ""
        out.append(f"\n⚠ Conflicts with: {names}{more}", "bold")
    return out


def body_text(body: RenderedBody, *, fold_quotes: bool) -> Text:
    """The converted body: quoted lines dimmed, or folded into one line each run."""
    out = Text()
    if body.notices:
        for notice in body.notices:
            out.append("ℹ " + notice + "\n", "italic dim")
        out.append("\n")
    folded = False
    for i, line in enumerate(body.text.split("\n")):
        quoted = i in body.quoted_lines
        if quoted and fold_quotes:
            if not folded:
                out.append("··· quoted text folded (z to show) ···\n", "dim italic")
            folded = True
            continue
        folded = False
        out.append(line + "\n", "dim" if quoted else "")
    out.rstrip()
    return out
