"""Regenerate ``screenshots/*.svg`` from the demo mailbox: ``python scripts/screenshots.py``.

Runs the real app (``make_app``) headless over the demo account, the same stack as
``olk-tui --demo`` (emulator, Graph client, cache, sync), drives it with Textual's pilot and
saves one SVG per screen at 120x36 (and the main screen at 80x24). The clock is frozen so the
relative dates in the pictures are stable. ``--fake`` uses the in-memory demo data instead.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from olk_tui.config import Settings  # noqa: E402
from olk_tui.ui.app import OlkApp, make_app  # noqa: E402
from olk_tui.ui.demo_data import fixed_now  # noqa: E402
from olk_tui.ui.mail.screen import MailScreen  # noqa: E402

Step = Callable[[object], Awaitable[None]]


async def _settle(pilot, app: OlkApp, rounds: int = 3) -> None:
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        for screen in app.screen_stack:
            await screen.workers.wait_for_complete()
        await pilot.pause(0.1)


async def _wait_rows(pilot, app: OlkApp) -> None:
    """Wait (bounded) until the first sync has put rows in the Inbox."""
    for _ in range(100):
        screen = app.screen
        if isinstance(screen, MailScreen) and screen.messages.current is not None:
            return
        await pilot.pause(0.05)


SHOTS: list[tuple[str, tuple[int, int], tuple[str, ...]]] = [
    ("mail", (120, 36), ()),
    ("mail-80x24", (80, 24), ()),
    ("reader", (120, 36), ("j", "enter")),
    ("flag-menu", (120, 36), ("s",)),
    ("move-picker", (120, 36), ("m", "p", "r")),
    ("search", (120, 36), ("slash", "r", "e", "v", "i", "e", "w")),
    ("help", (120, 36), ("question_mark",)),
]


def _account(fake: bool) -> tuple[object, Callable[[], None]]:
    if fake:
        from olk_tui.ui.testing import fake_account

        return fake_account(400, now=fixed_now()), lambda: None
    from olk_tui.commands.app import demo_account

    return demo_account(Settings(), size=500)


async def shoot(out: Path, fake: bool) -> list[Path]:
    """Take every screenshot in :data:`SHOTS`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - once, before the app starts
    written: list[Path] = []
    for name, size, keys in SHOTS:
        account, cleanup = _account(fake)
        app = make_app(Settings(), account, now=fixed_now if fake else None)  # type: ignore[arg-type]
        try:
            async with app.run_test(size=size) as pilot:
                await _wait_rows(pilot, app)
                await _settle(pilot, app)
                if keys:
                    await pilot.press(*keys)
                    await _settle(pilot, app)
                path = out / f"{name}.svg"
                app.save_screenshot(filename=path.name, path=str(out))
                written.append(path)
        finally:
            cleanup()
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--fake", action="store_true", help="use in-memory demo data")
    args = parser.parse_args(argv)
    for path in asyncio.run(shoot(args.out, args.fake)):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
