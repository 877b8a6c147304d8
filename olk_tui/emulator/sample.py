"""A small mail-only sample mailbox, used by ``Emulator.demo`` until the full demo builder
(``demo.py``) exists, and by tests that need quick, predictable mail.

Deterministic for a given ``seed``; building 100,000 messages takes a couple of seconds.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from olk_tui.emulator.core import Emulator

PEOPLE = [("Adele Vance", "adele@contoso.example"), ("Alex Wilber", "alex@contoso.example"),
          ("Diego Siciliani", "diego@contoso.example"), ("Isaiah Langer", "isaiah@contoso.example"),
          ("Lynne Robbins", "lynne@contoso.example"), ("Nestor Wilke", "nestor@fabrikam.example")]
TOPICS = ["Quarterly report", "Lunch on Friday?", "Project Falcon status", "Invoice 4411",
          "Re: Design review", "Travel plans", "Budget approval", "Team offsite agenda"]
START = datetime(2024, 1, 1, tzinfo=UTC)


def build_mail_sample(emu: Emulator, *, size: int = 300, seed: int = 0) -> None:
    """Fill the default mailbox (Megan Bowen) with ``size`` Inbox messages and a few folders."""
    rng = random.Random(seed)
    mb = emu.default_mailbox
    inbox = mb.well_known["inbox"]
    projects = mb.add_folder("Projects", inbox)
    mb.add_folder("Falcon", projects["id"])
    mb.add_folder("Receipts", None)
    me = {"emailAddress": {"name": mb.name, "address": mb.address}}
    span = 2 * 365 * 24 * 3600
    for i in range(size):
        name, address = PEOPLE[rng.randrange(len(PEOPLE))]
        sender = {"emailAddress": {"name": name, "address": address}}
        when = (START + timedelta(seconds=span * i // max(size, 1) + rng.randrange(600)))
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        subject = f"{TOPICS[i % len(TOPICS)]} #{i}"
        text = f"Hi Megan,\n\nMessage number {i} about {subject.lower()}.\n\n{name}"
        msg: dict[str, Any] = {
            "subject": subject, "receivedDateTime": stamp, "sentDateTime": stamp,
            "createdDateTime": stamp, "lastModifiedDateTime": stamp,
            "bodyPreview": text[:255].replace("\n", " "),
            "body": {"contentType": "text", "content": text},
            "from": sender, "sender": sender, "toRecipients": [me], "ccRecipients": [],
            "bccRecipients": [], "replyTo": [],
            "isRead": rng.random() < 0.7, "importance": "high" if i % 37 == 0 else "normal",
            "flag": {"flagStatus": "flagged" if i % 23 == 0 else "notFlagged"},
            "categories": ["Red category"] if i % 11 == 0 else [],
            "internetMessageId": f"<sample-{seed}-{i}@contoso.example>",
            "conversationId": f"AAQkAGSample{i // 3:010d}=",
            "inferenceClassification": "focused", "isDraft": False, "hasAttachments": False,
        }
        mb.add_message(msg, inbox)
