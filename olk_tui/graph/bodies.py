"""Reading Graph response bodies: a body that must be a JSON object, and one page of a
collection (its item dicts plus the ``@odata.nextLink``/``@odata.deltaLink`` it carries).

Bodies are untrusted: anything that is not the expected shape is a ``ServerError`` (not JSON,
not an object) or is dropped (non-object items, links that are not non-empty strings).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from olk_tui.domain.errors import ServerError
from olk_tui.graph import jsontext

if TYPE_CHECKING:  # httpx is imported on the first request, never by importing this module
    import httpx


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a collection: raw item dicts plus the links Graph sent with it."""

    items: list[dict[str, Any]]
    next_link: str | None = None
    delta_link: str | None = None


def json_object(response: httpx.Response) -> dict[str, Any]:
    """The response body as a JSON object, or ``ServerError`` when it is anything else."""
    try:
        data = jsontext.loads(response.content) if response.content else {}
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ServerError("Microsoft Graph sent a body that is not JSON",
                          status=response.status_code,
                          request_id=response.headers.get("request-id", "")) from None
    if not isinstance(data, dict):
        raise ServerError("Microsoft Graph sent JSON that is not an object",
                          status=response.status_code)
    return data


def page_of(data: dict[str, Any]) -> Page:
    """The page a collection body holds: ``value``'s objects and the links, where well formed."""
    raw_items = data.get("value")
    items = [x for x in raw_items if isinstance(x, dict)] if isinstance(raw_items, list) else []
    next_link = data.get("@odata.nextLink")
    delta_link = data.get("@odata.deltaLink")
    return Page(items,
                next_link if isinstance(next_link, str) and next_link else None,
                delta_link if isinstance(delta_link, str) and delta_link else None)
