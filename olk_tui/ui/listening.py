"""Listening to an account's announcements, for every screen and service of the UI.

The repositories of one account share one announcer: the mail repository always offers
``subscribe``; the calendar, contacts and outbox repositories may offer it too (a test fake
may not), so a listener asks the repository it is about and falls back to the mail one.
"""

from __future__ import annotations

from collections.abc import Callable

from olk_tui.sync.api import Account, Listener


def subscribe(account: Account, listener: Listener, *,
              repo: str = "mail") -> Callable[[], None] | None:
    """Call ``listener`` with every announcement of ``account``.

    Args:
        account: whose announcements.
        listener: called on the event loop with each ``RepoEvent``.
        repo: the repository to ask first ("mail", "calendar", "contacts", "outbox");
            the mail repository when that one offers no ``subscribe``.

    Returns:
        The function that stops the listening, or None when the account announces nothing.
    """
    offer = getattr(getattr(account, repo, None), "subscribe", None)
    if not callable(offer):
        offer = getattr(account.mail, "subscribe", None)
    if not callable(offer):
        return None
    stop = offer(listener)
    return stop if callable(stop) else None
