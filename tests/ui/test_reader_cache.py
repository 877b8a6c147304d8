"""``ReaderCache``: converted messages kept per account, bounded, never a draft."""

from __future__ import annotations

import dataclasses

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import Message, MessageBody, MessageSummary
from olk_tui.render.body import RenderedBody
from olk_tui.ui.mail.reader_cache import ReaderCache, convert


def message(n: int, body: str = "hello", *, draft: bool = False) -> Message:
    row = MessageSummary(MessageId(f"m{n}"), FolderId("inbox"), subject=f"s{n}", is_draft=draft)
    return Message(row, MessageBody("text", body))


def test_kept_per_account_with_the_list_rows_current_state() -> None:
    cache = ReaderCache()
    m = message(1)
    cache.put("work", m, convert(m))
    assert cache.get("home", m.summary) is None
    read_now = dataclasses.replace(m.summary, is_read=False, subject="s1")
    found = cache.get("work", read_now)
    assert found is not None
    assert found[0].summary is read_now and found[1].text == "hello"


def test_drafts_are_never_kept() -> None:
    cache = ReaderCache()
    draft = message(2, draft=True)
    cache.put("work", draft, convert(draft))
    assert len(cache) == 0 and cache.get("work", draft.summary) is None


def test_bounded_in_entries_oldest_out_and_use_refreshes() -> None:
    cache = ReaderCache(max_entries=3)
    messages = [message(n) for n in range(4)]
    for m in messages[:3]:
        cache.put("a", m, convert(m))
    assert cache.get("a", messages[0].summary) is not None  # used: now the newest
    cache.put("a", messages[3], convert(messages[3]))
    assert len(cache) == 3
    assert cache.get("a", messages[1].summary) is None  # the least recently used went
    assert cache.get("a", messages[0].summary) is not None


def test_bounded_in_characters_and_huge_bodies_are_not_kept() -> None:
    cache = ReaderCache(max_chars=1_000)
    huge = message(1, "x" * 400)  # 400 raw + 400 converted > a quarter of the budget
    cache.put("a", huge, convert(huge))
    assert len(cache) == 0
    for n in range(10):
        m = message(n, "y" * 100)
        cache.put("a", m, RenderedBody("y" * 100))
    assert len(cache) == 5  # 200 characters each, 1,000 in all


def test_convert_reads_html_and_text() -> None:
    html = Message(message(1).summary, MessageBody("HTML", "<p>Hi <b>there</b></p>"))
    assert convert(html).text.strip() == "Hi there"
    assert convert(message(1, "plain\x1b[31m")).text.startswith("plain")
    assert "\x1b" not in convert(message(1, "plain\x1b[31m")).text
