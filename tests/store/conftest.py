"""Fixtures for the store tests: a fresh cache and a factory of message summaries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from olk_tui.domain.ids import FolderId, MessageId
from olk_tui.domain.mail import Flag, FlagStatus, MessageSummary, Recipient
from olk_tui.store import Store

BASE = datetime(2026, 1, 1, tzinfo=UTC)


def summary(i: int, folder: str = "inbox", **kw: object) -> MessageSummary:
    """Message ``i``: received ``i`` minutes after BASE, every 3rd unread, every 5th flagged."""
    fields: dict[str, object] = dict(
        id=MessageId(f"m{i}"), folder_id=FolderId(folder), subject=f"Subject {i}",
        from_=Recipient(f"user{i % 7}@contoso.example", f"User {i % 7}"),
        to=(Recipient("megan@contoso.example", "Megan Bowen"),),
        preview=f"preview text number{i}", received=BASE + timedelta(minutes=i),
        is_read=i % 3 != 0, has_attachments=i % 4 == 0,
        flag=Flag(FlagStatus.FLAGGED if i % 5 == 0 else FlagStatus.NOT_FLAGGED))
    fields.update(kw)
    return MessageSummary(**fields)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "acct.sqlite3")
    yield s
    s.close()
