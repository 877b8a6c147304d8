"""``olk_tui.ui.listening.subscribe``: the repository asked first, the mail repository as
the fallback, None when the account announces nothing, and the stop function stops."""

from __future__ import annotations

from types import SimpleNamespace

from olk_tui.sync.api import ContactsChanged, FoldersChanged, RepoEvent
from olk_tui.ui.listening import subscribe
from olk_tui.ui.testing import fake_account


def test_asks_the_named_repository_first() -> None:
    account = fake_account(1)
    heard: list[tuple[str, RepoEvent]] = []
    own: list[object] = []

    class Contacts:
        def subscribe(self, listener):
            own.append(listener)
            return lambda: own.remove(listener)
    account.contacts = Contacts()  # type: ignore[assignment]
    stop = subscribe(account, lambda e: heard.append(("contacts", e)), repo="contacts")
    assert stop is not None and len(own) == 1
    own[0](ContactsChanged())
    assert heard == [("contacts", ContactsChanged())]
    stop()
    assert own == []


def test_falls_back_to_the_mail_repository_and_stops() -> None:
    account = fake_account(1)
    heard: list[RepoEvent] = []
    stop = subscribe(account, heard.append, repo="calendar")  # the fake calendar announces nothing
    assert stop is not None
    account.mail.announce(FoldersChanged())  # type: ignore[attr-defined]
    assert heard == [FoldersChanged()]
    stop()
    account.mail.announce(FoldersChanged())  # type: ignore[attr-defined]
    assert heard == [FoldersChanged()]


def test_none_when_the_account_announces_nothing() -> None:
    account = SimpleNamespace(mail=object(), calendar=object())
    assert subscribe(account, print, repo="calendar") is None  # type: ignore[arg-type]
    assert subscribe(account, print, repo="no-such-repo") is None  # type: ignore[arg-type]
