"""Contract: every endpoint the client builds exists in Graph's OpenAPI description.

``/me/`` is read as ``/users/{user-id}/``; query options must be ones the spec lists for that
operation, and every ``$select`` property must exist on the entity. Besides the table, the typed
methods are called against a recording transport, so a URL built outside the table is caught.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

import httpx
import pytest

from olk_tui.domain.mail import Draft, Recipient
from olk_tui.graph.endpoints import ENDPOINTS, NOT_IN_OPENAPI, path
from tests.graph.openapi import load, normalise

SPEC = load()
OPS: dict[tuple[str, str], set[str]] = {}
for _p, _methods in SPEC.operations.items():
    for _m, _params in _methods.items():
        OPS[(normalise(_p), _m)] = _params


def template_key(p: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", p)


@pytest.mark.parametrize("name", sorted(set(ENDPOINTS) - NOT_IN_OPENAPI))
def test_endpoint_in_openapi(name: str) -> None:
    e = ENDPOINTS[name]
    key = (template_key(e.path), e.method)
    assert key in OPS, f"{name}: {e.method} {e.path} is not in the OpenAPI excerpt"
    allowed = OPS[key]
    assert set(e.query) <= allowed, f"{name}: {set(e.query) - allowed} not allowed"
    if e.select:
        assert "$select" in e.query
        props = SPEC.properties(f"microsoft.graph.{e.entity}")
        assert props, e.entity
        assert set(e.select) <= props, f"{name}: {set(e.select) - props} not on {e.entity}"


@pytest.mark.parametrize("name", sorted(NOT_IN_OPENAPI))
def test_known_gaps_really_absent(name: str) -> None:
    e = ENDPOINTS[name]
    assert (template_key(e.path), e.method) not in OPS


def test_ids_are_one_segment() -> None:
    built = path("get_message", message_id="AA/..?x=1#y")
    assert built == "/me/messages/AA%2F..%3Fx=1%23y"
    with pytest.raises(ValueError):
        path("get_message", message_id="")


def match_spec(method: str, url: str) -> set[str]:
    parts = urlsplit(url)
    p = unquote(parts.path).removeprefix("/v1.0")
    for (spec_path, spec_method), params in OPS.items():
        if spec_method != method:
            continue
        pattern = "^" + re.escape(spec_path).replace(r"\{\}", "[^/]+") + "$"
        if re.match(pattern, p):
            return params
    raise AssertionError(f"{method} {p} is not in the OpenAPI excerpt")


def generic(request: httpx.Request) -> httpx.Response:
    if request.method == "DELETE":
        return httpx.Response(204)
    if request.url.path.endswith(("/send", "/sendMail", "/reply", "/replyAll", "/forward",
                                  "/accept", "/decline", "/tentativelyAccept", "/cancel")):
        return httpx.Response(202)
    if request.url.path.endswith("/$value"):
        return httpx.Response(200, content=b"raw")
    if request.url.path.endswith("/createUploadSession"):
        return httpx.Response(201, json={"uploadUrl": "https://upload.example/up?authtoken=x"})
    if request.url.host == "upload.example":
        return httpx.Response(201, headers={"Location": "https://x/attachments('att1')"})
    return httpx.Response(200, json={"id": "x", "value": []})


async def test_typed_methods_build_spec_urls(make_client) -> None:
    seen: list[httpx.Request] = []

    def handler(request):
        seen.append(request)
        return generic(request)

    c = make_client(handler)
    t0, t1 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 8, tzinfo=UTC)
    await c.me()
    await c.all_mail_folders()
    await c.child_folders("f1")
    await c.create_folder("New")
    await c.create_folder("Sub", "f1")
    await c.rename_folder("f1", "Renamed")
    await c.move_folder("f1", "f2")
    await c.delete_folder("f1")
    [p async for p in c.folder_delta()]
    [p async for p in c.list_messages("f1", filter="isRead eq false",
                                      orderby="receivedDateTime desc")]
    [p async for p in c.list_messages(search="budget")]
    await c.get_message("m1", body_type="text")
    await c.get_message_mime("m1")
    await c.create_draft(Draft(subject="s", to=(Recipient("a@x.example"),)))
    await c.update_message("m1", {"isRead": True})
    await c.delete_message("m1")
    await c.move_message("m1", "f2")
    await c.copy_message("m1", "f2")
    await c.send_draft("m1")
    await c.send_mail(Draft(subject="s"))
    await c.reply("m1", "hi")
    await c.reply("m1", "hi", reply_all=True)
    await c.forward("m1", [Recipient("b@x.example")], "fyi")
    await c.create_reply("m1")
    await c.create_reply("m1", reply_all=True)
    await c.create_forward("m1", [Recipient("b@x.example")])
    [p async for p in c.message_delta("f1", page_size=50)]
    await c.list_attachments("m1")
    await c.get_attachment("m1", "a1")
    await c.attachment_content("m1", "a1")
    await c.add_attachment("m1", "a.txt", b"hello", "text/plain")
    await c.upload_attachment("m1", "big.bin", b"\0" * (3 * 1024 * 1024 + 10), chunk_size=2**21)
    await c.calendars()
    await c.create_calendar("Cal")
    await c.update_calendar("c1", {"name": "x"})
    await c.delete_calendar("c1")
    await c.list_events()
    await c.list_events("c1")
    await c.get_event("e1")
    await c.create_event({"subject": "x"})
    await c.create_event({"subject": "x"}, "c1")
    await c.update_event("e1", {"subject": "y"})
    await c.delete_event("e1")
    await c.cancel_event("e1", "sorry")
    await c.respond_to_event("e1", "accept")
    await c.respond_to_event("e1", "tentativelyAccept", proposed_start=t0, proposed_end=t1)
    await c.respond_to_event("e1", "decline", comment="no", send_response=False)
    await c.calendar_view(t0, t1)
    await c.calendar_view(t0, t1, "c1")
    [p async for p in c.calendar_view_delta(t0, t1)]
    await c.get_schedule(["a@x.example"], t0, t1)
    await c.find_meeting_times(["a@x.example"], t0, t1)
    await c.contact_folders()
    await c.create_contact_folder("Friends")
    await c.rename_contact_folder("cf1", "Friends 2")
    await c.delete_contact_folder("cf1")
    await c.contacts()
    await c.contacts("cf1")
    await c.get_contact("p1")
    await c.create_contact({"givenName": "x"})
    await c.create_contact({"givenName": "x"}, "cf1")
    await c.update_contact("p1", {"surname": "y"})
    await c.delete_contact("p1")
    [p async for p in c.contact_delta()]
    [p async for p in c.contact_delta("cf1")]
    await c.mailbox_settings()
    await c.update_mailbox_settings({"timeZone": "UTC"})
    await c.people("ad")
    gaps = []
    for request in seen:
        if request.url.host == "upload.example":
            assert "authorization" not in request.headers
            assert request.headers["Content-Range"].startswith("bytes ")
            continue
        p = unquote(request.url.path)
        if p.endswith(("/attachments/a1/$value",)) or p == "/v1.0/me":
            gaps.append(p)
            continue
        allowed = match_spec(request.method, str(request.url))
        used = set(request.url.params.keys())
        assert used <= allowed, f"{request.method} {p}: {used - allowed}"
    assert sorted(set(gaps)) == ["/v1.0/me", "/v1.0/me/messages/m1/attachments/a1/$value"]
    assert len(seen) > 60
