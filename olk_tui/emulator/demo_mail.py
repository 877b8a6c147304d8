"""The demo mailbox's mail: an Inbox of ``size`` messages over two years (threads with replies
and forwards, some marked replied or forwarded, plain-text and HTML bodies, a newsletter with
remote images and a tracking pixel, inline ``cid:`` images, attachments of several types and
sizes, flags with due dates, categories, importance), plus Sent Items, Drafts, Archive,
Deleted Items, Junk Email and the folders Projects/Apollo, Projects/Zephyr and Receipts.

Cheap by construction: one dict per message, shared attachment bodies, no per-message I/O, so
100,000 messages build in a few seconds.
"""

from __future__ import annotations

import base64
import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from olk_tui.emulator import demo_data as data

if TYPE_CHECKING:
    from olk_tui.emulator.state import Mailbox

Person = tuple[str, str]  # (display name, address)


def _addr(person: Person) -> dict[str, Any]:
    return {"emailAddress": {"name": person[0], "address": person[1]}}


def _stamp(moment: datetime) -> str:
    """``2026-03-02T16:00:00Z`` for an aware UTC moment (isoformat is much faster than strftime)."""
    return moment.isoformat()[:19] + "Z"


class MailBuilder:
    """Generates the demo mail into ``mailbox``; ``people`` are the correspondents."""

    def __init__(self, mailbox: Mailbox, people: list[Person], now: datetime, seed: int) -> None:
        self.box = mailbox
        self.people = people
        self.now = now
        self.seed = seed
        self.rng = random.Random(f"olk-tui-demo-mail-{seed}")
        self.me: Person = (mailbox.name, mailbox.address)
        self.count = 0
        self._turn = 0
        self._first = self.me[0].split()[0]
        # Pools of pre-made subjects and paragraphs keep 100,000 messages cheap.
        rng = self.rng
        self._subjects = [rng.choice(data.SUBJECTS).format(
            project=rng.choice(data.PROJECTS), day=rng.choice(data.DAYS),
            month=rng.choice(data.MONTHS), num=rng.randrange(1000, 9999),
            quarter=f"Q{rng.randrange(1, 5)}") for _ in range(997)]
        self._lines = [[" ".join(rng.choice(data.SENTENCES) for _ in range(n))
                        for _ in range(211)] for n in range(5)]

    # ------------------------------------------------------------ helpers
    def _subject(self) -> str:
        self._turn += 1
        return self._subjects[(self._turn * 613) % len(self._subjects)]

    def _text(self, sender: Person, sentences: int = 3) -> str:
        self._turn += 1
        lines = self._lines[min(sentences, 4)][(self._turn * 97) % 211]
        return f"Hi {self._first},\n\n{lines}\n\nThanks,\n{sender[0].split(' ', 1)[0]}"

    def _body(self, text: str, html: bool, quoted: str = "") -> dict[str, str]:
        if not html:
            return {"contentType": "text", "content": text + (f"\n\n{quoted}" if quoted else "")}
        paras = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in text.split("\n\n"))
        if quoted:
            paras += f'<hr><div id="divRplyFwdMsg">{quoted.replace(chr(10), "<br>")}</div>'
        return {"contentType": "html",
                "content": '<html><head><meta http-equiv="Content-Type" content="text/html; '
                           f'charset=utf-8"></head><body><div>{paras}</div></body></html>'}

    def message(self, folder_id: str, *, sender: Person, subject: str, when: datetime,
                body: dict[str, str], preview: str, to: list[Person] | None = None,
                cc: list[Person] | None = None, conversation: str | None = None,
                **extra: Any) -> dict[str, Any]:
        """Add one message to ``folder_id`` and return it."""
        self.count += 1
        stamp = _stamp(when)
        domain = sender[1].rsplit("@", 1)[-1]
        msg: dict[str, Any] = {
            "createdDateTime": stamp, "lastModifiedDateTime": stamp,
            "receivedDateTime": stamp, "sentDateTime": stamp,
            "hasAttachments": False,
            "internetMessageId": f"<demo.{self.seed}.{self.count}@{domain}>",
            "subject": subject,
            "bodyPreview": preview[:300].replace("\n\n", " ").replace("\n", " ")[:255],
            "importance": "normal", "conversationId": conversation or
            f"AAQkADemo{self.seed:02d}{self.count:09d}=",
            "isDeliveryReceiptRequested": False, "isReadReceiptRequested": False,
            "isRead": True, "isDraft": False,
            "inferenceClassification": "focused", "body": body,
            "sender": _addr(sender), "from": _addr(sender),
            "toRecipients": [_addr(p) for p in (to or [self.me])],
            "ccRecipients": [_addr(p) for p in cc or []], "bccRecipients": [], "replyTo": [],
            "flag": {"flagStatus": "notFlagged"}, "categories": [],
        }
        msg.update(extra)
        return self.box.add_message(msg, folder_id)

    def attach(self, msg: dict[str, Any], kind: str, name: str, *, inline_id: str = "",
               content: str | None = None) -> None:
        """Attach a shared demo file (pdf, bigpdf, png, xlsx) or ``content`` (base64)."""
        types = {"pdf": "application/pdf", "bigpdf": "application/pdf", "png": "image/png",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "ics": "text/calendar"}
        raw = content if content is not None else data.b64(kind)
        att: dict[str, Any] = {
            "@odata.type": "#microsoft.graph.fileAttachment", "name": name,
            "contentType": types[kind], "size": len(raw) * 3 // 4 - raw[-2:].count("="),
            "isInline": bool(inline_id), "lastModifiedDateTime": msg["receivedDateTime"],
            "contentId": inline_id or None, "contentLocation": None, "contentBytes": raw}
        self.box.add_attachment(msg["id"], att)

    # ------------------------------------------------------------ the inbox
    def inbox(self, size: int) -> None:
        """``size`` messages over the last two years, newest first."""
        rng = self.rng
        folder = self.box.well_known["inbox"]
        span = 730 * 86400
        thread_subject, thread_people, thread_conv = "", [self.people[0]], ""
        for i in range(size):
            when = self.now - timedelta(seconds=span * i / max(size, 1) + rng.randrange(900)
                                        + 120)
            group, pos = divmod(i, 3)
            in_thread = group % 4 == 1
            sender = self.people[rng.randrange(len(self.people))]
            if in_thread:
                if pos == 0 or not thread_subject:
                    thread_subject = self._subject()
                    thread_people = [sender, self.people[rng.randrange(len(self.people))]]
                    thread_conv = f"AAQkADemo{self.seed:02d}T{group:08d}="
                sender = thread_people[0] if pos != 0 else thread_people[1]
                prefix = {0: "FW: ", 1: "RE: ", 2: ""}[pos]
                subject = prefix + thread_subject
            else:
                subject = self._subject()
            if i % 50 == 7:
                self._newsletter(folder, when, i)
                continue
            text = self._text(sender, 2 + i % 3)
            quoted = ""
            if in_thread and pos != 2:
                quoted = (f"From: {self.me[0]} <{self.me[1]}>\nSent: {when:%A, %B %d, %Y}\n"
                          f"Subject: {thread_subject}\n\n> {rng.choice(data.SENTENCES)}")
            html = i % 5 != 0
            extra: dict[str, Any] = {}
            if i < 40:
                extra["isRead"] = rng.random() < 0.3
            elif rng.random() < 0.03:
                extra["isRead"] = False
            if i % 41 == 0:
                extra["importance"] = "high"
            elif i % 97 == 1:
                extra["importance"] = "low"
            if i % 29 == 3:
                due = when + timedelta(days=7)
                extra["flag"] = {"flagStatus": "flagged",
                                 "startDateTime": {"dateTime": _stamp(when)[:-1],
                                                   "timeZone": "UTC"},
                                 "dueDateTime": {"dateTime": _stamp(due)[:-1],
                                                 "timeZone": "UTC"}}
            elif i % 87 == 5:
                extra["flag"] = {"flagStatus": "complete",
                                 "completedDateTime": {"dateTime": _stamp(when)[:-1],
                                                       "timeZone": "UTC"}}
            if i % 11 == 0:
                extra["categories"] = ["Blue category"]
            elif i % 17 == 0:
                extra["categories"] = [rng.choice(("Apollo", "Zephyr")), "Red category"]
            if i % 9 == 4:
                extra["inferenceClassification"] = "other"
            verb = 102 if i % 13 == 6 else 103 if i % 26 == 9 else 104 if i % 31 == 11 else 0
            if verb:  # replied / replied to all / forwarded an hour after it came
                done = min(when + timedelta(hours=1), self.now)
                extra["singleValueExtendedProperties"] = [
                    {"id": "Integer 0x1081", "value": str(verb)},
                    {"id": "SystemTime 0x1082", "value": _stamp(done)}]
            cc = [self.people[(i * 7) % len(self.people)]] if i % 6 == 0 else None
            msg = self.message(folder, sender=sender, subject=subject, when=when,
                               body=self._body(text, html, quoted), preview=text, cc=cc,
                               conversation=thread_conv if in_thread else None, **extra)
            self._maybe_attach(msg, i, html)
            if in_thread and pos == 1:
                self.sent_reply(subject, thread_people[0], when - timedelta(hours=2),
                                thread_conv)

    def _maybe_attach(self, msg: dict[str, Any], i: int, html: bool) -> None:
        if i % 70 == 13 and html:
            body = msg["body"]
            body["content"] = body["content"].replace(
                "<body>", '<body><img src="cid:logo@demo.contoso" alt="Contoso logo" '
                          'width="120" height="40"><br>', 1)
            self.attach(msg, "png", "logo.png", inline_id="logo@demo.contoso")
        if i % 15 == 4:
            kind = ("pdf", "xlsx", "png", "pdf", "xlsx")[(i // 15) % 5]
            name = {"pdf": "Report.pdf", "xlsx": "Budget.xlsx", "png": "photo.png"}[kind]
            self.attach(msg, kind, name)
            if i % 300 == 4:
                self.attach(msg, "bigpdf", "Annual review (full).pdf")
        if i % 120 == 64:
            start = datetime.fromisoformat(msg["receivedDateTime"][:-1])
            ics = data.ics_text(msg["subject"], f"{start:%Y%m%dT%H%M%SZ}",
                                f"{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}",
                                f"demo-{self.seed}-{i}@contoso.example")
            self.attach(msg, "ics", "invite.ics", content=base64.b64encode(ics).decode())

    def _newsletter(self, folder: str, when: datetime, i: int) -> None:
        sender = ("Contoso Weekly", "newsletter@news.contoso.example")
        issue = i // 50 + 1
        stories = "".join(
            f'<tr><td style="padding:12px"><img src="https://cdn.contoso.example/news/{issue}/'
            f'{n}.jpg" width="560" alt="Story {n}"><h2 style="font-family:Segoe UI">'
            f'{self.rng.choice(data.PROJECTS)} ships {n}.0</h2><p>{self.rng.choice(data.SENTENCES)}'
            f' <a href="https://news.contoso.example/r/{issue}/{n}?utm_source=mail">Read more</a>'
            f"</p></td></tr>" for n in range(1, 4))
        content = (
            "<html><head><style>body{margin:0} .hidden{display:none}</style></head><body>"
            '<div class="hidden">This week: launches, people and a recipe.</div>'
            '<table width="600" align="center" cellpadding="0" cellspacing="0">'
            f'<tr><td><h1 style="color:#0078d4">Contoso Weekly #{issue}</h1></td></tr>{stories}'
            '<tr><td style="font-size:11px;color:#888">You receive this because you subscribed. '
            '<a href="https://news.contoso.example/unsubscribe?u=megan">Unsubscribe</a></td></tr>'
            "</table>"
            f'<img src="https://track.contoso.example/open.gif?u=megan&amp;i={issue}" width="1" '
            'height="1" alt="" style="display:none"></body></html>')
        self.message(folder, sender=sender, subject=f"Contoso Weekly #{issue}: what's new",
                     when=when, body={"contentType": "html", "content": content},
                     preview="This week: launches, people and a recipe.",
                     inferenceClassification="other", isRead=i > 60)

    def sent_reply(self, subject: str, to: Person, when: datetime, conversation: str) -> None:
        """Megan's reply in Sent Items, in the same conversation."""
        text = f"Hi {to[0].split()[0]},\n\n{self.rng.choice(data.SENTENCES)}\n\nMegan"
        self.message(self.box.well_known["sentitems"], sender=self.me,
                     subject=subject if subject.startswith("RE: ") else "RE: " + subject,
                     when=when, body=self._body(text, True), preview=text, to=[to],
                     conversation=conversation)

    # ---------------------------------------------------------- other folders
    def folders(self) -> dict[str, str]:
        """Projects/Apollo, Projects/Zephyr and Receipts with their messages; returns ids."""
        box = self.box
        projects = box.add_folder("Projects", None)
        apollo = box.add_folder("Apollo", projects["id"])
        zephyr = box.add_folder("Zephyr", projects["id"])
        receipts = box.add_folder("Receipts", None)
        for folder, name, count in ((apollo, "Apollo", 25), (zephyr, "Zephyr", 20)):
            for n in range(count):
                sender = self.people[self.rng.randrange(len(self.people))]
                when = self.now - timedelta(days=3 + n * 9, hours=n)
                text = self._text(sender)
                msg = self.message(folder["id"], sender=sender, when=when,
                                   subject=f"[{name}] {self._subject()}",
                                   body=self._body(text, n % 2 == 0), preview=text,
                                   categories=[name])
                if n % 5 == 0:
                    self.attach(msg, "xlsx" if n % 2 else "pdf",
                                f"{name} plan.{'xlsx' if n % 2 else 'pdf'}")
        for n in range(30):
            shop, address, subject = data.RECEIPTS[n % len(data.RECEIPTS)]
            when = self.now - timedelta(days=5 + n * 20)
            amount = f"${(n * 37) % 400 + 9}.{n * 7 % 100:02d}"
            text = f"{subject}. Total: {amount}. Order #{100200 + n}."
            msg = self.message(receipts["id"], sender=(shop, address), when=when,
                               subject=f"{subject} - {amount}", preview=text,
                               body=self._body(text, True), inferenceClassification="other")
            self.attach(msg, "pdf", f"Receipt-{100200 + n}.pdf")
        return {"projects": projects["id"], "apollo": apollo["id"], "zephyr": zephyr["id"],
                "receipts": receipts["id"]}

    def others(self) -> None:
        """Drafts, Sent Items extras, Archive, Deleted Items and Junk Email."""
        box, rng = self.box, self.rng
        for n, subject in enumerate(("Draft: proposal for Apollo phase 2", "Re: Travel plans",
                                     "Notes for the 1:1")):
            to = self.people[n + 1]
            text = f"Hi {to[0].split()[0]},\n\n{rng.choice(data.SENTENCES)}"
            self.message(box.well_known["drafts"], sender=self.me, subject=subject,
                         when=self.now - timedelta(hours=5 + n * 30), to=[to],
                         body=self._body(text, n != 1), preview=text, isDraft=True)
        for n in range(12):
            to = self.people[rng.randrange(len(self.people))]
            text = self._text(self.me)
            self.message(box.well_known["sentitems"], sender=self.me, subject=self._subject(),
                         when=self.now - timedelta(days=n * 11 + 1), to=[to],
                         body=self._body(text, True), preview=text)
        for n in range(60):
            sender = self.people[rng.randrange(len(self.people))]
            text = self._text(sender)
            self.message(box.well_known["archive"], sender=sender, subject=self._subject(),
                         when=self.now - timedelta(days=400 + n * 5),
                         body=self._body(text, n % 2 == 1), preview=text)
        for n in range(15):
            sender = self.people[rng.randrange(len(self.people))]
            text = self._text(sender, 1)
            self.message(box.well_known["deleteditems"], sender=sender, subject=self._subject(),
                         when=self.now - timedelta(days=n * 3 + 1), body=self._body(text, False),
                         preview=text)
        for n, subject in enumerate(data.SPAM_SUBJECTS):
            sender = (f"Prize Center {n}", f"winner{n}@prizes.invalid")
            text = "Click here to claim your reward before it expires."
            self.message(box.well_known["junkemail"], sender=sender, subject=subject,
                         when=self.now - timedelta(days=n * 4 + 2), isRead=False,
                         body={"contentType": "html", "content":
                               f'<p>{text} <a href="http://prizes.invalid/claim">Claim</a></p>'},
                         preview=text, inferenceClassification="other")
