"""Address field parsing, validation and mailto: URLs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from olk_tui.domain.mail import Recipient
from olk_tui.render.addresses import (
    AddressError,
    address_problem,
    format_addresses,
    parse_addresses,
    parse_mailto,
    split_entries,
)


def test_name_and_address() -> None:
    parsed = parse_addresses("Adele Vance <adele@contoso.example>")
    assert parsed.ok
    assert parsed.recipients == (Recipient("adele@contoso.example", "Adele Vance"),)


def test_mixed_list_with_semicolons_commas_and_quoted_comma() -> None:
    parsed = parse_addresses(
        '"Vance, Adele" <adele@contoso.example>; bob@x.example , Carol <c@y.example>;')
    assert parsed.errors == ()
    assert parsed.recipients == (
        Recipient("adele@contoso.example", "Vance, Adele"),
        Recipient("bob@x.example"),
        Recipient("c@y.example", "Carol"),
    )


def test_semicolon_inside_quotes_does_not_split() -> None:
    assert split_entries('"a; b" <a@b.example>; c@d.example') == [
        '"a; b" <a@b.example>', "c@d.example"]


def test_duplicates_dropped_case_insensitively() -> None:
    parsed = parse_addresses("Bob@X.example, bob@x.example, BOB <bob@x.EXAMPLE>")
    assert [r.address for r in parsed.recipients] == ["Bob@X.example"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("bob", "no @"),
        ("bob@", "no domain"),
        ("@x.example", "nothing before"),
        ("a@b@c.example", "more than one @"),
        ("x@exa mple.com", "contains a space"),
        ("Bob Smith", "contains a space"),
        ("x@localhost", "needs a dot"),
        ("x@-bad.example", "not a valid domain"),
        ("x@1.2.3.4", "not a valid domain"),
        ("Bob <bob@x.example", "both < and >"),
        ("Bob <bob@x.example> junk", "after >"),
        ("a..b@x.example", "not allowed"),
        ("x@" + "a" * 250 + ".example", "too long"),
        ("bad\x1b[31m@x.example", "control"),
    ],
)
def test_bad_entries_give_readable_errors(text: str, fragment: str) -> None:
    parsed = parse_addresses(f"ok@fine.example, {text}")
    assert parsed.recipients[0].address == "ok@fine.example"
    assert len(parsed.errors) == 1
    assert fragment in parsed.errors[0]
    assert "\x1b" not in parsed.errors[0]


def test_unicode_addresses_accepted() -> None:
    assert address_problem("jörg@bücher.example") is None
    assert address_problem("x@xn--bcher-kva.example") is None


def test_empty_field_is_fine_and_empty() -> None:
    parsed = parse_addresses(" ; , ")
    assert parsed.ok and parsed.recipients == ()


def test_huge_field_refused_without_scanning() -> None:
    parsed = parse_addresses("a@b.example," * 5000)
    assert not parsed.ok and "too long" in parsed.errors[0]


def test_format_round_trips_awkward_names() -> None:
    recips = (Recipient("a@b.example", 'Vance, "Adele"'), Recipient("c@d.example"),
              Recipient("e@f.example", "Plain Name"))
    assert parse_addresses(format_addresses(recips)).recipients == recips


@given(st.lists(st.tuples(st.text(max_size=20), st.from_regex(
    r"[a-z][a-z0-9._-]{0,10}[a-z0-9]@[a-z]{1,10}\.[a-z]{2,5}", fullmatch=True)), max_size=5))
def test_format_parse_round_trip(pairs: list[tuple[str, str]]) -> None:
    recips = []
    seen = set()
    for name, addr in pairs:
        if ".." in addr or addr.casefold() in seen:
            continue
        seen.add(addr.casefold())
        recips.append(Recipient(addr, " ".join(name.split())))
    text = format_addresses(recips)
    parsed = parse_addresses(text)
    # Names made only of controls may be dropped; addresses always survive.
    assert [r.address for r in parsed.recipients] == [r.address for r in recips]


@given(st.text(max_size=200))
def test_parse_never_raises(text: str) -> None:
    parsed = parse_addresses(text)
    for r in parsed.recipients:
        assert address_problem(r.address) is None


# --------------------------------------------------------------------------- mailto


def test_mailto_full() -> None:
    draft = parse_mailto(
        "mailto:adele@contoso.example,bob@x.example?cc=c%40y.example&bcc=d@z.example"
        "&subject=Lunch%20plans%3F&body=Hi%20there%2C%0D%0Aare%20you%20free%3F+yes")
    assert [r.address for r in draft.to] == ["adele@contoso.example", "bob@x.example"]
    assert [r.address for r in draft.cc] == ["c@y.example"]
    assert [r.address for r in draft.bcc] == ["d@z.example"]
    assert draft.subject == "Lunch plans?"
    assert draft.body.content == "Hi there,\nare you free?+yes"
    assert draft.body.content_type == "text"


def test_mailto_to_header_and_case_insensitive_keys() -> None:
    draft = parse_mailto("MAILTO:?To=a@b.example&SUBJECT=x&x-evil=1&to=c@d.example")
    assert [r.address for r in draft.to] == ["a@b.example", "c@d.example"]
    assert draft.subject == "x"


def test_mailto_encoded_name() -> None:
    draft = parse_mailto("mailto:%22Vance%2C%20Adele%22%20%3Cadele@contoso.example%3E")
    assert draft.to == (Recipient("adele@contoso.example", "Vance, Adele"),)


@pytest.mark.parametrize("url", ["http://x.example", "adele@contoso.example",
                                 "mailto:not-an-address", "mailto:a@b.example?cc=bad"])
def test_mailto_bad(url: str) -> None:
    with pytest.raises(AddressError):
        parse_mailto(url)


def test_mailto_subject_newlines_collapsed() -> None:
    assert parse_mailto("mailto:a@b.example?subject=a%0D%0ABcc:%20x").subject == "a Bcc: x"


@pytest.mark.parametrize("hostile", [
    '"' * 19999, "<" * 19999, "(" * 19999, '"a,' * 6000, "x <" * 6000 + "a@b.example>",
    "\\" * 19999, "a@" + "a." * 9000 + "cd", "a" * 70 + "@" + "b" * 300 + ".example",
], ids=["quotes", "angles", "parens", "quoted-commas", "nested-angles", "backslashes",
        "many-labels", "long-parts"])
def test_hostile_fields_parse_quickly(hostile: str) -> None:
    import time

    started = time.perf_counter()
    parse_addresses(hostile)
    assert time.perf_counter() - started < 1.0
