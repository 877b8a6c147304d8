"""Property tests of a message-list row: any hostile field gives exactly ``width`` cells of
plain text with no control character (nothing can reach the terminal raw)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import Flag, FlagStatus, MessageSummary, Recipient
from olk_tui.ui.mail.rows import RowStyles, row_text

CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
hostile = st.text(alphabet=st.characters(codec="utf-8"), max_size=80) | st.sampled_from([
    "\x1b]52;c;SGVsbG8=\x07", "\x1b[2J\x1b[H", "\u202egnp.exe", "漢字かな" * 10,
    "e\u0301\u0301\u0301\u0301\u0301\u0301", "\x9b31m", "[bold]markup[/bold]"])


@settings(max_examples=150, deadline=None)
@given(subject=hostile, name=hostile, address=hostile, preview=hostile,
       width=st.integers(min_value=30, max_value=200), unread=st.booleans(),
       flagged=st.booleans(), categories=st.lists(hostile, max_size=3))
def test_row_is_exactly_the_width_and_free_of_controls(subject, name, address, preview, width,
                                                       unread, flagged, categories) -> None:
    row = MessageSummary(
        id=MessageId("m"), folder_id=FolderId("f"), subject=subject,
        from_=Recipient(address, name), preview=preview, received=NOW, is_read=not unread,
        flag=Flag(FlagStatus.FLAGGED, due=NOW) if flagged else Flag(),
        categories=tuple(categories))
    text = row_text(row, width, now=NOW, tz=ZoneInfo("UTC"), tagged=False,
                    show_recipients=False, styles=RowStyles())
    assert text.cell_len == width
    assert not CONTROLS.search(text.plain)


def test_markup_in_a_subject_is_shown_literally() -> None:
    row = MessageSummary(id=MessageId("m"), folder_id=FolderId("f"),
                         subject="[bold red]urgent[/] [link=https://evil.example]x[/link]",
                         from_=Recipient("a@b.example", "A"), received=NOW)
    text = row_text(row, 160, now=NOW, tz=ZoneInfo("UTC"), tagged=False,
                    show_recipients=False, styles=RowStyles())
    assert "[bold red]urgent[/] [link=https://evil.example]x[/link]" in text.plain
    assert all(span.style != "bold red" for span in text.spans)


def test_sync_progress_announcements_collapse_but_changes_do_not() -> None:
    from olk_tui.sync.api import MessagesChanged, SyncStatus
    from olk_tui.ui.messages import RepositoryAnnounced

    older, newer = RepositoryAnnounced(SyncStatus(progress=0.1)), RepositoryAnnounced(
        SyncStatus(progress=0.2))
    change = RepositoryAnnounced(MessagesChanged())
    assert older.can_replace(newer)
    assert not older.can_replace(change) and not change.can_replace(newer)
