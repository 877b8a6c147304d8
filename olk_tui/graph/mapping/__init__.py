"""The only code that knows Graph's camelCase JSON: JSON -> domain dataclasses and back.

Readers never raise on shape: missing or null fields, unknown fields, wrong types and the docs'
placeholder values ("datetime-value") give defaults, and what could not be read is appended to
the optional ``warnings`` list. Split by area: ``mail``, ``calendar``, ``people``; ``common``
holds the shared scalar, time and recipient readers.
"""

from olk_tui.graph.mapping.calendar import (
    calendar_from_json,
    event_from_json,
    event_to_json,
    recurrence_from_json,
    recurrence_to_json,
    schedule_from_json,
    suggestion_from_json,
    suggestions_from_json,
)
from olk_tui.graph.mapping.common import (
    Warnings,
    date_time_tz,
    date_time_tz_to_json,
    recipient,
    recipient_to_json,
    timestamp,
    timestamp_to_json,
)
from olk_tui.graph.mapping.mail import (
    attachment_from_json,
    body_from_json,
    draft_to_json,
    flag_from_json,
    flag_to_json,
    folder_from_json,
    message_from_json,
    summary_from_json,
)
from olk_tui.graph.mapping.people import (
    automatic_replies_from_json,
    automatic_replies_to_json,
    contact_folder_from_json,
    contact_from_json,
    contact_to_json,
    mailbox_settings_from_json,
    pairs_from_json,
    person_from_json,
    user_from_json,
    working_hours_from_json,
)

__all__ = [
    "Warnings", "attachment_from_json", "automatic_replies_from_json",
    "automatic_replies_to_json", "body_from_json",
    "calendar_from_json", "contact_folder_from_json", "contact_from_json", "contact_to_json",
    "date_time_tz", "date_time_tz_to_json", "draft_to_json", "event_from_json", "event_to_json",
    "flag_from_json", "flag_to_json", "folder_from_json", "mailbox_settings_from_json",
    "message_from_json", "pairs_from_json", "person_from_json", "recipient",
    "recipient_to_json", "recurrence_from_json", "recurrence_to_json", "schedule_from_json",
    "suggestion_from_json", "suggestions_from_json", "summary_from_json", "timestamp",
    "timestamp_to_json", "user_from_json", "working_hours_from_json",
]
