"""Markdown bodies turned into HTML with ``markdown-it-py``.

``markdown-it-py`` is not a dependency of olk-tui: it is installed because Textual depends on
it. When it is missing the composer falls back to plain text. Raw HTML in the text is escaped,
never passed through, and single line breaks are kept, as people expect in mail.
"""

from __future__ import annotations


def markdown_to_html(text: str) -> str | None:
    """The HTML rendering of ``text``, or None when no Markdown library is available."""
    try:
        from markdown_it import MarkdownIt
    except ImportError:
        return None
    md = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})
    md.enable("table")
    md.enable("strikethrough")
    return md.render(text)
