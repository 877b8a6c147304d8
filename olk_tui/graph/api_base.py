"""Shared pieces of the typed endpoint mixins: the core they rely on and delta pages."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from olk_tui.graph.endpoints import ENDPOINTS, path

if TYPE_CHECKING:
    import httpx

    from olk_tui.graph.client import Page

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DeltaPage(Generic[T]):
    """One delta page: changed items, removed ids, and the link to keep.

    ``delta_link`` is set on the last page only; store it and pass it back next time.
    ``warnings`` collects what the mapping could not read.
    """

    items: list[T]
    removed: list[str]
    next_link: str | None = None
    delta_link: str | None = None
    warnings: list[str] = field(default_factory=list)


class ApiCore:
    """What the typed mixins need from ``GraphClient`` (declared for type checkers)."""

    if TYPE_CHECKING:
        async def request(self, method: str, url_or_path: str, *,
                          params: Mapping[str, Any] | None = None, json: Any = None,
                          content: bytes | None = None,
                          headers: Mapping[str, str] | None = None,
                          idempotent: bool | None = None,
                          authenticated: bool = True) -> httpx.Response: ...

        def pages(self, url_or_path: str, params: Mapping[str, Any] | None = None,
                  headers: Mapping[str, str] | None = None) -> AsyncIterator[Page]: ...

        async def get_json(self, url_or_path: str, *, params: Mapping[str, Any] | None = None,
                           headers: Mapping[str, str] | None = None) -> dict[str, Any]: ...

    async def _call(self, name: str, *, params: Mapping[str, Any] | None = None,
                    json: Any = None, headers: Mapping[str, str] | None = None,
                    idempotent: bool | None = None, **ids: str) -> httpx.Response:
        endpoint = ENDPOINTS[name]
        return await self.request(endpoint.method, path(name, **ids), params=params, json=json,
                                  headers=headers, idempotent=idempotent)

    async def _call_json(self, name: str, **kw: Any) -> dict[str, Any]:
        from olk_tui.graph.client import json_object

        return json_object(await self._call(name, **kw))

    async def _all(self, url: str, mapper: Callable[[Any, list[str]], T],
                   params: Mapping[str, Any] | None = None,
                   headers: Mapping[str, str] | None = None) -> list[T]:
        out: list[T] = []
        warnings: list[str] = []
        async for page in self.pages(url, params, headers):
            out.extend(mapper(item, warnings) for item in page.items)
        return out

    async def _delta(self, url: str, mapper: Callable[[Any, list[str]], T],
                     params: Mapping[str, Any] | None = None,
                     headers: Mapping[str, str] | None = None) -> AsyncIterator[DeltaPage[T]]:
        async for page in self.pages(url, params, headers):
            warnings: list[str] = []
            items: list[T] = []
            removed: list[str] = []
            for item in page.items:
                if "@removed" in item:
                    if isinstance(item.get("id"), str):
                        removed.append(item["id"])
                    continue
                items.append(mapper(item, warnings))
            yield DeltaPage(items, removed, page.next_link, page.delta_link, warnings)


def max_page_size(page_size: int | None) -> dict[str, str]:
    """The ``Prefer: odata.maxpagesize`` header for delta requests (FACTS #3)."""
    return {"Prefer": f"odata.maxpagesize={int(page_size)}"} if page_size else {}
