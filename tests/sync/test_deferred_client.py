"""An account built with a client factory loads no network stack until it starts.

The app builds its account before the first paint; the factory (Graph client, auth, httpx,
MSAL) must wait for ``Account.start()``, which the app runs after the paint.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from olk_tui.sync.account import DeferredClient, build_account

_CHILD = textwrap.dedent('''
    import asyncio, json, sys
    from olk_tui.sync.account import build_account

    calls = []

    def factory():
        calls.append(1)
        from olk_tui.commands.auth import graph_auth_for
        from olk_tui.config import AccountConfig, Settings
        from olk_tui.emulator import Emulator
        from olk_tui.graph.client import GraphClient

        base = "https://graph.emulator.test"
        auth = graph_auth_for(Settings(), AccountConfig(name="t", emulator=base), lazy=True)
        return GraphClient(base, auth, transport=Emulator.demo(size=20).transport())

    def loaded():
        return {"factory": len(calls), "httpx": "httpx" in sys.modules,
                "msal": "msal" in sys.modules}

    async def main():
        seen = {}
        account = build_account("t", None, sys.argv[1], client_factory=factory)
        seen["built"] = loaded()
        await account.services.start(account, background=False)
        seen["started"] = loaded()
        seen["user"] = account.user.display_name
        await account.close()
        print(json.dumps(seen))

    asyncio.run(main())
''')


def test_factory_and_msal_wait_for_start(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("OLK_TUI_HTTP_TRACE", None)
    done = subprocess.run([sys.executable, "-c", _CHILD, str(tmp_path / "cache.sqlite3")],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["built"] == {"factory": 0, "httpx": False, "msal": False}
    assert seen["started"] == {"factory": 1, "httpx": True, "msal": True}  # /me was fetched
    assert seen["user"] == "Megan Bowen"


class _FakeClient:
    def __init__(self) -> None:
        self.closed = False
        self.mailbox = "me"

    async def aclose(self) -> None:
        self.closed = True


async def test_deferred_client_is_made_once_and_closed_only_if_made() -> None:
    made: list[_FakeClient] = []

    def factory() -> Any:
        made.append(_FakeClient())
        return made[-1]

    unused = DeferredClient(factory)
    await unused.aclose()
    assert not made and not unused.made
    deferred = DeferredClient(factory)
    assert deferred.mailbox == "me"  # first use makes it
    assert deferred.resolve() is deferred.resolve() is made[0]
    await deferred.aclose()
    assert len(made) == 1 and made[0].closed


def test_build_account_wants_exactly_one_way_to_get_a_client(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        build_account("t", None, tmp_path / "a.sqlite3")
    with pytest.raises(ValueError):
        build_account("t", _FakeClient(), tmp_path / "b.sqlite3",  # type: ignore[arg-type]
                      client_factory=_FakeClient)  # type: ignore[arg-type]
