"""Bearer authentication for Graph as an ``httpx.Auth``, and MSAL failures as ``AuthRequired``.

``GraphAuth`` asks a ``TokenProvider`` (``olk_tui.graph.signin.MsalSession`` in the app, a fake
in tests) for a token, caches it until shortly before it expires, adds it to each request and,
when Graph answers 401 ``InvalidAuthenticationToken``, refreshes once (one refresh shared by
every request waiting at that moment) and retries. The provider is synchronous (MSAL is), so
the async flow calls it in a worker thread.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from olk_tui.domain.errors import AuthRequired, GraphError, OlkError

#: Refresh this many seconds before a token's stated expiry.
EXPIRY_MARGIN = 120.0

_LOGIN = "Run 'olk-tui login' to sign in again."
_LOGIN_FIRST = "Run 'olk-tui login' to sign in."
#: AADSTS code -> (what happened, what to do).
AADSTS_HINTS: dict[str, tuple[str, str]] = {
    "65001": ("The app has not been granted the permissions it asks for (consent required)",
              "Run 'olk-tui login' and accept the permissions, or ask your administrator to "
              "grant consent for the app."),
    "50076": ("Multi-factor authentication is required", _LOGIN + " You will be asked for "
              "your second factor."),
    "50079": ("Multi-factor authentication registration is required",
              "Register MFA in your browser, then run 'olk-tui login'."),
    "700082": ("The sign-in expired after a long time without use", _LOGIN),
    "70008": ("The sign-in expired or was revoked", _LOGIN),
    "50173": ("The sign-in is no longer valid (password changed or session revoked)", _LOGIN),
    "70043": ("The sign-in expired (conditional access sign-in frequency)", _LOGIN),
    "7000215": ("The client secret is wrong",
                "Store the right secret with keyring or set OLK_TUI_CLIENT_SECRET."),
    "7000222": ("The client secret has expired",
                "Create a new secret in the app registration and store it again."),
    "700016": ("The client id is not known in this tenant",
               "Check client_id and tenant in the config (see docs/app-registration.md)."),
    "50020": ("This account cannot sign in to that tenant",
              "Set tenant to \"common\" or to your own tenant in the config."),
}


@dataclass(frozen=True, slots=True)
class AccessToken:
    """A bearer token and when it expires (``time.time()`` seconds)."""

    token: str
    expires_at: float

    def fresh(self, now: float | None = None) -> bool:
        """True while the token is usable with a safety margin."""
        return (now if now is not None else time.time()) < self.expires_at - EXPIRY_MARGIN


class TokenProvider(Protocol):
    """Hands out access tokens; blocking (MSAL), raises ``AuthRequired`` when it cannot."""

    def acquire(self, *, force_refresh: bool = False) -> AccessToken:
        """A valid token; ``force_refresh`` skips the cached one."""


def auth_error(result: Mapping[str, Any] | None, *, default: str = "Not signed in"
               ) -> AuthRequired:
    """``AuthRequired`` for an MSAL error result (never includes tokens or codes)."""
    if not result:
        return AuthRequired(default, code="NotSignedIn", hint=_LOGIN)
    error = str(result.get("error") or "")
    description = str(result.get("error_description") or "")
    codes = [str(c) for c in result.get("error_codes") or [] if isinstance(c, int | str)]
    codes += re.findall(r"AADSTS(\d+)", description)
    for code in codes:
        if code in AADSTS_HINTS:
            what, hint = AADSTS_HINTS[code]
            return AuthRequired(what, code=f"AADSTS{code}", hint=hint)
    first_line = description.splitlines()[0][:200] if description else ""
    message = first_line or error or default
    if error == "interaction_required":
        return AuthRequired(message, code=error, hint=_LOGIN)
    return AuthRequired(message, code=error or "AuthFailed", hint=_LOGIN)


def _graph_code(response: httpx.Response) -> str:
    try:
        data = json.loads(response.content or b"{}")
    except (ValueError, UnicodeDecodeError):
        return ""
    err = data.get("error") if isinstance(data, dict) else None
    return str(err.get("code") or "") if isinstance(err, dict) else ""


class GraphAuth(httpx.Auth):
    """Adds ``Authorization: Bearer`` and refreshes once on 401 InvalidAuthenticationToken.

    Args:
        provider: where tokens come from.
        clock: ``time.time`` replacement for tests.
    """

    #: Bodies are read only for 401s (see ``_needs_refresh``), never for large downloads.
    requires_response_body = False

    def __init__(self, provider: TokenProvider, *, clock: Callable[[], float] = time.time
                 ) -> None:
        self.provider = provider
        self._clock = clock
        self._token: AccessToken | None = None
        self._async_lock: asyncio.Lock | None = None
        self._sync_lock = threading.Lock()
        #: How many forced refreshes happened (for tests and diagnostics).
        self.refreshes = 0

    def _cached(self) -> AccessToken | None:
        token = self._token
        return token if token is not None and token.fresh(self._clock()) else None

    def _lock(self) -> asyncio.Lock:
        if self._async_lock is None:
            self._async_lock = asyncio.Lock()
        return self._async_lock

    async def _get(self) -> AccessToken:
        cached = self._cached()
        if cached is not None:
            return cached
        async with self._lock():
            cached = self._cached()
            if cached is None:
                cached = await asyncio.to_thread(self.provider.acquire)
                self._token = cached
            return cached

    async def _refresh(self, failed: AccessToken) -> AccessToken:
        async with self._lock():
            current = self._token
            if current is not None and current.token != failed.token:
                return current  # another request refreshed while we waited
            self.refreshes += 1
            self._token = await asyncio.to_thread(self.provider.acquire, force_refresh=True)
            return self._token

    @staticmethod
    def _needs_refresh(response: httpx.Response) -> bool:
        return response.status_code == 401 and _graph_code(response).lower() in (
            "invalidauthenticationtoken", "")

    async def async_auth_flow(self, request: httpx.Request
                              ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self._get()
        request.headers["Authorization"] = f"Bearer {token.token}"
        response = yield request
        if response.status_code == 401:
            await response.aread()
        if self._needs_refresh(response):
            token = await self._refresh(token)
            request.headers["Authorization"] = f"Bearer {token.token}"
            yield request

    def sync_auth_flow(self, request: httpx.Request
                       ) -> Generator[httpx.Request, httpx.Response, None]:
        with self._sync_lock:
            token = self._cached()
            if token is None:
                token = self._token = self.provider.acquire()
        request.headers["Authorization"] = f"Bearer {token.token}"
        response = yield request
        if response.status_code == 401:
            response.read()
        if self._needs_refresh(response):
            with self._sync_lock:
                if self._token is None or self._token.token == token.token:
                    self.refreshes += 1
                    self._token = self.provider.acquire(force_refresh=True)
                token = self._token
            request.headers["Authorization"] = f"Bearer {token.token}"
            yield request


class DeferredAuth(httpx.Auth):
    """An ``httpx.Auth`` whose real one is made on the first request, in a worker thread.

    Opening an account's sign-in session imports MSAL, builds its HTTP client and loads the
    token cache (a tenth of a second or more). The app's start is served from the cache, so
    that work waits for the first request and never blocks the event loop.

    Args:
        resolve: blocking; returns the account's auth (``GraphAuth``), or None when it has
            no tokens.
        required: when ``resolve`` gives None: True raises ``AuthRequired`` for every request
            (a real account that never signed in); False sends requests without a token (an
            emulator run with ``--no-auth``).
    """

    requires_response_body = False

    def __init__(self, resolve: Callable[[], httpx.Auth | None], *, required: bool = True
                 ) -> None:
        self._resolve = resolve
        self._required = required
        self._resolved = False
        self._inner: httpx.Auth | None = None
        self._async_lock: asyncio.Lock | None = None
        self._sync_lock = threading.Lock()

    @property
    def resolved(self) -> bool:
        """Whether the real auth has been made (tests check it stays unmade)."""
        return self._resolved

    def _set(self, inner: httpx.Auth | None) -> None:
        self._inner, self._resolved = inner, True

    def reset(self) -> None:
        """Forget the resolved auth, so the next request opens the session again from the
        token store (after the user signed in, or signed in again, from the app)."""
        with self._sync_lock:
            self._inner, self._resolved = None, False

    async def _get(self) -> httpx.Auth | None:
        if not self._resolved:
            if self._async_lock is None:
                self._async_lock = asyncio.Lock()
            async with self._async_lock:
                if not self._resolved:
                    self._set(await asyncio.to_thread(self._resolve_safely))
        return self._checked()

    def _resolve_safely(self) -> httpx.Auth | None:
        """``resolve()``, with a configuration problem (no client id, ...) as ``AuthRequired``:
        it surfaces on a request, inside the app, where only Graph errors are expected."""
        try:
            return self._resolve()
        except GraphError:
            raise
        except OlkError as exc:
            raise AuthRequired(str(exc), code="SignInUnavailable",
                               hint="Fix the account's configuration, then run "
                                    "'olk-tui login'.") from None

    def _checked(self) -> httpx.Auth | None:
        if self._inner is None and self._required:
            raise AuthRequired("Not signed in", code="NotSignedIn", hint=_LOGIN_FIRST)
        return self._inner

    async def async_auth_flow(self, request: httpx.Request
                              ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        inner = await self._get()
        if inner is None:
            yield request
            return
        flow = inner.async_auth_flow(request)
        request = await flow.__anext__()
        while True:
            response = yield request
            try:
                request = await flow.asend(response)
            except StopAsyncIteration:
                return

    def sync_auth_flow(self, request: httpx.Request
                       ) -> Generator[httpx.Request, httpx.Response, None]:
        with self._sync_lock:
            if not self._resolved:
                self._set(self._resolve_safely())
        inner = self._checked()
        if inner is None:
            yield request
            return
        yield from inner.sync_auth_flow(request)
