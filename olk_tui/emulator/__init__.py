"""A stateful, faithful stand-in for the Microsoft Graph endpoints olk-tui uses (and the
identity endpoints MSAL talks to), with fault injection and a seeded demo mailbox.

Start here: ``Emulator`` (``olk_tui.emulator.core``); see ``docs/emulator.md``. Loading a seed
folder raises ``SeedError`` and a bad fault spec ``FaultSpecError`` (both ``ValueError``s whose
message names the problem), so callers can show them without a traceback.
"""

from olk_tui.emulator.budgets import BudgetLimits
from olk_tui.emulator.core import Emulator
from olk_tui.emulator.faults import FaultSpecError
from olk_tui.emulator.seed import SeedError

__all__ = ["BudgetLimits", "Emulator", "FaultSpecError", "SeedError"]
