"""The SQLite cache of one account: the only package that touches SQLite.

Use ``Store`` (synchronous, one thread) or ``AsyncStore`` (every call on one dedicated thread).
"""

from olk_tui.store.conversations import ConversationHead
from olk_tui.store.mail import MessageFilter
from olk_tui.store.outbox import OutboxItem
from olk_tui.store.queue import QueuedOp
from olk_tui.store.store import AsyncStore, Store

__all__ = ["AsyncStore", "ConversationHead", "MessageFilter", "OutboxItem", "QueuedOp", "Store"]
