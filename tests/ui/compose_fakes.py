"""In-memory fakes of the outbox and contacts repositories for composer tests.

They satisfy ``olk_tui.sync.api`` closely enough for the composer: every call is recorded so
tests can assert what the composer asked for, and failures can be switched on.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from typing import Any

from olk_tui.domain.errors import NotFound, OlkError
from olk_tui.domain.ids import MessageId
from olk_tui.domain.mail import Draft, Message, Recipient
from olk_tui.domain.settings import User
from olk_tui.sync.api import Account, Listener, OutboxChanged, RepoEvent

ME = User(id="u1", display_name="Megan Bowen", mail="megan@contoso.example",
          user_principal_name="megan@contoso.example")


class FakeOutbox:
    """Records drafts saved and sends; ``fail_send``/``fail_server_draft`` raise OlkError."""

    def __init__(self, notify: Callable[[RepoEvent], None] | None = None) -> None:
        self.local: dict[str, Draft] = {}
        self.local_saves: list[tuple[str, Draft]] = []
        self.server_drafts: list[Draft] = []
        self.sent: list[Draft] = []
        self.items: dict[str, tuple[str, Draft]] = {}
        self.fail_send: str = ""
        self.fail_server_draft: str = ""
        self.saved = asyncio.Event()
        self._notify = notify or (lambda event: None)
        self._n = 0

    async def save_local_draft(self, key: str, draft: Draft) -> None:
        self.local[key] = draft
        self.local_saves.append((key, draft))
        self.saved.set()

    async def local_drafts(self) -> list[tuple[str, Draft]]:
        return list(self.local.items())

    async def discard_local_draft(self, key: str) -> None:
        self.local.pop(key, None)

    async def save_server_draft(self, draft: Draft) -> Draft:
        if self.fail_server_draft:
            raise OlkError(self.fail_server_draft)
        self._n += 1
        saved = dataclasses.replace(draft, server_id=draft.server_id or MessageId(f"d{self._n}"))
        self.server_drafts.append(saved)
        return saved

    async def send(self, draft: Draft) -> str:
        if self.fail_send:
            raise OlkError(self.fail_send)
        self._n += 1
        item = f"o{self._n}"
        self.sent.append(draft)
        self.items[item] = ("queued", draft)
        self._notify(OutboxChanged(item_id=item, state="queued"))
        return item

    async def outbox(self) -> list[tuple[str, str, Draft]]:
        return [(k, state, d) for k, (state, d) in self.items.items()]

    async def cancel(self, item_id: str) -> Draft | None:
        item = self.items.pop(item_id, None)
        self._notify(OutboxChanged(item_id=item_id, state="cancelled"))
        return item[1] if item else None

    def set_state(self, item_id: str, state: str) -> None:
        self.items[item_id] = (state, self.items[item_id][1])
        self._notify(OutboxChanged(item_id=item_id, state=state))


PEOPLE = [
    Recipient("adele@contoso.example", "Adele Vance"),
    Recipient("alex@contoso.example", "Alex Wilber"),
    Recipient("allan@contoso.example", "Allan Deyoung"),
    Recipient("bob@fabrikam.example", "Bob Smith"),
]


class FakeContacts:
    """``complete`` matches name or address prefixes in ``PEOPLE`` order (the ranking)."""

    def __init__(self) -> None:
        self.queries: list[str] = []

    async def complete(self, prefix: str, limit: int = 10) -> list[Recipient]:
        self.queries.append(prefix)
        p = prefix.casefold()
        return [r for r in PEOPLE if r.address.startswith(p) or
                any(w.casefold().startswith(p) for w in r.name.split())][:limit]

    async def folders(self) -> list[Any]:
        return []

    async def contacts(self, text: str = "", limit: int = 500) -> list[Any]:
        return []

    async def submit(self, op: Any) -> None:
        return None


class FakeMail:
    """``subscribe`` (the outbox view listens for OutboxChanged) and ``message``."""

    def __init__(self) -> None:
        self.listeners: list[Listener] = []
        self.messages: dict[str, Message] = {}
        self.submitted: list[Any] = []

    async def submit(self, op: Any) -> None:
        self.submitted.append(op)

    async def cached_message(self, message_id: MessageId) -> Message | None:
        return self.messages.get(message_id)

    async def message(self, message_id: MessageId) -> Message:
        if message_id not in self.messages:
            raise NotFound("The specified object was not found in the store.",
                           status=404, code="ErrorItemNotFound")
        return self.messages[message_id]

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)

    def announce(self, event: RepoEvent) -> None:
        for listener in list(self.listeners):
            listener(event)


def fake_account() -> tuple[Account, FakeOutbox, FakeContacts]:
    """An Account wired to the fakes (calendar unused by the composer)."""
    mail = FakeMail()
    outbox = FakeOutbox(mail.announce)
    contacts = FakeContacts()
    account = Account(name="test", user=ME, mail=mail, calendar=None,  # type: ignore[arg-type]
                      contacts=contacts, outbox=outbox)  # type: ignore[arg-type]
    return account, outbox, contacts
