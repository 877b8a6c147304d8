"""Shared plumbing of the scripting commands (``mail``, ``calendar``, ``contacts``).

``run_command`` opens the account the command line asks for (``commands.app.account_for``:
``--demo``, ``--emulator URL`` or a configured account), runs one async job with a ``Context``
and closes the account cleanly. The job drives the account's services directly and
deterministically (one sync of what it needs, then the operation runner or the outbox sender
until they are done), instead of starting the UI's background loops.

Errors become one line on stderr (sanitised; no traceback) and the exit codes of
``cli.exit_code_for``: 2 usage/config, 3 not found, 4 auth, 5 offline, 1 other. Output helpers
print JSON (ASCII-escaped, so hostile text cannot drive a terminal) or aligned text columns
built only from ``render.safe`` output.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from olk_tui.domain.errors import BadRequest, Forbidden, GraphError, NotFound, Offline, OlkError
from olk_tui.domain.mail import Recipient
from olk_tui.domain.operations import Operation
from olk_tui.sync.api import Account, OperationFailed, RepoEvent

#: Seconds ``drain``/``send`` wait for the server before giving up (the work stays queued).
DEFAULT_TIMEOUT = 120.0


class CommandFailed(OlkError):
    """The command ran but what it asked for did not happen (reverted, send failed)."""


class TimedOut(OlkError):
    """The server did not finish in time; the work stays queued for the next run."""


def add_timeout(parser: argparse.ArgumentParser) -> None:
    """``--timeout SECONDS`` for commands that wait for the server."""
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"how long to wait for the server (default {DEFAULT_TIMEOUT:.0f})")


def add_common_to(sub: argparse.ArgumentParser) -> None:
    """The common options, accepted after the verb too (without overriding values given
    before it)."""
    from olk_tui.cli import add_common

    own = set(map(id, sub._actions))
    add_common(sub)
    for action in sub._actions:
        if id(action) not in own:
            action.default = argparse.SUPPRESS


# --------------------------------------------------------------------------- context


class Context:
    """What a command job gets: the account, its running parts, settings and the display zone.

    Attributes:
        account: the ``Account`` (repositories).
        services: its ``AccountServices`` (store, client, runner, sender, syncs).
        settings: the loaded configuration.
        args: the parsed command line.
        zone: the mailbox time zone (from mailboxSettings), else the system's.
    """

    def __init__(self, account: Account, settings: Any, args: argparse.Namespace) -> None:
        services = getattr(account, "services", None)
        if services is None:
            raise OlkError("this account cannot be scripted (no sync services)")
        self.account = account
        self.services = services
        self.settings = settings
        self.args = args
        self.zone: tzinfo = datetime.now().astimezone().tzinfo or _utc()
        self._failures: list[OperationFailed] = []
        self._unsubscribe = account.mail.subscribe(self._on_event)

    def _on_event(self, event: RepoEvent) -> None:
        if isinstance(event, OperationFailed):
            self._failures.append(event)

    def now(self) -> datetime:
        """The current time in the display zone."""
        return datetime.now(self.zone)

    async def connect(self) -> None:
        """One request to the server (mailboxSettings): fails fast with Offline/AuthRequired
        and gives the mailbox time zone (the system's when the settings are refused)."""
        from olk_tui.graph.mapping import mailbox_settings_from_json
        from olk_tui.graph.timezones import zone_for

        try:
            data = await self.services.client.get_json("/me/mailboxSettings")
        except (Forbidden, NotFound, BadRequest):
            return  # e.g. a shared mailbox whose settings are not ours to read: system zone
        self.account.settings = mailbox_settings_from_json(data)
        self.zone = zone_for(self.account.settings.time_zone or "") or self.zone

    async def close(self) -> None:
        """Stop listening and close the account (network client and cache)."""
        self._unsubscribe()
        if self.account.close is not None:
            result = self.account.close()
            if asyncio.iscoroutine(result):
                await result

    # ----------------------------------------------------------------- waiting

    async def drain(self, op: Operation, limit: float) -> None:
        """Run the operation runner until the queue is empty.

        Raises:
            CommandFailed: ``op`` failed for good and its local change was reverted.
            TimedOut: the queue did not empty in time (the operations stay queued).
            GraphError: a transient failure (offline, auth); the operations stay queued.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        try:
            while True:
                pending = await self.services.runner.run_once()
                failed = [f for f in self._failures if _same(f.operation, op)]
                if failed:
                    raise CommandFailed(f"could not {op.describe()} (the change was reverted): "
                                        f"{failed[0].reason}")
                if pending == 0:
                    return
                if loop.time() >= deadline:
                    raise TimedOut(f"the server did not confirm in {limit:.0f} s; "
                                   f"{pending} change(s) stay queued for the next run")
                await asyncio.sleep(0.1)  # the runner already waited out any Retry-After
        except GraphError as exc:
            _add_hint(exc, self.account, "The change is kept and sent on the next run.")
            raise

    async def wait_sent(self, item_id: str, limit: float) -> None:
        """Run the outbox sender until ``item_id`` is confirmed or failed.

        Raises:
            CommandFailed: the send failed for good (the draft stays in Drafts).
            TimedOut: not confirmed in time (it stays in the outbox).
            GraphError: a transient failure (offline, auth); it stays in the outbox.
        """
        from olk_tui.store import outbox as st

        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        store = self.services.store
        while True:
            try:
                await self.services.sender.run_once()
            except GraphError as exc:
                _add_hint(exc, self.account, "The message stays in the outbox and is sent on "
                          "the next run (or by the app).")
                raise
            item = await store.run(lambda s: s.outbox.get(item_id))
            if item is None or item.state == st.CONFIRMED:
                return
            if item.state == st.FAILED:
                raise CommandFailed(f"not sent: {item.error or 'the server refused it'}")
            if item.state == st.CANCELLED:
                raise CommandFailed("not sent: it was cancelled")
            if loop.time() >= deadline:
                raise TimedOut(f"not confirmed in {limit:.0f} s; the message stays in the "
                               "outbox")
            await asyncio.sleep(0.1)


def _add_hint(exc: GraphError, account: Account, hint: str) -> None:
    """Tell the user queued work is not lost (a demo cache is thrown away, so not there)."""
    if not account.is_demo and not getattr(exc, "hint", ""):
        exc.hint = hint  # type: ignore[attr-defined]


def _utc() -> tzinfo:
    from datetime import UTC

    return UTC


def _same(failed: Operation, op: Operation) -> bool:
    if failed == op:
        return True
    if failed.kind != op.kind:
        return False
    ids = set(getattr(op, "message_ids", ()) or ())
    if ids & set(getattr(failed, "message_ids", ()) or ()):
        return True
    event = getattr(op, "event_id", None)
    return bool(event) and getattr(failed, "event_id", None) == event


# --------------------------------------------------------------------------- running


def _settings(args: argparse.Namespace) -> Any:
    from olk_tui.config import load_settings
    from olk_tui.paths import config_file

    path = Path(args.config) if getattr(args, "config", None) else config_file()
    return load_settings(path)


def run_command(args: argparse.Namespace, job: Callable[[Context], Awaitable[int | None]]
                ) -> int:
    """Open the account, run ``job`` with a connected ``Context``, close; returns the exit code.

    Errors are printed as one line on stderr and mapped to the documented exit codes.
    """
    from olk_tui.commands.app import account_for

    try:
        settings = _settings(args)
        account, cleanup = account_for(settings, args)
    except OlkError as exc:
        return report_error(exc)
    try:
        return asyncio.run(_run(account, settings, args, job))
    except OlkError as exc:
        return report_error(exc)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # ``| head``: the reader is gone, which is not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug: one line, never a traceback, never exit 0
        from olk_tui.render.safe import safe_inline

        print(f"olk-tui: internal error: {type(exc).__name__}: {safe_inline(str(exc), 300)}",
              file=sys.stderr)
        return 1
    finally:
        cleanup()


async def _run(account: Account, settings: Any, args: argparse.Namespace,
               job: Callable[[Context], Awaitable[int | None]]) -> int:
    try:
        ctx = Context(account, settings, args)
    except OlkError:
        if account.close is not None:
            result = account.close()
            if asyncio.iscoroutine(result):
                await result
        raise
    try:
        await ctx.connect()
        return int(await job(ctx) or 0)
    finally:
        await ctx.close()


def report_error(exc: OlkError) -> int:
    """Print ``exc`` as one sanitised line (plus its hint) and return its exit code."""
    from olk_tui.cli import exit_code_for
    from olk_tui.render.safe import safe_inline

    text = safe_inline(str(exc), 500) or type(exc).__name__
    if isinstance(exc, Offline) and "offline" not in text.lower():
        text = f"offline: {text}"
    print(f"olk-tui: {text}", file=sys.stderr)
    hint = getattr(exc, "hint", "")
    if hint:
        print(safe_inline(str(hint), 500), file=sys.stderr)
    return exit_code_for(exc)


def usage_error(message: str, key: str | None = None) -> OlkError:
    """A bad-input error (exit code 2)."""
    from olk_tui.domain.errors import ConfigError

    return ConfigError(message, key=key)


# --------------------------------------------------------------------------- output


def print_json(data: Any) -> None:
    """Print ``data`` as indented JSON with every non-ASCII character escaped."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=True)
    sys.stdout.write("\n")


def iso(when: datetime | None, zone: tzinfo | None = None) -> str | None:
    """ISO 8601 with the UTC offset (in ``zone`` when given), or None."""
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_utc())
    return (when.astimezone(zone) if zone else when).isoformat(timespec="seconds")


def person(r: Recipient | None) -> dict[str, str] | None:
    """A recipient as ``{"name", "address"}``."""
    return None if r is None else {"name": r.name, "address": r.address}


def people(rs: Sequence[Recipient]) -> list[dict[str, str]]:
    """Recipients as a list of ``{"name", "address"}``."""
    return [{"name": r.name, "address": r.address} for r in rs]


def cell_width(text: str) -> int:
    """Terminal columns ``text`` takes (wide East Asian characters count 2, marks 0)."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns (with an ellipsis) and padded to it."""
    if cell_width(text) > width:
        out, used = [], 0
        for ch in text:
            w = cell_width(ch)
            if used + w > width - 1:
                break
            out.append(ch)
            used += w
        text = "".join(out) + "…"
    return text + " " * max(0, width - cell_width(text))


def print_table(rows: Sequence[Sequence[str]], widths: Sequence[int | None]) -> None:
    """Print aligned columns; a width of None means "as wide as the longest cell" (capped at
    60), the last column is never padded. Cells must already be safe (``render.safe``)."""
    if not rows:
        return
    real: list[int] = []
    for i, w in enumerate(widths):
        real.append(w if w is not None else min(60, max(cell_width(r[i]) for r in rows)))
    for row in rows:
        cells = [fit(cell, real[i]) for i, cell in enumerate(row[:-1])]
        last = row[-1]
        if widths[-1] is not None:
            last = fit(last, widths[-1]).rstrip()
        print("  ".join([*cells, last]).rstrip())
