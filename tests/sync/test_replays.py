"""Replays after an unknown outcome do no harm: an RSVP is not sent twice, a contact is not
created twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from olk_tui.domain.errors import GraphError
from olk_tui.domain.ids import ContactId, EventId
from olk_tui.domain.operations import RespondToEvent, SaveContact
from olk_tui.sync.api import OperationFailed

from .conftest import Harness


def _posts(h: Harness, suffix: str) -> int:
    return sum(1 for m, p in h.counter.requests if m == "POST" and p.endswith(suffix))


async def _invitation(h: Harness) -> str:
    """A single-instance meeting the user was invited to (not the organiser), cached."""
    ev = next(e for e in h.mb.events.values()
              if not e.get("isOrganizer", True) and not e.get("recurrence")
              and e.get("type", "singleInstance") == "singleInstance")
    start = datetime.fromisoformat(ev["start"]["dateTime"]).replace(tzinfo=UTC)
    await h.svc.pim_sync.sync_window(start - timedelta(days=1), start + timedelta(days=1))
    return str(ev["id"])


@pytest.mark.parametrize("response", ["accept", "decline"])
async def test_rsvp_replayed_after_a_lost_answer_is_sent_once(hi: Harness,
                                                               response: str) -> None:
    h = hi
    eid = await _invitation(h)
    h.emu.faults.add("504", regex=rf"/{response}$", method="POST", times=1, after=True)
    await h.account.calendar.submit(RespondToEvent(event_id=EventId(eid), response=response,
                                                   send_response=False))
    h.counter.reset()
    with pytest.raises(GraphError):
        await h.svc.runner.run_once()
    await h.svc.runner.run_once()
    assert _posts(h, f"/{response}") == 1
    assert await h.svc.store.run(lambda s: s.queue.pending_count()) == 0
    assert not h.of(OperationFailed)
    want = {"accept": "accepted", "decline": "declined"}[response]
    assert h.mb.events[eid]["responseStatus"]["response"] == want


async def test_rsvp_replay_sends_when_the_first_try_did_not_arrive(hi: Harness) -> None:
    h = hi
    eid = await _invitation(h)
    h.emu.faults.add("504", regex=r"/tentativelyAccept$", method="POST", times=1,
                     after=False)
    await h.account.calendar.submit(RespondToEvent(event_id=EventId(eid),
                                                   response="tentativelyAccept",
                                                   send_response=False))
    with pytest.raises(GraphError):
        await h.svc.runner.run_once()
    assert h.mb.events[eid]["responseStatus"]["response"] != "tentativelyAccepted"
    await h.svc.runner.run_once()
    assert h.mb.events[eid]["responseStatus"]["response"] == "tentativelyAccepted"


async def test_contact_creation_replayed_after_a_lost_answer_creates_one(hi: Harness) -> None:
    h = hi
    await h.svc.engine.run_pass()
    h.emu.faults.add("504", regex=r"/contacts$", method="POST", times=1, after=True)
    fields = {"displayName": "Quinn Quill", "emailAddresses": [
        {"address": "quinn@quill.example", "name": "Quinn"}]}
    await h.account.contacts.submit(SaveContact(fields=fields, local_id=ContactId("local-q")))
    with pytest.raises(GraphError):
        await h.svc.runner.run_once()
    await h.svc.runner.run_once()
    made = [c for c in h.mb.contacts.values() if c.get("displayName") == "Quinn Quill"]
    assert len(made) == 1
    shown = await h.account.contacts.contacts("quinn@quill")
    assert [c.id for c in shown] == [made[0]["id"]]
    assert await h.svc.store.run(lambda s: s.queue.pending_count()) == 0


async def test_contact_replay_does_not_take_an_older_namesake(hi: Harness) -> None:
    h = hi
    await h.svc.engine.run_pass()
    known = next(c for c in h.mb.contacts.values() if c.get("emailAddresses"))
    fields = {"displayName": known["displayName"],
              "emailAddresses": known["emailAddresses"][:1]}
    # the first try never reached the server; the replay must still create the new one
    h.emu.faults.add("504", regex=r"/contacts$", method="POST", times=1, after=False)
    await h.account.contacts.submit(SaveContact(fields=fields, local_id=ContactId("local-k")))
    with pytest.raises(GraphError):
        await h.svc.runner.run_once()
    await h.svc.runner.run_once()
    same = [c for c in h.mb.contacts.values() if c.get("displayName") == known["displayName"]]
    assert len(same) == 2
