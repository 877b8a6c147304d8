"""Always-on mailbox concurrency throttling (429 ApplicationThrottled over 4 in flight) and
fault injection (spec grammar, determinism, Retry-After forms, 504 after send, resets)."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from olk_tui.emulator import Emulator
from olk_tui.emulator.faults import FaultInjector, FaultSpecError
from tests.emulator.conftest import BASE, make_emulator


def test_more_than_four_concurrent_requests_on_the_loopback_server_get_429() -> None:
    emu = make_emulator(5)
    emu.faults.load_spec("slow(0.4)@GET /me/messages")
    results: list[httpx.Response] = []
    lock = threading.Lock()
    barrier = threading.Barrier(6)
    with emu.serve() as server:
        def worker() -> None:
            with httpx.Client(base_url=server.base_url + "/v1.0") as c:
                barrier.wait()
                r = c.get("/me/messages")
                with lock:
                    results.append(r)

        threads = [threading.Thread(target=worker) for _ in range(6)]
        for t in threads:
            t.start()
        # While Megan's four slots are held, another mailbox is not affected.
        with httpx.Client(base_url=server.base_url + "/v1.0") as c:
            other = c.get("/users/alex@contoso.example/mailFolders")
        for t in threads:
            t.join()
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200, 200, 200, 200, 429, 429]
    throttled = [r for r in results if r.status_code == 429]
    assert throttled[0].json()["error"] == {**throttled[0].json()["error"],
                                            "code": "ApplicationThrottled",
                                            "message": "Application is over its "
                                                       "MailboxConcurrency limit."}
    assert float(throttled[0].headers["Retry-After"]) > 0
    assert other.status_code == 200


async def test_concurrent_in_process_requests_are_throttled_too() -> None:
    emu = make_emulator(5)
    emu.faults.load_spec("slow(1)@/me/messages")
    gate, all_held = asyncio.Event(), asyncio.Event()
    entered = 0

    async def held(_seconds: float) -> None:
        nonlocal entered
        entered += 1
        if entered == 4:
            all_held.set()
        await gate.wait()

    async with httpx.AsyncClient(transport=emu.transport(sleep=held), base_url=BASE) as c:
        tasks = [asyncio.create_task(c.get("/me/messages")) for _ in range(6)]
        await asyncio.wait_for(all_held.wait(), 5)
        gate.set()
        results = await asyncio.gather(*tasks)
    assert sorted(r.status_code for r in results) == [200] * 4 + [429] * 2


def test_spec_grammar() -> None:
    inj = FaultInjector()
    inj.load_spec("seed=3,429(2.128)@GET ~/messages$:0.5,503(none)@/me/sendMail:1x,"
                  "504(before)@POST=/me/messages/*/send:2+1x,slow(0.25),reset:always,401")
    kinds = [(r.kind, r.method, r.glob, r.regex.pattern if r.regex else None, r.probability,
              r.times, r.skip, r.retry_after, r.after) for r in inj.rules]
    assert kinds[0] == ("429", "GET", None, "/messages$", 0.5, None, 0, "2.128", True)
    assert kinds[1][:8] == ("503", None, "/me/sendMail", None, 1.0, 1, 0, None)
    assert kinds[2] == ("504", "POST", "/me/messages/*/send", None, 1.0, 1, 2, None, False)
    assert inj.rules[3].delay == 0.25 and inj.rules[4].kind == "reset"
    assert inj.seed == 3


@pytest.mark.parametrize("bad", ["418", "429:2", "slow(x)", "429@~(", "seed=x", "503(after)"])
def test_bad_specs_are_refused(bad: str) -> None:
    with pytest.raises(FaultSpecError):
        FaultInjector().load_spec(bad)


def _statuses(seed: int) -> list[int]:
    emu = make_emulator(3)
    emu.faults.load_spec(f"seed={seed},429(0.5):0.3,503:0.1")
    with httpx.Client(transport=emu.sync_transport(), base_url=BASE) as c:
        return [c.get("/me/mailFolders").status_code for _ in range(60)]


def test_faults_are_deterministic_for_a_seed() -> None:
    a, b, c = _statuses(7), _statuses(7), _statuses(8)
    assert a == b
    assert a != c
    assert {429, 503, 200} <= set(a)


def test_exact_sequence_and_targeting(client: httpx.Client, emu: Emulator) -> None:
    emu.faults.load_spec("503@/me/mailFolders:1+2x")
    codes = [client.get("/me/mailFolders").status_code for _ in range(5)]
    assert codes == [200, 503, 503, 200, 200]
    assert client.get("/users/megan@contoso.example/mailFolders").status_code == 200
    assert client.get("/me/messages").status_code == 200


def test_retry_after_forms(client: httpx.Client, emu: Emulator) -> None:
    emu.faults.load_spec("429(2.128)@/me/messages:1x,429(none)@/me/messages:1x")
    first = client.get("/me/messages")
    second = client.get("/me/messages")
    assert first.status_code == second.status_code == 429
    assert first.headers["Retry-After"] == "2.128"
    assert "Retry-After" not in second.headers
    assert first.json()["error"]["code"] == "TooManyRequests"


def test_504_on_sendmail_after_the_mail_was_sent(client: httpx.Client, emu: Emulator) -> None:
    emu.faults.load_spec("504@POST /me/sendMail:1x")
    resp = client.post("/me/sendMail", json={"message": {
        "subject": "Timed out?", "toRecipients": [
            {"emailAddress": {"address": "alex@contoso.example"}}]}})
    assert resp.status_code == 504
    sent = client.get("/me/mailFolders/sentitems/messages").json()["value"]
    assert [m["subject"] for m in sent] == ["Timed out?"]
    alex = client.get("/users/alex@contoso.example/messages").json()["value"]
    assert [m["subject"] for m in alex] == ["Timed out?"]


def test_504_before_does_nothing(client: httpx.Client, emu: Emulator) -> None:
    emu.faults.load_spec("504(before)@/me/sendMail:1x")
    resp = client.post("/me/sendMail", json={"message": {
        "subject": "x", "toRecipients": [{"emailAddress": {"address": "a@b.example"}}]}})
    assert resp.status_code == 504
    assert client.get("/me/mailFolders/sentitems/messages").json()["value"] == []


def test_reset_and_401_faults(client: httpx.Client, emu: Emulator) -> None:
    emu.faults.load_spec("reset@/me:1x,401@/me/messages:1x")
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/me")
    assert client.get("/me").status_code == 200
    r = client.get("/me/messages")
    assert r.status_code == 401
    assert r.json()["error"]["message"] == "Access token has expired or is not yet valid."


def test_reset_on_the_loopback_server_drops_the_connection() -> None:
    emu = make_emulator(2)
    emu.faults.load_spec("reset@/me:1x")
    with emu.serve() as server, httpx.Client(base_url=server.base_url + "/v1.0") as c:
        with pytest.raises(httpx.TransportError):
            c.get("/me")
        assert c.get("/me").status_code == 200


def test_env_var_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLK_TUI_EMULATOR_FAULTS", "503@/me:1x")
    emu = make_emulator(1)
    emu.load_faults_from_env()
    with httpx.Client(transport=emu.sync_transport(), base_url=BASE) as c:
        assert c.get("/me").status_code == 503
        assert c.get("/me").status_code == 200


def test_untargeted_faults_spare_sign_in_but_targeted_ones_reach_it() -> None:
    emu = make_emulator(1)
    emu.faults.load_spec("503")
    with httpx.Client(transport=emu.sync_transport()) as c:
        conf = "https://login.emulator.test/common/v2.0/.well-known/openid-configuration"
        assert c.get(conf).status_code == 200
        assert c.get(BASE + "/me").status_code == 503
        emu.faults.clear()
        emu.faults.load_spec("503@/*/oauth2/v2.0/token:1x")
        token = "https://login.emulator.test/common/oauth2/v2.0/token"
        assert c.post(token, data={"grant_type": "x"}).status_code == 503
        assert c.post(token, data={"grant_type": "x"}).status_code == 400


def test_slow_fault_uses_the_injected_sleeper() -> None:
    emu = make_emulator(1)
    emu.faults.load_spec("slow(30)@/me:1x")
    waits: list[float] = []
    with httpx.Client(transport=emu.sync_transport(sleep=waits.append), base_url=BASE) as c:
        assert c.get("/me").status_code == 200
    assert waits == [30.0]
