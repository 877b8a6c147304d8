"""``olk-tui login`` / ``logout`` / ``whoami``: sign in, forget tokens, show who is signed in.

All three understand ``--account``, ``--config``, ``--emulator URL`` (a running emulator, as if
it were Microsoft) and ``--demo`` (the in-process demo emulator, imported only then). Errors
are ``OlkError``s; ``cli.main`` prints them as one line plus a hint.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from olk_tui.config import AccountConfig, Settings, load_settings
from olk_tui.domain.errors import ConfigError
from olk_tui.paths import config_file, state_dir

DEMO_BASE = "https://graph.emulator.test"


@dataclasses.dataclass
class Target:
    """The account a command works on, plus the demo emulator when ``--demo`` is given."""

    settings: Settings
    account: AccountConfig
    emulator: Any = None

    @property
    def sync_transport(self) -> Any:
        return self.emulator.sync_transport() if self.emulator is not None else None

    @property
    def async_transport(self) -> Any:
        return self.emulator.transport() if self.emulator is not None else None


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    """``login`` takes the flow; ``logout`` and ``whoami`` only the common options."""
    if command == "login":
        flows = parser.add_mutually_exclusive_group()
        flows.add_argument("--browser", action="store_true",
                           help="sign in with a browser on this machine (auth code + PKCE)")
        flows.add_argument("--app-only", action="store_true",
                           help="client credentials: no user, needs user_id and a secret")


def _settings(args: argparse.Namespace) -> Settings:
    path = Path(args.config) if getattr(args, "config", None) else config_file()
    return load_settings(path)


def _pick(settings: Settings, name: str | None) -> AccountConfig:
    if name is None:
        return settings.accounts[0] if settings.accounts else AccountConfig()
    for account in settings.accounts:
        if account.name == name:
            return account
    known = ", ".join(a.name for a in settings.accounts) or "none"
    raise ConfigError(f"no account named {name!r} (configured: {known})", key="--account")


def resolve(args: argparse.Namespace) -> Target:
    """The settings and account selected by the command line."""
    settings = _settings(args)
    if getattr(args, "demo", False):
        from olk_tui.emulator import Emulator

        emu = Emulator.demo(size=args.size or 200)
        emu.identity.auto_approve = True
        account = AccountConfig(name="demo", emulator=DEMO_BASE)
        return Target(settings, account, emu)
    account = _pick(settings, getattr(args, "account", None))
    if getattr(args, "emulator", None):
        account = dataclasses.replace(account, emulator=args.emulator.rstrip("/"),
                                      name=args.account or "emulator")
    if getattr(args, "app_only", False):
        account = dataclasses.replace(account, auth_flow="client_credentials")
        if not account.user_id:
            raise ConfigError("--app-only needs user_id (the mailbox to open) in the account",
                              key="user_id")
    elif getattr(args, "browser", False):
        account = dataclasses.replace(account, auth_flow="browser")
    return target_checked(Target(settings, account))


def target_checked(target: Target) -> Target:
    """Fail early, with the fix, when a real account has no client id."""
    from olk_tui.graph.account import auth_settings

    auth_settings(target.account)
    return target


def session_for(target: Target) -> Any:
    """The account's ``MsalSession`` (memory-only tokens for the demo)."""
    from olk_tui.graph.account import open_session

    return open_session(target.account, state_dir(), transport=target.sync_transport,
                        memory=target.emulator is not None)


def graph_auth_for(settings: Settings, account: AccountConfig, *, lazy: bool = False) -> Any:
    """An ``httpx.Auth`` for the app, or None when the account has never signed in.

    Args:
        settings: the configuration.
        account: the account to sign in as.
        lazy: return at once an auth that opens the MSAL session (imports msal, loads the
            token cache) on the first request, in a worker thread; never None. When the
            account turns out not to be signed in, its requests fail with ``AuthRequired``,
            or, for an emulator account, go without a token (an emulator run with
            ``--no-auth``), as with the None the eager call returns.
    """
    if lazy:
        from olk_tui.graph.auth import DeferredAuth

        return DeferredAuth(lambda: graph_auth_for(settings, account),
                            required=not account.emulator)
    from olk_tui.graph.account import graph_auth

    session = session_for(target_checked(Target(settings, account)))
    if session.app_only or session.signed_in() is not None:
        return graph_auth(session)
    return None


def token_slug(account: AccountConfig) -> str:
    """``olk_tui.graph.account.token_slug`` without importing that module (it loads msal
    and httpx); a test keeps the two equal."""
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in account.name).strip("._")
    return ("emulator-" if account.emulator else "") + (name or "default")


def mark_signed_in(account: AccountConfig, signed_in: bool = True, *,
                   folder: Path | None = None) -> None:
    """Keep (or drop) a note that ``account`` has signed in: an empty 0600 file beside the
    token file, no secret in it. The next start then knows without opening the keyring, which
    costs ~0.1 s (importing keyring and probing its backends) before the first paint."""
    path = (folder or state_dir()) / f"signed-in-{token_slug(account)}"
    try:
        if signed_in:
            path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass  # only a shortcut: without it the next start asks the token store


def has_stored_tokens(settings: Settings, account: AccountConfig) -> bool:
    """Whether the account has signed in, read without MSAL.

    A cheap check for "has this account ever signed in" before the UI starts: the note
    :func:`mark_signed_in` leaves, else the 0600 token file, else the keyring (slow; a yes is
    noted for next time). The lazy auth of :func:`graph_auth_for` gives the exact answer on
    the first request (tokens removed behind our back: the app offers to sign in again).
    """
    from olk_tui.graph.token_store import FileStore

    del settings  # the stores' places come from the account and the state folder
    if account.auth_flow == "client_credentials":
        return True  # app-only needs no stored sign-in
    slug = token_slug(account)
    folder = state_dir()
    if (folder / f"signed-in-{slug}").exists():
        return True
    found = bool(FileStore(folder / f"tokens-{slug}.json").load())
    if not found:
        from olk_tui.graph.token_store import choose_store

        found = bool(choose_store(slug, folder, prefer_file=bool(account.emulator)).load())
    if found:
        mark_signed_in(account, folder=folder)
    return found


def _say(text: str) -> None:
    print(text, flush=True)


def _show_code(code: Any) -> None:
    minutes = max(1, round((code.expires_at - time.time()) / 60))
    _say(f"To sign in, open {code.verification_uri} in a browser and enter the code "
         f"{code.user_code} (valid for {minutes} minutes).")


def login(target: Target, args: argparse.Namespace) -> int:
    """Run the configured sign-in flow and report who signed in."""
    from olk_tui.render.safe import safe_inline

    session = session_for(target)
    try:
        flow = target.account.auth_flow
        if flow == "client_credentials":
            who = session.login_app_only()
        elif flow == "browser":
            who = session.login_browser(on_url=lambda url: _say(
                f"Opening your browser. If it does not open, visit:\n{url}"))
        else:
            who = session.login_device_code(_show_code)
    finally:
        session.close()
    mark_signed_in(target.account)
    name = safe_inline(who.name, 80)
    user = safe_inline(who.username, 120)
    _say(f"Signed in as {name} <{user}>" if name and user != "(app-only)"
         else f"Signed in ({user or name}).")
    if session.store.notice:
        _say(session.store.notice)
    return 0


def logout(target: Target) -> int:
    """Forget the account's tokens."""
    session = session_for(target)
    try:
        removed = session.logout()
    finally:
        session.close()
    mark_signed_in(target.account, False)
    _say(f"Signed out of {target.account.name}." if removed
         else f"No tokens were stored for {target.account.name}.")
    return 0


async def _me(target: Target, session: Any) -> Any:
    from olk_tui.graph.account import graph_auth, open_client

    client = open_client(target.account, graph_auth(session), transport=target.async_transport,
                         trace_path=target.settings.http_trace or None)
    try:
        return await client.me()
    finally:
        await client.aclose()


def whoami(target: Target, args: argparse.Namespace) -> int:
    """Ask Graph who the signed-in user is and print it."""
    from olk_tui.render.safe import safe_inline

    session = session_for(target)
    try:
        if target.emulator is not None:
            session.login_device_code(lambda code: None)
        user = asyncio.run(_me(target, session))
    finally:
        session.close()
    if getattr(args, "json", False):
        json.dump({"id": user.id, "displayName": user.display_name, "mail": user.mail,
                   "userPrincipalName": user.user_principal_name, "account":
                   target.account.name}, sys.stdout)
        sys.stdout.write("\n")
        return 0
    address = user.mail or user.user_principal_name
    _say(f"{safe_inline(user.display_name, 80)} <{safe_inline(address, 120)}>")
    return 0


def run(args: argparse.Namespace) -> int:
    """Dispatch ``login``, ``logout`` and ``whoami``."""
    target = resolve(args)
    if args.command == "login":
        return login(target, args)
    if args.command == "logout":
        return logout(target)
    return whoami(target, args)
