"""Contract: every Graph sample response of a domain type maps, and the sample's fields arrive.

Each response file in ``graph-samples/responses`` is classified below (the test fails when a new
file is not), mapped with ``olk_tui.graph.mapping``, and every field the sample shows is compared
with the domain object's value.
"""

from __future__ import annotations

from datetime import UTC, date
from pathlib import Path
from typing import Any

import httpx
import pytest

from olk_tui.domain.errors import GraphError
from olk_tui.graph import mapping as m
from olk_tui.graph.errors import error_for
from olk_tui.graph.mapping.common import _fromiso
from olk_tui.graph.timezones import to_iana
from tests.graph.conftest import SAMPLES, sample

KINDS: dict[str, list[str]] = {
    "message": [
        "user-list-messages.1", "message-get.1", "message-get.2", "message-get.3",
        "user-post-messages.1", "user-post-messages.2", "user-post-messages.3",
        "mailfolder-post-messages.1", "message-update.1", "message-createreply.1",
        "message-createreply.2", "message-createreplyall.1", "message-createreplyall.2",
        "message-createforward.1", "message-createforward.2", "message-move.1", "message-copy.1",
        "message-delta.1", "mailfolder-list-messages.1", "eventmessage-get.1",
        "eventmessage-get.2", "delta-query-messages.1", "delta-query-messages.2",
        "delta-query-messages.3", "delta-query-messages.4",
        "outlook-create-event-in-shared-delegated-calendar.3",
        "outlook-create-event-in-shared-delegated-calendar.5",
    ],
    "folder": [
        "user-list-mailfolders.1", "user-list-mailfolders.2", "mailfolder-get.1",
        "mailfolder-get.2", "mailfolder-list-childfolders.1", "mailfolder-list-childfolders.2",
        "mailfolder-delta.1", "user-post-mailfolders.1", "mailfolder-post-childfolders.1",
        "mailfolder-update.1", "mailfolder-move.1", "mailfolder-copy.1",
    ],
    "attachment": [
        "message-list-attachments.1", "attachment-get.1", "attachment-get.2", "attachment-get.3",
        "attachment-get.4", "attachment-get.5", "message-post-attachments.1",
        "message-post-attachments.2", "event-list-attachments.1", "event-post-attachments.1",
        "event-post-attachments.2", "outlook-large-attachments.7",
    ],
    "event": [
        "user-list-events.1", "event-get.1", "event-get.2", "user-post-events.1",
        "user-post-events.2", "user-post-events.3", "calendar-list-calendarview.1",
        "calendar-list-events.1", "calendar-post-events.1", "calendar-post-events.2",
        "event-update.1", "event-delta.1", "delta-query-events.1", "delta-query-events.2",
        "delta-query-events.3", "delta-query-events.4", "event-list-instances.1",
        "group-get-event.1", "group-list-calendarview.1", "group-list-events.1",
        "outlook-calendar-meeting-proposals.1", "outlook-calendar-meeting-proposals.3",
        "outlook-calendar-meeting-proposals.4", "outlook-calendar-online-meetings.2",
        "outlook-calendar-online-meetings.3", "outlook-calendar-online-meetings.4",
        "outlook-create-event-in-shared-delegated-calendar.2",
        "outlook-create-event-in-shared-delegated-calendar.6", "user-list-calendarview.1",
    ],
    "calendar": [
        "calendar-get.1", "calendar-update.1", "user-list-calendars.1", "user-post-calendars.1",
        "outlook-calendar-online-meetings.1", "outlook-create-event-in-shared-delegated-calendar.1",
        "outlook-get-shared-events-calendars.1",
    ],
    "contact": [
        "contact-get.1", "contact-update.1", "contact-delta.1", "contactfolder-list-contacts.1",
        "user-list-contacts.1", "user-post-contacts.1",
    ],
    "contact_folder": [
        "contactfolder-get.1", "contactfolder-delta.1", "contactfolder-list-childfolders.1",
        "user-list-contactfolders.1", "user-post-contactfolders.1",
    ],
    "schedule": ["calendar-getschedule.1", "outlook-get-free-busy-schedule.1"],
    "suggestions": ["findmeetingtimes-example.1", "findmeetingtimes-example.2",
                    "user-findmeetingtimes.1"],
    "mailbox_settings": ["user-get-mailboxsettings.1", "user-update-mailboxsettings.1",
                         "user-update-mailboxsettings.2"],
    "automatic_replies": ["user-get-mailboxsettings.2"],
    "working_hours": ["user-get-mailboxsettings.3"],
    "people": ["user-list-people.1", "search-query-parameter.1"],
    "pairs": ["outlookuser-supportedlanguages.1", "outlookuser-supportedtimezones.1",
              "outlookuser-supportedtimezones.2"],
    "error": [
        "auth-limit-mailbox-access.1", "delta-query-overview.1", "errors.1", "known-issues.1",
        "message-createforward.3", "message-createreply.3", "message-createreplyall.3",
        "message-forward.3", "message-reply.3", "message-replyall.3", "observed-errors.1",
        "observed-errors.2", "observed-errors.3", "observed-errors.4", "observed-errors.5",
        "observed-errors.6", "outlook-send-mail-from-other-user.2", "throttling.1",
        "user-post-messages.4", "user-sendmail.5",
    ],
    # Not domain objects: read by dedicated code or not used by olk-tui.
    "upload_session": ["attachment-createuploadsession.1", "outlook-large-attachments.1",
                       "outlook-large-attachments.2", "outlook-large-attachments.3",
                       "outlook-large-attachments.4"],
    "not_mapped": [
        "json-batching.1", "json-batching.3",  # $batch envelopes: tests/graph/test_batch.py
        "inferenceclassification-list-overrides.1", "outlookuser-list-mastercategories.1",
        "user-getmailtips.1", "user-list-calendargroups.1", "user-translateexchangeids.1",
        "outlook-immutable-id.1", "user-reminderview.1",
    ],
}


def test_every_sample_is_classified() -> None:
    files = {p.name.removesuffix(".json") for p in (SAMPLES / "responses").glob("*.json")}
    classified = [s for names in KINDS.values() for s in names]
    assert len(classified) == len(set(classified)), "a sample is listed twice"
    assert files == set(classified)


def entities(data: Any) -> list[dict[str, Any]]:
    if isinstance(data.get("value"), list):
        return [v for v in data["value"] if isinstance(v, dict)]
    return [data]


def is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and value.endswith("-value")


def when(value: dict[str, Any]) -> Any:
    """The aware datetime a dateTimeTimeZone sample stands for, computed independently."""
    from zoneinfo import ZoneInfo

    naive = _fromiso(value["dateTime"])
    zone = to_iana(value.get("timeZone", "UTC"))
    return naive.replace(tzinfo=ZoneInfo(zone) if zone else UTC)


def check_message(d: dict[str, Any]) -> None:
    warnings: list[str] = []
    msg = m.message_from_json(d, "fallback-folder", warnings)
    s = msg.summary
    assert s.id == d.get("id", "")
    assert s.folder_id == d.get("parentFolderId", "fallback-folder")
    if "subject" in d:
        assert s.subject == (d["subject"] or "")
    if "bodyPreview" in d:
        assert s.preview == d["bodyPreview"]
    if "isRead" in d:
        assert s.is_read == (str(d["isRead"]).lower() == "true")
    if "isDraft" in d:
        assert s.is_draft == d["isDraft"]
    if "hasAttachments" in d:
        assert s.has_attachments == d["hasAttachments"]
    for key, attr in (("from", "from_"), ("sender", "sender")):
        if d.get(key):
            assert getattr(s, attr).address == d[key]["emailAddress"].get("address", "")
            assert getattr(s, attr).name == d[key]["emailAddress"].get("name", "")
        else:
            assert getattr(s, attr) is None
    for key, got in (("toRecipients", s.to), ("ccRecipients", s.cc),
                     ("bccRecipients", msg.bcc), ("replyTo", msg.reply_to)):
        if key in d:
            assert [r.address for r in got] == [r["emailAddress"]["address"] for r in d[key]]
    for key, got in (("receivedDateTime", s.received), ("sentDateTime", s.sent)):
        if key in d and not is_placeholder(d[key]):
            assert got is not None and got.isoformat()[:19] == d[key][:19]
        if key in d and is_placeholder(d[key]):
            assert got is None and any(key in w for w in warnings)
    if "flag" in d:
        assert s.flag.status.value == d["flag"]["flagStatus"]
    if "body" in d:
        assert msg.body.content == d["body"]["content"]
        assert msg.body.content_type == ("html" if d["body"]["contentType"].lower() == "html"
                                         else "text")
    for key, attr in (("conversationId", "conversation_id"), ("webLink", "web_link"),
                      ("internetMessageId", "internet_message_id"), ("changeKey", "change_key")):
        if key in d:
            assert getattr(s, attr) == d[key]
    if "categories" in d:
        assert list(s.categories) == d["categories"]
    if "importance" in d:
        assert s.importance.value == d["importance"]
    if "internetMessageHeaders" in d:
        assert [(h.name, h.value) for h in msg.headers] == [
            (h["name"], h["value"]) for h in d["internetMessageHeaders"]]
    if "meetingMessageType" in d:
        assert s.meeting_message_type == d["meetingMessageType"]
        assert s.odata_type.startswith("eventMessage")
    if isinstance(d.get("event"), dict) and "id" in d["event"]:
        assert msg.event_id == d["event"]["id"]


def check_folder(d: dict[str, Any]) -> None:
    f = m.folder_from_json(d)
    assert f.id == d.get("id", "")
    assert f.display_name == d.get("displayName", "")
    assert f.parent_id == d.get("parentFolderId")
    for key, attr in (("childFolderCount", "child_folder_count"),
                      ("unreadItemCount", "unread_count"), ("totalItemCount", "total_count")):
        if key in d:
            assert getattr(f, attr) == d[key]
    if "isHidden" in d:
        assert f.is_hidden == d["isHidden"]


def check_attachment(d: dict[str, Any]) -> None:
    a = m.attachment_from_json(d)
    assert a.id == d.get("id", "")
    assert a.name == (d.get("name") or "")
    if d.get("contentType"):
        assert a.content_type == d["contentType"]
    if "size" in d:
        assert a.size == d["size"]
    if "isInline" in d:
        assert a.is_inline == d["isInline"]
    kind = d.get("@odata.type", "#microsoft.graph.fileAttachment").lower().lstrip("#")
    assert a.kind == {"microsoft.graph.fileattachment": "file",
                      "microsoft.graph.itemattachment": "item",
                      "microsoft.graph.referenceattachment": "reference"}[kind]
    if d.get("lastModifiedDateTime") and not is_placeholder(d["lastModifiedDateTime"]):
        assert a.last_modified.isoformat()[:19] == d["lastModifiedDateTime"][:19]


def check_event(d: dict[str, Any]) -> None:
    warnings: list[str] = []
    e = m.event_from_json(d, warnings)
    assert e.id == d.get("id", "")
    if "@removed" in d:
        return
    if "subject" in d:
        assert e.subject == (d["subject"] or "")
    for key, got in (("start", e.start), ("end", e.end)):
        if isinstance(d.get(key), dict) and not is_placeholder(d[key].get("dateTime")):
            assert got == when(d[key])
            assert got.tzinfo is not None
    if isinstance(d.get("location"), dict) and d["location"].get("displayName"):
        assert e.location == d["location"]["displayName"]
    if d.get("organizer"):
        assert e.organizer.address == d["organizer"]["emailAddress"]["address"]
    if "attendees" in d:
        assert [a.who.address for a in e.attendees] == [
            a["emailAddress"]["address"] for a in d["attendees"]]
        assert [a.type for a in e.attendees] == [a.get("type", "required")
                                                 for a in d["attendees"]]
        assert [a.response for a in e.attendees] == [
            a.get("status", {}).get("response", "none") for a in d["attendees"]]
    for key, attr in (("isAllDay", "is_all_day"), ("isCancelled", "is_cancelled"),
                      ("isOrganizer", "is_organizer"), ("showAs", "show_as"), ("type", "type"),
                      ("bodyPreview", "body_preview"), ("iCalUId", "ical_uid"),
                      ("isOnlineMeeting", "is_online_meeting"), ("webLink", "web_link"),
                      ("reminderMinutesBeforeStart", "reminder_minutes"),
                      ("allowNewTimeProposals", "allow_new_time_proposals"),
                      ("originalStartTimeZone", "original_start_time_zone")):
        if key in d and d[key] is not None:
            assert getattr(e, attr) == d[key], key
    if d.get("seriesMasterId"):
        assert e.series_master_id == d["seriesMasterId"]
    if isinstance(d.get("responseStatus"), dict):
        assert e.response == (d["responseStatus"]["response"] or "none")
    if isinstance(d.get("body"), dict):
        assert e.body_html == d["body"]["content"]
    if isinstance(d.get("onlineMeeting"), dict) and d["onlineMeeting"].get("joinUrl"):
        assert e.online_meeting_url == d["onlineMeeting"]["joinUrl"]
    if isinstance(d.get("recurrence"), dict):
        rec = d["recurrence"]
        assert e.recurrence is not None
        assert e.recurrence.pattern.type == rec["pattern"]["type"]
        assert e.recurrence.pattern.interval == rec["pattern"]["interval"]
        assert list(e.recurrence.pattern.days_of_week) == rec["pattern"].get("daysOfWeek", [])
        assert e.recurrence.range.type == rec["range"]["type"]
        assert e.recurrence.range.start == date.fromisoformat(rec["range"]["startDate"])
    if "categories" in d:
        assert list(e.categories) == d["categories"]


def check_calendar(d: dict[str, Any]) -> None:
    c = m.calendar_from_json(d)
    assert c.id == d["id"]
    assert c.name == d.get("name", "")
    for key, attr in (("color", "color"), ("hexColor", "hex_color"),
                      ("isDefaultCalendar", "is_default"), ("canEdit", "can_edit")):
        if d.get(key) not in (None, ""):
            assert getattr(c, attr) == d[key]
    if d.get("owner"):
        assert c.owner.address == d["owner"]["address"]


def check_contact(d: dict[str, Any]) -> None:
    c = m.contact_from_json(d)
    assert c.id == d.get("id", "")
    for key, attr in (("displayName", "display_name"), ("givenName", "given_name"),
                      ("surname", "surname"), ("companyName", "company_name"),
                      ("jobTitle", "job_title"), ("department", "department"),
                      ("mobilePhone", "mobile_phone"), ("personalNotes", "personal_notes")):
        if key in d:
            assert getattr(c, attr) == (d[key] or ""), key
    if "emailAddresses" in d:
        assert [(e.address, e.name) for e in c.emails] == [
            (e["address"], e.get("name", "")) for e in d["emailAddresses"]]
    if "businessPhones" in d:
        assert list(c.business_phones) == d["businessPhones"]
    if "homePhones" in d:
        assert list(c.home_phones) == d["homePhones"]
    if d.get("birthday") and is_placeholder(d["birthday"]):
        assert c.birthday is None
    elif d.get("birthday"):
        assert c.birthday == date.fromisoformat(d["birthday"][:10])
    if d.get("businessAddress"):
        addr = d["businessAddress"]
        assert c.business_address.city == addr.get("city", "")
        assert c.business_address.street == addr.get("street", "")
        assert c.business_address.country == addr.get("countryOrRegion", "")
    if d.get("parentFolderId"):
        assert c.folder_id == d["parentFolderId"]


def check_contact_folder(d: dict[str, Any]) -> None:
    f = m.contact_folder_from_json(d)
    assert (f.id, f.display_name) == (d["id"], d["displayName"])
    assert f.parent_id == (d.get("parentFolderId") or None)


def check_schedule(d: dict[str, Any]) -> None:
    s = m.schedule_from_json(d)
    assert s.address == d["scheduleId"]
    assert s.availability_view == d["availabilityView"]
    assert [(i.start, i.end, i.status) for i in s.items] == [
        (when(i["start"]), when(i["end"]), i["status"]) for i in d["scheduleItems"]]
    assert [i.subject for i in s.items] == [i.get("subject", "") for i in d["scheduleItems"]]
    hours = d.get("workingHours") or {}
    if hours:
        assert list(s.working_days) == hours["daysOfWeek"]
        assert s.working_start == hours["startTime"][:8]
        assert s.working_time_zone == hours["timeZone"]["name"]


def check_suggestions(d: dict[str, Any]) -> None:
    found, reason = m.suggestions_from_json(d)
    assert reason == d["emptySuggestionsReason"]
    raw = d["meetingTimeSuggestions"]
    assert len(found) == len(raw)
    for s, r in zip(found, raw, strict=True):
        assert s.start == when(r["meetingTimeSlot"]["start"])
        assert s.end == when(r["meetingTimeSlot"]["end"])
        assert s.confidence == r["confidence"]
        assert s.organizer_availability == r["organizerAvailability"]
        assert [a for a, _ in s.attendee_availability] == [
            a["attendee"]["emailAddress"]["address"] for a in r["attendeeAvailability"]]


def check_automatic_replies(d: dict[str, Any], a: Any) -> None:
    assert a.status.lower() == d["status"].lower()
    assert a.external_audience.lower() == d["externalAudience"].lower()
    if "scheduledStartDateTime" in d:
        assert a.scheduled_start == when(d["scheduledStartDateTime"])
        assert a.scheduled_end == when(d["scheduledEndDateTime"])
    assert a.internal_message == d.get("internalReplyMessage", "")


def check_working_hours(d: dict[str, Any], w: Any) -> None:
    assert list(w.days) == d["daysOfWeek"]
    assert w.start == d["startTime"][:8] and w.end == d["endTime"][:8]
    assert w.time_zone == d["timeZone"]["name"]


def check_mailbox_settings(d: dict[str, Any]) -> None:
    s = m.mailbox_settings_from_json(d)
    if "timeZone" in d:
        assert s.time_zone == d["timeZone"]
    if "language" in d:
        assert s.language == d["language"]["locale"]
    if "dateFormat" in d:
        assert (s.date_format, s.time_format) == (d["dateFormat"], d["timeFormat"])
    if "automaticRepliesSetting" in d:
        check_automatic_replies(d["automaticRepliesSetting"], s.automatic_replies)
    if "workingHours" in d:
        check_working_hours(d["workingHours"], s.working_hours)


def check_people(d: dict[str, Any]) -> None:
    p = m.person_from_json(d)
    scored = d.get("scoredEmailAddresses") or []
    if scored:
        assert p.address == scored[0]["address"] and p.name == d["displayName"]


def check_error(data: dict[str, Any]) -> None:
    err = error_for(400, httpx.Headers({}), data)
    assert isinstance(err, GraphError)
    assert err.code == data["error"]["code"]
    assert err.message == " ".join(data["error"].get("message", "Bad request").split())
    inner = data["error"].get("innerError") or {}
    assert err.request_id == inner.get("request-id", inner.get("requestId", ""))


CHECKS = {
    "message": check_message, "folder": check_folder, "attachment": check_attachment,
    "event": check_event, "calendar": check_calendar, "contact": check_contact,
    "contact_folder": check_contact_folder, "schedule": check_schedule,
    "people": check_people, "mailbox_settings": check_mailbox_settings,
}


@pytest.mark.parametrize(("kind", "name"), [(k, n) for k in CHECKS for n in KINDS[k]])
def test_entity_samples(kind: str, name: str) -> None:
    items = entities(sample(name))
    assert items
    for item in items:
        CHECKS[kind](item)


@pytest.mark.parametrize("name", KINDS["suggestions"])
def test_suggestion_samples(name: str) -> None:
    check_suggestions(sample(name))


@pytest.mark.parametrize("name", KINDS["error"])
def test_error_samples(name: str) -> None:
    check_error(sample(name))


def test_sub_resources_of_mailbox_settings() -> None:
    d = sample("user-get-mailboxsettings.2")
    check_automatic_replies(d, m.automatic_replies_from_json(d))
    d = sample("user-get-mailboxsettings.3")
    check_working_hours(d, m.working_hours_from_json(d))


@pytest.mark.parametrize("name", KINDS["pairs"])
def test_zone_and_language_lists(name: str) -> None:
    d = sample(name)
    key = "alias" if "timezones" in name else "locale"
    assert m.pairs_from_json(d, key) == [(v[key], v["displayName"]) for v in d["value"]]


def test_placeholder_values_are_recorded() -> None:
    warnings: list[str] = []
    msg = m.message_from_json(sample("message-update.1"), "", warnings)
    assert msg.summary.subject == "subject-value"
    assert msg.summary.received is None
    assert any("receivedDateTime" in w for w in warnings)
    assert any("no id" in w for w in warnings)


def test_samples_dir_exists() -> None:
    assert Path(SAMPLES / "responses").is_dir()
