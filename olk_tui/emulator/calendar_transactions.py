"""Event creation deduplicated by ``transactionId``.

The event resource doc: a client sets ``transactionId`` "for the server to avoid redundant POST
operations in case of client retries to create the same event". So a POST whose
``transactionId`` an existing event of the mailbox already carries does not create a second
event: when it is the same creation (same calendar, same request body) the existing event is
answered (201, as the first answer was); otherwise the service refuses it with
``ErrorDuplicateTransactionId`` "... has already been used to create a different event."
(observed: alcionai/corso#2490; the status there was not given, 400 here). A deleted event no
longer holds its transactionId.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from olk_tui.emulator import calendar_store as store
from olk_tui.emulator.router import GraphError
from olk_tui.emulator.state import Mailbox

#: mb.extra key: event id -> fingerprint of the POST that created it with a transactionId.
CREATED_BY = "event_transactions"


def fingerprint(calendar_id: str, body: dict[str, Any]) -> str:
    """A digest of one creation request: the calendar and the body, key order ignored."""
    text = json.dumps([calendar_id, body], sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def existing_for(mailbox: Mailbox, calendar_id: str, body: dict[str, Any]
                 ) -> dict[str, Any] | None:
    """The event a retried creation must answer with, None to create one.

    Raises:
        GraphError: 400 ``ErrorDuplicateTransactionId`` when the body's transactionId belongs
            to an event made by a different request.
    """
    tid = body.get("transactionId")
    if not isinstance(tid, str) or not tid:
        return None
    for ev in mailbox.events.values():
        if ev.get("transactionId") != tid:
            continue
        made_by = mailbox.extra.get(CREATED_BY, {}).get(ev["id"])
        same_calendar = store.data(mailbox).event_calendar.get(ev["id"]) == calendar_id
        if same_calendar and made_by in (None, fingerprint(calendar_id, body)):
            return ev
        raise GraphError(400, "ErrorDuplicateTransactionId",
                         "Your request can't be completed. The TransactionId specified in "
                         "the request has already been used to create a different event.")
    return None


def remember(mailbox: Mailbox, event: dict[str, Any], body: dict[str, Any],
             digest: str) -> None:
    """Note that the request ``body`` (its :func:`fingerprint` ``digest``, taken before the
    handler filled anything in) created ``event``; only when it carried a transactionId."""
    if isinstance(body.get("transactionId"), str) and body["transactionId"]:
        mailbox.extra.setdefault(CREATED_BY, {})[event["id"]] = digest
