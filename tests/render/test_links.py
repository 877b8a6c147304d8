"""Link classification and URL detection in plain text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def test_cached_classifier_answers_each_link_as_a_fresh_one() -> None:
    from olk_tui.render.links import LinkClassifier

    cases = [("Read more", "https://news.example/1"), ("Read more", "http://news.example/2"),
             ("Read more", "https://evil.example/3"), ("news.example", "https://evil.example/"),
             ("news.example", "https://news.example/"), ("x", "https://u@news.example/"),
             ("x", "https://news.example/"), ("x", "https://xn--pple-43d.com/"),
             ("x", "https://xn--pple-43d.com/b"), ("a@b.example", "mailto:c@d.example"),
             ("x", "javascript:alert(1)"), ("x", "https://[::1/")]
    shared = LinkClassifier()
    for text, url in cases:
        assert shared.classify(text, url) == LinkClassifier().classify(text, url) \
            == classify(text, url)
    assert "user name" in shared.classify("x", "https://u@news.example/")[2]
    assert "user name" not in shared.classify("x", "https://news.example/")[2]
    assert "goes to evil.example" in shared.classify("news.example", "https://evil.example/x")[2]


@given(st.sampled_from(["https://", "http://", "HTTP://", "mailto:", "https:/", "https:"]),
       st.text(alphabet="ab.@:[]/?#%\\ é1", max_size=20))
def test_authority_is_what_urlsplit_calls_the_netloc(prefix: str, rest: str) -> None:
    from urllib.parse import urlsplit

    from olk_tui.render.links import _AUTHORITY

    url = prefix + rest
    try:
        expected = urlsplit(url).netloc
    except ValueError:
        return
    match = _AUTHORITY.match(url)
    assert (match.group(1) if match else "") == expected
