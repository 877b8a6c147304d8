"""Error translation: every status/code family to its domain error, with code and request-id."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from olk_tui.domain.errors import (
    AuthRequired,
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    Offline,
    OutcomeUnknown,
    ServerError,
    SyncReset,
    Throttled,
)
from olk_tui.graph.errors import error_for, parse_error_body, transport_error
from olk_tui.graph.retry import parse_retry_after
from tests.graph.conftest import sample


@pytest.mark.parametrize(
    ("status", "body", "cls", "code", "request_id"),
    [
        (404, sample("observed-errors.5"), NotFound, "ErrorItemNotFound", ""),
        (404, sample("observed-errors.6"), NotFound, "ResourceNotFound",
         "95a3cbbc-e82f-46a8-ae64-73ffcce62de0"),
        (401, sample("observed-errors.3"), AuthRequired, "InvalidAuthenticationToken",
         "b04ace1e-13a0-4940-b489-f86dcca10985"),
        (403, sample("auth-limit-mailbox-access.1"), Forbidden, "ErrorAccessDenied",
         "2f038156-cf40-403d-8e46-831fe42a8229"),
        (429, sample("throttling.1"), Throttled, "TooManyRequests",
         "94fb3b52-452a-4535-a601-69e0a90e3aa2"),
        (429, sample("observed-errors.1"), Throttled, "ApplicationThrottled", ""),
        (400, sample("observed-errors.2"), SyncReset, "SyncStateNotFound",
         "47e918a9-ce5b-42b4-8a86-12b96c93121a"),
        (400, sample("user-sendmail.5"), BadRequest, "ErrorMimeContentInvalidBase64String", ""),
        (416, sample("errors.1"), BadRequest, "invalidRange", "request-id"),
        (409, {"error": {"code": "ErrorFolderExists", "message": "exists"}}, Conflict,
         "ErrorFolderExists", ""),
        (412, {"error": {"code": "ErrorIrresolvableConflict", "message": "x"}}, Conflict,
         "ErrorIrresolvableConflict", ""),
        (500, {"error": {"code": "generalException", "message": "x"}}, ServerError,
         "generalException", ""),
        (400, {"error": {"code": "resyncRequired", "message": "x"}}, SyncReset,
         "resyncRequired", ""),
        (400, {"error": {"code": "RESYNCREQUIRED"}}, SyncReset, "RESYNCREQUIRED", ""),
    ],
)
def test_error_mapping(status, body, cls, code, request_id) -> None:
    err = error_for(status, httpx.Headers({}), body)
    assert type(err) is cls
    assert err.status == status
    assert err.code == code
    assert err.request_id == request_id
    assert err.message == body["error"].get("message", err.message)
    assert str(err)


def test_gone_carries_location_and_header_request_id() -> None:
    headers = httpx.Headers({"Location": "https://graph.test/v1.0/me/messages/delta",
                             "request-id": "hdr-123"})
    err = error_for(410, headers, b"")
    assert isinstance(err, SyncReset)
    assert err.location == "https://graph.test/v1.0/me/messages/delta"
    assert err.request_id == "hdr-123"


@pytest.mark.parametrize("body", [
    b"<html><body><h1>502 Bad Gateway</h1></body></html>", b"", b"{not json", b"[1,2]",
    b'{"error": 5}', b'{"error": {"code": ["x"], "message": {"a": 1}}}', "\x00\x1b[31m",
    b"\xff\xfe\xfa",
])
def test_hostile_bodies_never_raise(body) -> None:
    err = error_for(502, httpx.Headers({}), body)
    assert isinstance(err, ServerError)
    assert err.message == "Bad gateway"
    assert err.code == ""


def test_message_is_cleaned_and_bounded() -> None:
    body = {"error": {"code": "x\x1b[2J", "message": "line1\nline2\x1b]0;evil\x07" + "a" * 5000}}
    info = parse_error_body(body)
    assert "\x1b" not in info.message and "\n" not in info.message and "\x07" not in info.message
    assert len(info.message) <= 500
    assert "\x1b" not in info.code


def test_oauth_style_error() -> None:
    info = parse_error_body(b'{"error":"invalid_grant","error_description":"AADSTS70008: expired"}')
    assert info.code == "invalid_grant"
    assert info.message.startswith("AADSTS70008")


def test_503_with_retry_after_is_throttled() -> None:
    err = error_for(503, httpx.Headers({}), b"", retry_after=3.0)
    assert isinstance(err, Throttled) and err.retry_after == 3.0
    assert isinstance(error_for(503, httpx.Headers({}), b""), ServerError)


def test_transport_errors() -> None:
    assert isinstance(transport_error(httpx.ConnectError("x")), Offline)
    err = transport_error(httpx.ReadTimeout("x"), outcome_unknown=True)
    assert isinstance(err, OutcomeUnknown)
    assert err.code == "ReadTimeout"


@settings(max_examples=200, deadline=None)
@given(st.integers(100, 599), st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
       st.text(max_size=80))
def test_error_for_never_raises(status, body, header) -> None:
    err = error_for(status, httpx.Headers({"request-id": "r", "location": "x"}), body)
    assert str(err)
    assert parse_retry_after(header) is None or parse_retry_after(header) >= 0
