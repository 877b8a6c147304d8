"""Leaving out html2text's no-op events changes nothing: same text as feeding every event."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import olk_tui.render.html as render_html
from olk_tui.render.html import html_to_text


class _Direct:
    """Every event passed straight to html2text (what the emitter did before batching)."""

    def __init__(self, converter: render_html._Converter) -> None:
        self.converter = converter

    def tag(self, tag: str, start: bool) -> None:
        self.converter.handle_tag(tag, {}, start)

    def data(self, text: str) -> None:
        self.converter.handle_data(text)

    def flush(self) -> None:
        pass


_TEXT = st.sampled_from(["a", "b c", " ", "\n ", "  ", "\t", "x y ", " z", "1. ", "* i", "--"])
_OPEN = st.sampled_from([
    "<div>", "<p>", "</div>", "</p>", "<b>", "</b>", "<span> ", "</span>", "<pre>", "</pre>",
    "<ul><li>", "<ol><li>", "</li>", "</ul>", "</ol>", "<br>", "<hr>", "<blockquote>",
    "</blockquote>", "<table><tr><td>", "<td>", "</td>", "<tr>", "</tr>", "</table>",
    "<a href='https://l.example/1'>", "</a>", "<dl><dt>", "<dd>", "</dl>", "<h2>", "</h2>",
])
_DATA_TABLE = "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr><td>x</td></table>"


def _both(html: str, width: int) -> tuple[str, str]:
    batched = html_to_text(html, width=width).text
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render_html, "_Events", _Direct)
        direct = html_to_text(html, width=width).text
    return batched, direct


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(_TEXT, _OPEN), max_size=50).map("".join),
       st.sampled_from([20, 40, 78]))
@example(_DATA_TABLE + "<div>y</div> <b>z</b> <div> </div> w", 40)  # td outside a row
@example("<ol><li>a<ul><li><pre>\n\n<i> </i>   k\n m</pre></li></ul></li></ol>", 40)
@example("<pre><br>x y<div> b c</div></br> </pre>", 40)  # spaces in <pre> are text
@example("<p>one <b>two</b> <i> three</i> </p> <div> </div>four", 40)
def test_batched_events_give_the_same_text(html: str, width: int) -> None:
    batched, direct = _both(html, width)
    assert batched == direct


def test_newsletter_needs_far_fewer_html2text_calls() -> None:
    from benchmarks.render_bench import newsletter

    calls = {"n": 0}
    real = render_html._Converter.handle_tag

    def counting(self: render_html._Converter, tag: str, attrs: dict[str, str | None],
                 start: bool) -> None:
        calls["n"] += 1
        real(self, tag, attrs, start)

    html = newsletter(30_000)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render_html._Converter, "handle_tag", counting)
        html_to_text(html)
        batched = calls["n"]
        calls["n"] = 0
        patch.setattr(render_html, "_Events", _Direct)
        html_to_text(html)
    assert batched * 3 < calls["n"]
    assert _both(html, 78)[0] == _both(html, 78)[1]
