"""The linear-time HTML tokenizer: correct on mail HTML, linear on hostile HTML."""

from __future__ import annotations

import html
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from olk_tui.render.html import html_to_text
from olk_tui.render.htmltokens import EndTag, StartTag, tokenize


def test_tags_attributes_and_text() -> None:
    tokens = list(tokenize('<A HREF="x?a=1&amp;b=2" class=c id=\'q\' hidden>t &lt;3</a>'))
    assert tokens == [StartTag("a", {"href": "x?a=1&b=2", "class": "c", "id": "q", "hidden": ""}),
                      "t <3", EndTag("a")]


@pytest.mark.parametrize(("source", "expected"), [
    ("<br/>", [StartTag("br", {}, self_closing=True)]),
    ('<img src=x alt="a>b"/>', [StartTag("img", {"src": "x", "alt": "a>b"}, self_closing=True)]),
    ('<a b="x"c=d>', [StartTag("a", {"b": "x", "c": "d"})]),
    ('<p\n class = "z" >', [StartTag("p", {"class": "z"})]),
    ('<a x=1 x=2>', [StartTag("a", {"x": "1"})]),
    ("<a b=x/>", [StartTag("a", {"b": "x/"})]),
])
def test_start_tag_forms(source: str, expected: list[object]) -> None:
    assert list(tokenize(source)) == expected


def test_comments_doctype_cdata_and_pi_are_skipped() -> None:
    tokens = list(tokenize("<!DOCTYPE html>a<!-- <b>x</b> -->b<![CDATA[c]]>d<?xml v?>e"))
    assert tokens == ["a", "b", "d", "e"]
    assert not any(isinstance(t, StartTag) for t in tokens)


def test_raw_text_elements_are_skipped_whole() -> None:
    tokens = list(tokenize("<script>if (a<b) { x = '</div>' }</SCRIPT >after"))
    assert tokens == [StartTag("script", {}), EndTag("script"), "after"]


def test_literal_less_than_stays_text() -> None:
    assert list(tokenize("a < b <3 <<")) == ["a < b <3 <<"]


def test_unterminated_constructs_consume_the_rest() -> None:
    assert list(tokenize("ok<!-- never closed <b>x")) == ["ok"]
    assert list(tokenize('ok<a href="never closed <b>x')) == ["ok"]
    assert list(tokenize("ok<style>never closed")) == ["ok", StartTag("style", {}),
                                                        EndTag("style")]


def test_attribute_count_is_capped() -> None:
    tag = next(iter(tokenize("<a " + " ".join(f"a{i}=1" for i in range(100)) + ">")))
    assert isinstance(tag, StartTag) and len(tag.attrs) == 32


@given(st.text(max_size=200))
def test_never_raises_and_plain_text_round_trips(source: str) -> None:
    tokens = list(tokenize(source))
    if "<" not in source:
        assert "".join(t for t in tokens if isinstance(t, str)) == html.unescape(source)


# The standard library's HTMLParser takes minutes on several of these (measured on CPython
# 3.11: '<a b="' * 50000 about 400 s); they must stay fast through the whole conversion.
@pytest.mark.parametrize("source", [
    '<a b="' * 50_000, "<a b='" * 50_000, "<!--" * 50_000, "</" * 100_000, "</a" * 100_000,
    "<!" * 100_000, "<![CDATA[" * 50_000, "<" * 200_000, "<a" * 100_000, "<a " * 100_000,
    "<?" * 100_000, "<script>" * 50_000, "<script>" + "</scrip" * 50_000,
    "<a " + "b= " * 200_000 + ">", "a<!---->" * 100_000,
], ids=lambda s: repr(s[:12]))
def test_hostile_inputs_are_linear(source: str) -> None:
    start = time.perf_counter()
    html_to_text(source)
    assert time.perf_counter() - start < 5.0  # each takes well under a second
