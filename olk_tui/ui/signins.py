"""Signing in from inside the app, for every account.

An account that has never signed in (``Account.needs_sign_in``) opens on its empty cache with
its sync not started: the device-code dialog is offered as soon as the account is on screen
(after the first paint, or when the user switches to it), and its sync starts once it has
signed in. An account whose sign-in lapsed (the sync reports ``AUTH_REQUIRED``) is offered
the dialog too while it is on screen; an account in the background gets one toast. After a
cancel the app stays usable on what is cached: a toast and the status line say how to sign in
later (the ``app.sign_in`` key, the command palette, or ``olk-tui login``). Accounts whose
flow cannot run in the dialog (``sign_in`` is None) are told to run ``olk-tui login``.

Every toast is plain text with sanitised names; no code, token or URL is ever in one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from olk_tui.sync.api import RepoEvent, SyncState, SyncStatus
from olk_tui.ui.help import key_label
from olk_tui.ui.keymap import SPECS
from olk_tui.ui.listening import subscribe
from olk_tui.ui.mail.screen import MailScreen
from olk_tui.ui.signin import SignInPrompter
from olk_tui.ui.status import StatusLine
from olk_tui.ui.text import inline

if TYPE_CHECKING:
    from olk_tui.sync.api import Account
    from olk_tui.ui.app import OlkApp

#: The binding id of "sign in" (its key is looked up in the keymap in force).
SIGN_IN_ID = "app.sign_in"


class SignIns:
    """Per-account sign-in offers for the app (see module docstring).

    Args:
        app: the running app (its ``accounts``, ``keymap``, toasts and screens).
    """

    def __init__(self, app: OlkApp) -> None:
        self.app = app
        self.prompters: dict[int, SignInPrompter] = {}
        self.watched: set[int] = set()
        #: Accounts whose last sync status was ``AUTH_REQUIRED``.
        self.lapsed: set[int] = set()
        #: Background accounts already told (once) that they must sign in again.
        self.told: set[int] = set()

    # ------------------------------------------------------------------ wiring
    def start(self) -> SignIns:
        """Watch the first account, offer it the dialog if it needs one, and name the other
        accounts that have never signed in."""
        self.watch(0)
        self.shown(self.app.accounts.index)
        waiting = [(i, a) for i, a in enumerate(self.app.accounts.all)
                   if a.needs_sign_in and i != self.app.accounts.index]
        if waiting:
            parts = [f"{self._name(a)} (" + (f"switch to it with {self._key('app.account.next')}"
                                             " to sign in" if a.sign_in is not None
                                             else f"run '{login_hint(a)}'") + ")"
                     for _, a in waiting]
            self.app.notify("Not signed in yet: " + ", ".join(parts) + ".", title="Accounts",
                            timeout=12, markup=False)
        return self

    def watch(self, index: int) -> None:
        """Follow an account's sync status (once): a lapsed sign-in is offered or told."""
        if index in self.watched:
            return
        self.watched.add(index)
        stop = subscribe(self.app.accounts.all[index], lambda event: self.handle(index, event))
        if stop is not None:
            self.app.accounts.unsubscribe.append(stop)

    def handle(self, index: int, event: RepoEvent) -> None:
        """One announcement of the account at ``index``."""
        if not isinstance(event, SyncStatus):
            return
        if event.state is not SyncState.AUTH_REQUIRED:
            self.lapsed.discard(index)
            self.told.discard(index)
            return
        self.lapsed.add(index)
        if index == self.app.accounts.index:
            prompter = self.prompter(index)
            if prompter is not None:
                prompter.handle(event)
        elif index not in self.told:
            self.told.add(index)
            account = self.app.accounts.all[index]
            self.app.notify(f"{self._name(account)} must sign in again: switch to it with "
                            f"{self._key('app.account.next')} to sign in.", title="Accounts",
                            severity="warning", timeout=10, markup=False)

    def prompter(self, index: int) -> SignInPrompter | None:
        """The dialog offerer of an account, or None when it cannot sign in from the app."""
        account = self.app.accounts.all[index]
        if account.sign_in is None:
            return None
        if index not in self.prompters:
            self.prompters[index] = SignInPrompter(
                self.app, account.sign_in, account=account.name,  # type: ignore[arg-type]
                on_signed_in=lambda: self._signed_in(index),
                on_declined=lambda: self._declined(index))
        return self.prompters[index]

    def needs(self, index: int) -> bool:
        """Whether the account has never signed in or its sign-in lapsed."""
        return self.app.accounts.all[index].needs_sign_in or index in self.lapsed

    # ------------------------------------------------------------------ offers
    def shown(self, index: int) -> None:
        """The account at ``index`` is on screen: offer it sign-in if it has never signed
        in (a lapsed one is offered when its sync says so)."""
        account = self.app.accounts.all[index]
        if not account.needs_sign_in:
            return
        prompter = self.prompter(index)
        if prompter is None:
            self._cannot(index)
        else:
            prompter.offer(again=False)

    def offer(self) -> None:
        """The sign-in key or palette command, for the account on screen."""
        index = self.app.accounts.index
        account = self.app.accounts.all[index]
        if account.is_demo:
            self.app.notify("The demo mailbox needs no sign-in.", timeout=4, markup=False)
            return
        prompter = self.prompter(index)
        if prompter is None:
            self._cannot(index)
        elif not self.needs(index):
            self.app.notify(f"Already signed in to {self._name(account)}.", timeout=4,
                            markup=False)
        elif not prompter.offer():
            self.app.notify("The sign-in dialog is already open.", timeout=3, markup=False)

    # ------------------------------------------------------------------ outcomes
    def _signed_in(self, index: int) -> None:
        account = self.app.accounts.all[index]
        self.lapsed.discard(index)
        self.told.discard(index)
        if account.needs_sign_in:
            account.needs_sign_in = False
            self._status(account, SyncStatus(state=SyncState.SYNCING,
                                             detail="Signed in; fetching mail"))
            self.app.notify(f"Signed in to {self._name(account)}; fetching mail.",
                            markup=False)
            self.app.accounts.start(self.app, index)
            return
        self.app.notify(f"Signed in to {self._name(account)}; syncing again.", markup=False)
        self.app.run_worker(account.mail.refresh(), group=f"signin-{index}",
                            exit_on_error=False, description="refresh after sign-in")

    def _declined(self, index: int) -> None:
        account = self.app.accounts.all[index]
        key = self._key(SIGN_IN_ID)
        cached = "what is cached" if not account.needs_sign_in else "an empty cache"
        self.app.notify(f"Not signed in to {self._name(account)}: working offline on "
                        f"{cached}. Press {key} (or 'Sign in' in the command palette) to sign "
                        f"in, or run '{login_hint(account)}'.", title="Sign-in",
                        severity="warning", timeout=12, markup=False)
        self._status(account, SyncStatus(state=SyncState.AUTH_REQUIRED,
                                         last_error=f"not signed in: {key} signs in"))

    def _cannot(self, index: int) -> None:
        account = self.app.accounts.all[index]
        self.app.notify(f"{self._name(account)} has not signed in, and its sign-in cannot run "
                        f"inside the app: run '{login_hint(account)}', then start olk-tui "
                        "again.", title="Sign-in", severity="warning", timeout=12,
                        markup=False)
        if account.needs_sign_in:
            self._status(account, SyncStatus(state=SyncState.AUTH_REQUIRED,
                                             last_error="not signed in: run olk-tui login"))

    # ------------------------------------------------------------------ helpers
    def _status(self, account: Account, status: SyncStatus) -> None:
        """Show ``status`` on the account's mounted mail screens (its sync is not running
        yet, so nothing else would)."""
        for screen in list(self.app.zoned_screens):
            if isinstance(screen, MailScreen) and screen.account is account \
                    and screen.is_mounted:
                screen.query_one(StatusLine).apply(status)

    def _key(self, binding_id: str) -> str:
        default = next((s.vim for s in SPECS if s.id == binding_id), "")
        return key_label(self.app.keymap.get(binding_id, default)) or binding_id

    @staticmethod
    def _name(account: Account) -> str:
        return inline(account.name, 40)


def login_hint(account: Account) -> str:
    """``olk-tui login --account NAME`` (the name sanitised)."""
    return f"olk-tui login --account {inline(account.name, 40)}"
