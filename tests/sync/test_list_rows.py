"""The list rows sync fetches: what the app reads from a row, and nothing it does not."""

from __future__ import annotations

from olk_tui.domain.ids import FolderId
from olk_tui.graph.endpoints import MESSAGE_SUMMARY_SELECT
from olk_tui.sync.api import ListQuery
from olk_tui.sync.mailsync import SUMMARY_SELECT

from .conftest import Harness


def test_row_selects_leave_out_the_change_key() -> None:
    for fields in (SUMMARY_SELECT.split(","), MESSAGE_SUMMARY_SELECT):
        assert "changeKey" not in fields
        assert {"parentFolderId", "internetMessageId", "webLink"} <= set(fields)


async def test_synced_rows_keep_link_message_id_and_folder(hi: Harness) -> None:
    await hi.svc.engine.run_pass()
    inbox = hi.folder("inbox")
    rows = await hi.account.mail.window(ListQuery(folder_id=FolderId(inbox)), 0, 20)
    assert rows
    for row in rows:
        server = hi.mb.messages[row.id]
        assert row.web_link == server["webLink"] and row.web_link
        assert row.internet_message_id == server["internetMessageId"]
        assert row.folder_id == inbox
        assert row.change_key == ""  # not fetched any more
