"""``--seed DIR`` loading, the demo fallback, ``olk-tui emulator`` / ``python -m
olk_tui.emulator`` as a real server process, and building a large mailbox quickly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from olk_tui.cli import main as cli_main
from olk_tui.emulator import Emulator
from olk_tui.emulator.sample import build_mail_sample
from olk_tui.emulator.seed import SeedError

BASE = "https://graph.emulator.test/v1.0"


def _write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    root = tmp_path / "seed"
    _write(root / "me.json", {"mail": "zed@fabrikam.example", "displayName": "Zed Ortiz",
                              "jobTitle": "Pilot"})
    _write(root / "mail" / "INBOX" / "1.json", {
        "subject": "odd one", "receivedDateTime": "2023-05-01T10:00:00Z",
        "x-custom": {"nested": [1, "two", None]}, "importance": "HIGH",
        "attachments": [{"@odata.type": "#microsoft.graph.fileAttachment", "name": "a.txt",
                         "contentBytes": "aGk="}]})
    _write(root / "mail" / "inbox" / "more.json", {"value": [{"subject": "two"},
                                                             {"id": "KEEP-ME", "subject": "3"}]})
    _write(root / "mail" / "work.folder.json", {"displayName": "Work / Ops: 100%",
                                                "wellKnownName": None, "odd": True})
    _write(root / "mail" / "work" / "q.json", {"subject": "in work"})
    _write(root / "mail" / "work" / "deep" / "d.json", {"subject": "deeper"})
    _write(root / "mail" / "empty.folder.json", {"displayName": "Nothing here"})
    return root


def test_seed_dir_keeps_every_field_and_fills_the_rest(seed_dir: Path) -> None:
    emu = Emulator.from_seed_dir(seed_dir)
    with httpx.Client(transport=emu.sync_transport(), base_url=BASE) as c:
        me = c.get("/me").json()
        assert me["mail"] == "zed@fabrikam.example" and me["jobTitle"] == "Pilot"
        inbox = c.get("/me/mailFolders/inbox/messages",
                      params={"$expand": "attachments"}).json()["value"]
        odd = next(m for m in inbox if m["subject"] == "odd one")
        assert odd["x-custom"] == {"nested": [1, "two", None]}
        assert odd["importance"] == "HIGH"  # kept exactly as given
        assert odd["id"] and odd["receivedDateTime"] == "2023-05-01T10:00:00Z"
        assert odd["attachments"][0]["name"] == "a.txt" and odd["hasAttachments"] is True
        assert c.get("/me/messages/KEEP-ME").json()["subject"] == "3"
        top = c.get("/me/mailFolders", params={"$top": "50"}).json()["value"]
        work = next(f for f in top if f["displayName"] == "Work / Ops: 100%")
        assert work["odd"] is True and work["childFolderCount"] == 1
        assert any(f["displayName"] == "Nothing here" for f in top)
        deep = c.get(f"/me/mailFolders/{work['id']}/childFolders").json()["value"]
        assert [f["displayName"] for f in deep] == ["deep"]
        assert len(inbox) == 3


def test_seed_dir_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "mail" / "inbox" / "broken.json"
    bad.parent.mkdir(parents=True)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(SeedError, match=r"broken\.json"):
        Emulator.from_seed_dir(tmp_path)
    with pytest.raises(SeedError):
        Emulator.from_seed_dir(tmp_path / "missing")


def test_demo_has_megan_and_mail() -> None:
    emu = Emulator.demo(size=25, seed=3)
    assert emu.default_mailbox.address == "megan@contoso.example"
    assert emu.identity.auto_approve is True
    mb = emu.default_mailbox
    assert len(mb.folder_index[mb.well_known["inbox"]]) >= 25


def test_a_100k_mailbox_builds_and_pages_quickly() -> None:
    emu = Emulator(require_auth=False)
    emu.add_mailbox("megan@contoso.example", "Megan Bowen")
    started = time.perf_counter()
    build_mail_sample(emu, size=100_000, seed=0)
    built = time.perf_counter() - started
    with httpx.Client(transport=emu.sync_transport(), base_url=BASE) as c:
        started = time.perf_counter()
        page = c.get("/me/mailFolders/inbox/messages", params={"$top": "50"}).json()
        for _ in range(20):
            page = c.get(page["@odata.nextLink"]).json()
        paging = time.perf_counter() - started
    assert len(page["value"]) == 50
    assert built < 15, built  # a few seconds on a dev machine; generous for shared CI
    assert paging < 3, paging


def test_cli_refuses_a_bad_fault_spec(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["emulator", "--faults", "bogus", "--size", "1"]) == 2
    assert "bogus" in capsys.readouterr().err


def test_python_m_emulator_serves_and_stops_on_ctrl_c(seed_dir: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "olk_tui.emulator", "--seed", str(seed_dir), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        cwd=Path(__file__).resolve().parents[2])
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=url, timeout=10) as c:
            assert c.get("/v1.0/me").status_code == 401
            conf = c.get("/common/v2.0/.well-known/openid-configuration").json()
            assert conf["token_endpoint"] == f"{url}/common/oauth2/v2.0/token"
            code = c.post("/common/oauth2/v2.0/devicecode", data={"client_id": "x"}).json()
            tokens = c.post("/common/oauth2/v2.0/token", data={
                "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
                "client_id": "x", "device_code": code["device_code"]}).json()
            me = c.get("/v1.0/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
            assert me.json()["mail"] == "zed@fabrikam.example"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_odd_seed_values_become_seed_errors_not_tracebacks(tmp_path: Path) -> None:
    _write(tmp_path / "mail" / "inbox" / "dup.json", {"value": [{"id": "X"}, {"id": "X"}]})
    with pytest.raises(SeedError, match=r"dup\.json"):
        Emulator.from_seed_dir(tmp_path)
    other = tmp_path / "other"
    _write(other / "mail" / "inbox" / "att.json", {"subject": "a", "attachments": [
        {"@odata.type": 5, "contentBytes": 7}]})
    emu = Emulator.from_seed_dir(other)  # odd values are kept and served, not refused
    mb = emu.default_mailbox
    mid = mb.sorted_ids(mb.well_known["inbox"])[0]
    with httpx.Client(transport=emu.sync_transport(), base_url=BASE) as c:
        atts = c.get(f"/me/messages/{mid}/attachments")
        assert atts.status_code == 200 and atts.json()["value"][0]["@odata.type"] == 5
        assert c.get(f"/me/messages/{mid}/$value").status_code == 200
