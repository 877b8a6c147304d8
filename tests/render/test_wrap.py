"""Our one wrapping pass gives what html2text's own ``optwrap`` gave, lines within the width."""

from __future__ import annotations

import html2text
from hypothesis import given, settings
from hypothesis import strategies as st

from olk_tui.render.html import html_to_text, wrap_paragraphs

_PIECES = st.sampled_from([
    "word", "longerword", "x" * 90, " ", "  ", "\t", "\r", "\x0b", "\u00a0", "\u2003", "-",
    "--", "---", "* ", "** ", "+ ", " +", "1. ", "12.", " | ", "> ", "    ", "\n", "\n\n",
    "[a](b)", "é", "\ue000",
])


def _reference(text: str, width: int) -> str:
    converter = html2text.HTML2Text(bodywidth=width)
    converter.wrap_list_items = True
    return converter.optwrap(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join), st.integers(min_value=20, max_value=100))
def test_wrap_matches_html2text(text: str, width: int) -> None:
    assert wrap_paragraphs(text, width) == _reference(text, width)


def test_wrap_keeps_tables_code_and_numbered_items() -> None:
    text = "a | b | " + "c" * 100 + "\n    code " + "d " * 60 + "\n1. " + "e " * 60
    assert wrap_paragraphs(text, 40) == _reference(text, 40)
    assert "a | b | " + "c" * 100 in wrap_paragraphs(text, 40)


def test_converted_prose_lines_fit_the_width() -> None:
    html = "<p>" + " ".join(f"word{i}" for i in range(400)) + "</p><ul><li>" + "item " * 50 \
        + "</li></ul><blockquote>" + "quoted " * 50 + "</blockquote>"
    for width in (20, 40, 78):
        body = html_to_text(html, width=width)
        assert all(len(line) <= width for line in body.text.split("\n"))
        assert body.text.count("word") == 400
