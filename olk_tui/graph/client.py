"""``GraphClient``: one long-lived ``httpx.AsyncClient`` per account and the request choke point.

Every Graph call goes through :meth:`GraphClient.request`, which resolves the URL (refusing any
host but the configured Graph host, so the bearer token never leaks), adds the Prefer headers,
caps requests in flight per mailbox (Outlook allows 4), retries 429/503/504 and transport
failures honouring ``Retry-After`` within a total wait budget, never silently retries a
non-idempotent POST whose outcome is unknown, records the HTTP trace and translates every
failure into ``olk_tui.domain.errors``. Paging and ``$batch`` are built on it; the typed
endpoint methods come from :class:`olk_tui.graph.api.GraphApi`.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from olk_tui.domain.errors import GraphError, OutcomeUnknown, ServerError
from olk_tui.graph.api import GraphApi
from olk_tui.graph.batch import BatchRequest, BatchResponse, run_batch
from olk_tui.graph.bodies import Page, json_object, page_of
from olk_tui.graph.errors import UnsafeUrl, error_for, transport_error
from olk_tui.graph.retry import RETRY_STATUSES, RetryPolicy, parse_retry_after
from olk_tui.graph.trace import HttpTrace

if TYPE_CHECKING:  # httpx is imported on the first request, never by importing this module
    import httpx

__all__ = ["IDEMPOTENT_METHODS", "IMMUTABLE_ID", "GraphClient", "Page", "Sleep", "json_object"]

IMMUTABLE_ID = 'IdType="ImmutableId"'
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"})
#: Path segments whose responses carry start/end times, so outlook.timezone applies.
_TIME_ZONE_MARKERS = ("/events", "/calendarview", "/calendar/", "/calendars",
                      "findmeetingtimes", "getschedule", "/instances")
_VERSIONS = ("v1.0", "beta")


def _not_sent(failure: Exception) -> bool:
    """True for transport errors raised before the request could have reached the server."""
    import httpx

    return isinstance(failure, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout,
                                httpx.UnsupportedProtocol))

Sleep = Callable[[float], Awaitable[Any]]


class GraphClient(GraphApi):
    """Async Microsoft Graph client for one mailbox.

    Args:
        base_url: Graph root, e.g. ``https://graph.microsoft.com`` (a trailing ``/v1.0`` is
            accepted).
        auth: adds the bearer token (``olk_tui.graph.auth.GraphAuth``); None for tests.
        mailbox: "me", or a user id/address whose ``/users/{id}`` paths replace ``/me``.
        transport: an httpx transport (the emulator's, or ``httpx.MockTransport`` in tests).
        time_zone: sent as ``Prefer: outlook.timezone`` where times come back.
        max_in_flight: requests in flight at once for this mailbox.
        sleep: awaited to wait between retries (tests inject a fake clock).
        trace_path: append the HTTP trace here (``OLK_TUI_HTTP_TRACE`` also enables it).
        retry: the retry policy.
        timeout: httpx timeout for each attempt.
    """

    def __init__(
        self,
        base_url: str,
        auth: httpx.Auth | None = None,
        *,
        mailbox: str = "me",
        transport: httpx.AsyncBaseTransport | None = None,
        time_zone: str | None = None,
        max_in_flight: int = 4,
        sleep: Sleep = asyncio.sleep,
        trace_path: str | os.PathLike[str] | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | float | None = None,
    ) -> None:
        root = base_url.rstrip("/")
        version = "v1.0"
        for candidate in _VERSIONS:
            if root.endswith("/" + candidate):
                root, version = root[: -len(candidate) - 1], candidate
        parts = urlsplit(root)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError(f"not a usable Graph base URL: {base_url!r}")
        self.base_url = root
        self.version = version
        self._origin = (parts.scheme, (parts.hostname or "").lower(), parts.port)
        self.mailbox = mailbox or "me"
        self.time_zone = time_zone
        self._auth = auth
        self._sleep = sleep
        self.retry = retry or RetryPolicy()
        self._semaphore = asyncio.Semaphore(max_in_flight)
        self._trace = HttpTrace(trace_path) if trace_path else HttpTrace.from_env()
        self._transport = transport
        self._timeout = timeout
        self._client: httpx.AsyncClient | None = None

    @property
    def _http(self) -> httpx.AsyncClient:
        """The account's one ``httpx.AsyncClient``, made on first use.

        Building it loads httpx and an SSL context (tens of milliseconds), so a client made
        before the UI's first paint costs nothing until the first request.
        """
        if self._client is None:
            import httpx

            timeout = self._timeout if self._timeout is not None else httpx.Timeout(
                60.0, connect=15.0)
            self._client = httpx.AsyncClient(
                transport=self._transport, timeout=timeout,
                headers={"Accept": "application/json", "User-Agent": "olk-tui"},
                follow_redirects=False)
        return self._client

    @property
    def connected(self) -> bool:
        """Whether the HTTP client exists yet (it is made by the first request)."""
        return self._client is not None

    async def aclose(self) -> None:
        """Close the connection pool (or just the transport when no request was made)."""
        if self._client is not None:
            await self._client.aclose()
        elif self._transport is not None:
            await self._transport.aclose()

    async def __aenter__(self) -> GraphClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # ------------------------------------------------------------------ URLs

    @property
    def mailbox_path(self) -> str:
        """``/me`` or ``/users/{id}``."""
        return "/me" if self.mailbox == "me" else "/users/" + quote(self.mailbox, safe="@.")

    def relative_path(self, path: str) -> str:
        """A path under the version root with ``/me`` rewritten for the mailbox (for $batch)."""
        if not path.startswith("/"):
            path = "/" + path
        if self.mailbox != "me" and (path == "/me" or path.startswith(("/me/", "/me?"))):
            path = self.mailbox_path + path[3:]
        return path

    def is_graph_url(self, url: str) -> bool:
        """True when ``url`` is on the configured Graph scheme, host and port."""
        try:
            parts = urlsplit(url)
            origin = (parts.scheme, (parts.hostname or "").lower(), parts.port)
        except ValueError:
            return False
        return origin == self._origin

    def url_for(self, url_or_path: str, *, authenticated: bool = True) -> str:
        """The absolute URL for a path or a server-sent link.

        Raises:
            UnsafeUrl: an absolute URL on another host (when ``authenticated``), or one that
                is not http(s).
        """
        if url_or_path.startswith(("http://", "https://")) or "://" in url_or_path[:12]:
            if authenticated and not self.is_graph_url(url_or_path):
                host = urlsplit(url_or_path).hostname or "?"
                raise UnsafeUrl(f"Refusing to send the Graph token to another host ({host})",
                                code="ForeignHost")
            if not url_or_path.startswith(("https://", self._origin[0] + "://")):
                raise UnsafeUrl("Refusing a non-HTTPS URL", code="InsecureUrl")
            return url_or_path
        path = url_or_path if url_or_path.startswith("/") else "/" + url_or_path
        for candidate in _VERSIONS:
            if path.startswith(f"/{candidate}/") or path == f"/{candidate}":
                return self.base_url + path[: len(candidate) + 1] + self.relative_path(
                    path[len(candidate) + 1:] or "/")
        return f"{self.base_url}/{self.version}{self.relative_path(path)}"

    def _prefer(self, url: str, extra: str | None) -> str:
        prefs = [IMMUTABLE_ID]
        lowered = url.lower().split("?", 1)[0]
        if self.time_zone and any(m in lowered for m in _TIME_ZONE_MARKERS):
            prefs.append(f'outlook.timezone="{self.time_zone}"')
        if extra:
            prefs.extend(p.strip() for p in extra.split(",") if p.strip()
                         and "idtype" not in p.lower())
        return ", ".join(prefs)

    # ------------------------------------------------------------------ choke point

    async def request(
        self,
        method: str,
        url_or_path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        authenticated: bool = True,
    ) -> httpx.Response:
        """Send one Graph request through the choke point and return the successful response.

        Args:
            method: HTTP method.
            url_or_path: ``/me/...`` style path or an absolute Graph URL (nextLink).
            params: query parameters.
            json: JSON body.
            content: raw body (upload ranges, MIME).
            headers: extra headers; a ``Prefer`` here is merged with the client's.
            idempotent: whether a retry after an ambiguous failure is safe; default: True for
                everything but POST.
            authenticated: False for pre-authenticated URLs (upload sessions): no token is
                sent and other hosts are allowed.

        Raises:
            GraphError: a subclass from ``olk_tui.domain.errors`` for every failure.
        """
        method = method.upper()
        url = self.url_for(url_or_path, authenticated=authenticated)
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        extra = dict(headers or {})
        prefer = next((extra.pop(k) for k in list(extra) if k.lower() == "prefer"), None)
        if authenticated:
            extra["Prefer"] = self._prefer(url, prefer)
        elif prefer:
            extra["Prefer"] = prefer
        request = self._http.build_request(method, url, params=params, json=json,
                                           content=content, headers=extra)
        auth = self._auth if authenticated else None
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            response, failure = await self._send_once(request, auth)
            if failure is not None:
                not_sent = _not_sent(failure)
                if not (idempotent or not_sent):
                    raise transport_error(failure, outcome_unknown=True) from None
                wait = self.retry.delay(attempt, None)
                if self.retry.gives_up(attempt, waited, wait):
                    raise transport_error(failure) from None
            else:
                assert response is not None
                status = response.status_code
                if status < 400:
                    return response
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                if status not in RETRY_STATUSES:
                    raise error_for(status, response.headers, response.content,
                                    retry_after=retry_after)
                if status == 504 and not idempotent:
                    info = error_for(status, response.headers, response.content)
                    raise OutcomeUnknown(
                        "Gateway timeout: the request may or may not have been carried out",
                        status=status, code=info.code, request_id=info.request_id)
                wait = self.retry.delay(attempt, retry_after)
                if self.retry.gives_up(attempt, waited, wait):
                    raise error_for(status, response.headers, response.content,
                                    retry_after=retry_after)
            waited += wait
            await self._sleep(wait)

    async def _send_once(
        self, request: httpx.Request, auth: httpx.Auth | None
    ) -> tuple[httpx.Response | None, Exception | None]:
        import httpx

        started = time.monotonic()
        async with self._semaphore:
            try:
                response = await self._http.send(request, auth=auth)
            except httpx.TransportError as exc:
                self._record(request, 0, started, None, type(exc).__name__)
                return None, exc
            except GraphError:
                raise
            except httpx.HTTPError as exc:  # e.g. a malformed server response
                self._record(request, 0, started, None, type(exc).__name__)
                return None, httpx.RemoteProtocolError(str(exc))
        self._record(request, response.status_code, started, response.headers, "")
        return response, None

    def _record(self, request: httpx.Request, status: int, started: float,
                headers: httpx.Headers | None, error: str) -> None:
        if self._trace is None:
            return
        import httpx

        try:
            body = request.content
        except httpx.RequestNotRead:
            body = b""
        self._trace.record(method=request.method, url=str(request.url), status=status,
                           started=started, request_headers=request.headers,
                           request_body=body, response_headers=headers, error=error)

    async def get_json(self, url_or_path: str, *, params: Mapping[str, Any] | None = None,
                       headers: Mapping[str, str] | None = None) -> dict[str, Any]:
        """GET and return the JSON object body."""
        return json_object(await self.request("GET", url_or_path, params=params,
                                              headers=headers))

    # ------------------------------------------------------------------ paging

    async def pages(
        self,
        url_or_path: str,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> AsyncIterator[Page]:
        """Follow ``@odata.nextLink`` to the end, yielding each page.

        The last page carries ``delta_link`` for delta queries. Links are followed whole,
        never rebuilt. A link to another host raises ``UnsafeUrl``; a link seen before raises
        ``ServerError`` (a loop would never end).
        """
        url: str = url_or_path
        query = params
        seen: set[str] = set()
        while True:
            data = await self.get_json(url, params=query, headers=headers)
            page = page_of(data)
            # Only the caller keeps the page: nothing here holds its rows while the next page
            # is fetched and parsed.
            del data
            next_link = page.next_link
            if next_link is not None:
                self.url_for(next_link)  # raises UnsafeUrl before the caller sees the page
            yield page
            del page
            if next_link is None:
                return
            if next_link in seen or len(seen) > 100_000:
                raise ServerError("Microsoft Graph sent a nextLink that loops",
                                  code="NextLinkLoop")
            seen.add(next_link)
            url, query = next_link, None

    async def items(self, url_or_path: str, params: Mapping[str, Any] | None = None,
                    headers: Mapping[str, str] | None = None) -> AsyncIterator[dict[str, Any]]:
        """Every item of every page."""
        async for page in self.pages(url_or_path, params, headers):
            for item in page.items:
                yield item

    # ------------------------------------------------------------------ $batch

    async def batch(self, requests: list[BatchRequest]) -> dict[str, BatchResponse]:
        """Run requests through ``$batch`` (groups of 20, per-item throttling retried).

        Returns the final answer for every request id.
        """
        return await run_batch(self, requests)

    def batch_prefer(self, url: str) -> str:
        """The Prefer header value a batch item for ``url`` gets."""
        return self._prefer(url, None)

    async def sleep(self, seconds: float) -> None:
        """Wait using the injected sleeper (for batch retries)."""
        await self._sleep(seconds)
