"""Reply/forward subjects, recipients, quoting layouts and bodies (render/quote.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import Message, MessageBody, MessageSummary, Recipient
from olk_tui.render.quote import (
    HTML_MARK,
    SEPARATOR,
    ReplyKind,
    assemble_body,
    format_sent,
    forward_subject,
    html_to_own_text,
    inline_quote,
    mentions_attachment,
    prepare_reply,
    reply_recipients,
    reply_subject,
    split_body,
    strip_subject_prefixes,
    text_to_html,
)

ME = Recipient("megan@contoso.example", "Megan Bowen")
ADELE = Recipient("adele@contoso.example", "Adele Vance")
BOB = Recipient("bob@fabrikam.example", "Bob")
CAROL = Recipient("carol@fabrikam.example", "Carol")
SENT = datetime(2026, 11, 20, 15, 4, tzinfo=UTC)


def msg(*, sender: Recipient = ADELE, to=(ME, BOB), cc=(CAROL,), subject="Budget",
        body: MessageBody | None = None, reply_to=()) -> Message:
    return Message(
        summary=MessageSummary(id=MessageId("m1"), folder_id=FolderId("inbox"),
                               subject=subject, from_=sender, sender=sender, to=tuple(to),
                               cc=tuple(cc), sent=SENT, received=SENT),
        body=body or MessageBody("text", "Line one\n\nLine two"),
        reply_to=tuple(reply_to),
    )


# --------------------------------------------------------------------------- subjects


@pytest.mark.parametrize(("subject", "bare"), [
    ("RE: RE: Re: Budget", "Budget"),
    ("Fwd: FW: re: Budget", "Budget"),
    ("AW: SV: Antw: WG: Budget", "Budget"),
    ("Re[2]: RE(3): Budget", "Budget"),
    ("  RE:Budget  ", "Budget"),
    ("Budget: RE: Q3", "Budget: RE: Q3"),
    ("Reference: 12", "Reference: 12"),
    ("Ref: invoice", "Ref: invoice"),
    ("", ""),
    ("Line\r\nBcc: x", "Line Bcc: x"),
])
def test_strip_prefixes(subject: str, bare: str) -> None:
    assert strip_subject_prefixes(subject) == bare


def test_prefixes_do_not_pile_up() -> None:
    assert reply_subject("RE: RE: Re: Budget") == "RE: Budget"
    assert reply_subject(reply_subject("Budget")) == "RE: Budget"
    assert forward_subject("RE: Fwd: Budget") == "FW: Budget"
    assert reply_subject("FW: Budget") == "RE: Budget"


@given(st.text(max_size=40))
def test_reply_subject_idempotent(subject: str) -> None:
    once = reply_subject(subject)
    assert reply_subject(once) == once
    assert once.startswith("RE: ")


# --------------------------------------------------------------------------- recipients


def test_reply_goes_to_sender_only() -> None:
    assert reply_recipients(msg(), ReplyKind.REPLY, [ME.address]) == ((ADELE,), ())


def test_reply_prefers_reply_to() -> None:
    to, _ = reply_recipients(msg(reply_to=[BOB]), ReplyKind.REPLY, [ME.address])
    assert to == (BOB,)


def test_reply_all_drops_own_address_case_insensitively_and_duplicates() -> None:
    m = msg(to=(Recipient("MEGAN@Contoso.Example", "Me"), BOB, ADELE),
            cc=(CAROL, Recipient("bob@FABRIKAM.example"), Recipient("alias@contoso.example")))
    to, cc = reply_recipients(m, ReplyKind.REPLY_ALL, ["megan@contoso.example",
                                                       "Alias@contoso.example"])
    assert to == (ADELE, BOB)
    assert cc == (CAROL,)


def test_reply_all_to_own_sent_message_goes_to_its_recipients() -> None:
    m = msg(sender=ME, to=(ADELE, BOB), cc=(CAROL,))
    assert reply_recipients(m, ReplyKind.REPLY_ALL, [ME.address]) == ((ADELE, BOB), (CAROL,))
    assert reply_recipients(m, ReplyKind.REPLY, [ME.address]) == ((ADELE, BOB), ())


def test_forward_has_no_recipients() -> None:
    assert reply_recipients(msg(), ReplyKind.FORWARD, [ME.address]) == ((), ())


# --------------------------------------------------------------------------- layouts


def test_format_sent_outlook_style_in_zone() -> None:
    assert format_sent(SENT) == "Friday, November 20, 2026 3:04 PM"
    assert format_sent(SENT, timezone(timedelta(hours=-16))) == \
        "Thursday, November 19, 2026 11:04 PM"
    assert format_sent(SENT.replace(hour=0, minute=5)) == "Friday, November 20, 2026 12:05 AM"


def test_outlook_layout_signature_above_header_block_above_original() -> None:
    t = prepare_reply(msg(), ReplyKind.REPLY_ALL, own_addresses=[ME.address],
                      signature="Megan\nContoso", style="outlook")
    assert t.subject == "RE: Budget"
    assert t.text == "\n\nMegan\nContoso\n"
    assert t.quote is not None and t.quote.content_type == "text"
    body = assemble_body("Sounds good." + t.text, t.quote)
    assert body.content_type == "text"
    assert body.content == (
        "Sounds good.\n\nMegan\nContoso\n\n" + SEPARATOR + "\n"
        "From: Adele Vance <adele@contoso.example>\n"
        "Sent: Friday, November 20, 2026 3:04 PM\n"
        "To: Megan Bowen <megan@contoso.example>; Bob <bob@fabrikam.example>\n"
        "Cc: Carol <carol@fabrikam.example>\n"
        "Subject: Budget\n\nLine one\n\nLine two")


def test_no_cc_line_without_cc() -> None:
    t = prepare_reply(msg(cc=()), ReplyKind.REPLY, own_addresses=[ME.address])
    assert "\nCc:" not in t.quote.content


def test_inline_layout_quotes_with_gt_below_signature() -> None:
    m = msg(body=MessageBody("text", "Hello\n\n> older\nBye"))
    t = prepare_reply(m, ReplyKind.REPLY, own_addresses=[ME.address], signature="-- \nMegan",
                      style="inline")
    assert t.quote is None
    assert t.text == ("\n\n-- \nMegan\n\n"
                      "On Friday, November 20, 2026 3:04 PM, Adele Vance wrote:\n"
                      "> Hello\n>\n>> older\n> Bye\n")
    assert t.text.index("Megan") < t.text.index("> Hello")


def test_inline_quote_function() -> None:
    assert inline_quote("a\n\n>b\n") == "> a\n>\n>>b"


def test_forward_uses_header_block_even_in_inline_style() -> None:
    t = prepare_reply(msg(), ReplyKind.FORWARD, own_addresses=[ME.address], style="inline")
    assert t.to == () and t.subject == "FW: Budget"
    assert t.quote is not None and t.quote.content.startswith(SEPARATOR)


HTML_ORIGINAL = ('<html><head><style>p{color:red}</style></head><body dir="ltr">'
                 '<p class="x">Quarterly <b>numbers</b></p><img src="cid:logo"></body></html>')


def test_html_reply_keeps_original_html_and_escapes_user_text() -> None:
    t = prepare_reply(msg(body=MessageBody("html", HTML_ORIGINAL),
                          sender=Recipient("evil@x.example", "<script>Eve</script>")),
                      ReplyKind.REPLY, own_addresses=[ME.address], signature="Megan")
    assert t.quote is not None and t.quote.content_type == "html"
    body = assemble_body("Use <b>bold</b> & \"quotes\"\nline2" + t.text, t.quote)
    assert body.content_type == "html"
    c = body.content
    assert '<p class="x">Quarterly <b>numbers</b></p><img src="cid:logo">' in c
    assert "Use &lt;b&gt;bold&lt;/b&gt; &amp;" in c
    assert "<script>" not in c and "&lt;script&gt;Eve" in c
    assert 'id="divRplyFwdMsg"' in c
    assert c.index("Megan") < c.index("divRplyFwdMsg") < c.index("Quarterly")


def test_html_original_as_plain_text_for_inline_quoting() -> None:
    t = prepare_reply(msg(body=MessageBody("html", HTML_ORIGINAL)), ReplyKind.REPLY,
                      own_addresses=[ME.address], style="inline")
    assert "> Quarterly **numbers**" in t.text or "> Quarterly numbers" in t.text
    assert "<p" not in t.text and "color:red" not in t.text


def test_user_html_wins_for_markdown() -> None:
    body = assemble_body("ignored", None, user_html="<p><em>hi</em></p>")
    assert body.content_type == "html" and "<p><em>hi</em></p>" in body.content


def test_plain_new_mail_stays_plain() -> None:
    assert assemble_body("hello\n") == MessageBody("text", "hello\n")


# --------------------------------------------------------------------------- round trips


def test_split_text_round_trip() -> None:
    t = prepare_reply(msg(), ReplyKind.REPLY, own_addresses=[ME.address], signature="Megan")
    text = "Reply here" + t.text
    assert split_body(assemble_body(text, t.quote)) == (text, t.quote)


def test_split_html_round_trip() -> None:
    t = prepare_reply(msg(body=MessageBody("html", HTML_ORIGINAL)), ReplyKind.REPLY,
                      own_addresses=[ME.address])
    text = "a <tag> & b\n\nsecond" + t.text
    got_text, got_quote = split_body(assemble_body(text, t.quote))
    assert got_text == text
    assert got_quote == t.quote


def test_split_mark_typed_by_user_is_escaped() -> None:
    body = assemble_body(f"look {HTML_MARK} here", MessageBody("html", "<p>orig</p>"))
    assert split_body(body) == (f"look {HTML_MARK} here", MessageBody("html", "<p>orig</p>"))


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_text_to_html_reverses(text: str) -> None:
    text = text.replace("\r", "")
    assert html_to_own_text(text_to_html(text)) == text


def test_mentions_attachment_ignores_quoted_lines() -> None:
    assert mentions_attachment("See the attached report")
    assert mentions_attachment("Attachment: below")
    assert mentions_attachment("the contract is enclosed.")
    assert not mentions_attachment("hello\n> see attached\n")
    assert mentions_attachment("I am attaching it")
    assert not mentions_attachment("attachingly unattached detachment")


def test_reply_recipient_names_lose_control_characters() -> None:
    evil = Recipient("evil@x.example", "Eve\x1b[31m\r\nBcc: all")
    to, _ = reply_recipients(msg(sender=evil), ReplyKind.REPLY, [ME.address])
    assert to == (Recipient("evil@x.example", "Eve[31m Bcc: all"),)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
               max_size=120))
def test_split_text_round_trip_property(text: str) -> None:
    t = prepare_reply(msg(), ReplyKind.REPLY, own_addresses=[ME.address])
    text = "\n".join(line for line in text.split("\n") if line != SEPARATOR)
    got_text, got_quote = split_body(assemble_body(text, t.quote))
    assert got_quote == t.quote
    assert got_text.rstrip("\n") == text.rstrip("\n")


@pytest.mark.parametrize("hostile", [
    "<head" * 20000, "<body>" * 20000, "<body" * 20000, "<html" * 20000, "<!doctype" * 20000,
    "<" * 100000, "</body>" * 20000 + "<body>", "<head></head" * 10000,
], ids=["head", "body-tags", "body-open", "html", "doctype", "lt", "body-close", "head-pairs"])
def test_hostile_html_quotes_in_linear_time(hostile: str) -> None:
    import time

    started = time.perf_counter()
    t = prepare_reply(msg(body=MessageBody("html", hostile)), ReplyKind.FORWARD,
                      own_addresses=[ME.address])
    split_body(assemble_body("x", t.quote))
    assert time.perf_counter() - started < 3.0  # quadratic versions took 12-15 s


def test_huge_stacked_prefixes_strip_quickly() -> None:
    import time

    started = time.perf_counter()
    assert reply_subject("RE: " * 50000 + "Budget") == "RE: "  # cut at 2000 chars
    assert reply_subject("Re: " * 400 + "Budget") == "RE: Budget"
    assert time.perf_counter() - started < 1.0


def test_html_fragment_variants() -> None:
    from olk_tui.render.quote import html_fragment

    assert html_fragment('<HTML><HEAD><title>t</title></HEAD><BODY lang="x">in</BODY></HTML>') \
        == "in"
    assert html_fragment("<!DOCTYPE html><html><head><style>a{}</style></head><p>x</p></html>") \
        == "<p>x</p>"
    assert html_fragment("<p>a < b</p>") == "<p>a < b</p>"
