"""Nothing of the network stack before the first paint: the account the command line builds
(``--demo``, ``--emulator URL``) makes its Graph client, httpx and MSAL in ``Account.start()``,
which the app calls once the mail screen is on screen.

Each run is a fresh interpreter (``sys.modules`` of the test process holds everything).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from olk_tui.commands.app import FAULTS_ENV

SCRIPT = """
import argparse, asyncio, json, sys
from olk_tui.config import Settings
from olk_tui.commands.app import accounts_for

mode = sys.argv[1]
args = argparse.Namespace(demo=mode == "demo", emulator=None if mode == "demo" else sys.argv[2],
                          account=None, size=20, seed=None, config=None)
NETWORK = ("httpx", "msal", "olk_tui.emulator", "olk_tui.graph.auth", "olk_tui.graph.account",
           "olk_tui.graph.client", "olk_tui.graph.api")
seen = {}

async def main():
    from olk_tui.ui.app import make_app
    from olk_tui.ui.mail.screen import MailScreen

    accounts, cleanup = accounts_for(Settings(), args)
    account = accounts[0]
    start = account.start
    seen["built"] = [m for m in NETWORK if m in sys.modules]

    async def recording_start():
        screen = app.screen
        seen["painted"] = isinstance(screen, MailScreen) and screen.is_mounted
        seen["at_start"] = [m for m in NETWORK if m in sys.modules]
        await start()
        seen["started"] = True

    account.start = recording_start
    app = make_app(Settings(), accounts=accounts)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(200):  # the sync's first request loads httpx (bounded wait)
            await pilot.pause(0.02)
            if seen.get("started") and "httpx" in sys.modules:
                break
        seen["after_start"] = [m for m in NETWORK if m in sys.modules]
    cleanup()

asyncio.run(main())
print(json.dumps(seen))
"""


def run(*argv: str) -> dict[str, object]:
    """The script in a fresh interpreter: what was loaded when."""
    env = {k: v for k, v in os.environ.items() if k != FAULTS_ENV}
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(SCRIPT), *argv], env=env,
                         capture_output=True, text=True, timeout=90, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_demo_paints_before_httpx_or_the_emulator_are_loaded() -> None:
    seen = run("demo")
    assert seen["built"] == [] and seen["painted"] is True and seen["at_start"] == []
    assert "httpx" in seen["after_start"]  # start() made the client: the check can fail


def test_emulator_account_paints_before_httpx_and_msal_are_loaded(tmp_path) -> None:
    for name in ("CONFIG", "STATE", "DATA", "CACHE"):
        os.environ[f"XDG_{name}_HOME"] = str(tmp_path / name.lower())
    try:
        seen = run("emulator", "http://127.0.0.1:9")
    finally:
        for name in ("CONFIG", "STATE", "DATA", "CACHE"):
            os.environ.pop(f"XDG_{name}_HOME", None)
    assert seen["built"] == [] and seen["painted"] is True and seen["at_start"] == []
    assert "httpx" in seen["after_start"]


def test_fault_variable_name_matches_the_emulator() -> None:
    from olk_tui.emulator.core import FAULTS_ENV as EMULATOR_FAULTS_ENV

    assert FAULTS_ENV == EMULATOR_FAULTS_ENV
