"""Quit cleanly when the terminal goes away: SIGHUP (the SSH session dropped) and SIGTERM.

They quit like ``ctrl+q``: screens are unmounted first, so an open composer saves what its
quiet period had not saved yet.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable


def quit_on_hangup(quit_app: Callable[[], object]) -> Callable[[], None]:
    """Run ``quit_app`` on SIGHUP and SIGTERM (in the running loop's thread).

    Args:
        quit_app: what a signal does (the app's ``exit``).

    Returns:
        A function that removes the handlers again (call it on unmount).
    """
    loop = asyncio.get_running_loop()
    installed: list[int] = []
    for sig in (getattr(signal, "SIGHUP", None), signal.SIGTERM):
        if sig is None:
            continue
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, quit_app)
            installed.append(sig)

    def remove() -> None:
        for sig in installed:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)
        installed.clear()
    return remove
