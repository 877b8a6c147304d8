"""Notifications: new mail found by the real sync gives a toast and runs the hook (argv, no
shell); a failing hook is reported once; follow-up flags coming due with an injected clock;
events changed by someone else."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from textual.app import App
from textual.widgets import Static

from olk_tui.commands.app import DEMO_BASE
from olk_tui.config import UiConfig
from olk_tui.domain.calendar import Event
from olk_tui.domain.ids import EventId, FolderId, MessageId
from olk_tui.domain.mail import Flag, FlagStatus, MessageSummary, Recipient
from olk_tui.domain.operations import SetFlag
from olk_tui.sync.api import EventsChanged, ListQuery, NewMail
from olk_tui.ui.notify import Notifier
from tests.ui.test_contacts_journeys import started_stack, wait_for

HOSTILE = "Invoice; rm -rf ~ $(touch /tmp/olk-pwned) `id` \x1b[31mred\x07"

HOOK = """
import json, sys
with open(sys.argv[1], "a") as out:
    out.write(json.dumps(sys.argv[2:]) + "\\n")
"""


def pwned() -> bool:
    return Path("/tmp/olk-pwned").exists()


class ToastApp(App[None]):
    """Records every toast (text, title, severity, markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.toasts: list[tuple[str, str, str, bool]] = []
        self.bells = 0

    def compose(self):
        yield Static("notify test")

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        self.toasts.append((message, title, severity, markup))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def bell(self) -> None:
        self.bells += 1


async def test_new_mail_from_sync_toasts_and_runs_the_hook(tmp_path: Path) -> None:
    emu, account, cleanup = await started_stack()
    script = tmp_path / "hook.py"
    script.write_text(HOOK)
    out = tmp_path / "argv.jsonl"
    ui = UiConfig(bell=True, new_mail_hook=(sys.executable, str(script), str(out)))
    app = ToastApp()
    try:
        async with app.run_test() as pilot:
            notifier = Notifier(app, account, ui, due_interval=None).attach()
            # Wait for the first sync of the Inbox (no NewMail for the initial load).
            inbox: FolderId | None = None

            async def inbox_ready() -> bool:
                nonlocal inbox
                folders = await account.mail.folders()
                inbox = next((f.id for f in folders if f.well_known_name == "inbox"), None)
                return inbox is not None and await account.mail.count(ListQuery(inbox)) > 0

            for _ in range(200):
                if await inbox_ready():
                    break
                await pilot.pause(0.05)
            assert inbox is not None
            async with httpx.AsyncClient(transport=emu.transport(), base_url=DEMO_BASE) as http:
                (await http.post("/v1.0/me/sendMail", json={"message": {
                    "subject": HOSTILE, "body": {"contentType": "text", "content": "x"},
                    "toRecipients": [{"emailAddress": {"address": "megan@contoso.example"}}]},
                })).raise_for_status()
            await account.mail.refresh(inbox)
            assert await wait_for(pilot, lambda: out.exists() and out.read_text().strip())
            args = json.loads(out.read_text().splitlines()[0])
            sender, subject = args
            assert "megan@contoso.example" in sender
            # Shell syntax arrives literally; control characters do not arrive at all.
            assert subject.startswith("Invoice; rm -rf ~ $(touch /tmp/olk-pwned) `id`")
            assert "\x1b" not in subject and "\x07" not in subject
            assert not pwned()
            toast = next(t for t in app.toasts if t[1] == "New mail")
            assert "Invoice; rm -rf ~" in toast[0] and toast[3] is False
            assert "\x1b" not in toast[0]
            assert app.bells >= 1
            notifier.detach()
    finally:
        await account.close()  # type: ignore[misc]
        cleanup()


def _row(n: int, subject: str = "Hello", due: datetime | None = None) -> MessageSummary:
    flag = Flag(FlagStatus.FLAGGED, due=due) if due else Flag()
    return MessageSummary(id=MessageId(f"m{n}"), folder_id=FolderId("inbox"), subject=subject,
                          from_=Recipient(f"p{n}@example.com", f"Person {n}"), is_read=False,
                          flag=flag)


async def test_missing_hook_is_reported_once_and_never_crashes() -> None:
    app = ToastApp()
    ui = UiConfig(new_mail_hook=("/nonexistent/olk-hook",), notify_new_mail=False)

    class NoMail:
        def subscribe(self, listener):
            self.listener = listener
            return lambda: None

    account: Any = type("A", (), {"mail": NoMail()})()
    async with app.run_test() as pilot:
        notifier = Notifier(app, account, ui, due_interval=None).attach()
        account.mail.listener(NewMail(messages=(_row(1), _row(2))))
        account.mail.listener(NewMail(messages=(_row(3),)))
        assert await wait_for(pilot, lambda: not notifier.hook_runs)
        problems = [t for t in app.toasts if t[1] == "new_mail_hook"]
        assert len(problems) == 1 and "could not be started" in problems[0][0]
        assert app.is_running


async def test_follow_up_due_with_injected_clock() -> None:
    _emu, account, cleanup = await started_stack()
    now = [datetime(2030, 1, 7, 9, 0, tzinfo=UTC)]
    app = ToastApp()
    try:
        async with app.run_test() as pilot:
            assert await wait_for(pilot, lambda: True)
            notifier = Notifier(app, account, UiConfig(), clock=lambda: now[0],
                                due_interval=None).attach()
            rows: list[MessageSummary] = []
            for _ in range(200):
                rows = await account.mail.window(ListQuery(None), 0, 1)
                if rows:
                    break
                await pilot.pause(0.05)
            target = rows[0]
            due = now[0] + timedelta(hours=1)
            await account.mail.submit(SetFlag(message_ids=(target.id,), flag=Flag(
                FlagStatus.FLAGGED, start=now[0], due=due)))
            assert await notifier.check_due() == []
            now[0] += timedelta(hours=2)
            found = await notifier.check_due()
            assert [r.id for r in found] == [target.id]
            assert any(t[1] == "Follow-up due" for t in app.toasts)
            now[0] += timedelta(hours=2)
            assert await notifier.check_due() == []  # told once
    finally:
        await account.close()  # type: ignore[misc]
        cleanup()


def _event(n: int, subject: str, *, organizer: bool = False, hour: int = 10,
           cancelled: bool = False) -> Event:
    start = datetime(2026, 11, 25, hour, tzinfo=UTC)
    return Event(id=EventId(f"e{n}"), subject=subject, start=start,
                 end=start + timedelta(hours=1), is_organizer=organizer,
                 is_cancelled=cancelled, organizer=Recipient("boss@contoso.example", "Boss"))


async def test_events_changed_by_someone_else() -> None:
    events = [_event(1, "Standup"), _event(2, "Mine", organizer=True)]

    class Calendar:
        async def events(self, start, end):
            return list(events)

    account: Any = type("A", (), {"calendar": Calendar(), "mail": object(),
                                  "settings": type("S", (), {"time_zone": "UTC"})()})()
    app = ToastApp()
    async with app.run_test():
        notifier = Notifier(app, account, UiConfig(), due_interval=None)
        window = EventsChanged(start=datetime(2026, 11, 1, tzinfo=UTC),
                               end=datetime(2026, 12, 1, tzinfo=UTC))
        assert await notifier.events_changed(window) == []  # first sync: learn only
        events[0] = _event(1, "Standup", hour=11)           # moved by the organiser
        events[1] = _event(2, "Mine moved", organizer=True, hour=12)
        events.append(_event(3, "Review [b]x[/b]"))         # a new invitation
        found = await notifier.events_changed(window)
        assert sorted((what, ev.id) for what, ev in found) == [("added", "e3"),
                                                               ("changed", "e1")]
        titles = [t[1] for t in app.toasts]
        assert "Event added by Boss" in titles and "Event changed by Boss" in titles
        assert all(t[3] is False for t in app.toasts)
        events[0] = _event(1, "Standup", hour=11, cancelled=True)
        found = await notifier.events_changed(window)
        assert [(w, e.id) for w, e in found] == [("cancelled", "e1")]
        # The user's own change (no range): learnt silently.
        events[2] = _event(3, "Review renamed")
        assert await notifier.events_changed(EventsChanged()) == []
        assert await notifier.events_changed(window) == []
