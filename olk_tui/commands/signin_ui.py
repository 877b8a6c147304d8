"""Wiring for the UI's device-code dialog: the sign-in runner it is given.

``olk_tui.ui.signin.DeviceCodeDialog`` may not import ``graph``; this module builds the
``start_sign_in(on_code, cancel) -> bool`` it runs (in a thread) from an account's config,
through ``open_session(...).login_device_code``. Not a CLI command (it has no ``run``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from olk_tui.config import AccountConfig, Settings
from olk_tui.paths import state_dir

OnCode = Callable[[str, str, float], None]


def device_code_runner(settings: Settings, account: AccountConfig, *,
                       transport: Any = None, memory: bool = False,
                       state: Path | None = None, keyring_backend: Any = ...,
                       ) -> Callable[[OnCode, threading.Event], bool]:
    """The runner for ``DeviceCodeDialog``: one device-code sign-in of ``account``.

    The runner opens the account's MSAL session (its token store: keyring, or the 0600 file
    for emulator accounts), calls ``on_code(user_code, verification_uri, expires_at)`` with
    only those three fields (the server's ``message`` is dropped), polls until approved,
    expired or ``cancel`` is set, stores the token and closes the session.

    Args:
        settings: the configuration (unused today; kept so the wiring reads alike).
        account: the account to sign in.
        transport: httpx sync transport for the identity endpoints (demo/tests).
        memory: keep tokens in memory only (demo).
        state: the state folder (defaults to ``olk_tui.paths.state_dir()``).
        keyring_backend: keyring backend instead of the system's (tests).

    Returns:
        ``start_sign_in(on_code, cancel)``: True when signed in, False when cancelled;
        raises ``OlkError`` (``AuthRequired``, ``Offline``, ``ConfigError``, ``StoreError``
        when the token store cannot be written) otherwise.
    """
    del settings

    def start(on_code: OnCode, cancel: threading.Event) -> bool:
        from olk_tui.domain.errors import AuthRequired, StoreError
        from olk_tui.graph.account import open_session

        session = open_session(account, state or state_dir(), transport=transport,
                               memory=memory, keyring_backend=keyring_backend)
        try:
            session.login_device_code(
                lambda code: on_code(code.user_code, code.verification_uri, code.expires_at),
                cancel=cancel)
        except AuthRequired as exc:
            if cancel.is_set() and getattr(exc, "code", "") == "Cancelled":
                return False
            raise
        except OSError as exc:  # the keyring refused and the 0600 token file cannot be written
            where = f" ({exc.filename})" if exc.filename else ""
            raise StoreError(f"signed in, but the tokens could not be saved: "
                             f"{exc.strerror or type(exc).__name__}{where}") from None
        finally:
            session.close()
        if not memory:
            from olk_tui.commands.auth import mark_signed_in

            mark_signed_in(account, folder=state or state_dir())
        return True

    return start
