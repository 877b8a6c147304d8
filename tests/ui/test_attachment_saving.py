"""Saving attachments from the reader goes through ``render.filenames.save_attachment``:
hostile names stay inside the folder, a planted symlink is never followed, files are 0600."""

from __future__ import annotations

import dataclasses
import stat
from pathlib import Path

from olk_tui.domain.ids import AttachmentId
from olk_tui.domain.mail import Attachment
from tests.ui.test_mail_journeys import settle

HOSTILE_NAMES = ("../../x", "\u202eexe.txt")


def check_files(tmp_path: Path, folder: Path, outside: Path, victim: Path) -> None:
    """Nothing escaped the folder or went through the link; files are 0600 with the bytes."""
    assert victim.read_bytes() == b"keep me"
    assert sorted(p.name for p in outside.iterdir()) == ["victim"]
    saved = sorted(p for p in folder.iterdir() if not p.is_symlink())
    assert [p.name for p in saved] == ["exe.txt", "x (1)"]
    for path in saved:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_bytes().startswith(b"attachment")
    assert not list(tmp_path.glob("x"))  # nothing escaped the folder


async def test_hostile_names_and_a_planted_symlink(app_and_mail, tmp_path: Path) -> None:
    app, mail = app_and_mail
    folder, outside = tmp_path / "downloads", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    victim = outside / "victim"
    victim.write_bytes(b"keep me")
    (folder / "x").symlink_to(victim)  # planted: saving "../../x" must not write through it
    app.download_dir = folder
    original = mail.message

    async def hostile(message_id):
        message = await original(message_id)
        return dataclasses.replace(message, attachments=tuple(
            Attachment(AttachmentId(f"{message_id}:h{i}"), name, size=10)
            for i, name in enumerate(HOSTILE_NAMES)))

    mail.message = hostile  # type: ignore[method-assign]
    fetched: list[AttachmentId] = []
    real_bytes = mail.attachment_bytes

    async def counting(message_id, attachment_id):
        fetched.append(attachment_id)
        return await real_bytes(message_id, attachment_id)

    mail.attachment_bytes = counting  # type: ignore[method-assign]

    async def refuse(*args, **kwargs):
        raise AssertionError("the UI must not use the repository's file writer")

    mail.save_attachment = refuse  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("a", "a", "enter")  # all of them, into the pre-filled folder
        await settle(pilot, app)
    assert len(fetched) == 2
    check_files(tmp_path, folder, outside, victim)
