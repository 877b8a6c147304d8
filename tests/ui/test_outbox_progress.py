"""The Outbox view shows a large attachment's upload progress next to its item (issue 6)."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.widgets import OptionList

from olk_tui.domain.mail import Draft, MessageBody, Recipient
from olk_tui.sync.api import OutboxChanged
from olk_tui.ui.compose import OutboxScreen
from olk_tui.ui.compose.outbox import progress_text
from tests.ui.compose_fakes import fake_account

DRAFT = Draft(subject="Quarterly", to=(Recipient("adele@contoso.example", "Adele Vance"),),
              body=MessageBody("text", "see attached"), attachment_paths=("/tmp/report.zip",))


class Host(App[None]):
    """An app showing one Outbox view."""

    def __init__(self, screen: OutboxScreen) -> None:
        super().__init__()
        self.outbox_screen = screen

    def on_mount(self) -> None:
        self.push_screen(self.outbox_screen)


def labels(app: App[None]) -> list[str]:
    options = app.screen.query_one("#items", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def settle(app: App[None], pilot: Any) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_upload_progress_shows_next_to_the_item_then_the_state_again() -> None:
    account, outbox, _ = fake_account()
    item = await outbox.send(DRAFT)
    await outbox.send(Draft(subject="Lunch?", to=DRAFT.to))
    outbox.set_state(item, "draft_created")
    reads = 0
    listing = outbox.outbox

    async def counted() -> list[tuple[str, str, Draft]]:
        nonlocal reads
        reads += 1
        return await listing()

    outbox.outbox = counted  # type: ignore[method-assign]
    app = Host(OutboxScreen(account))
    async with app.run_test(size=(120, 20)) as pilot:
        await settle(app, pilot)
        assert labels(app)[0].startswith("preparing Quarterly")
        assert "%" not in labels(app)[0]
        before = reads
        announce = account.mail.announce  # type: ignore[attr-defined]
        announce(OutboxChanged(item_id=item, state="uploading", progress=0.37,
                               detail="report.zip: 3.7 of 10.0 MB"))
        await settle(app, pilot)
        first, second = labels(app)
        assert first.startswith("uploading Quarterly")
        assert first.endswith("report.zip: 3.7 of 10.0 MB · 37%")
        assert second.startswith("waiting   Lunch?") and "%" not in second
        assert reads == before  # a range going up redraws the line, no re-read of the outbox
        announce(OutboxChanged(item_id=item, state="uploading", progress=1.0,
                               detail="report.zip: 10.0 of 10.0 MB"))
        await settle(app, pilot)
        assert labels(app)[0].endswith("report.zip: 10.0 of 10.0 MB · 100%")
        # the upload finished: the item's state shows again, without a percentage
        outbox.set_state(item, "attachments_uploaded")
        await settle(app, pilot)
        assert reads > before
        assert labels(app)[0].startswith("preparing Quarterly") and "%" not in labels(app)[0]
        assert app.screen.uploads == {}  # type: ignore[attr-defined]


async def test_progress_of_an_item_no_longer_listed_is_dropped() -> None:
    account, outbox, _ = fake_account()
    item = await outbox.send(DRAFT)
    app = Host(OutboxScreen(account))
    async with app.run_test(size=(120, 20)) as pilot:
        await settle(app, pilot)
        account.mail.announce(OutboxChanged(  # type: ignore[attr-defined]
            item_id=item, state="uploading", progress=0.5, detail="report.zip: 1 of 2 MB"))
        await settle(app, pilot)
        assert labels(app)[0].endswith("· 50%")
        await outbox.cancel(item)
        await settle(app, pilot)
        assert labels(app) == [] and app.screen.uploads == {}  # type: ignore[attr-defined]


def test_progress_text_is_clamped_and_made_safe() -> None:
    assert progress_text(0.371, "a.zip: 1 of 3 MB") == "a.zip: 1 of 3 MB · 37%"
    assert progress_text(1.7, "x") == "x · 100%"
    assert progress_text(-0.2, "x") == "x · 0%"
    assert progress_text(float("nan"), "x") == "x · 0%"
    assert progress_text(0.5, "") == "50%"
    shown = progress_text(0.5, "evil\x1b[2J[bold]name\n.zip")
    assert "\x1b" not in shown and "\n" not in shown and "[bold]" in shown
