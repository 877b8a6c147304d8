"""The fast prose wrap gives exactly textwrap's lines, or declines (and textwrap is used)."""

from __future__ import annotations

import textwrap

from hypothesis import example, given, settings
from hypothesis import strategies as st

from olk_tui.render.wrap import wrap_simple

# Mostly what wrap_simple handles (words, runs of spaces, leading spaces, words longer than
# the line), plus what it must decline (hyphens, tabs, other whitespace).
_PIECES = st.sampled_from([
    "a", "bb", "word", "é", "日本", "*", "> ", "1.", "|", "x" * 19, "y" * 21, "z" * 90,
    " ", " ", " ", "  ", "   ", "-", "--", "\t", "\u00a0", "\u2003", "\x1f",
])


def _textwrap(para: str, width: int, indent: str) -> str:
    return "\n".join(textwrap.wrap(para, width, break_long_words=False,
                                   subsequent_indent=indent))


@settings(max_examples=1500, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=60).map("".join),
       st.integers(min_value=20, max_value=120), st.sampled_from(["", "    ", "> "]))
@example("  " + "x" * 30 + " word", 20, "")  # leading spaces before a word too long: declined
@example("word " + "x" * 30 + " more words", 20, "> ")
@example(" " * 5, 20, "")
def test_wrap_simple_equals_textwrap(para: str, width: int, indent: str) -> None:
    wrapped = wrap_simple(para, width, indent)
    if wrapped is not None:
        assert wrapped == _textwrap(para, width, indent)


def test_wrap_simple_handles_plain_prose() -> None:
    para = " ".join(f"word{i}" for i in range(200))
    assert wrap_simple(para, 40) == _textwrap(para, 40, "")
    assert wrap_simple("  * " + para, 40, "    ") == _textwrap("  * " + para, 40, "    ")


def test_wrap_simple_declines_what_textwrap_treats_specially() -> None:
    for para in ("well-known words " * 10, "tab\tseparated " * 10, "no\u00a0break " * 10,
                 "   ", "  " + "x" * 50 + " y"):
        assert wrap_simple(para, 20) is None
