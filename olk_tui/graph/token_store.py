"""Where the MSAL token cache lives: a small store protocol with keyring, file and memory stores.

The keyring is used only when its backend is a real secret store (not the "fail"/"null"
backends, not plaintext or password-prompting files from ``keyrings.alt``, not a chainer with
nothing in it). Otherwise the cache is a file in the state directory, written atomically (temp
file, fsync, rename) with mode 0600 in a 0700 directory, and ``notice`` carries a one-line
message for the UI/CLI to show. Library code never prints.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

SERVICE = "olk-tui"


class TokenStore(Protocol):
    """Persists one account's serialized MSAL token cache."""

    #: Human description ("system keyring (SecretService)", "file ~/.local/state/...").
    description: str
    #: One line for the user when the storage is weaker than a keyring ("" otherwise).
    notice: str

    def load(self) -> str | None:
        """The stored cache, or None."""

    def save(self, data: str) -> None:
        """Store the cache (replacing what was there)."""

    def delete(self) -> bool:
        """Remove the cache; True when something was removed."""


class MemoryStore:
    """Keeps the cache in memory only (demo mode, tests)."""

    description = "memory (not saved)"
    notice = ""

    def __init__(self, data: str | None = None) -> None:
        self.data = data

    def load(self) -> str | None:
        return self.data

    def save(self, data: str) -> None:
        self.data = data

    def delete(self) -> bool:
        had = self.data is not None
        self.data = None
        return had


class FileStore:
    """A 0600 file in a 0700 directory, replaced atomically on every save."""

    def __init__(self, path: Path, *, notice: str = "") -> None:
        self.path = Path(path)
        self.description = f"file {self.path}"
        self.notice = notice

    def load(self) -> str | None:
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError):
            return None

    def save(self, data: str) -> None:
        directory = self.path.parent
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(OSError):
            os.chmod(directory, 0o700)
        fd, tmp = tempfile.mkstemp(prefix=".tokens-", dir=directory)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        with contextlib.suppress(OSError):
            dir_fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def delete(self) -> bool:
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True


class KeyringStore:
    """The system keyring (Secret Service, macOS Keychain, Windows Credential Locker)."""

    def __init__(self, username: str, backend: Any) -> None:
        self.username = username
        self._backend = backend
        self.description = f"system keyring ({type(backend).__name__})"
        self.notice = ""

    def load(self) -> str | None:
        try:
            return self._backend.get_password(SERVICE, self.username)
        except Exception:  # keyring backends raise their own types (locked, D-Bus down)
            return None

    def save(self, data: str) -> None:
        self._backend.set_password(SERVICE, self.username, data)

    def delete(self) -> bool:
        try:
            self._backend.delete_password(SERVICE, self.username)
        except Exception:  # PasswordDeleteError when absent, or backend trouble
            return False
        return True


def usable_keyring(backend: Any) -> bool:
    """True when ``backend`` really keeps secrets (see the module docstring)."""
    if backend is None:
        return False
    module = type(backend).__module__
    name = type(backend).__name__
    if module.startswith("keyrings.alt") or "plaintext" in name.lower():
        return False
    if module in ("keyring.backends.fail", "keyring.backends.null"):
        return False
    if module == "keyring.backends.chainer":
        return any(usable_keyring(b) for b in getattr(backend, "backends", ()))
    try:
        return float(getattr(backend, "priority", 0)) > 0
    except Exception:  # a backend whose priority property fails is not usable
        return False


def _default_backend() -> Any:
    try:
        import keyring

        return keyring.get_keyring()
    except Exception:  # no keyring at all
        return None


def choose_store(account: str, state_dir: Path, *, backend: Any = ...,
                 prefer_file: bool = False) -> TokenStore:
    """The store for ``account``: keyring when usable, else a 0600 file with a notice.

    Args:
        account: file-name-safe account slug.
        state_dir: the platform state directory (``olk_tui.paths.state_dir()``).
        backend: a keyring backend (default: ``keyring.get_keyring()``); None disables it.
        prefer_file: skip the keyring (emulator accounts never touch the real keyring).
    """
    path = state_dir / f"tokens-{account}.json"
    if not prefer_file:
        chosen = _default_backend() if backend is ... else backend
        if usable_keyring(chosen):
            return KeyringStore(f"msal-cache:{account}", chosen)
        return FileStore(path, notice=f"No system keyring found: tokens are kept in {path} "
                                      "(readable only by you).")
    return FileStore(path)


def save_with_fallback(store: TokenStore, data: str, fallback: FileStore) -> TokenStore:
    """Save to ``store``; when a keyring refuses (locked, too large), save to ``fallback``.

    Returns the store that now holds the cache.
    """
    try:
        store.save(data)
        return store
    except Exception:  # keyring errors are backend-specific
        if store is fallback:
            raise
        fallback.notice = (f"The system keyring refused the tokens: they are kept in "
                           f"{fallback.path} (readable only by you).")
        fallback.save(data)
        return fallback
