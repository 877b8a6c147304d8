"""Link classification and URL detection in plain text."""

from __future__ import annotations

import pytest

from olk_tui.render.links import LinkTable, classify, find_urls, host_named_by_text


@pytest.mark.parametrize(("text", "urls"), [
    ("see https://a.example/x.", ["https://a.example/x"]),
    ("(https://a.example/wiki/Foo_(bar))", ["https://a.example/wiki/Foo_(bar)"]),
    ("<https://a.example/>", ["https://a.example/"]),
    ("mail mailto:a@b.example, or www.c.example!", ["mailto:a@b.example", "www.c.example"]),
    ("no links here, e.g. or i.e.", []),
    ("https://a.example/\x1b[2J", ["https://a.example/"]),
])
def test_find_urls(text: str, urls: list[str]) -> None:
    assert [u for _s, _e, u in find_urls(text)] == urls


@pytest.mark.parametrize(("text", "host"), [
    ("https://www.PayPal.com/login", "paypal.com"),
    ("www.bank.example", "bank.example"),
    ("paypal.com", "paypal.com"),
    ("user@paypal.com", "paypal.com"),
    ("Click here", ""),
    ("Read more about paypal.com here", ""),  # a sentence is not a claim about the target
])
def test_host_named_by_text(text: str, host: str) -> None:
    assert host_named_by_text(text) == host


def test_subdomains_of_the_claimed_host_are_fine() -> None:
    assert classify("contoso.example", "https://news.contoso.example/a")[2] == ""
    assert classify("news.contoso.example", "https://contoso.example/a")[2] == ""
    assert "goes to" in classify("contoso.example", "https://contoso.example.evil.example/")[2]


def test_whitespace_inside_href_is_removed_like_a_browser() -> None:
    url, openable, _warning = classify("x", "  https://a.exa\nmple/\t ")
    assert url == "https://a.example/" and openable


def test_table_numbers_in_order_and_caps_count() -> None:
    table = LinkTable()
    numbers = [table.add("t", f"https://x{i}.example/") for i in range(3)]
    assert numbers == [1, 2, 3]
    assert table.add("again", "https://x1.example/") == 2
    assert [link.number for link in table.links] == [1, 2, 3]
    listing = table.listing().split("\n")
    assert listing[0] == "Links:" and listing[2] == "[2] https://x1.example/"
