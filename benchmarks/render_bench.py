"""HTML body conversion timings: a 200 KB newsletter, a 5 MB body, 10,000-deep nesting.

``run()`` returns (metric, value, unit) rows; ``python benchmarks/render_bench.py`` prints them.
The generators are deterministic and shared with the render tests.
"""

from __future__ import annotations

import time

from olk_tui.render.html import html_to_text
from olk_tui.render.safe import safe_block

_CARD = """
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px">
 <tr><td style="padding:12px;font-family:Arial">
  <a href="https://news.example/item/{n}?utm_source=mail&amp;utm_id={n}">
   <img src="https://cdn.example/img/{n}.jpg" alt="Story {n}" width="560" height="200"></a>
  <h2 style="font-size:20px;margin:0">Story number {n}: something happened today</h2>
  <p style="color:#333">Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod
  tempor incididunt ut labore et dolore magna aliqua &amp; more. Ut enim ad minim veniam, quis
  nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.</p>
  <table><tr><td><a href="https://news.example/read/{n}" style="color:#06c">Read more</a></td>
   <td><a href="https://news.example/share/{n}">Share</a></td></tr></table>
 </td></tr>
</table>
"""


def newsletter(size: int = 200_000) -> str:
    """A marketing-style HTML newsletter of about ``size`` characters."""
    head = ("<html><head><style>.x{color:red}</style></head><body>"
            '<div style="display:none;max-height:0;overflow:hidden">Preheader text</div>'
            '<img src="https://track.example/open.gif" width="1" height="1">')
    cards: list[str] = []
    total = len(head)
    n = 0
    while total < size:
        card = _CARD.format(n=n)
        cards.append(card)
        total += len(card)
        n += 1
    return head + "".join(cards) + "</body></html>"


def deep_nesting(depth: int = 10_000) -> str:
    """A list nested ``depth`` levels deep, each level with an item."""
    return "<ul><li>x" * depth + "</li></ul>" * depth


def _time(fn: object, *args: object, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best * 1000


def run() -> list[tuple[str, float, str]]:
    """Measure and return (metric, value, unit) rows (best of three, milliseconds)."""
    news = newsletter(200_000)
    huge = newsletter(5_000_000)
    deep = deep_nesting(10_000)
    hostile = "word \x1b[2J\u202e\u200b e\u0301\u0301 \x9b\r\n\t" * 40_000
    return [
        ("html_to_text 200 KB newsletter", _time(html_to_text, news), "ms"),
        ("html_to_text 5 MB body (cut to 2 MB, with notice)", _time(html_to_text, huge, repeat=1),
         "ms"),
        ("html_to_text 10,000-deep nested list", _time(html_to_text, deep), "ms"),
        ("safe_block 1 MiB hostile text", _time(safe_block, hostile), "ms"),
    ]


if __name__ == "__main__":
    for metric, value, unit in run():
        print(f"{metric}: {value:.1f} {unit}")
