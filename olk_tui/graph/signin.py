"""Sign-in with MSAL: device code (default), auth code + PKCE on a loopback redirect, and
client credentials (app-only), with the token cache persisted through a ``TokenStore``.

``MsalSession`` is also the ``TokenProvider`` behind ``GraphAuth``: ``acquire`` refreshes
silently and turns every failure into ``AuthRequired`` (with a hint) or ``Offline``. Library
code never prints: the device code reaches the UI/CLI through a callback.
"""

from __future__ import annotations

import os
import threading
import time
import warnings
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import msal

from olk_tui.domain.errors import AuthRequired, GraphError, Offline
from olk_tui.graph import logredact
from olk_tui.graph.auth import AccessToken, auth_error
from olk_tui.graph.loopback import LoopbackRedirect
from olk_tui.graph.msal_http import LOOPBACK_HOSTS, MsalHttpClient, MsalHttpError
from olk_tui.graph.token_store import FileStore, MemoryStore, TokenStore, save_with_fallback

SECRET_ENV = "OLK_TUI_CLIENT_SECRET"  # noqa: S105 - the variable name, not a secret
#: Graph hosts of the national clouds, whose scopes must name the host (FACTS #39).
NATIONAL_GRAPH_HOSTS = frozenset({"graph.microsoft.us", "dod-graph.microsoft.us",
                                  "microsoftgraph.chinacloudapi.cn"})
#: Scopes MSAL adds itself and refuses to be given.
_RESERVED = frozenset({"openid", "profile", "offline_access"})


@dataclass(frozen=True, slots=True)
class AuthSettings:
    """What sign-in needs (built from ``AccountConfig`` by the CLI).

    Attributes:
        client_id: the app registration's application id.
        authority: ``https://login.microsoftonline.com/{tenant}`` (or the emulator's).
        scopes: delegated scopes.
        graph_base: Graph root, for the app-only ``/.default`` scope.
        flow: "device_code", "browser" or "client_credentials".
    """

    client_id: str
    authority: str
    scopes: tuple[str, ...] = ("User.Read",)
    graph_base: str = "https://graph.microsoft.com"
    flow: str = "device_code"


@dataclass(frozen=True, slots=True)
class DeviceCode:
    """What the user needs to finish a device-code sign-in."""

    user_code: str
    verification_uri: str
    expires_at: float
    message: str = ""


@dataclass
class SignedIn:
    """Who signed in."""

    username: str
    name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def client_secret(account: str, keyring_backend: Any = None) -> str | None:
    """The app-only client secret: ``OLK_TUI_CLIENT_SECRET`` or keyring, never the config."""
    value = os.environ.get(SECRET_ENV)
    if value:
        return value
    try:
        if keyring_backend is None:
            import keyring

            keyring_backend = keyring.get_keyring()
        return keyring_backend.get_password("olk-tui", f"client-secret:{account}")
    except Exception:  # no keyring, locked keyring: the caller explains what to do
        return None


class MsalSession:
    """One account's MSAL application, token cache and sign-in flows.

    Args:
        settings: client id, authority, scopes.
        store: where the token cache is kept (``MemoryStore()`` for demo).
        transport: httpx sync transport for the identity endpoints (emulator in tests).
        secret: the client secret for app-only.
        fallback: file store used when a keyring refuses to save.
    """

    def __init__(self, settings: AuthSettings, store: TokenStore | None = None, *,
                 transport: httpx.BaseTransport | None = None, secret: str | None = None,
                 fallback: FileStore | None = None) -> None:
        logredact.install()  # MSAL logs device codes at DEBUG
        self.settings = settings
        self.store: TokenStore = store or MemoryStore()
        self._fallback = fallback
        self._secret = secret
        self._cache = msal.SerializableTokenCache()
        self._lock = threading.RLock()
        host = urlsplit(settings.authority).hostname or ""
        self._http = MsalHttpClient(transport, loopback_http=settings.authority.startswith(
            "http://") and host in LOOPBACK_HOSTS)
        self._app: msal.ClientApplication | None = None
        loaded = self.store.load() or (fallback.load() if fallback else None)
        if loaded:
            try:
                self._cache.deserialize(loaded)
            except ValueError:
                self._cache = msal.SerializableTokenCache()

    # ---------------------------------------------------------------- plumbing

    @property
    def _authority(self) -> str:
        # MSAL accepts only https; the loopback emulator is shown to it as https.
        if self._http.loopback_http:
            return "https://" + self.settings.authority.removeprefix("http://")
        return self.settings.authority

    @property
    def app_only(self) -> bool:
        """True for client credentials."""
        return self.settings.flow == "client_credentials"

    def _application(self) -> msal.ClientApplication:
        if self._app is not None:
            return self._app
        host = urlsplit(self._authority).hostname or ""
        known = host.startswith("login.microsoftonline.") or host == "login.chinacloudapi.cn"
        kw: dict[str, Any] = {"authority": self._authority, "token_cache": self._cache,
                              "http_client": self._http}
        if not known:
            kw.update(validate_authority=False, instance_discovery=False)
        try:
            if self.app_only:
                if not self._secret:
                    raise AuthRequired("No client secret for app-only sign-in",
                                       code="NoClientSecret",
                                       hint=f"Set {SECRET_ENV} or store it with keyring "
                                            "(service olk-tui, user client-secret:ACCOUNT).")
                self._app = msal.ConfidentialClientApplication(
                    self.settings.client_id, client_credential=self._secret, **kw)
            else:
                self._app = msal.PublicClientApplication(self.settings.client_id, **kw)
        except (ValueError, MsalHttpError) as exc:
            raise AuthRequired(f"Cannot use the sign-in authority: {str(exc)[:200]}",
                               code="BadAuthority",
                               hint="Check tenant and cloud in the config.") from None
        except httpx.TransportError as exc:
            raise Offline(f"Cannot reach the sign-in service ({type(exc).__name__})",
                          code=type(exc).__name__) from None
        return self._app

    def _persist(self) -> None:
        if self._cache.has_state_changed:
            data = self._cache.serialize()
            if self._fallback is not None:
                self.store = save_with_fallback(self.store, data, self._fallback)
            else:
                self.store.save(data)
            self._cache.has_state_changed = False

    def _scopes(self) -> list[str]:
        base = self.settings.graph_base.rstrip("/")
        if self.app_only:
            return [base + "/.default"]
        scopes = [s for s in self.settings.scopes if s not in _RESERVED]
        if (urlsplit(base).hostname or "") in NATIONAL_GRAPH_HOSTS:
            # FACTS #39: national clouds need scopes on their own Graph host.
            scopes = [s if "://" in s else f"{base}/{s}" for s in scopes]
        return scopes

    def _run(self, call: Callable[[], Any]) -> Any:
        """Run an MSAL call, translating transport trouble; persist the cache after."""
        with self._lock:
            try:
                result = call()
            except GraphError:
                raise
            except httpx.TransportError as exc:
                raise Offline(f"Cannot reach the sign-in service ({type(exc).__name__})",
                              code=type(exc).__name__) from None
            except MsalHttpError as exc:
                raise AuthRequired(f"The sign-in service answered HTTP {exc.status_code}",
                                   code="IdentityHttpError", hint="Try again later.") from None
            except (ValueError, RuntimeError) as exc:  # MSAL's own checks (authority, nonce)
                text = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
                raise AuthRequired(f"Sign-in failed: {text}", code="MsalError",
                                   hint="Run 'olk-tui login' again.") from None
            self._persist()
            return result

    @staticmethod
    def _token(result: Any) -> AccessToken:
        if not isinstance(result, dict) or "access_token" not in result:
            raise auth_error(result if isinstance(result, dict) else None)
        expires_in = result.get("expires_in", 3600)
        try:
            lifetime = float(expires_in)
        except (TypeError, ValueError):
            lifetime = 3600.0
        return AccessToken(str(result["access_token"]), time.time() + lifetime)

    # ---------------------------------------------------------------- TokenProvider

    def acquire(self, *, force_refresh: bool = False) -> AccessToken:
        """A valid access token, refreshed silently; ``AuthRequired`` when sign-in is needed."""
        app = self._application()
        if self.app_only:
            return self._token(self._run(lambda: app.acquire_token_for_client(self._scopes())))
        accounts = self._run(app.get_accounts)
        if not accounts:
            raise AuthRequired("Not signed in", code="NotSignedIn",
                               hint="Run 'olk-tui login' to sign in.")
        result = self._run(lambda: app.acquire_token_silent_with_error(
            self._scopes(), account=accounts[0], force_refresh=force_refresh))
        return self._token(result)

    # ---------------------------------------------------------------- flows

    def login_device_code(self, on_code: Callable[[DeviceCode], None], *,
                          cancel: threading.Event | None = None) -> SignedIn:
        """Device-code sign-in; ``on_code`` shows the code, ``cancel`` stops polling."""
        app = self._application()
        if not isinstance(app, msal.PublicClientApplication):
            raise AuthRequired("Device-code sign-in needs a public client", code="WrongFlow")
        flow = self._run(lambda: app.initiate_device_flow(scopes=self._scopes()))
        if "user_code" not in flow:
            raise auth_error(flow, default="Could not start device-code sign-in")
        on_code(DeviceCode(str(flow["user_code"]), str(flow.get("verification_uri", "")),
                           float(flow.get("expires_at", time.time() + 900)),
                           str(flow.get("message", ""))))

        def stop(_flow: dict[str, Any]) -> bool:
            return cancel is not None and cancel.is_set()

        result = self._run(lambda: app.acquire_token_by_device_flow(flow, exit_condition=stop))
        if cancel is not None and cancel.is_set() and "access_token" not in result:
            raise AuthRequired("Sign-in cancelled", code="Cancelled", hint="")
        self._token(result)
        return self._signed_in(result)

    def login_browser(self, *, open_browser: Callable[[str], Any] = webbrowser.open,
                      on_url: Callable[[str], None] | None = None, timeout: float = 300.0,
                      ) -> SignedIn:
        """Authorization code + PKCE with the redirect caught on ``http://localhost:PORT``."""
        app = self._application()
        if not isinstance(app, msal.PublicClientApplication):
            raise AuthRequired("Browser sign-in needs a public client", code="WrongFlow")
        with LoopbackRedirect() as receiver:
            with warnings.catch_warnings():
                # MSAL recommends form_post; a loopback redirect with a query is what
                # desktop apps use (RFC 8252), and the page never shows the code.
                warnings.simplefilter("ignore", UserWarning)
                flow = self._run(lambda: app.initiate_auth_code_flow(
                    self._scopes(), redirect_uri=f"http://localhost:{receiver.port}"))
            if "auth_uri" not in flow:
                raise auth_error(flow, default="Could not start browser sign-in")
            if on_url is not None:
                on_url(flow["auth_uri"])
            open_browser(flow["auth_uri"])
            reply = receiver.wait(timeout)
        if reply is None:
            raise AuthRequired("No answer from the browser in time", code="Timeout",
                               hint="Run 'olk-tui login --browser' again, or use the default "
                                    "device-code sign-in.")
        result = self._run(lambda: app.acquire_token_by_auth_code_flow(flow, reply))
        self._token(result)
        return self._signed_in(result)

    def login_app_only(self) -> SignedIn:
        """Check that client credentials work (there is no user)."""
        self.acquire()
        return SignedIn(username="(app-only)", name=self.settings.client_id)

    def signed_in(self) -> SignedIn | None:
        """The cached account, if any; reads the token cache only (no network), so the app
        can start offline."""
        if self.app_only:
            return None
        with self._lock:
            accounts = list(self._cache.search(msal.TokenCache.CredentialType.ACCOUNT))
        if not accounts:
            return None
        return SignedIn(username=str(accounts[0].get("username", "")))

    def logout(self) -> bool:
        """Forget every token of this account (cache and stores); True if any existed."""
        removed = False
        with self._lock:
            if self._app is not None and not self.app_only:
                for account in self._app.get_accounts():
                    self._app.remove_account(account)
            self._cache = msal.SerializableTokenCache()
            self._app = None
            removed = self.store.delete() or removed
            if self._fallback is not None and self._fallback is not self.store:
                removed = self._fallback.delete() or removed
        return removed

    @staticmethod
    def _signed_in(result: dict[str, Any]) -> SignedIn:
        claims = result.get("id_token_claims") or {}
        return SignedIn(username=str(claims.get("preferred_username", "")),
                        name=str(claims.get("name", "")))

    def close(self) -> None:
        """Release the HTTP client."""
        self._http.close()
