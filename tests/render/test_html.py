"""HTML bodies to text: links, images, hidden text, tables, quotes, bounds, no network."""

from __future__ import annotations

import socket
import time
import unicodedata
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import html2text
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from olk_tui.render import htmltree
from olk_tui.render.body import MAX_LINE_CHARS, MAX_LINES, finish, text_body
from olk_tui.render.html import html_to_text
from olk_tui.render.links import LinkTable


def _no_controls(text: str) -> bool:
    return not [c for c in text if unicodedata.category(c) == "Cc" and c != "\n"]


# --- links ------------------------------------------------------------------------------------

def test_links_are_numbered_in_text_and_listed_with_real_targets() -> None:
    body = html_to_text('<p>See <a href="https://a.example/x">the report</a> and '
                        '<a href="https://b.example/y?q=1&amp;r=2">this</a>.</p>')
    assert "the report [1]" in body.text and "this [2]" in body.text
    assert [(link.number, link.url) for link in body.links] == [
        (1, "https://a.example/x"), (2, "https://b.example/y?q=1&r=2")]
    assert "[1] https://a.example/x" in body.text
    assert "[2] https://b.example/y?q=1&r=2" in body.text
    assert all(link.openable and not link.warning for link in body.links)


def test_same_target_gets_same_number() -> None:
    body = html_to_text('<a href="https://a.example/">one</a> <a href="https://a.example/">two</a>')
    assert "one [1]" in body.text and "two [1]" in body.text
    assert len(body.links) == 1


@pytest.mark.parametrize(("text", "href"), [
    ("https://paypal.com/login", "https://evil.example/login"),
    ("www.mybank.example", "http://phish.example/"),
    ("paypal.com", "https://paypal.com@evil.example/"),
])
def test_warning_when_text_names_another_host(text: str, href: str) -> None:
    body = html_to_text(f'<a href="{href}">{text}</a>')
    assert "goes to" in body.links[0].warning
    assert "!" in body.text.split("Links:")[1]


def test_no_host_warning_for_same_host_or_plain_words() -> None:
    body = html_to_text('<a href="https://www.contoso.example/a">contoso.example</a> '
                        '<a href="https://news.contoso.example/">Read more</a>')
    assert [link.warning for link in body.links] == ["", ""]


@pytest.mark.parametrize("href", ["javascript:alert(1)", " JAVASCRIPT:alert(1)",
                                  "java\tscript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=",
                                  "vbscript:msgbox", "file:///etc/passwd", "relative/page.html",
                                  "ms-msdt:/id", "\x01javascript:x"])
def test_dangerous_schemes_are_inert_and_marked(href: str) -> None:
    body = html_to_text(f'<a href="{href}">click</a>')
    assert len(body.links) == 1
    link = body.links[0]
    assert not link.openable
    assert "disabled" in link.warning
    assert "(disabled)" in body.text
    assert _no_controls(link.url)


def test_huge_inert_link_is_kept_short() -> None:
    body = html_to_text('<a href="data:text/html;base64,' + "A" * 1_000_000 + '">x</a>')
    assert len(body.links[0].url) <= 2000
    assert len(body.text) < 1000


def test_http_is_openable_but_warned_and_mailto_openable() -> None:
    body = html_to_text('<a href="http://x.example">x</a> <a href="mailto:a@b.example">mail</a>')
    http, mailto = body.links
    assert http.openable and "not encrypted" in http.warning
    assert mailto.openable and mailto.warning == ""


def test_mailto_text_showing_another_address_is_warned() -> None:
    body = html_to_text('<a href="mailto:attacker@evil.example">ceo@contoso.example</a>')
    assert "writes to attacker@evil.example" in body.links[0].warning


def test_punycode_host_is_shown_decoded_and_script_mixing_flagged() -> None:
    body = html_to_text('<a href="https://xn--80ak6aa92e.com/">аррӏе.com</a> '
                        '<a href="https://xn--mnchen-3ya.de/">münchen.de</a>')
    apple, munich = body.links
    assert apple.warning == "international host name that mixes scripts: аррӏе.com"
    assert munich.warning == "international host name: münchen.de"  # same host: no mismatch


def test_fragment_links_are_not_numbered() -> None:
    assert html_to_text('<a href="#top">Top</a>').links == []


# --- images and fetching ------------------------------------------------------------------------

def test_images_become_placeholders_and_pixels_are_counted() -> None:
    body = html_to_text('<img src="https://cdn.example/logo.png" alt="Contoso logo">'
                        '<img src="cid:image001.png@01D">'
                        '<img src="https://t.example/o.gif" width="1" height="1" alt="">')
    assert "[image: Contoso logo]" in body.text
    assert "[image]" in body.text
    assert "t.example" not in body.text
    assert body.notices[0] == "2 remote image(s) blocked, 1 of them tracking pixels."


def test_nothing_is_fetched_while_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access while rendering")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    html = ('<html><head><link rel="stylesheet" href="https://css.example/a.css">'
            '<style>@import url(https://css.example/b.css); body{background:url(https://x/y)}'
            '</style></head><body background="https://bg.example/i.png">'
            '<img src="https://img.example/a.png" alt="a"><img srcset="https://img.example/b 2x">'
            '<iframe src="https://frame.example/"></iframe><object data="https://o.example/">'
            '</object><embed src="https://e.example/"><video src="https://v.example/v.mp4">'
            '</video><svg><image href="https://s.example/i.png"/></svg>'
            '<a href="https://link.example/"><img src="https://img.example/c.png" alt="c"></a>'
            '</body></html>')
    body = html_to_text(html)
    assert "[image: a]" in body.text and "[image: c] [1]" in body.text
    assert "embedded content: blocked" in body.text


# --- hidden text, dropped elements --------------------------------------------------------------

@pytest.mark.parametrize("style", ["display:none", "DISPLAY: NONE !important",
                                   "visibility:hidden", "font-size:0", "font-size:0px",
                                   "max-height:0px;overflow:hidden", "mso-hide:all",
                                   "opacity:0", "height:0;width:0;overflow:hidden"])
def test_css_hidden_preheader_is_dropped(style: str) -> None:
    body = html_to_text(f'<div style="{style}">SECRET preheader</div><p>Visible</p>')
    assert "SECRET" not in body.text
    assert "Visible" in body.text
    assert "1 hidden text fragment(s) removed." in body.notices


def test_hidden_attribute_and_preheader_class_dropped() -> None:
    body = html_to_text('<p hidden>A</p><span class="Preheader x">B</span><p>C</p>')
    assert "A" not in body.text and "B" not in body.text and "C" in body.text


def test_small_but_visible_font_is_kept() -> None:
    assert "fine print" in html_to_text('<p style="font-size:0.8em">fine print</p>').text


def test_style_script_head_content_dropped() -> None:
    body = html_to_text("<html><head><title>TITLE</title><style>p{color:red}</style></head>"
                        "<body><script>alert('x')</script><p>Body</p></body></html>")
    assert body.text == "Body"


# --- tables, lists, formatting ------------------------------------------------------------------

def test_data_table_kept_as_a_grid() -> None:
    body = html_to_text("<table><tr><th>Item</th><th>Qty</th></tr>"
                        "<tr><td><p class=MsoNormal>Apples</p></td><td>3</td></tr>"
                        "<tr><td>Pears</td><td>12</td></tr></table>")
    lines = body.text.split("\n")
    assert any("Item" in line and "Qty" in line for line in lines)
    assert any("Apples" in line and "3" in line for line in lines)
    assert any("Pears" in line and "12" in line for line in lines)


def test_layout_table_unwrapped_into_paragraphs() -> None:
    prose = "This is a long paragraph of newsletter prose " * 3
    body = html_to_text(f"<table><tr><td><table><tr><td>{prose}</td><td>Side</td></tr></table>"
                        "</td></tr></table>")
    assert "|" not in body.text
    assert "Side" in body.text
    assert max(len(line) for line in body.text.split("\n")) <= 78


def test_wraps_to_width_and_does_not_markdown_escape() -> None:
    body = html_to_text("<p>" + "word " * 40 + "</p><p>1. Not a list</p><p>- dash + plus</p>",
                        width=40)
    assert max(len(line) for line in body.text.split("\n")) <= 40
    assert "1. Not a list" in body.text and "- dash + plus" in body.text


def test_markup_in_html_stays_literal() -> None:
    assert "[bold]x[/]" in html_to_text("<p>[bold]x[/]</p>").text


# --- quoted history -----------------------------------------------------------------------------

def test_outlook_reply_block_marks_quote_start() -> None:
    body = html_to_text('<p>My answer</p><hr><div id="divRplyFwdMsg"><b>From:</b> Bob<br>'
                        "<b>Sent:</b> Monday<br><b>Subject:</b> Q</div><p>Old question</p>")
    lines = body.text.split("\n")
    assert body.quote_start_line is not None
    assert lines[body.quote_start_line] == "* * *"  # the rule above the header folds with it
    assert lines.index("From: Bob") in body.quoted_lines
    assert lines.index("My answer") not in body.quoted_lines
    assert lines.index("Old question") in body.quoted_lines


def test_gmail_quote_and_blockquote_marked() -> None:
    body = html_to_text('<div>Thanks!</div><div class="gmail_quote"><div>On Mon, Bob wrote:</div>'
                        "<blockquote>earlier text</blockquote></div>")
    lines = body.text.split("\n")
    assert lines[body.quote_start_line or 0].startswith("On Mon")
    assert any("earlier text" in lines[i] for i in body.quoted_lines)


def test_plain_outlook_header_without_markup_detected() -> None:
    body = html_to_text("<p>Reply</p><p>From: Bob<br>Sent: Monday<br>To: Me<br>"
                        "Subject: x</p><p>old</p>")
    assert body.text.split("\n")[body.quote_start_line or 0] == "From: Bob"


def test_no_quote_marks_for_ordinary_mail() -> None:
    body = html_to_text("<p>Hello</p><p>From: the team</p>")
    assert body.quote_start_line is None and body.quoted_lines == frozenset()


# --- control characters -----------------------------------------------------------------------

def test_html2text_itself_turns_charref_27_into_raw_esc() -> None:
    # The measured fact behind the final safe_block pass (a canary if html2text changes).
    assert "\x1b" in html2text.html2text("<p>a&#27;]0;title&#7;b</p>")


@pytest.mark.parametrize("html", ["<p>a&#27;]0;title&#7;b</p>", "<p>a\x1b]52;c;aGk=\x07b</p>",
                                  "<p>\x9b2J &#x9b; &#155; \x00 &#0; \x7f</p>",
                                  '<a href="https://x.example/\x1b[2J">t\x1bx</a>',
                                  '<img alt="\x1b]0;t\x07">'])
def test_no_control_characters_survive_conversion(html: str) -> None:
    body = html_to_text(html)
    assert _no_controls(body.text)
    assert all(_no_controls(f"{x.text}{x.url}{x.warning}") for x in body.links)


@given(st.lists(st.sampled_from([*"<>/ab=\"'&#;x\x1b\x9b\u202e\n",
                                "<p>", "<a href='javascript:x'>", "</a>", "<table>", "<td>",
                                "<blockquote>", "&#27;", "<img alt=x>", "<style>",
                                "<div style='display:none'>"]), max_size=60).map("".join))
@settings(max_examples=60, deadline=None)
def test_arbitrary_html_gives_safe_text(html: str) -> None:
    body = html_to_text(html)
    assert _no_controls(body.text)
    assert "\u202e" not in body.text


# --- bounds -----------------------------------------------------------------------------------

def test_ten_thousand_deep_nesting_finishes_quickly() -> None:
    for html in ["<ul><li>x" * 10_000, "<div>" * 10_000 + "deep" + "</div>" * 10_000,
                 "<blockquote>" * 10_000 + "deep", "<table><tr><td>" * 10_000 + "deep"]:
        start = time.perf_counter()
        body = html_to_text(html)
        assert time.perf_counter() - start < 10.0  # generous: it takes well under a second
        assert any("flattened" in notice for notice in body.notices)
        assert "x" in body.text or "deep" in body.text


def test_five_megabyte_body_is_cut_with_a_notice() -> None:
    html = "<p>" + ("lorem ipsum " * 100 + "</p><p>") * 4_500
    assert len(html) > 5_000_000
    body = html_to_text(html)
    assert body.truncated
    assert "only the first 2.0 MB is shown" in body.notices[0]


def test_parse_stops_at_the_time_budget() -> None:
    ticks = iter(range(1000))
    _root, stats = htmltree.parse_html("<p>x</p>" * 50_000, time_budget=2.5,
                                       clock=lambda: float(next(ticks)))
    assert stats.timed_out
    body = html_to_text("<p>x</p>" * 50_000, time_budget=0.0)
    assert body.truncated and any("too long" in n for n in body.notices)


def test_layout_stops_at_its_deadline() -> None:
    from olk_tui.render import html as html_module

    root, _stats = htmltree.parse_html("<p>a</p><p>b</p>", time_budget=10)
    ticks = iter([5.0, 50.0])  # first <p> in time, second too late
    converter = html_module._Converter(78)
    emitter = html_module._Emitter(LinkTable(), converter, deadline=10.0,
                                   clock=lambda: next(ticks))
    with pytest.raises(html_module._OutOfTimeError):
        emitter.run(root)  # what was emitted in time reaches html2text
    assert converter.result().strip() == "a"


def test_line_count_and_line_length_capped() -> None:
    body = finish("x\n" * (MAX_LINES + 50) + "y" * (MAX_LINE_CHARS + 10), LinkTable(), [])
    assert len(body.text.split("\n")) == MAX_LINES
    assert body.truncated and any("very long" in n for n in body.notices)
    long = finish("y" * (MAX_LINE_CHARS + 10), LinkTable(), [])
    assert len(long.text) == MAX_LINE_CHARS + 1


def test_concurrent_conversions_match_sequential() -> None:
    inputs = [f'<p>Mail {i} <a href="https://x{i}.example/">l</a></p><table><tr><td>a{i}</td>'
              f"<td>b</td></tr></table>" for i in range(16)]
    expected = [html_to_text(h) for h in inputs]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(html_to_text, inputs)) == expected


def test_none_and_empty_bodies() -> None:
    assert html_to_text(None).text == ""
    assert html_to_text("").links == []


# --- plain text -------------------------------------------------------------------------------

def test_text_body_numbers_links_and_marks_quotes() -> None:
    body = text_body("Hi,\r\nsee https://a.example/x. and www.b.example\n\nOn Mon, Bob wrote:\n"
                     "> old\n> javascript:alert(1)\n")
    lines = body.text.split("\n")
    assert [link.url for link in body.links] == ["https://a.example/x", "https://www.b.example"]
    assert lines[body.quote_start_line or 0] == "On Mon, Bob wrote:"
    assert {lines.index("> old")} <= body.quoted_lines
    assert lines.index("Hi,") not in body.quoted_lines
    assert "[1] https://a.example/x" in body.text


def test_text_body_is_sanitised() -> None:
    body = text_body("a\x1b]0;x\x07b\tc\u202e")
    assert body.text == "a␛]0;x␇b        c<U+202E>"  # tab stop at column 16
