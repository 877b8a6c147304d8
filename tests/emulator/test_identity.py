"""Identity endpoints: OpenID configuration, device code pending -> approved, token grants,
id_token/client_info, expiry (401 on Graph), refresh, invalid_grant, consent and MFA errors."""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from olk_tui.emulator import Emulator
from tests.emulator.conftest import make_emulator

ORIGIN = "https://login.emulator.test"
TOKEN = f"{ORIGIN}/common/oauth2/v2.0/token"
DEVICE = "urn:ietf:params:oauth:grant-type:device_code"


def _b64json(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


@pytest.fixture
def authed() -> Emulator:
    return make_emulator(3, require_auth=True)


@pytest.fixture
def http(authed: Emulator) -> httpx.Client:
    return httpx.Client(transport=authed.sync_transport())


def _device_tokens(http: httpx.Client, emu: Emulator) -> dict:
    code = http.post(f"{ORIGIN}/common/oauth2/v2.0/devicecode",
                     data={"client_id": "app", "scope": "Mail.ReadWrite offline_access"}).json()
    emu.identity.approve(code["user_code"])
    return http.post(TOKEN, data={"grant_type": DEVICE, "client_id": "app",
                                  "device_code": code["device_code"]}).json()


def test_openid_configuration(http: httpx.Client) -> None:
    conf = http.get(f"{ORIGIN}/organizations/v2.0/.well-known/openid-configuration").json()
    assert conf["token_endpoint"] == f"{ORIGIN}/organizations/oauth2/v2.0/token"
    assert conf["device_authorization_endpoint"].endswith("/organizations/oauth2/v2.0/devicecode")
    assert conf["authorization_endpoint"].endswith("/oauth2/v2.0/authorize")
    assert conf["issuer"].startswith(ORIGIN)


def test_device_code_pending_then_approved(http: httpx.Client, authed: Emulator) -> None:
    code = http.post(f"{ORIGIN}/common/oauth2/v2.0/devicecode",
                     data={"client_id": "app", "scope": "Mail.Read"}).json()
    assert set(code) >= {"device_code", "user_code", "verification_uri", "expires_in",
                         "interval", "message"}
    assert code["user_code"] in code["message"]
    poll = {"grant_type": DEVICE, "client_id": "app", "device_code": code["device_code"]}
    pending = http.post(TOKEN, data=poll)
    assert pending.status_code == 400
    err = pending.json()
    assert err["error"] == "authorization_pending" and err["error_codes"] == [70016]
    assert {"error_description", "timestamp", "trace_id", "correlation_id"} <= set(err)
    assert err["error_description"].startswith("AADSTS70016:")
    authed.identity.approve(code["device_code"], "alex@contoso.example")
    tokens = http.post(TOKEN, data=poll).json()
    assert {"access_token", "refresh_token", "id_token", "client_info", "expires_in"} <= set(tokens)
    claims = _b64json(tokens["id_token"].split(".")[1])
    assert claims["preferred_username"] == "alex@contoso.example"
    assert claims["name"] == "Alex Wilber" and claims["aud"] == "app"
    assert {"oid", "tid", "iss", "exp", "iat"} <= set(claims)
    info = _b64json(tokens["client_info"])
    assert info == {"uid": claims["oid"], "utid": claims["tid"]}
    me = http.get("https://graph.emulator.test/v1.0/me",
                  headers={"Authorization": f"Bearer {tokens['access_token']}"}).json()
    assert me["mail"] == "alex@contoso.example"
    assert http.post(TOKEN, data=poll).json()["error"] == "invalid_grant"


def test_auto_approve(http: httpx.Client, authed: Emulator) -> None:
    authed.identity.auto_approve = True
    code = http.post(f"{ORIGIN}/common/oauth2/v2.0/devicecode", data={"client_id": "a"}).json()
    tokens = http.post(TOKEN, data={"grant_type": DEVICE, "client_id": "a",
                                    "device_code": code["device_code"]})
    assert tokens.status_code == 200


def test_graph_needs_a_valid_unexpired_token(http: httpx.Client, authed: Emulator) -> None:
    graph = "https://graph.emulator.test/v1.0/me/messages"
    missing = http.get(graph)
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "InvalidAuthenticationToken"
    bogus = http.get(graph, headers={"Authorization": "Bearer nope"})
    assert "CompactToken parsing failed" in bogus.json()["error"]["message"]
    tokens = _device_tokens(http, authed)
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert http.get(graph, headers=auth).status_code == 200
    authed.clock.advance(tokens["expires_in"] + 1)
    expired = http.get(graph, headers=auth)
    assert expired.status_code == 401
    assert expired.json()["error"]["message"] == "Access token has expired or is not yet valid."
    refreshed = http.post(TOKEN, data={"grant_type": "refresh_token", "client_id": "app",
                                       "refresh_token": tokens["refresh_token"]}).json()
    assert http.get(graph, headers={
        "Authorization": f"Bearer {refreshed['access_token']}"}).status_code == 200


def test_revoked_refresh_token_is_invalid_grant(http: httpx.Client, authed: Emulator) -> None:
    tokens = _device_tokens(http, authed)
    authed.identity.revoke("megan@contoso.example")
    resp = http.post(TOKEN, data={"grant_type": "refresh_token", "client_id": "app",
                                  "refresh_token": tokens["refresh_token"]})
    assert resp.status_code == 400
    err = resp.json()
    assert err["error"] == "invalid_grant" and err["error_codes"] == [70008]
    assert err["error_description"].startswith("AADSTS70008:")


def test_consent_and_mfa_errors(http: httpx.Client, authed: Emulator) -> None:
    tokens = _device_tokens(http, authed)
    form = {"grant_type": "refresh_token", "client_id": "app",
            "refresh_token": tokens["refresh_token"]}
    authed.identity.consent_required = True
    consent = http.post(TOKEN, data=form).json()
    assert consent["error_codes"] == [65001] and consent["suberror"] == "consent_required"
    authed.identity.consent_required = False
    authed.identity.mfa_required = True
    mfa = http.post(TOKEN, data=form).json()
    assert mfa["error"] == "interaction_required" and mfa["error_codes"] == [50076]
    authed.identity.mfa_required = False
    assert http.post(TOKEN, data=form).status_code == 200


def test_authorization_code_with_pkce(http: httpx.Client) -> None:
    verifier = "v" * 50
    challenge = base64.urlsafe_b64encode(
        hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    resp = http.get(f"{ORIGIN}/common/oauth2/v2.0/authorize", params={
        "client_id": "app", "redirect_uri": "http://localhost:8400", "state": "s1",
        "code_challenge": challenge, "code_challenge_method": "S256"})
    assert resp.status_code == 302
    query = parse_qs(urlsplit(resp.headers["Location"]).query)
    assert query["state"] == ["s1"]
    code = query["code"][0]
    bad = http.post(TOKEN, data={"grant_type": "authorization_code", "client_id": "app",
                                 "code": code, "code_verifier": "wrong"})
    assert bad.json()["error"] == "invalid_grant"
    resp = http.get(f"{ORIGIN}/common/oauth2/v2.0/authorize", params={
        "client_id": "app", "redirect_uri": "http://localhost:8400", "nonce": "n-123",
        "code_challenge": challenge, "code_challenge_method": "S256"})
    code = parse_qs(urlsplit(resp.headers["Location"]).query)["code"][0]
    good = http.post(TOKEN, data={"grant_type": "authorization_code", "client_id": "app",
                                  "code": code, "code_verifier": verifier})
    assert good.status_code == 200 and "refresh_token" in good.json()
    assert _b64json(good.json()["id_token"].split(".")[1])["nonce"] == "n-123"


def test_client_credentials_reach_users_but_not_me(http: httpx.Client) -> None:
    tok = http.post(TOKEN, data={"grant_type": "client_credentials", "client_id": "daemon",
                                 "client_secret": "s", "scope": "https://graph/.default"}).json()
    assert "refresh_token" not in tok
    auth = {"Authorization": f"Bearer {tok['access_token']}"}
    base = "https://graph.emulator.test/v1.0"
    assert http.get(f"{base}/me", headers=auth).status_code == 400
    assert http.get(f"{base}/users/alex@contoso.example/messages",
                    headers=auth).status_code == 200
    assert http.post(TOKEN, data={"grant_type": "client_credentials",
                                  "client_id": "d"}).status_code == 401


def test_msal_device_flow_refresh_and_revoke_against_the_emulator(authed: Emulator) -> None:
    msal = pytest.importorskip("msal")
    authed.identity.auto_approve = True
    authed.identity.device_interval = 0
    hc = httpx.Client(transport=authed.sync_transport())

    class Adapter:
        """MSAL's http_client protocol over the in-process transport."""

        def get(self, url: str, params: dict | None = None, headers: dict | None = None,
                **_: object) -> httpx.Response:
            return hc.get(url, params=params, headers=headers)

        def post(self, url: str, params: dict | None = None, data: object = None,
                 headers: dict | None = None, **_: object) -> httpx.Response:
            return hc.post(url, params=params, data=data, headers=headers)

        def close(self) -> None:
            hc.close()

    app = msal.PublicClientApplication("app", authority=f"{ORIGIN}/organizations",
                                       instance_discovery=False, http_client=Adapter())
    flow = app.initiate_device_flow(scopes=["Mail.ReadWrite"])
    result = app.acquire_token_by_device_flow(flow)
    assert "access_token" in result, result
    [account] = app.get_accounts()
    assert account["username"] == "megan@contoso.example"
    again = app.acquire_token_silent(["Mail.ReadWrite"], account=account, force_refresh=True)
    assert again and "access_token" in again
    authed.identity.revoke("megan@contoso.example")
    failed = app.acquire_token_silent_with_error(["Mail.ReadWrite"], account=account,
                                                 force_refresh=True)
    assert failed and failed["error"] == "invalid_grant"
