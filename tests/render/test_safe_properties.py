"""Property tests for the display sanitiser: idempotent, no controls out, bounded, fast."""

from __future__ import annotations

import time
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from olk_tui.render.safe import (
    BIDI_CONTROLS,
    MAX_COMBINING,
    MAX_GROWTH,
    safe_address,
    safe_block,
    safe_inline,
)

# Text biased towards the characters that matter: controls, bidi, zero-width, tags, marks,
# surrogates and line breaks, mixed with ordinary letters.
_HOSTILE = st.sampled_from(
    [chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\x9b", "\x9d", "\x9c", "\u2028", "\u2029"]
    + sorted(BIDI_CONTROLS) + ["\u200b", "\u200d", "\ufeff", "\u00ad", "\U000e0041",
                               "\U000e007f", "\u0301", "\u0489", "\ufe0f", "\ud800", "\udfff",
                               "\u3164", "<", "U", "+", ">", "[", "]", "\\", "…", " "])
_TEXT = st.lists(st.one_of(_HOSTILE, st.characters()), max_size=80).map("".join)


def _bad(text: str, allowed: str = "") -> list[str]:
    return [c for c in text
            if (unicodedata.category(c) in ("Cc", "Cs") and c not in allowed)
            or c in BIDI_CONTROLS]


def _longest_mark_run(text: str) -> int:
    longest = run = 0
    for char in text:
        run = run + 1 if unicodedata.category(char)[0] == "M" else 0
        longest = max(longest, run)
    return longest


@given(_TEXT)
def test_inline_output_has_no_controls_and_is_idempotent(text: str) -> None:
    out = safe_inline(text)
    assert not _bad(out)
    assert safe_inline(out) == out
    assert _longest_mark_run(out) <= MAX_COMBINING
    assert len(out) <= MAX_GROWTH * len(text)


@given(_TEXT)
def test_block_output_keeps_only_newline_and_is_idempotent(text: str) -> None:
    out = safe_block(text)
    assert not _bad(out, allowed="\n")
    assert safe_block(out) == out
    assert _longest_mark_run(out) <= MAX_COMBINING
    assert len(out) <= MAX_GROWTH * len(text)


@given(_TEXT, st.integers(min_value=0, max_value=40))
def test_max_len_is_respected_and_idempotent(text: str, max_len: int) -> None:
    out = safe_inline(text, max_len=max_len, placeholder="(none)")
    assert len(out) <= max_len
    assert safe_inline(out, max_len=max_len, placeholder="(none)") == out


@given(_TEXT)
def test_address_mode_leaves_nothing_invisible(text: str) -> None:
    out = safe_address(text)
    assert not _bad(out)
    assert safe_address(out) == out
    for char in out:
        assert unicodedata.category(char) != "Cf"
        assert not 0xE0000 <= ord(char) <= 0xE007F


@given(_TEXT)
@settings(max_examples=50)
def test_markup_escape_round_trips_through_textual(text: str) -> None:
    from textual.content import Content

    from olk_tui.render.safe import escape_markup

    shown = safe_inline(text)
    assert Content.from_markup(escape_markup(shown)).plain == shown


def test_one_mebibyte_is_fast_relative_to_a_plain_copy() -> None:
    hostile = "".join(["word \x1b[2J\u202e\u200b e\u0301\u0301 \x9b\r\n\t"] * 40_000)[:1 << 20]
    safe_inline("warm up the tables")
    start = time.perf_counter()
    out = safe_block(hostile)
    elapsed = time.perf_counter() - start
    assert not _bad(out, allowed="\n")
    # Regex-driven, not a per-character Python loop: a generous bound that still catches an
    # accidental quadratic or per-character implementation (which takes many seconds).
    assert elapsed < 3.0, elapsed


def _inline_reference(text: str, max_len: int | None, placeholder: str,
                      reveal_invisible: bool) -> str:
    """safe_inline as it was before its printable-ASCII fast path (the general path only)."""
    from olk_tui.render import safe

    cut = False
    if max_len is not None and len(text) > 4 * max_len + 256:
        text, cut = text[:4 * max_len + 256], True
    result = safe._sanitise(text, block=False, reveal_invisible=reveal_invisible).strip()
    if safe._is_blank(result):
        result = placeholder
    return safe._truncate(result, max_len, force=cut and not result.endswith("…"))


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from([*" abc.@<>[]…", "\t", "\n", "\x1b", "\x7f", "é"]),
               max_size=40),
       st.one_of(st.none(), st.integers(min_value=-1, max_value=45)),
       st.sampled_from(["", "(none)", "(no subject at all)"]), st.booleans())
def test_safe_inline_fast_path_changes_nothing(text: str, max_len: int | None,
                                               placeholder: str, reveal: bool) -> None:
    assert safe_inline(text, max_len, placeholder=placeholder, reveal_invisible=reveal) == \
        _inline_reference(text, max_len, placeholder, reveal)
