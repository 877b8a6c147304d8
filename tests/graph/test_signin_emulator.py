"""MSAL for real against the emulator's identity endpoints (in-process and over loopback):
device code, refresh on expiry, revoked/consent/MFA failures, browser PKCE, app-only, logout."""

from __future__ import annotations

import httpx
import pytest

from olk_tui.domain.errors import AuthRequired
from olk_tui.emulator import Emulator
from olk_tui.graph.auth import GraphAuth
from olk_tui.graph.client import GraphClient
from olk_tui.graph.signin import AuthSettings, MsalSession
from olk_tui.graph.token_store import FileStore, MemoryStore

BASE = "https://graph.emulator.test"
SCOPES = ("User.Read", "Mail.ReadWrite", "offline_access")


@pytest.fixture
def emu() -> Emulator:
    e = Emulator()
    assert e.default_mailbox.address == "megan@contoso.example"  # creates Megan's mailbox
    return e


def session(emu: Emulator, store=None, **kw) -> MsalSession:
    return MsalSession(AuthSettings("client-1", f"{BASE}/common", SCOPES, BASE, **kw),
                       store or MemoryStore(), transport=emu.sync_transport())


def sign_in(emu: Emulator, s: MsalSession) -> None:
    codes = []

    def on_code(code):
        codes.append(code)
        emu.identity.approve(code.user_code)

    who = s.login_device_code(on_code)
    assert who.username == "megan@contoso.example" and who.name == "Megan Bowen"
    assert codes[0].verification_uri.endswith("/devicelogin") and len(codes[0].user_code) >= 6


async def test_device_code_then_graph_and_silent_reuse(emu) -> None:
    store = MemoryStore()
    s = session(emu, store)
    sign_in(emu, s)
    assert store.data and "refreshtoken" in store.data.lower()
    again = session(emu, store)  # a new process: silent from the stored cache
    client = GraphClient(BASE, GraphAuth(again), transport=emu.transport())
    try:
        me = await client.me()
    finally:
        await client.aclose()
    assert me.display_name == "Megan Bowen"


async def test_expired_token_refreshed_once(emu) -> None:
    s = session(emu)
    sign_in(emu, s)
    auth = GraphAuth(s)
    client = GraphClient(BASE, auth, transport=emu.transport())
    try:
        await client.me()
        emu.clock.advance(7200)  # the emulator now rejects the cached access token
        assert (await client.me()).mail == "megan@contoso.example"
    finally:
        await client.aclose()
    assert auth.refreshes == 1


@pytest.mark.parametrize(("setup", "code", "hint_words"), [
    (lambda e: e.identity.revoke("megan@contoso.example"), "AADSTS70008", "olk-tui login"),
    (lambda e: setattr(e.identity, "consent_required", True), "AADSTS65001", "consent"),
    (lambda e: setattr(e.identity, "mfa_required", True), "AADSTS50076", "second factor"),
])
async def test_failed_refresh_is_auth_required_with_hint(emu, setup, code, hint_words) -> None:
    s = session(emu)
    sign_in(emu, s)
    setup(emu)
    emu.clock.advance(7200)
    client = GraphClient(BASE, GraphAuth(s), transport=emu.transport())
    try:
        with pytest.raises(AuthRequired) as info:
            await client.me()
    finally:
        await client.aclose()
    assert info.value.code == code
    assert hint_words in info.value.hint + str(info.value)


def test_not_signed_in(emu) -> None:
    with pytest.raises(AuthRequired) as info:
        session(emu).acquire()
    assert "olk-tui login" in info.value.hint


async def test_app_only_client_credentials(emu) -> None:
    s = MsalSession(AuthSettings("client-1", f"{BASE}/contoso.example", SCOPES, BASE,
                                 flow="client_credentials"), MemoryStore(),
                    transport=emu.sync_transport(), secret="s3cret")
    client = GraphClient(BASE, GraphAuth(s), mailbox="megan@contoso.example",
                         transport=emu.transport())
    try:
        assert (await client.me()).display_name == "Megan Bowen"
    finally:
        await client.aclose()
    no_secret = MsalSession(AuthSettings("c", f"{BASE}/t", SCOPES, BASE,
                                         flow="client_credentials"),
                            transport=emu.sync_transport())
    with pytest.raises(AuthRequired) as info:
        no_secret.acquire()
    assert "OLK_TUI_CLIENT_SECRET" in info.value.hint


def test_browser_pkce_over_loopback(emu, tmp_path) -> None:
    with emu.serve() as server:
        store = FileStore(tmp_path / "tokens.json")
        s = MsalSession(AuthSettings("client-1", f"{server.base_url}/common", SCOPES,
                                     server.base_url, flow="browser"), store)
        shown: list[str] = []

        def browser(url: str) -> None:
            # The "browser": MSAL saw https (it insists); the loopback emulator speaks http.
            assert url.startswith("https://127.0.0.1")
            assert "code_challenge=" in url
            httpx.get("http://" + url.removeprefix("https://"), follow_redirects=True,
                      timeout=10)

        who = s.login_browser(open_browser=browser, on_url=shown.append, timeout=10)
        assert who.username == "megan@contoso.example"
        assert shown and store.load()
        assert s.acquire().token
        assert s.logout() is True
        assert store.load() is None
        with pytest.raises(AuthRequired):
            s.acquire()


def test_national_cloud_scopes_name_their_graph_host() -> None:
    s = MsalSession(AuthSettings("c", "https://login.microsoftonline.us/contoso.us",
                                 ("User.Read", "offline_access", "Mail.Read"),
                                 "https://graph.microsoft.us"))
    assert s._scopes() == ["https://graph.microsoft.us/User.Read",
                           "https://graph.microsoft.us/Mail.Read"]
    app = MsalSession(AuthSettings("c", "https://login.chinacloudapi.cn/t", ("User.Read",),
                                   "https://microsoftgraph.chinacloudapi.cn",
                                   flow="client_credentials"))
    assert app._scopes() == ["https://microsoftgraph.chinacloudapi.cn/.default"]
    glob = MsalSession(AuthSettings("c", "https://login.microsoftonline.com/common",
                                    ("User.Read",), "https://graph.microsoft.com"))
    assert glob._scopes() == ["User.Read"]


def test_signed_in_reads_the_cache_without_network(emu) -> None:
    store = MemoryStore()
    sign_in(emu, session(emu, store))

    def offline(request):
        raise httpx.ConnectError("offline", request=request)

    cold = MsalSession(AuthSettings("client-1", f"{BASE}/common", SCOPES, BASE), store,
                       transport=httpx.MockTransport(offline))
    assert cold.signed_in().username == "megan@contoso.example"
    assert session(emu).signed_in() is None
