"""Typed ids: Graph ids are opaque strings, typed so a folder id is never passed as a message id."""

from typing import NewType

MessageId = NewType("MessageId", str)
FolderId = NewType("FolderId", str)
AttachmentId = NewType("AttachmentId", str)
EventId = NewType("EventId", str)
CalendarId = NewType("CalendarId", str)
ContactId = NewType("ContactId", str)
ContactFolderId = NewType("ContactFolderId", str)
