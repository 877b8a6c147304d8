"""Public state API: ``Mailbox.kind`` ("work"|"personal") and seeded ``IdFactory``."""

from __future__ import annotations

import httpx
import pytest

from olk_tui.emulator import Emulator
from olk_tui.emulator.state import Mailbox
from olk_tui.emulator.state_base import IdFactory

BASE = "https://graph.emulator.test/v1.0"


def test_mailbox_kind_is_an_attribute() -> None:
    box = Mailbox("a@contoso.example", "A")
    assert box.kind == "work"
    assert Mailbox("b@outlook.example", "B", kind="personal").kind == "personal"
    with pytest.raises(ValueError):
        Mailbox("c@contoso.example", "C", kind="school")
    with pytest.raises(ValueError):
        box.kind = "school"
    assert box.kind == "work"


def test_a_personal_mailbox_behaves_as_outlook_com() -> None:
    emu = Emulator(require_auth=False)
    emu.add_mailbox("sam@outlook.example", "Sam", kind="personal")
    with httpx.Client(transport=emu.sync_transport(), base_url=BASE) as c:
        cal = c.get("/me/calendar").json()
        assert cal["allowedOnlineMeetingProviders"] == ["skypeForConsumer"]
        assert c.post("/me/findMeetingTimes", json={}).status_code == 403
        box = emu.default_mailbox
        box.kind = "work"  # switching updates the calendars' meeting providers
        assert c.get("/me/calendar").json()["allowedOnlineMeetingProviders"] == [
            "teamsForBusiness"]


def test_id_factory_seed() -> None:
    a, b, c = IdFactory(seed=1), IdFactory(seed=1), IdFactory(seed=2)
    first = [a.new(), a.new(b"F")]
    assert first == [b.new(), b.new(b"F")]
    assert c.new() != first[0]
    assert IdFactory().new() != IdFactory().new()  # unseeded: random salt
    assert Emulator(id_seed="x").ids.new() == Emulator(id_seed="x").ids.new()


def test_demo_ids_are_deterministic_without_touching_private_state() -> None:
    one, two = Emulator.demo(size=20, seed=4), Emulator.demo(size=20, seed=4)
    assert list(one.default_mailbox.messages) == list(two.default_mailbox.messages)
    assert one.ids.seed == two.ids.seed is not None
    other = Emulator.demo(size=20, seed=5)
    assert list(other.default_mailbox.messages) != list(one.default_mailbox.messages)
