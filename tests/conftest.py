"""Suite-wide isolation: no test reads or writes the real home, keyring or time zone.

Every XDG directory points into one temporary folder for the run (the secrets test greps it
afterwards), keyring uses its "fail" backend unless a test installs another, the time zone is
UTC and Textual's cursor blink is off, so snapshots do not depend on the machine.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

_RUN_DIR = Path(tempfile.mkdtemp(prefix="olk-tui-tests-"))


def pytest_configure(config: object) -> None:
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                 "XDG_DOWNLOAD_DIR"):
        path = _RUN_DIR / name.lower()
        path.mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(path)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    os.environ.pop("OLK_TUI_CONFIG", None)
    os.environ.pop("OLK_TUI_HTTP_TRACE", None)
    os.environ.pop("OLK_TUI_EMULATOR_FAULTS", None)
    os.environ.pop("OLK_TUI_CLIENT_SECRET", None)
    os.environ["TZ"] = "UTC"
    time.tzset()
    os.environ["TEXTUAL_ANIMATIONS"] = "none"


def suite_run_dir() -> Path:
    """The temporary folder every XDG path of this test run lives in."""
    return _RUN_DIR
