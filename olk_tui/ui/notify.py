"""Notifications: new mail, follow-up flags coming due, events changed by someone else.

One call hooks it up (the app shell, once mounted)::

    self.notifier = Notifier(self, self.account, self.settings).attach()
    ...
    self.notifier.detach()      # on unmount (also stops the due-date timer)

With several accounts, ``Notifiers`` keeps one ``Notifier`` per account (added as each
account starts, whether it is on screen or not), each naming its account in its toasts
(``[home] Sender <a@b>``) and in the hook's environment (``OLK_TUI_ACCOUNT``).

What it does:

- ``NewMail`` (announced by the mail sync for unread Inbox arrivals): a toast with sender
  and subject, the terminal bell when ``[ui] bell`` is on, and the ``[ui] new_mail_hook``
  command run once per message as ``argv + [sender, subject]`` with
  ``asyncio.create_subprocess_exec`` (never a shell; both arguments sanitised of control
  characters; no stdin; stdout/stderr discarded; 30 s at most), with the account's name in
  the ``OLK_TUI_ACCOUNT`` environment variable. A hook that is missing or
  fails is reported once as a toast and never stops the app. Unread counts are not this
  module's job: the mail UI follows ``MessagesChanged``/``FoldersChanged``.
- Follow-up flags: every ``due_interval`` seconds the cached flagged messages are checked with
  the injected ``clock``; a due date that passed since the last check gives one toast.
- ``OperationFailed`` (a change the server refused, undone locally) and a failed send
  (``OutboxChanged`` with state ``failed``): an error toast (:func:`account_toast`). These are
  the app's own toasts too (``olk_tui.ui.announcements``) until the notifiers have started;
  from then on the account's notifier says them, so they name their account like the rest.
- ``EventsChanged`` from the calendar sync (it carries the synced range): events in that range
  that are new or changed, and that the user does not organise, give a toast. The first
  announcement for a range only learns what is there (no toasts for the first sync), and
  the user's own changes (announced without a range) only refresh what is known.

Every toast is plain text (``markup=False``) built from ``olk_tui.render.safe`` output.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from textual.app import App
from textual.timer import Timer

from olk_tui.domain.calendar import Event
from olk_tui.domain.errors import OlkError
from olk_tui.domain.mail import MessageSummary
from olk_tui.render.safe import safe_inline, safe_recipient
from olk_tui.sync.api import (
    Account,
    EventsChanged,
    ListQuery,
    NewMail,
    OperationFailed,
    OutboxChanged,
    RepoEvent,
)
from olk_tui.ui.listening import subscribe
from olk_tui.ui.text import inline, mailbox_zone

#: Seconds a hook may run before it is killed.
HOOK_TIMEOUT = 30.0
#: How many new messages get a toast (and a hook run) each; the rest are summed up.
MAX_PER_BATCH = 3
#: The environment variable that tells the new-mail hook which account the mail is for.
ACCOUNT_ENV = "OLK_TUI_ACCOUNT"


def sender_of(row: MessageSummary) -> str:
    """``Name <address>`` of the sender, sanitised (one line, no controls)."""
    who = row.from_ or row.sender
    if who is None:
        return "(unknown sender)"
    return safe_recipient(who.name, who.address, 160)


def subject_of(row: MessageSummary) -> str:
    """The subject, sanitised (one line, no controls)."""
    return safe_inline(row.subject, 200, placeholder="(no subject)")


def account_toast(event: RepoEvent) -> tuple[str, str, float] | None:
    """The toast an account's announcement calls for, as (text, severity, timeout), or None.

    A reverted operation and a failed (or refused) send; the text is sanitised plain text.
    """
    if isinstance(event, OperationFailed):
        what = event.operation.describe()
        return (f"Could not {inline(what, 80)}: {inline(event.reason, 160)}"
                " — the change was undone.", "error", 8.0)
    if isinstance(event, OutboxChanged) and event.state == "failed":
        return f"Sending failed: {inline(event.error, 160)}", "error", 10.0
    return None


def _fingerprint(event: Event) -> tuple[Any, ...]:
    """What counts as a change made by someone else (not the user's own response)."""
    return (event.subject, event.start, event.end, event.location, event.is_cancelled,
            event.is_all_day)


class Notifier:
    """Turns repository announcements into toasts, the bell and the new-mail hook.

    Args:
        app: the running app (toasts, bell, workers, the due-date timer).
        account: whose ``mail`` announcements are followed and whose cache is read.
        settings: the app ``Settings`` (its ``ui`` table) or a ``UiConfig`` directly:
            ``notify_new_mail``, ``bell``, ``new_mail_hook`` are read.
        clock: now, as an aware datetime (tests inject a fake one).
        due_interval: seconds between follow-up checks (None: no timer; call
            :meth:`check_due` yourself).
        label: the account's name to put in front of every toast (``[home] ...``) when
            the app shows several accounts; "" for none.
    """

    def __init__(self, app: App[Any], account: Account, settings: Any, *,
                 clock: Callable[[], datetime] | None = None,
                 due_interval: float | None = 60.0, label: str = "") -> None:
        self.app, self.account = app, account
        self.label = safe_inline(label, 40)
        self.ui = getattr(settings, "ui", settings)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.due_interval = due_interval
        self.hook_problem_shown = False
        self.hook_runs: list[asyncio.Task[None]] = []
        self._since = self.clock()
        self._due_seen: set[tuple[str, datetime]] = set()
        self._events: dict[str, tuple[Any, ...]] = {}
        self._ranges: set[tuple[datetime, datetime]] = set()
        self._unsubscribe: Callable[[], None] | None = None
        self._timer: Timer | None = None

    # ------------------------------------------------------------------ lifecycle
    def attach(self) -> Notifier:
        """Subscribe to the account's announcements and start the due-date timer."""
        if self._unsubscribe is None:
            self._unsubscribe = subscribe(self.account, self.handle)
        if self.due_interval and self._timer is None:
            self._timer = self.app.set_interval(self.due_interval, self._tick,
                                                name="follow-up due check")
        return self

    def detach(self) -> None:
        """Stop listening and stop the timer."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def handle(self, event: RepoEvent) -> None:
        """One announcement (called on the app's event loop by the repository)."""
        if isinstance(event, NewMail) and event.messages:
            self.new_mail(event.messages)
        elif isinstance(event, EventsChanged):
            self.app.run_worker(self.events_changed(event), group="notify-events",
                                exit_on_error=False, description="check changed events")
        elif (toast := account_toast(event)) is not None:
            text, severity, timeout = toast
            self.toast(text, severity=severity, timeout=timeout)

    def toast(self, text: str, *, title: str = "", severity: str = "information",
              timeout: float = 6.0) -> None:
        """A plain-text toast (never markup), naming the account when labelled."""
        if self.label:
            text = f"[{self.label}] {text}"
        self.app.notify(text, title=title, severity=severity,  # type: ignore[arg-type]
                        timeout=timeout, markup=False)

    # ------------------------------------------------------------------ new mail
    def new_mail(self, rows: Sequence[MessageSummary]) -> None:
        """Toast, bell and hook for messages that just arrived."""
        shown = list(rows[:MAX_PER_BATCH])
        if getattr(self.ui, "notify_new_mail", True):
            for row in shown:
                self.toast(f"{sender_of(row)}\n{subject_of(row)}", title="New mail")
            if len(rows) > len(shown):
                self.toast(f"and {len(rows) - len(shown)} more new messages",
                           title="New mail")
        if getattr(self.ui, "bell", False):
            self.app.bell()
        hook = tuple(getattr(self.ui, "new_mail_hook", ()) or ())
        if hook:
            for row in shown:
                task = asyncio.get_running_loop().create_task(
                    self.run_hook(hook, sender_of(row), subject_of(row)))
                self.hook_runs.append(task)
                task.add_done_callback(self._forget)

    def _forget(self, task: asyncio.Task[None]) -> None:
        with contextlib.suppress(ValueError):
            self.hook_runs.remove(task)

    async def run_hook(self, hook: Sequence[str], sender: str, subject: str) -> None:
        """Run ``hook + [sender, subject]`` without a shell; problems become one toast."""
        argv = [_no_controls(a) for a in (*hook, sender, subject)]
        name = str(getattr(self.account, "name", "") or "")
        env = {**os.environ, ACCOUNT_ENV: _no_controls(safe_inline(name, 80))}
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL, env=env)
        except (OSError, ValueError) as exc:
            self._hook_problem(f"could not be started ({type(exc).__name__}: "
                               f"{safe_inline(str(exc), 120)})")
            return
        try:
            code = await asyncio.wait_for(proc.wait(), HOOK_TIMEOUT)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
            self._hook_problem(f"took longer than {HOOK_TIMEOUT:.0f} s and was stopped")
            return
        if code != 0:
            self._hook_problem(f"exited with status {code}")

    def _hook_problem(self, what: str) -> None:
        if self.hook_problem_shown:
            return
        self.hook_problem_shown = True
        name = safe_inline(str(getattr(self.ui, "new_mail_hook", ("?",))[0]), 80)
        self.toast(f"The new-mail hook {name} {what}. It is not reported again this session.",
                   title="new_mail_hook", severity="warning", timeout=10)

    # ------------------------------------------------------------------ follow-up flags
    def _tick(self) -> None:
        self.app.run_worker(self.check_due(), group="notify-due", exclusive=True,
                            exit_on_error=False, description="check follow-up flags")

    async def check_due(self) -> list[MessageSummary]:
        """Toast flagged messages whose due date passed since the last check; returns them."""
        now = self.clock()
        try:
            rows = await self.account.mail.window(ListQuery(folder_id=None, flagged_only=True),
                                                  0, 500)
        except OlkError:
            return []
        since, self._since = self._since, now
        due: list[MessageSummary] = []
        for row in rows:
            when = row.flag.due
            if when is None or not row.flag.is_flagged or (row.id, when) in self._due_seen:
                continue
            if since < when <= now:
                self._due_seen.add((row.id, when))
                due.append(row)
        for row in due[:MAX_PER_BATCH]:
            self.toast(f"{subject_of(row)}\nfrom {sender_of(row)}", title="Follow-up due")
        if len(due) > MAX_PER_BATCH:
            self.toast(f"and {len(due) - MAX_PER_BATCH} more follow-ups due",
                       title="Follow-up due")
        if due and getattr(self.ui, "bell", False):
            self.app.bell()
        return due

    # ------------------------------------------------------------------ events
    async def events_changed(self, event: EventsChanged) -> list[tuple[str, Event]]:
        """Toast events in the announced range that someone else added or changed.

        Returns (``"added"``/``"changed"``/``"cancelled"``, event) for what was toasted.
        """
        if event.start is None or event.end is None:
            # The user's own change: learn the new state of the synced ranges, no toast.
            for start, end in sorted(self._ranges):
                await self._learn(start, end)
            return []
        key = (event.start, event.end)
        if key not in self._ranges:
            self._ranges.add(key)
            await self._learn(event.start, event.end)
            return []
        try:
            current = await self.account.calendar.events(event.start, event.end)
        except OlkError:
            return []
        found: list[tuple[str, Event]] = []
        for ev in current:
            mark = _fingerprint(ev)
            before = self._events.get(ev.id)
            self._events[ev.id] = mark
            if ev.is_organizer or before == mark:
                continue
            if before is None:
                found.append(("added", ev))
            elif ev.is_cancelled and not before[4]:
                found.append(("cancelled", ev))
            else:
                found.append(("changed", ev))
        for what, ev in found[:MAX_PER_BATCH]:
            who = ev.organizer.name or ev.organizer.address if ev.organizer else ""
            by = f" by {safe_inline(who, 60)}" if who else ""
            local = ev.start.astimezone(mailbox_zone(self.account.settings))
            when = local.strftime("%a %d %b" if ev.is_all_day else "%a %d %b %H:%M")
            self.toast(f"{safe_inline(ev.subject, 120, placeholder='(no title)')}\n"
                       f"{when}", title=f"Event {what}{by}")
        if len(found) > MAX_PER_BATCH:
            self.toast(f"and {len(found) - MAX_PER_BATCH} more events changed",
                       title="Calendar")
        return found

    async def _learn(self, start: datetime, end: datetime) -> None:
        try:
            events = await self.account.calendar.events(start, end)
        except OlkError:
            return
        self._events.update((ev.id, _fingerprint(ev)) for ev in events)


class Notifiers:
    """One :class:`Notifier` per account the app follows; ``detach`` stops them all.

    The accounts the app already follows when this is made (``app.accounts.activated``: one
    switched to before the notifiers started) are added at once, so none goes without toasts.

    Args:
        app: the running app.
        settings: the app ``Settings`` (or a ``UiConfig``), as for :class:`Notifier`.
        clock: now, as an aware datetime.
        label_accounts: name the account in every toast (the app shows several).
    """

    def __init__(self, app: App[Any], settings: Any, *,
                 clock: Callable[[], datetime] | None = None,
                 label_accounts: bool = False) -> None:
        self.app, self.settings, self.clock = app, settings, clock
        self.label_accounts = label_accounts
        self.notifiers: list[Notifier] = []
        accounts = getattr(app, "accounts", None)
        for index in sorted(getattr(accounts, "activated", ())):
            self.add(accounts.all[index])  # type: ignore[union-attr]

    def add(self, account: Account) -> Notifier:
        """Follow ``account`` (once; a second call returns the same notifier)."""
        for notifier in self.notifiers:
            if notifier.account is account:
                return notifier
        notifier = Notifier(self.app, account, self.settings, clock=self.clock,
                            label=account.name if self.label_accounts else "").attach()
        self.notifiers.append(notifier)
        return notifier

    def detach(self) -> None:
        """Stop every notifier."""
        for notifier in self.notifiers:
            notifier.detach()


def _no_controls(text: str) -> str:
    """An argument with every control character removed (C0, DEL, C1)."""
    return "".join(c for c in text if c.isprintable() or c == " ")
