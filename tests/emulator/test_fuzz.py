"""Hostile input never crashes the emulator: random bodies, query options and ids on the mail
routes answer with Graph errors (4xx) or success, never a 500 or an exception."""

from __future__ import annotations

import json
from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.emulator.conftest import BASE, make_emulator

EMU = make_emulator(8)
CLIENT = httpx.Client(transport=EMU.sync_transport(), base_url=BASE)
MB = EMU.default_mailbox
MSG = MB.sorted_ids(MB.well_known["inbox"])[0]

ROUTES = [
    ("GET", "/me/messages"), ("GET", "/me/mailFolders/inbox/messages"),
    ("GET", "/me/mailFolders"), ("GET", "/me/mailFolders/inbox/messages/delta"),
    ("GET", "/me/mailFolders/delta"), ("POST", "/me/messages"), ("POST", "/me/sendMail"),
    ("PATCH", f"/me/messages/{MSG}"), ("POST", f"/me/messages/{MSG}/move"),
    ("POST", f"/me/messages/{MSG}/createReply"), ("POST", f"/me/messages/{MSG}/replyAll"),
    ("POST", f"/me/messages/{MSG}/attachments"),
    ("POST", f"/me/messages/{MSG}/attachments/createUploadSession"),
    ("POST", "/me/mailFolders"), ("PATCH", "/me/mailFolders/inbox"), ("POST", "/$batch"),
    ("POST", "/me/translateExchangeIds"), ("GET", "/me/messages/{junk}"),
]
OPTIONS = ["$top", "$skip", "$select", "$filter", "$orderby", "$search", "$count", "$expand",
           "$skiptoken", "$deltatoken", "includeHiddenFolders"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["message", "subject", "toRecipients", "emailAddress",
                                       "address", "destinationId", "displayName", "body",
                                       "flag", "isRead", "requests", "id", "url", "method",
                                       "AttachmentItem", "size", "name", "@odata.type",
                                       "contentBytes", "inputIds", "comment", "categories"]),
                      children, max_size=5),
    max_leaves=20)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(route=st.sampled_from(ROUTES), body=json_values,
       query=st.dictionaries(st.sampled_from(OPTIONS), st.text(max_size=30), max_size=3),
       junk=st.text(min_size=1, max_size=20))
def test_hostile_requests_never_crash(route: tuple[str, str], body: object,
                                      query: dict[str, str], junk: str) -> None:
    method, path = route
    path = path.replace("{junk}", quote(junk, safe=""))
    resp = CLIENT.request(method, path, params=query,
                          content=json.dumps(body).encode() if method != "GET" else None,
                          headers={"Content-Type": "application/json"})
    assert resp.status_code < 500, (method, path, query, body, resp.text[:300])


@settings(max_examples=60, deadline=None, derandomize=True)
@given(raw=st.binary(max_size=200))
def test_garbage_bodies_are_400(raw: bytes) -> None:
    resp = CLIENT.post("/me/messages", content=raw, headers={"Content-Type": "application/json"})
    assert resp.status_code in (201, 400)
    mime = CLIENT.post("/me/sendMail", content=raw, headers={"Content-Type": "text/plain"})
    assert mime.status_code in (202, 400)
