"""Mailbox settings: ``SettingsScreen(account)`` (automatic replies, time zone, working
hours) and its dialogs ``AutomaticRepliesDialog`` and ``WorkingHoursDialog``, which return
``mailboxSettings`` PATCH bodies for ``UpdateMailboxSettings``."""

from olk_tui.ui.settings.dialogs import AutomaticRepliesDialog, WorkingHoursDialog
from olk_tui.ui.settings.screen import SettingsScreen

__all__ = ["AutomaticRepliesDialog", "SettingsScreen", "WorkingHoursDialog"]
