"""Mailbox settings and Outlook user data: ``/me/mailboxSettings`` (GET, PATCH and each setting
on its own path), ``/me/outlook/supportedTimeZones`` (Windows names, or IANA with
``(TimeZoneStandard=microsoft.graph.timeZoneStandard'Iana')``), ``supportedLanguages`` and
``masterCategories``. Shapes follow ``user-get-mailboxsettings.*`` and ``outlookuser-*``."""

from __future__ import annotations

import copy
import uuid
from typing import TYPE_CHECKING, Any

from olk_tui.emulator.calendar_tz import WINDOWS_ZONES, iana_name
from olk_tui.emulator.router import Request, Response, Router, bad_request, graph_error, not_found

if TYPE_CHECKING:
    from olk_tui.emulator.state import Mailbox

SETTING_NAMES = ("automaticRepliesSetting", "archiveFolder", "timeZone", "language",
                 "workingHours", "dateFormat", "timeFormat", "userPurpose",
                 "delegateMeetingMessageDeliveryOptions")
LANGUAGES = (
    ("af-ZA", "Afrikaans (Suid-Afrika)"), ("da-DK", "dansk (Danmark)"),
    ("de-DE", "Deutsch (Deutschland)"), ("en-AU", "English (Australia)"),
    ("en-CA", "English (Canada)"), ("en-GB", "English (United Kingdom)"),
    ("en-US", "English (United States)"), ("es-ES", "español (España)"),
    ("fr-FR", "français (France)"), ("it-IT", "italiano (Italia)"),
    ("ja-JP", "日本語 (日本)"), ("nl-NL", "Nederlands (Nederland)"),
    ("pt-BR", "português (Brasil)"), ("sv-SE", "svenska (Sverige)"),
    ("zh-CN", "中文(中国)"),
)
PRESET_CATEGORIES = (("Red category", "preset0"), ("Orange category", "preset1"),
                     ("Yellow category", "preset3"), ("Green category", "preset4"),
                     ("Blue category", "preset7"), ("Purple category", "preset8"))
_AUTO_STATUS = {"disabled", "alwaysenabled", "scheduled"}


def default_settings(mailbox: Mailbox, time_zone: str = "UTC") -> dict[str, Any]:
    """Graph's settings for a fresh mailbox (shape of ``user-get-mailboxsettings.1``)."""
    return {
        "archiveFolder": mailbox.well_known.get("archive", ""),
        "automaticRepliesSetting": {
            "status": "disabled", "externalAudience": "all",
            "scheduledStartDateTime": {"dateTime": "2026-01-01T08:00:00.0000000",
                                       "timeZone": "UTC"},
            "scheduledEndDateTime": {"dateTime": "2026-01-02T08:00:00.0000000",
                                     "timeZone": "UTC"},
            "internalReplyMessage": "", "externalReplyMessage": "",
        },
        "timeZone": time_zone,
        "language": {"locale": "en-US", "displayName": "English (United States)"},
        "workingHours": {
            "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
            "startTime": "08:00:00.0000000", "endTime": "17:00:00.0000000",
            "timeZone": {"name": time_zone},
        },
        "dateFormat": "MM/dd/yyyy",
        "timeFormat": "hh:mm tt",
        "userPurpose": "user",
        "delegateMeetingMessageDeliveryOptions": "sendToDelegateOnly",
    }


def settings_of(mailbox: Mailbox) -> dict[str, Any]:
    """The mailbox's settings, created with defaults on first use."""
    if not mailbox.mailbox_settings:
        mailbox.mailbox_settings.update(default_settings(mailbox))
    return mailbox.mailbox_settings


def load_settings(mailbox: Mailbox, resource: dict[str, Any]) -> None:
    """Seed loader part: ``mailboxSettings.json`` (every field kept exactly as given)."""
    settings_of(mailbox)
    mailbox.mailbox_settings.update(copy.deepcopy(
        {k: v for k, v in resource.items() if not k.startswith("@odata.")}))


def categories_of(mailbox: Mailbox) -> list[dict[str, Any]]:
    """The master category list (Outlook's six presets by default)."""
    found = mailbox.extra.get("masterCategories")
    if found is None:
        found = [{"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{mailbox.address}/{name}")),
                  "displayName": name, "color": color} for name, color in PRESET_CATEGORIES]
        mailbox.extra["masterCategories"] = found
    return found


def register(router: Router) -> None:
    """Add the settings and outlook routes."""
    router.add("GET", "/me/mailboxSettings", get_settings)
    router.add("PATCH", "/me/mailboxSettings", patch_settings)
    router.add("GET", "/me/mailboxSettings/{name}", get_setting)
    router.add("GET", "/me/outlook/supportedTimeZones", supported_time_zones)
    router.add("GET", "/me/outlook/supportedTimeZones/{standard}", supported_time_zones)
    router.add("GET", "/me/outlook/supportedLanguages", supported_languages)
    router.add("GET", "/me/outlook/masterCategories", list_categories)
    router.add("POST", "/me/outlook/masterCategories", create_category)
    router.add("DELETE", "/me/outlook/masterCategories/{id}", delete_category)


def get_settings(req: Request) -> Response:
    """GET /me/mailboxSettings."""
    body = {"@odata.context": req.context_url("Me/mailboxSettings")}
    return Response.ok(body | copy.deepcopy(settings_of(req.mailbox)))


def get_setting(req: Request) -> Response:
    """GET /me/mailboxSettings/{name}: one setting (objects inline, scalars as ``value``)."""
    settings = settings_of(req.mailbox)
    name = next((n for n in settings if n.lower() == req.params["name"].lower()), None)
    if name is None:
        return not_found(req)
    context = {"@odata.context": req.context_url(f"Me/mailboxSettings/{name}")}
    value = copy.deepcopy(settings[name])
    if isinstance(value, dict):
        return Response.ok(context | value)
    return Response.ok(context | {"value": value})


def _check(patch: dict[str, Any]) -> str | None:
    """Why Graph would reject this PATCH, or None."""
    if "timeZone" in patch and (not isinstance(patch["timeZone"], str)
                                or iana_name(patch["timeZone"]) is None):
        return "The time zone is not valid."
    auto = patch.get("automaticRepliesSetting")
    if auto is not None:
        if not isinstance(auto, dict):
            return "automaticRepliesSetting must be an object."
        if "status" in auto and str(auto["status"]).lower() not in _AUTO_STATUS:
            return "automaticRepliesSetting.status is not valid."
    hours = patch.get("workingHours")
    if hours is not None and not isinstance(hours, dict):
        return "workingHours must be an object."
    return None


def patch_settings(req: Request) -> Response:
    """PATCH /me/mailboxSettings: 200 with the properties that were sent."""
    body = req.json_object()
    patch = {k: v for k, v in body.items() if not k.startswith("@odata.")}
    unknown = [k for k in patch if k not in SETTING_NAMES]
    if unknown:
        return bad_request(f"Property '{unknown[0]}' does not exist on type "
                           "'microsoft.graph.mailboxSettings'.", req, "RequestBodyRead")
    if "userPurpose" in patch:
        return graph_error(400, "ErrorInvalidRequest", "userPurpose is read-only.", req)
    problem = _check(patch)
    if problem:
        return bad_request(problem, req, "ErrorInvalidRequest")
    settings = settings_of(req.mailbox)
    for key, value in patch.items():
        current = settings.get(key)
        if isinstance(current, dict) and isinstance(value, dict) and key != "workingHours":
            current.update(copy.deepcopy(value))
        else:
            settings[key] = copy.deepcopy(value)
    body_out = {"@odata.context": req.context_url("Me/mailboxSettings")}
    return Response.ok(body_out | {k: copy.deepcopy(settings[k]) for k in patch})


def supported_time_zones(req: Request) -> Response:
    """GET /me/outlook/supportedTimeZones[(TimeZoneStandard=...'Iana')]."""
    standard = req.params.get("standard", "")
    iana = "iana" in standard.lower()
    if standard and not iana and "windows" not in standard.lower():
        return bad_request("Invalid TimeZoneStandard.", req)
    if iana:
        value = [{"alias": name, "displayName": name} for _w, _d, name in WINDOWS_ZONES]
    else:
        value = [{"alias": win, "displayName": display} for win, display, _i in WINDOWS_ZONES]
    context = req.context_url("Collection(microsoft.graph.timeZoneInformation)")
    return Response.ok({"@odata.context": context, "value": value})


def supported_languages(req: Request) -> Response:
    """GET /me/outlook/supportedLanguages."""
    context = req.context_url("Collection(microsoft.graph.localeInfo)")
    value = [{"locale": loc, "displayName": name} for loc, name in LANGUAGES]
    return Response.ok({"@odata.context": context, "value": value})


def list_categories(req: Request) -> Response:
    """GET /me/outlook/masterCategories."""
    context = req.context_url("me/outlook/masterCategories")
    return Response.ok({"@odata.context": context,
                        "value": copy.deepcopy(categories_of(req.mailbox))})


def create_category(req: Request) -> Response:
    """POST /me/outlook/masterCategories: 201 (409 when the name exists)."""
    body = req.json_object()
    name = body.get("displayName")
    if not isinstance(name, str) or not name.strip():
        return bad_request("displayName is required.", req, "ErrorInvalidRequest")
    cats = categories_of(req.mailbox)
    if any(c["displayName"].lower() == name.lower() for c in cats):
        return graph_error(409, "ErrorDuplicateObject", "The category already exists.", req)
    cat = {"id": str(uuid.uuid4()), "displayName": name, "color": body.get("color", "none")}
    cats.append(cat)
    return Response.ok({"@odata.context": req.context_url("me/outlook/masterCategories/$entity"),
                        **cat}, status=201)


def delete_category(req: Request) -> Response:
    """DELETE /me/outlook/masterCategories/{id}: 204."""
    cats = categories_of(req.mailbox)
    for index, cat in enumerate(cats):
        if cat["id"] == req.params["id"]:
            del cats[index]
            return Response.empty(204)
    return not_found(req)
