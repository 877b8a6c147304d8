"""The composer: writing, replying, forwarding, drafts, and the Outbox view.

Public entry points (the app shell wires these):

- ``open_composer(app, account, compose_settings(settings), kind, message_id, tz=...)``
  for ``ComposeRequested`` (kind "new", "reply", "replyAll", "forward" or "draft");
- ``offer_local_drafts(app, account, compose_settings(settings))`` once at start;
- ``open_mailto(app, account, compose_settings(settings), url)`` for ``olk-tui mailto:...``;
- ``OutboxScreen(account, compose_settings(settings))`` from the folder tree;
- ``ComposeScreen``, ``ResumeDraftsDialog`` and ``ConfirmSendDialog`` directly.
"""

from olk_tui.ui.compose.dialogs import ConfirmSendDialog, ResumeDraftsDialog
from olk_tui.ui.compose.launch import (
    compose_settings,
    draft_from_message,
    offer_local_drafts,
    open_composer,
    open_mailto,
)
from olk_tui.ui.compose.outbox import OutboxScreen
from olk_tui.ui.compose.screen import ComposeScreen
from olk_tui.ui.compose.widgets import ComposeSettings

__all__ = ["ComposeScreen", "ComposeSettings", "ConfirmSendDialog", "OutboxScreen",
           "ResumeDraftsDialog", "compose_settings", "draft_from_message",
           "offer_local_drafts", "open_composer", "open_mailto"]
