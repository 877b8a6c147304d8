"""App-wide Textual messages (widget-local ones are nested on the widget that sends them).

``ComposeRequested`` is handled by the composer screens, ``RsvpRequested`` by the calendar
side; the mail UI only posts them.
"""

from __future__ import annotations

from textual.message import Message

from olk_tui.domain.ids import MessageId
from olk_tui.domain.mail import Recipient
from olk_tui.sync.api import RepoEvent, SyncStatus


class RepositoryAnnounced(Message):
    """A repository announcement (``account.mail.subscribe``) turned into a Textual message."""

    def __init__(self, event: RepoEvent) -> None:
        super().__init__()
        self.event = event

    def can_replace(self, message: Message) -> bool:
        """A sync-progress flood collapses: a newer ``SyncStatus`` supersedes this one."""
        return (isinstance(self.event, SyncStatus) and isinstance(message, RepositoryAnnounced)
                and isinstance(message.event, SyncStatus))


class ComposeRequested(Message):
    """The user asked to write mail.

    Attributes:
        kind: "new", "reply", "replyAll" or "forward".
        message_id: the message replied to or forwarded (None for new mail).
        to: recipients for new mail (contacts' "write mail to").
    """

    def __init__(self, kind: str = "new", message_id: MessageId | None = None, *,
                 to: tuple[Recipient, ...] = ()) -> None:
        super().__init__()
        self.kind = kind
        self.message_id = message_id
        self.to = to


class RsvpRequested(Message):
    """The user answered a meeting invitation from the reader.

    Attributes:
        message_id: the eventMessage.
        event_id: the linked event (may be "" when Graph did not give it).
        response: "accept", "tentativelyAccept" or "decline".
    """

    def __init__(self, message_id: MessageId, event_id: str, response: str) -> None:
        super().__init__()
        self.message_id = message_id
        self.event_id = event_id
        self.response = response


class OthersCounted(Message):
    """The other accounts' Inbox unread counts, as the status line shows them."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
