"""Platform paths (XDG on Linux, honoured via platformdirs) for config, data, state and cache.

Nothing here creates anything at import time; ``ensure_private_dir`` makes a 0700 directory
when a caller actually needs one.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "olk-tui"


def config_dir() -> Path:
    """Where ``config.toml`` lives."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    """The default config file path (``OLK_TUI_CONFIG`` overrides it)."""
    override = os.environ.get("OLK_TUI_CONFIG")
    return Path(override) if override else config_dir() / "config.toml"


def data_dir() -> Path:
    """Per-account SQLite caches."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """Token cache fallback file, logs, local drafts."""
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def downloads_dir() -> Path:
    """Default folder for saved attachments."""
    return Path(platformdirs.user_downloads_dir())


def account_slug(name: str) -> str:
    """A file-name-safe form of an account name."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name).strip("._")
    return safe or "default"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) with mode 0700 and tighten it if it already exists."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.chmod(path, 0o700)
    except OSError:
        pass
    return path
