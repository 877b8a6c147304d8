"""HTTP helpers shared by the calendar, schedule, contacts and settings routes: the output time
zone (``Prefer: outlook.timezone``), event rendering, ``$select``, ``$top``/``$skip`` paging,
the emulator clock and cross-mailbox lookup."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from olk_tui.emulator.calendar_tz import format_dtz, parse_dtz, parse_naive, prefer_timezone
from olk_tui.emulator.router import Request, Response, bad_request, graph_error

if TYPE_CHECKING:
    from olk_tui.emulator.state import Mailbox


def now(req: Request) -> datetime:
    """The emulator's clock (frozen in tests), else the wall clock."""
    clock = getattr(req.emulator, "clock", None)
    if clock is not None and hasattr(clock, "now"):
        return clock.now()
    return datetime.now(UTC)


def output_zone(req: Request) -> tuple[str, dict[str, str]]:
    """The zone to show times in and the ``Preference-Applied`` header (FACTS 22)."""
    raw = req.headers.get_list("prefer") if hasattr(req.headers, "get_list") else []
    for value in raw:
        name = prefer_timezone(value)
        if name:
            return name, {"Preference-Applied": f'outlook.timezone="{name}"'}
    return "UTC", {}


def render_event(ev: dict[str, Any], tz_name: str) -> dict[str, Any]:
    """A copy of ``ev`` with start/end shown in ``tz_name``; all-day events keep midnight."""
    out = copy.deepcopy(ev)
    for key in ("start", "end"):
        value = ev.get(key)
        if not isinstance(value, dict) or not isinstance(value.get("dateTime"), str):
            continue
        try:
            if ev.get("isAllDay"):
                wall = parse_naive(value["dateTime"]).replace(tzinfo=None)
                out[key] = {"dateTime": wall.strftime("%Y-%m-%dT%H:%M:%S.0000000"),
                            "timeZone": tz_name}
            else:
                out[key] = format_dtz(parse_dtz(value), tz_name)
        except ValueError:
            continue  # odd seed data is served as given
    return out


def select(item: dict[str, Any], req: Request, *, always: tuple[str, ...] = ("id",)
           ) -> dict[str, Any]:
    """Apply ``$select``: the chosen fields plus id and ``@odata.*`` annotations."""
    raw = req.query.get("$select")
    if not raw:
        return item
    wanted = {name.strip() for name in raw.split(",") if name.strip()}
    return {k: v for k, v in item.items()
            if k in wanted or k in always or k.startswith("@odata.")}


def odata_key(value: str) -> str:
    """A key inside ``('...')`` of an ``@odata.context``, percent-encoded as Graph writes it
    (``AAMk...=`` becomes ``AAMk...%3D``)."""
    return quote(value, safe="")


def calendar_scope(req: Request, calendar_id: str | None) -> str:
    """``calendars('{id}')/`` when the request went through ``/calendar`` or
    ``/calendars/{id}`` (Graph names the calendar by id even for ``/me/calendar/events/{id}``,
    sample ``outlook-create-event-in-shared-delegated-calendar.6``), else ``""``."""
    head = _rest(req).lstrip("/").split("/", 1)[0].lower()
    if head in ("calendar", "calendars") and calendar_id:
        return f"calendars('{odata_key(calendar_id)}')/"
    return ""


def user_context(req: Request, rest: str, *, entity: bool = False) -> str:
    """The ``@odata.context`` fragment (after ``$metadata#``) of a calendar answer as the
    samples show it: the mailbox as
    ``users('{user id}')`` whether the path said ``/me`` or ``/users/{x}``, the ``$select`` list
    on the last segment, and ``/$entity`` for a single item."""
    user_id = req.mailbox.user_id if req.mailbox is not None else ""
    fragment = f"users('{user_id}')/{rest}"
    chosen = [n.strip() for n in req.query.get("$select", "").split(",") if n.strip()]
    if chosen:
        fragment += f"({','.join(chosen)})"
    return fragment + ("/$entity" if entity else "")


def int_param(req: Request, name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter in [low, high].

    Raises:
        GraphErrorResponse: via :class:`ParamError` when it is not one.
    """
    raw = req.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ParamError(f"Invalid value '{raw}' for query parameter {name}.") from exc
    if not low <= value <= high:
        raise ParamError(f"The value of {name} must be between {low} and {high}.")
    return value


class ParamError(ValueError):
    """A query parameter Graph would reject with 400."""


def page(req: Request, items: list[dict[str, Any]], *, context: str, default_top: int = 10,
         max_top: int = 1000, extra: dict[str, Any] | None = None,
         headers: dict[str, str] | None = None) -> Response:
    """A collection page with ``@odata.nextLink`` carrying ``$skip`` (follow it whole)."""
    try:
        top = int_param(req, "$top", default_top, 1, max_top)
        skip = int_param(req, "$skip", 0, 0, 10**9)
    except ParamError as exc:
        return bad_request(str(exc), req)
    chunk = items[skip:skip + top]
    body: dict[str, Any] = {"@odata.context": req.context_url(context)}
    if extra:
        body.update(extra)
    body["value"] = [select(item, req) for item in chunk]
    if skip + top < len(items):
        query = {k: v for k, v in req.query.items() if k != "$skip"}
        query["$skip"] = str(skip + top)
        body["@odata.nextLink"] = (req.mailbox_url(_rest(req)) + "?"
                                   + urlencode(query, safe="$,:'()/"))
    return Response.ok(body, headers=headers)


def _rest(req: Request) -> str:
    """The request path below the mailbox prefix (``/events`` for ``/me/events``)."""
    parts = req.path.split("/")
    if len(parts) > 1 and parts[1].lower() == "me":
        return "/" + "/".join(parts[2:])
    if len(parts) > 2 and parts[1].lower() == "users":
        return "/" + "/".join(parts[3:])
    return req.path


def find_mailbox(req: Request, address: str) -> Mailbox | None:
    """Another mailbox of the same emulator by SMTP address (case-insensitive)."""
    emu = req.emulator
    if emu is None or not address:
        return None
    for name in ("mailbox", "find_mailbox", "get_mailbox"):
        finder = getattr(emu, name, None)
        if callable(finder):
            try:
                found = finder(address)
            except (KeyError, LookupError, ValueError):
                found = None
            if found is not None:
                return found
    boxes = getattr(emu, "mailboxes", None)
    if isinstance(boxes, dict):
        for key, box in boxes.items():
            if str(key).lower() == address.lower() or getattr(box, "address", "").lower() == (
                    address.lower()):
                return box
    return None


def required_window(req: Request) -> tuple[datetime, datetime] | Response:
    """startDateTime/endDateTime (required, FACTS 27) as a UTC window, or a 400 response."""
    from olk_tui.emulator.calendar_tz import parse_query_datetime

    lowered = {k.lower(): v for k, v in req.query.items()}
    start_raw, end_raw = lowered.get("startdatetime"), lowered.get("enddatetime")
    if not start_raw or not end_raw:
        return graph_error(400, "ErrorInvalidParameter",
                           "This request requires a time window specified by the query string "
                           "parameters StartDateTime and EndDateTime.", req)
    try:
        start, end = parse_query_datetime(start_raw), parse_query_datetime(end_raw)
    except ValueError:
        return graph_error(400, "ErrorInvalidParameter",
                           "The parameter 'StartDateTime' or 'EndDateTime' is not a valid "
                           "date-time.", req)
    if end <= start:
        return graph_error(400, "ErrorInvalidParameter",
                           "The EndDateTime must be later than the StartDateTime.", req)
    return start, end


def camel_keys(body: dict[str, Any]) -> dict[str, Any]:
    """Top-level action parameters with the first letter lower-cased (Graph accepts
    ``Schedules`` and ``schedules`` alike)."""
    return {(k[:1].lower() + k[1:]) if isinstance(k, str) else k: v for k, v in body.items()}


def as_bool(value: Any, default: bool) -> bool | None:
    """A JSON boolean, or the strings "true"/"false" the docs send; None when neither."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None
