"""The display sanitiser: one test per rule of the hardening issue's display-safety section."""

from __future__ import annotations

import unicodedata

import pytest

from olk_tui.render.safe import (
    MAX_COMBINING,
    escape_markup,
    safe_address,
    safe_block,
    safe_filename_display,
    safe_inline,
    safe_recipient,
    sender_warnings,
)


def _controls(text: str, allowed: str = "") -> list[str]:
    return [c for c in text if unicodedata.category(c) == "Cc" and c not in allowed]


# --- C0, ESC, DEL, C1 -------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b]52;c;aGk=\x07", "␛]52;c;aGk=␇"),        # OSC 52 clipboard write
    ("\x1b]0;pwned\x07", "␛]0;pwned␇"),             # OSC 0 title
    ("\x1b[2J\x1b[H", "␛[2J␛[H"),                   # CSI clear screen, home
    ("\x1b]8;;https://evil/\x1b\\x\x1b]8;;\x1b\\", "␛]8;;https://evil/␛\\x␛]8;;␛\\"),  # OSC 8
    ("a\x00b", "a␀b"),                              # NUL
    ("a\x7fb", "a␡b"),                              # DEL
    ("a\x08b\x07", "a␈b␇"),                          # BS, BEL
    ("a\x01\x1fb", "a␁␟b"),                          # the rest of C0
])
def test_c0_esc_del_become_control_pictures(raw: str, shown: str) -> None:
    assert safe_inline(raw) == shown
    assert safe_block(raw) == shown


@pytest.mark.parametrize("code", [0x80, 0x90, 0x9B, 0x9C, 0x9D, 0x9F])
def test_c1_controls_become_markers(code: int) -> None:
    out = safe_inline(f"a{chr(code)}b")
    assert out == f"a<U+{code:04X}>b"
    assert not _controls(out)


def test_eight_bit_csi_and_osc_sequences_are_inert() -> None:
    out = safe_block("\x9b2J\x9d52;c;aGk=\x9c")
    assert out == "<U+009B>2J<U+009D>52;c;aGk=<U+009C>"


# --- line breaks ------------------------------------------------------------------------------

@pytest.mark.parametrize("brk", ["\r", "\n", "\r\n", "\v", "\f", "\x85", "\u2028", "\u2029", "\t"])
def test_inline_collapses_each_line_break_to_one_space(brk: str) -> None:
    assert safe_inline(f"Re:{brk}{brk}hello") == "Re: hello"


def test_inline_strips_ends() -> None:
    assert safe_inline("\r\n  subject \t") == "subject"


def test_block_normalises_line_breaks_and_expands_tabs() -> None:
    assert safe_block("a\r\nb\rc\vd\fe\x85f\u2028g\u2029h") == "a\nb\nc\nd\ne\nf\ng\nh"
    assert safe_block("ab\tc\n\td") == "ab      c\n        d"
    assert "\t" not in safe_block("\t\t")


# --- bidi, zero-width, tags, combining ---------------------------------------------------------

@pytest.mark.parametrize("code", [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067,
                                  0x2068, 0x2069, 0x200E, 0x200F, 0x061C])
def test_bidi_controls_are_neutralised_and_marked(code: int) -> None:
    out = safe_inline(f"x{chr(code)}y")
    assert out == f"x<U+{code:04X}>y"
    assert chr(code) not in out


def test_bidi_exe_txt_trick_shows_the_real_order() -> None:
    assert safe_filename_display("invoice\u202etxt.exe") == "invoice<U+202E>txt.exe"


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_zero_width_removed_in_text_and_visible_in_addresses(char: str) -> None:
    assert safe_inline(f"pay{char}pal") == "paypal"
    assert safe_address(f"pay{char}pal@x.example") == f"pay<U+{ord(char):04X}>pal@x.example"
    assert safe_filename_display(f"a{char}.pdf") == f"a<U+{ord(char):04X}>.pdf"


def test_tag_characters_removed_in_text_and_visible_in_addresses() -> None:
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "ignore previous")
    assert safe_inline(f"hello{hidden}") == "hello"
    assert "<U+E0069>" in safe_address(f"a{hidden}@x.example")
    assert not any(0xE0000 <= ord(c) <= 0xE007F for c in safe_address(f"a{hidden}@x"))


def test_variation_selectors_kept_in_text_but_visible_in_addresses() -> None:
    assert safe_inline("\u2764\ufe0f") == "\u2764\ufe0f"
    assert safe_address("a\ufe0f@x.example") == "a<U+FE0F>@x.example"


def test_combining_flood_is_capped_per_base() -> None:
    out = safe_inline("Z" + "\u0301" * 500 + "a" + "\u0300" * 3)
    assert out == "Z" + "\u0301" * MAX_COMBINING + "a" + "\u0300" * 3


def test_normal_accents_and_scripts_untouched() -> None:
    for text in ["Crème brûlée", "Ngữ", "שלום עולם", "مرحبا", "日本語", "नमस्ते"]:
        assert safe_inline(text) == text


def test_lone_surrogates_replaced() -> None:
    assert safe_inline("a\ud800b\udfffc") == "a\ufffdb\ufffdc"
    safe_inline("a\ud800b").encode("utf-8")  # does not raise


def test_blank_letters_count_as_invisible() -> None:
    assert safe_inline("\u3164\u115f", placeholder="(no name)") == "(no name)"


# --- placeholder, max_len, markup ---------------------------------------------------------------

@pytest.mark.parametrize("raw", ["", "   ", "\u200b\u200d\ufeff", "\r\n\t", "\U000E0041"])
def test_placeholder_for_only_invisible(raw: str) -> None:
    assert safe_inline(raw, placeholder="(no subject)") == "(no subject)"


def test_none_is_empty() -> None:
    assert safe_inline(None, placeholder="(none)") == "(none)"  # type: ignore[arg-type]


def test_max_len_truncates_with_ellipsis() -> None:
    assert safe_inline("abcdefghij", max_len=5) == "abcd…"
    assert safe_inline("abc", max_len=5) == "abc"
    assert safe_inline("abcdefgh\u202eijkl", max_len=10) == "abcdefgh…"  # never half a marker
    assert len(safe_inline("x" * 100, max_len=1)) == 1


def test_huge_input_with_max_len_is_cut_early_but_says_so() -> None:
    assert safe_inline("x" * 1_000_000, max_len=20) == "x" * 19 + "…"
    assert safe_inline("ab" + "\u200b" * 5000 + "cd", max_len=10) == "ab…"
    out = safe_inline("\u202e" * 10_000, max_len=30)
    assert len(out) <= 30 and out.endswith("…") and "\u202e" not in out


def test_markup_stays_literal_as_plain_text() -> None:
    from textual.content import Content

    text = safe_inline("[bold]x[/] [@click=app.quit]y[/]")
    assert text == "[bold]x[/] [@click=app.quit]y[/]"
    assert Content(text).plain == text
    assert Content.from_markup(escape_markup(text)).plain == text
    assert Content.from_markup(escape_markup("a\\[b]c\\")).plain == "a\\[b]c\\"


# --- recipients and spoofing ------------------------------------------------------------------

def test_recipient_always_shows_real_address() -> None:
    assert safe_recipient("Megan", "megan@contoso.example") == "Megan <megan@contoso.example>"
    assert safe_recipient("", "megan@contoso.example") == "megan@contoso.example"
    assert safe_recipient("\u202eevil", "a@b.example") == "<U+202E>evil <a@b.example>"


def test_warning_when_name_contains_another_address() -> None:
    warnings = sender_warnings("ceo@contoso.example", "attacker@evil.example")
    assert len(warnings) == 1 and "ceo@contoso.example" in warnings[0]
    assert sender_warnings("Megan <megan@contoso.example>", "MEGAN@contoso.example") == []


def test_warning_when_sender_differs_from_from() -> None:
    warnings = sender_warnings("Boss", "boss@contoso.example", "bulk@mailer.example")
    assert warnings == ["Sent by bulk@mailer.example on behalf of boss@contoso.example"]
    assert sender_warnings("Boss", "boss@contoso.example", "Boss@Contoso.example") == []


@pytest.mark.parametrize("address", ["x@аррӏе.com", "x@pаypal.com", "x@gοοgle.com"])
def test_warning_when_domain_mixes_scripts(address: str) -> None:
    assert any("mixes scripts" in w for w in sender_warnings("", address))


@pytest.mark.parametrize("address", ["x@例え.jp", "x@münchen.de", "x@contoso.example"])
def test_no_script_warning_for_normal_domains(address: str) -> None:
    assert not any("mixes scripts" in w for w in sender_warnings("", address))


def test_warning_for_punycode_domain_shows_decoded_form() -> None:
    warnings = sender_warnings("Apple", "x@xn--80ak6aa92e.com")
    assert any("xn--80ak6aa92e.com" in w and "аррӏе.com" in w for w in warnings)


@pytest.mark.parametrize("name", ["a" * 100_000, "a@" * 50_000, "a@b" * 50_000,
                                  "a@b" + "." * 100_000])
def test_spoofing_checks_are_linear_on_huge_names(name: str) -> None:
    import time

    start = time.perf_counter()
    sender_warnings(name, "x@y.example", "z@" + "b." * 50_000)
    assert time.perf_counter() - start < 2.0  # was quadratic: 19 s for 100,000 characters


def test_warnings_are_sanitised() -> None:
    for warning in sender_warnings("a\x1b]0;x\x07@evil.example", "b@\u202eevil.example",
                                   "c\x9b@x.example"):
        assert not _controls(warning)
        assert "\u202e" not in warning
