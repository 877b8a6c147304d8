"""A stateful, faithful stand-in for the Microsoft Graph endpoints olk-tui uses (and the
identity endpoints MSAL talks to), with fault injection and a seeded demo mailbox.

Start here: ``Emulator`` (``olk_tui.emulator.core``); see ``docs/emulator.md``.
"""

from olk_tui.emulator.core import Emulator

__all__ = ["Emulator"]
