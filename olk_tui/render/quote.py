"""Replies and forwards the way Outlook writes them: subjects, recipients, quoting, bodies.

Pure text work. ``prepare_reply`` turns an original message into a ``ReplyTemplate``: the
recipients, the subject (one ``RE: ``/``FW: ``, never piled up), the text the user edits (a
signature above the quote) and the quoted tail. ``assemble_body`` joins what the user wrote
with that tail into the body to send: plain text, or HTML that keeps the original's HTML
(Outlook's ``divRplyFwdMsg`` header block) with the user's text escaped. ``split_body`` is its
inverse, used to reopen a saved draft in the composer.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum

from olk_tui.domain.mail import Message, MessageBody, Recipient
from olk_tui.render.html import html_to_text

REPLY_PREFIX = "RE: "
FORWARD_PREFIX = "FW: "
#: The line Outlook puts between the new text and the header block in plain-text replies.
SEPARATOR = "_" * 32
#: Marks where the user's text ends in HTML bodies olk-tui builds (first occurrence wins).
HTML_MARK = '<div id="olk-tui-quote"></div>'
_OUTLOOK_MARK = '<div id="appendonsend"></div>'

# Reply/forward prefixes in the languages Outlook and other clients write them; a prefix may
# carry a counter ("Re[2]:", "RE(3):") and several may be stacked ("RE: Fwd: Re:").
_PREFIX_RE = re.compile(
    r"\s*(?:re|fw|fwd|aw|wg|sv|vs|vl|antw|doorst|tr|rif|enc|res|odp|pd|ynt|ilt|"
    r"atb|yv|fs|vb|رد|回复|回覆|转发|轉寄|答复|ΑΠ|ΣΧΕΤ|ΠΡΘ)"
    r"\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*",
    re.IGNORECASE,
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Subjects longer than this are cut before prefixes are looked at (Outlook allows 255).
MAX_SUBJECT_CHARS = 2000
_ATTACH_RE = re.compile(r"\b(?:attach(?:ed|ment|ments|ing)?|enclosed)\b", re.IGNORECASE)


class ReplyKind(StrEnum):
    """The composer's modes; the values are the outbox's ``Draft.reply_kind``."""

    NEW = ""
    REPLY = "reply"
    REPLY_ALL = "replyAll"
    FORWARD = "forward"


class QuoteStyle(StrEnum):
    """``ComposeConfig.quoting``."""

    OUTLOOK = "outlook"
    INLINE = "inline"


@dataclass(frozen=True, slots=True)
class ReplyTemplate:
    """What the composer starts from.

    Attributes:
        to, cc: recipients (empty for forwards and new mail).
        subject: with one prefix.
        text: what goes in the editor (cursor at the top: the signature, and for inline
            quoting the ``>`` quote below it).
        quote: the tail joined below the user's text when sending (Outlook style), or None.
    """

    to: tuple[Recipient, ...] = ()
    cc: tuple[Recipient, ...] = ()
    subject: str = ""
    text: str = ""
    quote: MessageBody | None = None


# --------------------------------------------------------------------------- subjects


def one_line(text: str) -> str:
    """Untrusted header text as one line: whitespace collapsed, control characters dropped."""
    return " ".join(_CONTROL_RE.sub("", text).split())


def strip_subject_prefixes(subject: str) -> str:
    """The subject without any stacked reply/forward prefixes (``RE: Fwd: AW: x`` -> ``x``).

    Linear: the prefixes are matched in place from a moving position, never by re-copying.
    """
    subject = one_line(subject[: MAX_SUBJECT_CHARS * 2])[:MAX_SUBJECT_CHARS]
    pos = 0
    while (m := _PREFIX_RE.match(subject, pos)) is not None and m.end() > pos:
        pos = m.end()
    return subject[pos:].strip()


def reply_subject(subject: str) -> str:
    """``RE: `` plus the bare subject, as Outlook writes it."""
    return REPLY_PREFIX + strip_subject_prefixes(subject)


def forward_subject(subject: str) -> str:
    """``FW: `` plus the bare subject, as Outlook writes it."""
    return FORWARD_PREFIX + strip_subject_prefixes(subject)


# --------------------------------------------------------------------------- recipients


def _dedupe(recipients: Iterable[Recipient], skip: set[str]) -> tuple[Recipient, ...]:
    """Recipients without those in ``skip`` (casefolded addresses), first of each kept;
    ``skip`` is updated so later lists leave these out too."""
    out = []
    for r in recipients:
        key = r.address.strip().casefold()
        if key and key not in skip:
            skip.add(key)
            out.append(Recipient(r.address.strip(), one_line(r.name)))
    return tuple(out)


def reply_recipients(message: Message, kind: ReplyKind,
                     own_addresses: Iterable[str]) -> tuple[tuple[Recipient, ...],
                                                            tuple[Recipient, ...]]:
    """(to, cc) for a reply or reply-all, without the user's own addresses or duplicates.

    Reply goes to Reply-To when set, else From. Reply all adds the original To (to the To
    line) and Cc (to Cc). Replying to one's own sent message goes to its recipients instead.
    """
    own = {a.strip().casefold() for a in own_addresses if a.strip()}
    s = message.summary
    sender = message.reply_to or tuple(r for r in (s.from_ or s.sender,) if r is not None)
    from_self = bool(sender) and all(r.address.casefold() in own for r in sender)
    if kind is ReplyKind.FORWARD or kind is ReplyKind.NEW:
        return (), ()
    skip = set(own)
    if from_self:
        to = _dedupe(s.to, skip)
        cc = _dedupe(s.cc, skip) if kind is ReplyKind.REPLY_ALL else ()
        return to, cc
    to_list = list(sender)
    if kind is ReplyKind.REPLY_ALL:
        to_list += list(s.to)
    to = _dedupe(to_list, skip)
    cc = _dedupe(s.cc, skip) if kind is ReplyKind.REPLY_ALL else ()
    return to, cc


# --------------------------------------------------------------------------- quoting


def format_sent(when: datetime | None, tz: tzinfo | None = None) -> str:
    """Outlook's header date, e.g. ``Friday, November 20, 2026 3:04 PM`` (English)."""
    if when is None:
        return ""
    if tz is not None and when.tzinfo is not None:
        when = when.astimezone(tz)
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    months = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
    hour = when.hour % 12 or 12
    ampm = "AM" if when.hour < 12 else "PM"
    return (f"{days[when.weekday()]}, {months[when.month - 1]} {when.day}, {when.year} "
            f"{hour}:{when.minute:02d} {ampm}")


def _people(recipients: Iterable[Recipient]) -> str:
    return "; ".join(one_line(str(r)) for r in recipients)


def header_fields(message: Message, tz: tzinfo | None = None) -> list[tuple[str, str]]:
    """The header block's (label, value) pairs; Cc only when there is one."""
    s = message.summary
    sender = s.from_ or s.sender
    fields = [("From", one_line(str(sender)) if sender else ""),
              ("Sent", format_sent(s.sent or s.received, tz)),
              ("To", _people(s.to))]
    if s.cc:
        fields.append(("Cc", _people(s.cc)))
    fields.append(("Subject", one_line(s.subject)))
    return fields


def html_to_plain(markup: str) -> str:
    """Plain text of an HTML body via ``olk_tui.render.html.html_to_text``."""
    return html_to_text(markup).text.strip("\n")


def body_text(body: MessageBody, to_text: Callable[[str], str] = html_to_plain) -> str:
    """The plain text of a body (HTML converted), line endings normalised."""
    content = body.content.replace("\r\n", "\n").replace("\r", "\n")
    if body.content_type.lower() == "html":
        return to_text(content)
    return content


def inline_quote(text: str) -> str:
    """Classic ``>`` quoting: ``> `` before text lines, ``>`` before empty and quoted ones."""
    lines = text.rstrip("\n").split("\n")
    return "\n".join(">" + line if (not line or line.startswith(">")) else "> " + line
                     for line in lines)


def text_to_html(text: str) -> str:
    """Plain text as an HTML fragment (escaped, line breaks kept); ``html_to_own_text``
    reverses it exactly."""
    lines = [html.escape(line, quote=False) for line in text.split("\n")]
    return '<div class="olk-text">' + "<br>\n".join(lines) + "</div>"


def html_to_own_text(fragment: str) -> str | None:
    """Reverse ``text_to_html``; None when the fragment was not made by it."""
    m = re.fullmatch(r'\s*<div class="olk-text">(.*)</div>\s*', fragment, re.DOTALL)
    if not m or "<" in m.group(1).replace("<br>\n", ""):
        return None
    return html.unescape(m.group(1).replace("<br>\n", "\n"))


def _tag_end(lower: str, start: int) -> int:
    """Index just past the ``>`` closing the tag that starts at ``start`` (or the end)."""
    end = lower.find(">", start)
    return len(lower) if end < 0 else end + 1


def html_fragment(markup: str) -> str:
    """The inside of an HTML document's ``<body>`` (or the markup without html/head).

    Plain ``str.find`` scans, linear in the input (hostile HTML must not make a reply slow).
    """
    lower = markup.lower()
    start = lower.find("<body")
    if start >= 0:
        inner_start = _tag_end(lower, start)
        end = lower.rfind("</body")
        return markup[inner_start:end] if end >= inner_start else markup[inner_start:]
    head = lower.find("<head")
    if head >= 0:
        head_end = lower.find("</head", head)
        cut = _tag_end(lower, head_end) if head_end >= 0 else len(lower)
        markup, lower = markup[:head] + markup[cut:], lower[:head] + lower[cut:]
    out: list[str] = []
    pos = 0
    while (tag := lower.find("<", pos)) >= 0:
        rest = lower[tag + 1: tag + 10]
        if rest.startswith(("html", "/html", "!doctype")):
            out.append(markup[pos:tag])
            pos = _tag_end(lower, tag)
        else:
            out.append(markup[pos:tag + 1])
            pos = tag + 1
    out.append(markup[pos:])
    return "".join(out)


def _header_text(fields: list[tuple[str, str]]) -> str:
    return "\n".join(f"{label}: {value}" for label, value in fields)


def _header_html(fields: list[tuple[str, str]]) -> str:
    rows = "<br>".join(f"<b>{label}:</b> {html.escape(value)}" for label, value in fields)
    return ('<hr style="display:inline-block;width:98%" tabindex="-1">'
            '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" '
            f'style="font-size:11pt" color="#000000">{rows}</font><div>&nbsp;</div></div>')


def quote_tail(message: Message, tz: tzinfo | None = None,
               to_text: Callable[[str], str] = html_to_plain) -> MessageBody:
    """The Outlook-style quoted tail: header block and the original, in the original's
    format (HTML kept as HTML)."""
    fields = header_fields(message, tz)
    if message.body.content_type.lower() == "html":
        original = html_fragment(message.body.content)
        return MessageBody("html", _header_html(fields) + f"<div>{original}</div>")
    text = body_text(message.body, to_text)
    return MessageBody("text", f"{SEPARATOR}\n{_header_text(fields)}\n\n{text}")


def prepare_reply(message: Message, kind: ReplyKind, *, own_addresses: Iterable[str] = (),
                  style: str = "outlook", signature: str = "", tz: tzinfo | None = None,
                  to_text: Callable[[str], str] = html_to_plain) -> ReplyTemplate:
    """Everything the composer needs to start a reply, reply all or forward."""
    to, cc = reply_recipients(message, kind, own_addresses)
    if kind is ReplyKind.FORWARD:
        subject = forward_subject(message.summary.subject)
    else:
        subject = reply_subject(message.summary.subject)
    sig = signature.strip("\n")
    top = "\n\n" + sig + "\n" if sig else "\n"
    if style == QuoteStyle.INLINE and kind is not ReplyKind.FORWARD:
        s = message.summary
        who = one_line((s.from_ or s.sender).name or (s.from_ or s.sender).address) \
            if (s.from_ or s.sender) else "someone"
        when = format_sent(s.sent or s.received, tz)
        attribution = f"On {when}, {who} wrote:" if when else f"{who} wrote:"
        quoted = inline_quote(body_text(message.body, to_text))
        return ReplyTemplate(to, cc, subject, f"{top}\n{attribution}\n{quoted}\n", None)
    return ReplyTemplate(to, cc, subject, top, quote_tail(message, tz, to_text))


def new_message_text(signature: str) -> str:
    """The editor's starting text for new mail: room to write, then the signature."""
    sig = signature.strip("\n")
    return "\n\n" + sig + "\n" if sig else ""


# --------------------------------------------------------------------------- bodies


def assemble_body(text: str, quote: MessageBody | None = None, *,
                  user_html: str | None = None) -> MessageBody:
    """The body to send: the user's text (or its HTML rendering) above the quoted tail.

    Plain text stays plain unless the tail is HTML or ``user_html`` is given; then the
    result is an HTML document with the user's part escaped (or as rendered) first.
    """
    text = text.replace("\r\n", "\n")
    if user_html is None and (quote is None or quote.content_type != "html"):
        if quote is None:
            return MessageBody("text", text)
        return MessageBody("text", text.rstrip("\n") + "\n\n" + quote.content)
    own = user_html if user_html is not None else text_to_html(text)
    tail = ""
    if quote is not None:
        tail = quote.content if quote.content_type == "html" else text_to_html(quote.content)
    doc = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
           f"</head><body>{own}{HTML_MARK}{tail}</body></html>")
    return MessageBody("html", doc)


def split_body(body: MessageBody, to_text: Callable[[str], str] = html_to_plain
               ) -> tuple[str, MessageBody | None]:
    """Split a saved draft's body back into (editable text, quoted tail or None)."""
    content = body.content.replace("\r\n", "\n")
    if body.content_type.lower() != "html":
        lines = content.split("\n")
        for i, line in enumerate(lines):
            if line == SEPARATOR and i > 0:
                return "\n".join(lines[:i]).rstrip("\n") + "\n", MessageBody(
                    "text", "\n".join(lines[i:]))
        return content, None
    inner = html_fragment(content)
    for mark in (HTML_MARK, _OUTLOOK_MARK):
        pos = inner.find(mark)
        if pos >= 0:
            own, tail = inner[:pos], inner[pos + len(mark):]
            text = html_to_own_text(own)
            return (text if text is not None else to_text(own)), (
                MessageBody("html", tail) if tail.strip() else None)
    return to_text(content), None


def mentions_attachment(text: str) -> bool:
    """True when the user's own text (quoted ``>`` lines ignored) mentions an attachment."""
    own = "\n".join(line for line in text.split("\n") if not line.lstrip().startswith(">"))
    return bool(_ATTACH_RE.search(own))
