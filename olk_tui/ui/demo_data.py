"""Deterministic generated mail for the in-memory fake repositories (tests, screenshots).

Rows are produced from their index on demand, so a 100,000-message folder costs only its list
of ids until a row is looked at. Some rows are deliberately hostile (control characters, bidi
overrides, spoofed display names) so the sanitiser is exercised wherever they are shown.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from olk_tui.domain.ids import AttachmentId, FolderId, MessageId
from olk_tui.domain.mail import (
    Attachment,
    Flag,
    FlagStatus,
    Importance,
    InternetHeader,
    Message,
    MessageBody,
    MessageSummary,
    Recipient,
)

ME = Recipient("megan@contoso.example", "Megan Bowen")

PEOPLE: tuple[Recipient, ...] = (
    Recipient("alex.wilber@contoso.example", "Alex Wilber"),
    Recipient("adele.vance@contoso.example", "Adele Vance"),
    Recipient("diego.siciliani@contoso.example", "Diego Siciliani"),
    Recipient("grady.archie@contoso.example", "Grady Archie"),
    Recipient("isaiah.langer@contoso.example", "Isaiah Langer"),
    Recipient("johanna.lorenz@contoso.example", "Johanna Lorenz"),
    Recipient("lee.gu@contoso.example", "Lee Gu"),
    Recipient("lynne.robbins@contoso.example", "Lynne Robbins"),
    Recipient("miriam.graham@contoso.example", "Miriam Graham"),
    Recipient("nestor.wilke@contoso.example", "Nestor Wilke"),
    Recipient("patti.fernandez@contoso.example", "Patti Fernandez"),
    Recipient("pradeep.gupta@contoso.example", "Pradeep Gupta"),
    Recipient("news@fabrikam.example", "Fabrikam Weekly"),
    Recipient("noreply@tailspin.example", "Tailspin Toys Orders"),
)

SUBJECTS: tuple[str, ...] = (
    "Q3 budget review", "Contoso launch plan", "Re: Design sync notes", "Lunch on Friday?",
    "Your order has shipped", "Weekly newsletter: what's new", "Re: Re: Vendor contract",
    "Offsite agenda", "Fwd: Travel itinerary", "Customer escalation: Northwind",
    "Security training reminder", "Status report", "Hiring loop feedback",
    "Invoice INV-20931", "Re: Quarterly OKRs", "Photos from the offsite",
)

PREVIEWS: tuple[str, ...] = (
    "Hi Megan, attached are the numbers we discussed on Tuesday. Let me know if",
    "Thanks for the quick turnaround. A few comments inline below, mostly on the",
    "Reminder: the deadline for this is Friday. Please confirm you can make it",
    "Here is the summary of this week's changes and what is coming next month",
)

HOSTILE_SUBJECT = "Invoice \x1b[31mOVERDUE\x1b[0m \u202efdp.exe\u202c pay now\x07"
HOSTILE_SENDER = Recipient("billing@evil.example",
                           "Microsoft Support\u200b <support@microsoft.com>")


@dataclass(frozen=True, slots=True)
class FolderSpec:
    """A folder the generator fills: its id, name, parent, well-known name and size."""

    id: str
    name: str
    size: int
    parent: str | None = None
    well_known: str | None = None


def default_folders(inbox_size: int = 400) -> list[FolderSpec]:
    """The demo folder tree: well-known folders (shuffled order on purpose) and user folders."""
    return [
        FolderSpec("f-archive", "Archive", 60, well_known="archive"),
        FolderSpec("f-projects", "Projects", 12),
        FolderSpec("f-inbox", "Inbox", inbox_size, well_known="inbox"),
        FolderSpec("f-sent", "Sent Items", 40, well_known="sentitems"),
        FolderSpec("f-launch", "Contoso Launch", 25, parent="f-projects"),
        FolderSpec("f-budget", "Budget 2027", 8, parent="f-projects"),
        FolderSpec("f-drafts", "Drafts", 3, well_known="drafts"),
        FolderSpec("f-deleted", "Deleted Items", 10, well_known="deleteditems"),
        FolderSpec("f-junk", "Junk Email", 4, well_known="junkemail"),
        FolderSpec("f-news", "Newsletters", 30),
    ]


def is_unread(index: int) -> bool:
    """Generated read state: the newest few and every 17th are unread."""
    return index < 6 or index % 17 == 0


def unread_in(size: int) -> int:
    """How many generated rows of a folder of ``size`` are unread (no generation needed)."""
    if size <= 0:
        return 0
    # i < 6, plus the multiples of 17 (0 is counted once).
    return min(size, 6) + (size - 1) // 17


def received_at(now: datetime, index: int) -> datetime:
    """Newest first: row ``index`` arrived about ``index * 37`` minutes before ``now``."""
    return now - timedelta(minutes=index * 37 + (index * 7919) % 23)


def summary(now: datetime, spec: FolderSpec, index: int) -> MessageSummary:
    """Row ``index`` of folder ``spec`` (pure function of its arguments)."""
    rnd = random.Random(f"{spec.id}:{index}")
    person = PEOPLE[rnd.randrange(len(PEOPLE))]
    subject = SUBJECTS[rnd.randrange(len(SUBJECTS))]
    sent_side = spec.well_known in {"sentitems", "drafts"}
    sender = ME if sent_side else person
    to = (person, PEOPLE[(index + 3) % len(PEOPLE)]) if sent_side else (ME,)
    flag = Flag()
    if index % 11 == 3:
        due = (now + timedelta(days=(index % 5) - 2)).replace(hour=17, minute=0, second=0,
                                                              microsecond=0)
        flag = Flag(FlagStatus.FLAGGED, start=due - timedelta(days=1), due=due)
    elif index % 29 == 5:
        flag = Flag(FlagStatus.COMPLETE, completed=received_at(now, index))
    odata_type = ""
    meeting = ""
    if spec.well_known == "inbox" and index == 2:
        subject, odata_type, meeting = ("Design review (Thursday 10:00)",
                                        "#microsoft.graph.eventMessageRequest", "meetingRequest")
    if spec.well_known == "inbox" and index == 4:
        subject, sender = HOSTILE_SUBJECT, HOSTILE_SENDER
    when = received_at(now, index)
    return MessageSummary(
        id=MessageId(f"{spec.id}:{index}"),
        folder_id=FolderId(spec.id),
        subject=subject,
        sender=sender,
        from_=sender,
        to=to,
        cc=(PEOPLE[(index + 5) % len(PEOPLE)],) if index % 3 == 0 else (),
        preview=PREVIEWS[index % len(PREVIEWS)],
        received=when,
        sent=when - timedelta(seconds=30),
        is_read=sent_side or not is_unread(index),
        is_draft=spec.well_known == "drafts",
        flag=flag,
        importance=Importance.HIGH if index % 13 == 7 else
        Importance.LOW if index % 31 == 9 else Importance.NORMAL,
        categories=("Blue category",) if index % 9 == 1 else (),
        has_attachments=index % 7 == 1,
        conversation_id=f"conv-{spec.id}-{index // 3}",
        internet_message_id=f"<{spec.id}.{index}@contoso.example>",
        web_link=f"https://outlook.office365.com/owa/?ItemID={spec.id}.{index}",
        odata_type=odata_type,
        meeting_message_type=meeting,
    )


_HTML = """<html><body><p>Hi Megan,</p>
<p>Here is the <b>update</b> on <a href="https://contoso.example/plan">the launch plan</a>.
Numbers are in the table below.</p>
<table><tr><th>Item</th><th>Owner</th><th>Due</th></tr>
<tr><td>Website</td><td>Alex</td><td>Fri</td></tr>
<tr><td>Press kit</td><td>Adele</td><td>Mon</td></tr></table>
<p><img src="https://tracker.example/pixel.gif" alt="Contoso logo"></p>
<p>Unsubscribe <a href="https://fabrikam.example/unsub?u=1">here</a> or
<a href="mailto:news@fabrikam.example">write to us</a>.</p>
<p>Thanks,<br>{name}</p>
<div><hr><p><b>From:</b> Megan Bowen<br><b>Sent:</b> Monday<br><b>Subject:</b> launch</p>
<blockquote><p>Can you send the latest numbers?</p></blockquote></div>
</body></html>"""

_TEXT = """Hi Megan,

Thanks for the notes. Two things:

1. The vendor contract is with legal; expect it back on Thursday.
2. I moved our sync to 14:00.

Cheers,
{name}

On Mon, Megan Bowen <megan@contoso.example> wrote:
> Could you check the vendor contract status?
> And can we move the sync?
"""


def message(now: datetime, spec: FolderSpec, index: int, row: MessageSummary) -> Message:
    """The full message for a row (body, headers, attachments), deterministic."""
    name = row.sender.name if row.sender else ""
    if index % 2 == 0:
        body = MessageBody("html", _HTML.format(name=name or "Alex"))
    else:
        body = MessageBody("text", _TEXT.format(name=name or "Alex"))
    atts: tuple[Attachment, ...] = ()
    if row.has_attachments:
        atts = (Attachment(AttachmentId(f"{row.id}:a1"), "Q3 numbers.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           48_213),
                Attachment(AttachmentId(f"{row.id}:a2"), "photo.png", "image/png", 1_204_112))
    headers = (
        InternetHeader("Message-ID", row.internet_message_id),
        InternetHeader("Received", f"from mail.contoso.example by mx; {now:%a, %d %b %Y}"),
        InternetHeader("Authentication-Results", "spf=pass; dkim=pass; dmarc=pass"),
    )
    return Message(summary=row, body=body, attachments=atts, headers=headers,
                   event_id=f"ev-{row.id}" if row.odata_type else "")


def fixed_now() -> datetime:
    """The frozen clock tests and screenshots use."""
    return datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
