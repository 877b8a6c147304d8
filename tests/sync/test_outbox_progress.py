"""A large attachment's upload session is announced range by range (issue 6).

The sender announces ``OutboxChanged(state="uploading", progress=sent/total, detail=...)``
after each ranged PUT, so the Outbox view can show how far a 3-150 MB attachment has got,
before the item moves on to being sent.
"""

from __future__ import annotations

from pathlib import Path

from olk_tui.domain.mail import Draft, MessageBody, Recipient
from olk_tui.store import outbox as st
from olk_tui.sync.api import OutboxChanged
from olk_tui.sync.outbox import CHUNK, UPLOADING

from .conftest import Harness

ADELE = "adele@contoso.example"
FIVE_MB = 5 * 1024 * 1024 + 3


def add_adele(h: Harness) -> None:
    if h.emu.mailbox(ADELE) is None:
        h.emu.add_mailbox(ADELE, "Adele Vance")


def draft(subject: str, *paths: Path) -> Draft:
    return Draft(subject=subject, to=(Recipient(ADELE, "Adele Vance"),),
                 body=MessageBody("text", "See attached"),
                 attachment_paths=tuple(str(p) for p in paths))


def events_of(h: Harness, item: str) -> list[OutboxChanged]:
    return [e for e in h.of(OutboxChanged) if e.item_id == item]


async def test_upload_session_progress_is_announced_before_the_send(
        hi: Harness, tmp_path: Path) -> None:
    h = hi
    add_adele(h)
    big = tmp_path / "report.zip"
    big.write_bytes(bytes(range(256)) * (FIVE_MB // 256) + b"end")
    size = big.stat().st_size
    item = await h.account.outbox.send(draft("Quarterly report", big))
    assert await h.svc.sender.run_once() == 0

    events = events_of(h, item)
    progress = [e for e in events if e.progress is not None]
    assert len(progress) == -(-size // CHUNK) >= 2  # one per uploaded range
    values = [e.progress for e in progress]
    assert values == sorted(values) and len(set(values)) == len(values)  # strictly rising
    assert 0 < values[0] < 1 and values[-1] == 1.0
    assert all(e.state == UPLOADING for e in progress)
    assert progress[-1].detail == "report.zip: 5.0 of 5.0 MB"
    assert progress[0].detail.startswith("report.zip: 3.") and "of 5.0 MB" in progress[0].detail
    # every progress event comes before the item moves past the upload, and it ends sent
    states = [e.state for e in events]
    last_progress = max(i for i, e in enumerate(events) if e.progress is not None)
    assert st.ATTACHMENTS_UPLOADED in states[last_progress:]
    assert st.CONFIRMED in states[last_progress:]
    assert all(s not in (st.ATTACHMENTS_UPLOADED, st.SEND_REQUESTED, st.CONFIRMED)
               for s in states[:last_progress])
    assert states[-1] == st.CONFIRMED
    # and the file arrived whole
    mb = h.emu.mailbox(ADELE)
    got = next(m for m in mb.messages.values() if m.get("subject") == "Quarterly report")
    assert [(a["name"], a["size"]) for a in mb.attachments[got["id"]].values()] \
        == [("report.zip", size)]


async def test_small_attachments_announce_no_progress(hi: Harness, tmp_path: Path) -> None:
    h = hi
    add_adele(h)
    small = tmp_path / "note.txt"
    small.write_bytes(b"a small note")
    item = await h.account.outbox.send(draft("Small", small))
    assert await h.svc.sender.run_once() == 0
    events = events_of(h, item)
    assert events and all(e.progress is None and e.state != UPLOADING for e in events)
    assert events[-1].state == st.CONFIRMED
