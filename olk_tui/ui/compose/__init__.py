"""The composer: writing, replying, forwarding, drafts, and the Outbox view.

Public entry points (the app shell wires these):

- ``ComposeScreen(account, ComposeSettings.from_config(settings.compose), kind=..., original=...)``
- ``open_composer(app, account, settings, kind, message_id)`` for ``ComposeRequested``
- ``ResumeDraftsDialog(await account.outbox.local_drafts(), account.outbox.discard_local_draft)``
- ``OutboxScreen(account, settings)``
"""

from olk_tui.ui.compose.dialogs import ConfirmSendDialog, ResumeDraftsDialog
from olk_tui.ui.compose.screen import ComposeScreen
from olk_tui.ui.compose.widgets import ComposeSettings

__all__ = ["ComposeScreen", "ComposeSettings", "ConfirmSendDialog", "ResumeDraftsDialog"]
