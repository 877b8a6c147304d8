"""``idle_gc``: full collections run when input is quiet (or overdue), never on CPython's own."""

from __future__ import annotations

import gc

import pytest

from olk_tui import idle_gc
from olk_tui.idle_gc import IdleCollector


class Clock:
    """A settable monotonic clock."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def rig():
    clock, runs = Clock(), []
    counts = {"full_due": idle_gc.DUE_AFTER}
    collector = IdleCollector(clock, lambda gen: runs.append(gen) or 0,
                              lambda: (0, 0, counts["full_due"]),
                              lambda: runs.append("freeze"))
    collector.take_over()
    try:
        yield collector, clock, runs, counts
    finally:
        collector.give_back()


def test_take_over_stops_automatic_full_collections_and_give_back_restores() -> None:
    before = gc.get_threshold()
    collector = IdleCollector()
    collector.take_over()
    try:
        assert collector.active
        assert gc.get_threshold() == (before[0], before[1], idle_gc.NEVER)
    finally:
        collector.give_back()
    assert gc.get_threshold() == before and not collector.active


def test_a_collector_that_did_not_take_over_never_collects() -> None:
    runs: list[int] = []
    collector = IdleCollector(Clock(), lambda gen: runs.append(gen) or 0, lambda: (0, 0, 99))
    assert collector.tick() is False and runs == []


def test_not_due_means_no_collection(rig) -> None:
    collector, clock, runs, counts = rig
    counts["full_due"] = idle_gc.DUE_AFTER - 1
    clock.now += 60
    assert collector.tick() is False and runs == []


def test_a_due_collection_waits_for_quiet_input(rig) -> None:
    collector, clock, runs, _counts = rig
    collector.input_seen()
    clock.now += idle_gc.QUIET / 2
    assert collector.tick() is False and runs == []
    clock.now += idle_gc.QUIET
    assert collector.tick() is True and runs == [2, "freeze"]
    clock.now += idle_gc.QUIET
    assert collector.tick() is True and runs == [2, "freeze", 2]  # frozen once only


def test_endless_input_still_gets_a_full_collection_when_overdue(rig) -> None:
    collector, clock, runs, _counts = rig
    step = idle_gc.QUIET / 4
    for _ in range(int(idle_gc.OVERDUE / step) - 1):
        clock.now += step
        collector.input_seen()
        assert collector.tick() is False
    clock.now += 2 * step
    collector.input_seen()
    assert collector.tick() is True and runs == [2, "freeze"]


async def test_the_apps_keys_count_as_input() -> None:
    from tests.ui.conftest import build_app

    app, _mail = build_app(inbox_size=5)
    clock, runs = Clock(), []
    app.idle_gc = IdleCollector(clock, lambda gen: runs.append(gen) or 0, lambda: (0, 0, 99),
                                lambda: None)
    app.idle_gc.take_over()
    try:
        async with app.run_test() as pilot:
            clock.now += 10
            await pilot.press("j")
            clock.now += idle_gc.QUIET / 2
            assert app.idle_gc.tick() is False  # the key was just now
            clock.now += idle_gc.QUIET
            assert app.idle_gc.tick() is True and runs == [2]
    finally:
        app.idle_gc.give_back()
