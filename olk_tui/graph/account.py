"""Build an account's sign-in session, ``httpx.Auth`` and ``GraphClient`` from its config.

Takes any object with ``AccountConfig``'s attributes (name, client_id, authority, graph_base,
scopes, auth_flow, user_id, emulator), so this layer does not depend on the config module.
Emulator accounts get their own token file (never the real keyring) and a placeholder client
id; a real account without a client id is a configuration error that says what to do.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx

from olk_tui.domain.errors import ConfigError
from olk_tui.graph.auth import GraphAuth
from olk_tui.graph.client import GraphClient
from olk_tui.graph.signin import AuthSettings, MsalSession, client_secret
from olk_tui.graph.token_store import FileStore, MemoryStore, choose_store

EMULATOR_CLIENT_ID = "00000000-0000-0000-0000-0000004f4c4b"


def _slug(name: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name).strip("._")
    return safe or "default"


def token_slug(account: Any) -> str:
    """The name the account's tokens are stored under (emulator accounts kept apart)."""
    prefix = "emulator-" if getattr(account, "emulator", "") else ""
    return prefix + _slug(account.name)


def auth_settings(account: Any) -> AuthSettings:
    """``AuthSettings`` for an account; ``ConfigError`` when a real account has no client id."""
    client_id = account.client_id
    if not client_id:
        if not getattr(account, "emulator", ""):
            raise ConfigError("no client_id: register an app (docs/app-registration.md) and set "
                              "client_id in the [[accounts]] table", key="client_id")
        client_id = EMULATOR_CLIENT_ID
    flow = account.auth_flow
    return AuthSettings(client_id=client_id, authority=account.authority,
                        scopes=tuple(account.scopes), graph_base=account.graph_base, flow=flow)


def open_session(account: Any, state_dir: Path, *, transport: httpx.BaseTransport | None = None,
                 memory: bool = False, keyring_backend: Any = ...) -> MsalSession:
    """The MSAL session of an account with its token store.

    Args:
        account: an ``AccountConfig``-like object.
        state_dir: where the fallback token file goes (``olk_tui.paths.state_dir()``).
        transport: httpx sync transport for the identity endpoints (demo/tests).
        memory: keep tokens in memory only (demo).
        keyring_backend: a keyring backend to use instead of the system's (tests).
    """
    settings = auth_settings(account)
    slug = token_slug(account)
    fallback = FileStore(state_dir / f"tokens-{slug}.json")
    if memory:
        store: Any = MemoryStore()
        fallback_store: FileStore | None = None
    else:
        store = choose_store(slug, state_dir, backend=keyring_backend,
                             prefer_file=bool(getattr(account, "emulator", "")))
        fallback_store = fallback
    secret = None
    if settings.flow == "client_credentials":
        secret = client_secret(_slug(account.name),
                               None if keyring_backend is ... else keyring_backend)
    return MsalSession(settings, store, transport=transport, secret=secret,
                       fallback=fallback_store)


def open_client(account: Any, auth: httpx.Auth | None, *,
                transport: httpx.AsyncBaseTransport | None = None, time_zone: str | None = None,
                trace_path: str | os.PathLike[str] | None = None) -> GraphClient:
    """The account's ``GraphClient`` (``/users/{user_id}`` when a mailbox is configured)."""
    return GraphClient(account.graph_base, auth, mailbox=account.user_id or "me",
                       transport=transport, time_zone=time_zone, trace_path=trace_path or None)


def graph_auth(session: MsalSession) -> GraphAuth:
    """The ``httpx.Auth`` that takes tokens from ``session``."""
    return GraphAuth(session)
