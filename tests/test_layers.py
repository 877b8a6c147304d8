"""The layer rules DESIGN.md sets that import-linter cannot see: what loads at import time."""

import subprocess
import sys


def _modules_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_graph_store_sync_do_not_load_textual() -> None:
    for module in ("olk_tui.graph", "olk_tui.store", "olk_tui.sync", "olk_tui.sync.api",
                   "olk_tui.domain"):
        loaded = _modules_after_import(module)
        assert "textual" not in loaded, module


def test_domain_loads_no_third_party_packages() -> None:
    loaded = _modules_after_import("olk_tui.domain")
    for pkg in ("httpx", "msal", "html2text", "keyring", "textual", "sqlite3"):
        assert pkg not in loaded


def test_cli_import_is_light() -> None:
    loaded = _modules_after_import("olk_tui.cli")
    for pkg in ("textual", "httpx", "msal"):
        assert pkg not in loaded
