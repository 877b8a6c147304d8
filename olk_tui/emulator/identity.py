"""Microsoft identity platform (v2.0) stand-in for MSAL: OpenID configuration, device code,
authorize (PKCE), token grants and the errors users meet.

Endpoints under a base B (any tenant segment: ``common``, ``organizations``, a tenant id):
``B/{tenant}/v2.0/.well-known/openid-configuration``, ``B/{tenant}/oauth2/v2.0/devicecode``,
``B/{tenant}/oauth2/v2.0/token``, ``B/{tenant}/oauth2/v2.0/authorize`` (answers at once with a
302 to ``redirect_uri`` carrying ``code`` and ``state``: the user "consented").

Test hooks: ``approve(device_or_user_code, address=None)``, ``auto_approve``, ``revoke(address
or refresh_token)``, ``consent_required`` / ``mfa_required`` (token grants fail with AADSTS65001
/ AADSTS50076 while set), ``issue_token(address)`` (a valid access token without a flow),
``token_lifetime`` and ``device_interval`` (seconds). Access tokens expire per ``emu.clock``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

from olk_tui.emulator.router import Request, Response

if TYPE_CHECKING:
    from olk_tui.emulator.core import Emulator

TENANT_ID = str(uuid.uuid5(uuid.NAMESPACE_DNS, "contoso.example"))
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass
class _Device:
    device_code: str
    user_code: str
    client_id: str
    scope: str
    expires_at: float
    approved_for: str | None = None
    redeemed: bool = False


@dataclass
class _Token:
    user: str | None
    client_id: str
    expires_at: float


class Identity:
    """The emulator's sign-in service (one per emulator)."""

    def __init__(self, emulator: Emulator) -> None:
        self._emu = emulator
        self.auto_approve = False
        self.consent_required = False
        self.mfa_required = False
        self.token_lifetime = 3600
        self.device_interval = 5
        self._devices: dict[str, _Device] = {}
        self._access: dict[str, _Token] = {}
        self._refresh: dict[str, tuple[str, str]] = {}
        self._codes: dict[str, tuple[str, str, str, str, str]] = {}

    # ------------------------------------------------------------- test hooks
    def approve(self, code: str, address: str | None = None) -> None:
        """Approve a pending device code (by device_code or user_code) as ``address``."""
        with self._emu.lock:
            for dev in self._devices.values():
                if code in (dev.device_code, dev.user_code):
                    dev.approved_for = address or self._emu.default_mailbox.address
                    return
        raise KeyError("no such device code")

    def revoke(self, who: str) -> None:
        """Revoke refresh tokens: one token, or every token of an address."""
        with self._emu.lock:
            for tok, (user, _) in list(self._refresh.items()):
                if who in (tok, user) or user.lower() == who.lower():
                    del self._refresh[tok]

    def issue_token(self, address: str | None = None, client_id: str = "test") -> str:
        """A valid access token for ``address`` (default mailbox if omitted)."""
        user = address or self._emu.default_mailbox.address
        token = "eyJ0eXAiOiJKV1QiLCJub25jZSI6" + secrets.token_urlsafe(32)
        self._access[token] = _Token(user, client_id,
                                     self._emu.clock.timestamp() + self.token_lifetime)
        return token

    # ----------------------------------------------------------- graph checks
    def validate(self, token: str) -> tuple[str | None, str | None]:
        """(user address or None for app tokens, problem message or None)."""
        rec = self._access.get(token)
        if rec is None:
            return None, "CompactToken parsing failed with error code: 80049217"
        if self._emu.clock.timestamp() >= rec.expires_at:
            return None, "Access token has expired or is not yet valid."
        return rec.user, None

    def user_for(self, token: str) -> str | None:
        """The user of a known token, ignoring expiry (for ``require_auth=False``)."""
        rec = self._access.get(token)
        return rec.user if rec else None

    def app_for(self, token: str) -> str | None:
        """The client id (app id) a known token was issued to, ignoring expiry."""
        rec = self._access.get(token)
        return rec.client_id if rec else None

    # --------------------------------------------------------------- HTTP side
    def handle(self, req: Request, origin: str, path: str) -> Response:
        """Answer an identity request (path without the version prefix)."""
        parts = [p for p in path.split("/") if p]
        if len(parts) >= 4 and parts[1:] == ["v2.0", ".well-known", "openid-configuration"]:
            return Response.ok(self._openid(origin, parts[0]))
        if len(parts) == 4 and parts[1:3] == ["oauth2", "v2.0"]:
            endpoint = parts[3]
            form = dict(parse_qsl(req.body.decode("utf-8", "replace")))
            if endpoint == "devicecode" and req.method == "POST":
                return self._devicecode(form, origin)
            if endpoint == "token" and req.method == "POST":
                return self._token(form, origin)
            if endpoint == "authorize" and req.method == "GET":
                return self._authorize(req.query)
        if parts[-2:] == ["discovery", "instance"]:
            return Response.ok({"tenant_discovery_endpoint":
                                f"{origin}/{TENANT_ID}/v2.0/.well-known/openid-configuration",
                                "api-version": "1.1", "metadata": []})
        return self._error(404, "invalid_request", 90002,
                           f"Tenant or endpoint not found for path '{path}'.")

    def _openid(self, origin: str, tenant: str) -> dict[str, Any]:
        base = f"{origin}/{tenant}"
        return {
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt",
                                                      "client_secret_basic"],
            "jwks_uri": f"{base}/discovery/v2.0/keys",
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": f"{origin}/{TENANT_ID}/v2.0",
            "request_uri_parameter_supported": False,
            "userinfo_endpoint": f"{origin}/oidc/userinfo",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
            "http_logout_supported": True,
            "frontchannel_logout_supported": True,
            "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "name", "oid", "tid",
                                 "preferred_username", "ver"],
            "tenant_region_scope": "NA",
            "cloud_instance_name": "emulator.olk-tui.example",
            "cloud_graph_host_name": "graph.emulator.test",
            "msgraph_host": "graph.emulator.test",
        }

    def _devicecode(self, form: dict[str, str], origin: str) -> Response:
        client_id = form.get("client_id", "")
        if not client_id:
            return self._error(400, "invalid_request", 900144,
                               "The request body must contain the following parameter: "
                               "'client_id'.")
        user_code = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(9))
        dev = _Device(secrets.token_urlsafe(32), user_code, client_id, form.get("scope", ""),
                      self._emu.clock.timestamp() + 900)
        if self.auto_approve:
            dev.approved_for = self._emu.default_mailbox.address
        self._devices[dev.device_code] = dev
        uri = f"{origin}/devicelogin"
        return Response.ok({
            "user_code": user_code, "device_code": dev.device_code, "verification_uri": uri,
            "expires_in": 900, "interval": self.device_interval,
            "message": f"To sign in, use a web browser to open the page {uri} and enter the "
                       f"code {user_code} to authenticate.",
        })

    def _authorize(self, query: dict[str, str]) -> Response:
        redirect = query.get("redirect_uri", "")
        if not redirect or not query.get("client_id"):
            return self._error(400, "invalid_request", 900144,
                               "The request must contain client_id and redirect_uri.")
        code = secrets.token_urlsafe(24)
        self._codes[code] = (self._emu.default_mailbox.address, query["client_id"],
                             query.get("code_challenge", ""),
                             query.get("code_challenge_method", "plain"),
                             query.get("nonce", ""))
        params = {"code": code, "client_info": self._client_info(self._emu.default_mailbox
                                                                 .address)}
        if "state" in query:
            params["state"] = query["state"]
        sep = "&" if "?" in redirect else "?"
        return Response.empty(302, headers={"Location": redirect + sep + urlencode(params)})

    def _token(self, form: dict[str, str], origin: str) -> Response:
        grant = form.get("grant_type", "")
        client_id = form.get("client_id", "")
        now = self._emu.clock.timestamp()
        if grant == "client_credentials":
            if not form.get("client_secret") and not form.get("client_assertion"):
                return self._error(401, "invalid_client", 7000215,
                                   "Invalid client secret provided.")
            token = "eyJ0eXAiOiJKV1QiLCJhcHAiOi" + secrets.token_urlsafe(32)
            self._access[token] = _Token(None, client_id, now + self.token_lifetime)
            return Response.ok({"token_type": "Bearer", "expires_in": self.token_lifetime,
                                "ext_expires_in": self.token_lifetime, "access_token": token})
        if grant == DEVICE_GRANT:
            dev = self._devices.get(form.get("device_code", ""))
            if dev is None or dev.redeemed:
                return self._error(400, "invalid_grant", 70000,
                                   "The provided value for the 'device_code' is not valid.")
            if now >= dev.expires_at:
                return self._error(400, "expired_token", 70020,
                                   "The provided value for the input parameter 'device_code' "
                                   "is not valid. This device code has expired.")
            if dev.approved_for is None:
                return self._error(400, "authorization_pending", 70016,
                                   "OAuth 2.0 device flow error. Authorization is pending. "
                                   "Continue polling.")
            problem = self._policy_error()
            if problem:
                return problem
            dev.redeemed = True
            return self._grant(dev.approved_for, client_id, dev.scope, origin)
        if grant == "refresh_token":
            entry = self._refresh.get(form.get("refresh_token", ""))
            if entry is None:
                return self._error(400, "invalid_grant", 70008,
                                   "The provided authorization code or refresh token has expired "
                                   "due to inactivity or been revoked. Send a new interactive "
                                   "authorization request for this user and resource.")
            problem = self._policy_error()
            if problem:
                return problem
            return self._grant(entry[0], client_id or entry[1], form.get("scope", ""), origin)
        if grant == "authorization_code":
            code = self._codes.pop(form.get("code", ""), None)
            if code is None:
                return self._error(400, "invalid_grant", 70000,
                                   "The provided authorization code is invalid or expired.")
            user, cid, challenge, method, nonce = code
            verifier = form.get("code_verifier", "")
            if challenge:
                computed = (_b64url(hashlib.sha256(verifier.encode()).digest())
                            if method.upper() == "S256" else verifier)
                if computed != challenge:
                    return self._error(400, "invalid_grant", 501481,
                                       "The Code_Verifier does not match the code_challenge "
                                       "supplied in the authorization request.")
            problem = self._policy_error()
            if problem:
                return problem
            return self._grant(user, client_id or cid, form.get("scope", ""), origin,
                               nonce=nonce)
        return self._error(400, "unsupported_grant_type", 70003,
                           f"The app requested an unsupported grant type '{grant}'.")

    def _policy_error(self) -> Response | None:
        if self.consent_required:
            resp = self._error(400, "invalid_grant", 65001,
                               "The user or administrator has not consented to use the "
                               "application. Send an interactive authorization request for "
                               "this user and resource.")
            resp.json["suberror"] = "consent_required"
            return resp
        if self.mfa_required:
            resp = self._error(400, "interaction_required", 50076,
                               "Due to a configuration change made by your administrator, or "
                               "because you moved to a new location, you must use multi-factor "
                               "authentication to access the resource.")
            resp.json["suberror"] = "basic_action"
            return resp
        return None

    def _client_info(self, address: str) -> str:
        box = self._emu.mailbox(address)
        uid = box.user_id if box else str(uuid.uuid5(uuid.NAMESPACE_URL, address))
        return _b64url(json.dumps({"uid": uid, "utid": TENANT_ID}).encode())

    def _grant(self, address: str, client_id: str, scope: str, origin: str, *,
               nonce: str = "") -> Response:
        """Tokens for ``address``; the id_token echoes the authorize request's ``nonce``."""
        now = self._emu.clock.timestamp()
        box = self._emu.mailbox(address)
        name = box.name if box else address
        oid = box.user_id if box else str(uuid.uuid5(uuid.NAMESPACE_URL, address))
        access = self.issue_token(address, client_id)
        refresh = "0.AAAA" + secrets.token_urlsafe(48)
        self._refresh[refresh] = (address, client_id)
        claims = {"aud": client_id, "iss": f"{origin}/{TENANT_ID}/v2.0", "iat": int(now),
                  "nbf": int(now), "exp": int(now) + self.token_lifetime, "name": name,
                  "oid": oid, "preferred_username": address, "sub": _b64url(oid.encode()),
                  "tid": TENANT_ID, "ver": "2.0"}
        if nonce:
            claims["nonce"] = nonce
        id_token = ".".join([_b64url(json.dumps({"typ": "JWT", "alg": "none"}).encode()),
                             _b64url(json.dumps(claims).encode()), ""])
        scopes = " ".join(s for s in scope.split() if s not in ("openid", "profile",
                                                                "offline_access"))
        return Response.ok({
            "token_type": "Bearer", "scope": scopes or "https://graph.microsoft.com/.default",
            "expires_in": self.token_lifetime, "ext_expires_in": self.token_lifetime,
            "access_token": access, "refresh_token": refresh, "id_token": id_token,
            "client_info": self._client_info(address),
        })

    def _error(self, status: int, error: str, code: int, text: str) -> Response:
        trace, corr = str(uuid.uuid4()), str(uuid.uuid4())
        stamp = self._emu.clock.now().strftime("%Y-%m-%d %H:%M:%SZ")
        return Response.ok({
            "error": error,
            "error_description": f"AADSTS{code}: {text}\r\nTrace ID: {trace}\r\n"
                                 f"Correlation ID: {corr}\r\nTimestamp: {stamp}",
            "error_codes": [code], "timestamp": stamp, "trace_id": trace,
            "correlation_id": corr, "error_uri": f"https://login.microsoftonline.com/error?code={code}",
        }, status=status)
