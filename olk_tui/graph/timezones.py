"""Windows time-zone names to IANA names for the Graph layer.

The table and the functions live in :mod:`olk_tui.domain.timezones` (stdlib-only data shared
with the UI, which may not import ``graph``); this module keeps the old import path.
"""

from __future__ import annotations

from olk_tui.domain.timezones import WINDOWS_TO_IANA, to_iana, zone_for

__all__ = ["WINDOWS_TO_IANA", "to_iana", "zone_for"]
