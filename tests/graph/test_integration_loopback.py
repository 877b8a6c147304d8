"""The client against the emulator over real loopback HTTP: paging, Retry-After with a fake
clock, the 4-in-flight cap, 401 refresh, delta reset, $batch and error mapping."""

from __future__ import annotations

import asyncio

import pytest

from olk_tui.domain.errors import BadRequest, NotFound, SyncReset
from olk_tui.emulator import Emulator
from olk_tui.graph.auth import GraphAuth
from olk_tui.graph.batch import BatchRequest
from olk_tui.graph.client import GraphClient
from olk_tui.graph.signin import AuthSettings, MsalSession
from tests.graph.conftest import FakeSleep


@pytest.fixture(scope="module")
def served():
    emu = Emulator.demo(size=300, seed=1, require_auth=True)
    with emu.serve() as server:
        yield emu, server.base_url


@pytest.fixture
def emu(served):
    emulator, _ = served
    emulator.faults.clear()
    return emulator


@pytest.fixture
def session(served):
    _emulator, url = served
    s = MsalSession(AuthSettings("client-1", f"{url}/common", ("User.Read", "Mail.ReadWrite"),
                                 url))
    s.login_device_code(lambda code: None)  # the demo emulator auto-approves
    yield s
    s.close()


@pytest.fixture
async def client(served, session):
    _, url = served
    sleep = FakeSleep()
    c = GraphClient(url, GraphAuth(session), sleep=sleep)
    c.fake_sleep = sleep  # type: ignore[attr-defined]
    yield c
    await c.aclose()


async def inbox(client: GraphClient):
    folders = await client.mail_folders()
    return next(f for f in folders if f.display_name == "Inbox")


async def first_page(client: GraphClient, folder_id: str, n: int):
    async for page in client.list_messages(folder_id, top=n):
        assert len(page) == n
        return page
    raise AssertionError("no page")


async def test_paging_across_many_pages(client) -> None:
    folders = await client.mail_folders()
    pages = [p async for p in client.list_messages(None, top=25)]
    ids = [m.id for page in pages for m in page]
    assert len(pages) >= 10
    assert len(ids) == len(set(ids)) >= sum(f.total_count for f in folders) - 5


async def test_paging_a_folder_whose_id_has_equals(client) -> None:
    box = await inbox(client)
    assert "=" in box.id
    pages = [p async for p in client.list_messages(box.id, top=25)]
    ids = [m.id for page in pages for m in page]
    assert len(ids) == len(set(ids)) == box.total_count


async def test_fractional_retry_after_uses_fake_clock(client, emu) -> None:
    emu.faults.load_spec("429(2.128)@GET /me:2x")
    me = await client.me()
    assert me.display_name == "Megan Bowen"
    assert client.fake_sleep.waits == [2.128, 2.128]


async def test_fifty_concurrent_calls_stay_under_mailbox_limit(client, emu) -> None:
    box = await inbox(client)
    first = await first_page(client, box.id, 50)
    emu.faults.load_spec("slow(0.03)@GET /me/messages/*")
    results = await asyncio.gather(*(client.get_message(m.id) for m in first))
    assert [r.id for r in results] == [m.id for m in first]
    # the emulator answers 429 MailboxConcurrency above 4 in flight: no throttling happened
    assert client.fake_sleep.waits == []


async def test_expired_token_refreshed_over_loopback(client, emu) -> None:
    await client.me()
    emu.clock.advance(7200)
    assert (await client.me()).mail == "megan@contoso.example"
    assert client._auth.refreshes == 1  # type: ignore[union-attr]


async def test_injected_401_refreshes_once(client, emu) -> None:
    emu.faults.load_spec("401@GET /me:1x")
    assert (await client.me()).display_name == "Megan Bowen"
    assert client._auth.refreshes == 1  # type: ignore[union-attr]


async def test_delta_then_reset(client, emu) -> None:
    box = await inbox(client)
    pages = [p async for p in client.message_delta(box.id, page_size=100)]
    assert len(pages) >= 3 and pages[-1].delta_link
    assert sum(len(p.items) for p in pages) == box.total_count
    emu.expire_delta_tokens()
    with pytest.raises(SyncReset):
        async for _ in client.message_delta(box.id, pages[-1].delta_link):
            pass


async def test_batch_over_loopback(client) -> None:
    box = await inbox(client)
    first = await first_page(client, box.id, 45)
    requests = [BatchRequest(str(i), "GET", f"/me/messages/{m.id}?$select=id,subject")
                for i, m in enumerate(first)]
    requests.append(BatchRequest("missing", "GET", "/me/messages/AAMkNOPE"))
    results = await client.batch(requests)
    assert all(results[str(i)].status == 200 for i in range(45))
    assert results["12"].body["id"] == first[12].id
    assert isinstance(results["missing"].error(), NotFound)


async def test_batch_items_throttled_inside_a_200_batch(client, emu) -> None:
    box = await inbox(client)
    first = await first_page(client, box.id, 20)
    emu.faults.load_spec("429(0.75)@GET /me/messages/*:3x")
    requests = [BatchRequest(m.id[-12:], "GET", f"/me/messages/{m.id}?$select=id")
                for m in first]
    results = await client.batch(requests)
    assert all(r.status == 200 for r in results.values())
    assert client.fake_sleep.waits == [0.75]


async def test_error_mapping_over_loopback(client) -> None:
    with pytest.raises(NotFound) as info:
        await client.get_message("AAMkDOESNOTEXIST")
    assert info.value.request_id and info.value.code
    with pytest.raises(BadRequest):
        await client.request("GET", "/me/messages", params={"$top": "banana"})


@pytest.mark.parametrize("spec", ["504@POST /me/sendMail:1x", "reset@POST /me/sendMail:1x"])
async def test_send_with_unknown_outcome_is_not_retried(client, emu, spec) -> None:
    from olk_tui.domain.errors import OutcomeUnknown
    from olk_tui.domain.mail import Draft, Recipient

    emu.faults.load_spec(spec)
    with pytest.raises(OutcomeUnknown):
        await client.send_mail(Draft(subject=f"once {spec}", to=(Recipient("a@x.example"),)))
    assert client.fake_sleep.waits == []
    sent = next(f for f in await client.mail_folders() if f.display_name == "Sent Items")
    subjects = [m.subject async for page in client.list_messages(sent.id, top=200)
                for m in page]
    count = subjects.count(f"once {spec}")
    # 504 "after": the gateway timed out but the mail went; a reset may or may not have.
    assert count == 1 if spec.startswith("504") else count <= 1
