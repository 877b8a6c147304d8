"""``olk-tui`` with no command: run the terminal UI.

``--demo`` opens the generated demo mailbox (the in-process Graph emulator behind the real
client, cache and sync, in a throwaway cache folder); ``--emulator URL`` talks to a running
emulator as if it were Microsoft; otherwise the account named by ``--account`` (or the first
one in the config) is opened. Heavy modules (the emulator, httpx, the sync engine) are imported
here, never by the UI, and sync starts only after the first paint (``Account.start``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from olk_tui.config import AccountConfig, Settings, load_settings
from olk_tui.domain.errors import AuthRequired, ConfigError
from olk_tui.paths import account_slug, config_file, data_dir, ensure_private_dir
from olk_tui.sync.api import Account

#: The in-process emulator answers any host; this one never resolves by accident.
DEMO_BASE = "https://graph.emulator.test"


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    """The app uses only the common options (``--demo``, ``--emulator``, ``--account``...)."""


def _settings(args: argparse.Namespace) -> Settings:
    path = Path(args.config) if getattr(args, "config", None) else config_file()
    return load_settings(path)


def demo_account(settings: Settings, size: int | None = None, seed_dir: str | None = None,
                 emulator: object | None = None) -> tuple[Account, Callable[[], None]]:
    """The demo mailbox over the real stack, and a cleanup that removes its throwaway cache.

    Args:
        settings: the configuration (sync interval and page size are used).
        size: messages in the generated Inbox (default 3000).
        seed_dir: load the mailbox from this seed folder instead.
        emulator: an ``Emulator`` to use (tests keep a handle on its state).

    Returns:
        (account, cleanup).
    """
    from olk_tui.sync.account import build_account

    _check_fault_spec()
    seeded = _seeded(seed_dir) if seed_dir and emulator is None else None

    def build() -> object:
        if emulator is not None:
            return emulator
        if seeded is not None:
            return seeded
        from olk_tui.emulator import Emulator

        emu = Emulator.demo(size=size or 3000)
        emu.load_faults_from_env()  # checked above: OLK_TUI_EMULATOR_FAULTS in the demo
        return emu

    def client() -> Any:
        from olk_tui.graph.client import GraphClient

        return GraphClient(DEMO_BASE, None, transport=_LazyTransport(build))

    folder = Path(tempfile.mkdtemp(prefix="olk-tui-demo-"))
    account = build_account("demo", None, folder / "cache.sqlite3", sync=settings.sync,
                            is_demo=True, client_factory=client)
    return account, lambda: shutil.rmtree(folder, ignore_errors=True)


#: ``olk_tui.emulator.core.FAULTS_ENV``, spelled out so that a start without faults does not
#: import the emulator (and httpx with it) before the first paint; a test keeps them equal.
FAULTS_ENV = "OLK_TUI_EMULATOR_FAULTS"


def _check_fault_spec() -> None:
    """``$OLK_TUI_EMULATOR_FAULTS`` parsed up front, so a bad spec is one clear line (exit 2)
    before anything starts, not an error inside the first request."""
    spec = os.environ.get(FAULTS_ENV, "").strip()
    if not spec:
        return
    from olk_tui.emulator.faults import FaultInjector, FaultSpecError

    try:
        FaultInjector().load_spec(spec)
    except FaultSpecError as exc:
        raise ConfigError(str(exc), key=FAULTS_ENV) from None


def _seeded(seed_dir: str) -> object:
    """The emulator loaded from ``--seed DIR`` (small, so loaded at once: a bad folder is one
    clear line, exit 2), with the fault spec from the environment."""
    from olk_tui.emulator import Emulator
    from olk_tui.emulator.seed import SeedError

    try:
        emu = Emulator.from_seed_dir(seed_dir)
    except (SeedError, OSError) as exc:
        raise ConfigError(f"cannot load the seed folder: {exc}", key="--seed") from None
    emu.load_faults_from_env()
    return emu


class _LazyTransport:
    """An httpx transport that builds the demo emulator (in a thread) on the first request,
    so generating the mailbox never delays the first paint."""

    def __init__(self, build: Callable[[], object]) -> None:
        self._build = build
        self._inner: object | None = None
        self._lock = asyncio.Lock()

    async def handle_async_request(self, request: object) -> object:
        """Build on first use, then delegate."""
        if self._inner is None:
            async with self._lock:
                if self._inner is None:
                    emulator = await asyncio.to_thread(self._build)
                    self._inner = emulator.transport()  # type: ignore[attr-defined]
        return await self._inner.handle_async_request(request)  # type: ignore[attr-defined]

    async def aclose(self) -> None:
        """Close the emulator's transport if it was built."""
        if self._inner is not None:
            await self._inner.aclose()  # type: ignore[attr-defined]


def _pick(settings: Settings, name: str | None) -> AccountConfig:
    if not settings.accounts:
        raise ConfigError("no account configured: run 'olk-tui config init', or try "
                          "'olk-tui --demo'", path=settings.path or None)
    if name is None:
        return settings.accounts[0]
    for acc in settings.accounts:
        if acc.name == name:
            return acc
    known = ", ".join(a.name for a in settings.accounts)
    raise ConfigError(f"no account named {name!r} (configured: {known})", key="--account")


def _signed_in(settings: Settings, config: AccountConfig) -> bool:
    """Whether the account has ever signed in, read from its token store without MSAL (the
    exact answer comes with the first request, after the first paint)."""
    try:
        from olk_tui.commands import auth as auth_command
    except ImportError:
        return False
    check = getattr(auth_command, "has_stored_tokens", None)
    return bool(check(settings, config)) if check else False


def _auth_for(settings: Settings, config: AccountConfig) -> object | None:
    """The account's ``httpx.Auth``, which opens MSAL and the token cache on its first
    request; called by the client factory, so after the first paint."""
    try:
        from olk_tui.commands import auth as auth_command
    except ImportError:
        return None
    factory = getattr(auth_command, "graph_auth_for", None)
    return factory(settings, config, lazy=True) if factory else None


#: Sign-in flows the app's device-code dialog can run; the others sign in with ``olk-tui login``.
DIALOG_FLOWS = ("device_code",)


def login_command(settings: Settings, config: AccountConfig) -> str:
    """``olk-tui login`` for this account (``--account NAME`` unless it is the first one)."""
    first = bool(settings.accounts) and config.name == settings.accounts[0].name
    return "olk-tui login" + ("" if first else f" --account {config.name}")


def _check_can_sign_in(settings: Settings, config: AccountConfig) -> None:
    """An account that has never signed in opens the app only when its flow runs in the
    sign-in dialog and it has a client id; otherwise one clear line says what to do."""
    if config.auth_flow not in DIALOG_FLOWS:
        raise AuthRequired(
            f"account {config.name!r} has not signed in, and its {config.auth_flow} sign-in "
            "cannot run inside the app (only device_code can)", code="NotSignedIn",
            hint=f"Run '{login_command(settings, config)}' first.")
    if not config.client_id and not config.emulator:
        raise ConfigError(f"account {config.name!r} has no client_id: register an app "
                          "(docs/app-registration.md) and set client_id in its [[accounts]] "
                          "table", path=settings.path or None, key="client_id")


def account_for(settings: Settings, args: argparse.Namespace) -> tuple[Account,
                                                                        Callable[[], None]]:
    """The account the command line asks for, and its cleanup.

    Nothing of the network stack is made here: the Graph client (httpx, MSAL, the token
    cache) is made by ``Account.start()``, which the app calls after its first paint. An
    account that has never signed in opens too (``needs_sign_in``: the app shows the
    device-code dialog first) when its flow is ``device_code``; a ``browser`` account must
    run ``olk-tui login`` first (``AuthRequired`` saying so).
    """
    if args.demo:
        return demo_account(settings, args.size, args.seed)
    if args.emulator:
        config = AccountConfig(name=args.account or "emulator", emulator=args.emulator)
        return _configured(settings, config, emulator=args.emulator), lambda: None
    config = _pick(settings, args.account)
    needs_sign_in = not _signed_in(settings, config)
    if needs_sign_in:
        _check_can_sign_in(settings, config)
    return _configured(settings, config, needs_sign_in=needs_sign_in), lambda: None


def _configured(settings: Settings, config: AccountConfig, *,
                emulator: str | None = None, needs_sign_in: bool = False) -> Account:
    """An account over Graph with its own token cache and database; its client is made on
    ``Account.start()`` (see :func:`account_for`)."""
    from olk_tui.sync.account import build_account

    auths: list[object] = []

    def client() -> Any:
        from olk_tui.graph.client import GraphClient

        auth = _auth_for(settings, config)
        auths.append(auth)
        made = GraphClient(config.graph_base, auth,  # type: ignore[arg-type]
                           mailbox=config.user_id or "me",
                           trace_path=settings.http_trace or None)
        if emulator:
            _hint_emulator_login(made, emulator)
        return made

    def sign_in(on_code: Callable[[str, str, int], None], cancel: Any) -> bool:
        """Device-code sign-in from the app's dialog; afterwards the client's lazy auth opens
        the session again from the token store, so queued work goes out with the new token."""
        from olk_tui.commands.signin_ui import device_code_runner

        done = device_code_runner(settings, config)(on_code, cancel)
        if done:
            for auth in auths:
                reset = getattr(auth, "reset", None)
                if reset is not None:
                    reset()
        return done

    folder = ensure_private_dir(data_dir())
    account = build_account(config, None, folder / f"{account_slug(config.name)}.sqlite3",
                            sync=settings.sync, client_factory=client)
    if config.auth_flow in DIALOG_FLOWS:
        account.sign_in = sign_in
    account.needs_sign_in = needs_sign_in
    return account


def accounts_for(settings: Settings, args: argparse.Namespace) -> tuple[list[Account],
                                                                         Callable[[], None]]:
    """Every account the app shows: the one the command line asks for first, then the other
    configured accounts (each with its own token cache, database and sync; the app starts
    the first at once, the others after its first sync). Accounts that never signed in are
    there too, marked ``needs_sign_in``: the app offers the sign-in dialog when one is shown,
    or says to run ``olk-tui login --account NAME`` when its flow cannot run in the dialog.
    ``--demo``/``--emulator``: just that one.
    """
    first, cleanup = account_for(settings, args)
    if args.demo or args.emulator:
        return [first], cleanup
    accounts = [first]
    for config in settings.accounts:
        if config.name == first.name:
            continue
        accounts.append(_configured(settings, config,
                                    needs_sign_in=not _signed_in(settings, config)))
    return accounts, cleanup


def _hint_emulator_login(client: object, url: str) -> None:
    """Sign-in failures against ``--emulator URL`` say how to sign in to that emulator.

    The Graph client's hint names plain ``olk-tui login``, which would sign in to Microsoft;
    every request goes through ``client.request``, so its AuthRequired is amended there.
    """
    from olk_tui.render.safe import safe_inline

    request = client.request  # type: ignore[attr-defined]
    login = f"olk-tui login --emulator {safe_inline(url, 200)}"

    async def amended(*args: object, **kwargs: object) -> object:
        try:
            return await request(*args, **kwargs)
        except AuthRequired as exc:
            if "--emulator" not in (exc.hint or ""):
                exc.hint = f"Run '{login}' to sign in to the emulator."
            raise
    client.request = amended  # type: ignore[attr-defined]


def _check_mailto(url: str) -> None:
    """A bad ``mailto:`` link is one clear line (exit 2) before the UI starts."""
    from olk_tui.render.addresses import AddressError, parse_mailto
    from olk_tui.render.safe import safe_inline

    try:
        parse_mailto(url)
    except AddressError as exc:
        raise ConfigError(safe_inline(str(exc), 300), key="mailto") from None


def run(args: argparse.Namespace) -> int:
    """Run the UI until the user quits; returns the exit code."""
    settings = _settings(args)
    mailto = getattr(args, "mailto", None)
    if mailto:
        _check_mailto(mailto)
    accounts, cleanup = accounts_for(settings, args)
    from olk_tui.ui.app import make_app

    app = make_app(settings, accounts=accounts, mailto=mailto)
    try:
        app.run()
    finally:
        cleanup()
    return app.return_code or 0
