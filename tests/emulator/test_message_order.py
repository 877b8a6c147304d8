"""``MessageOrder``: newest-first ids per folder and mailbox-wide, kept in place."""

from __future__ import annotations

from olk_tui.emulator.message_order import MessageOrder


def _order() -> MessageOrder:
    order = MessageOrder()
    order.add("f1", "a", "2024-05-01T09:00:00Z")
    order.add("f1", "b", "2024-05-03T09:00:00Z")
    order.add("f2", "c", "2024-05-02T09:00:00Z")
    return order


def test_orders_are_newest_first_with_unparsable_dates_last() -> None:
    order = _order()
    order.add("f1", "z", "not a date")
    assert order.folder("f1", ["a", "b", "z"]) == ["b", "a", "z"]
    assert order.everything(["a", "b", "c", "z"]) == ["b", "c", "a", "z"]


def test_cached_orders_are_kept_up_to_date_in_place() -> None:
    order = _order()
    f1, everything = order.folder("f1", ["a", "b"]), order.everything(["a", "b", "c"])
    order.add("f1", "d", "2024-05-04T09:00:00Z")
    order.redate("f1", "b", "2024-04-01T00:00:00Z")
    order.remove("f2", "c")
    assert order.folder("f1", []) is f1 and f1 == ["d", "a", "b"]
    assert order.everything([]) is everything and everything == ["d", "a", "b"]
    assert "c" not in order.keys


def test_a_forgotten_folder_is_sorted_again_from_the_ids_given() -> None:
    order = _order()
    assert order.folder("f1", ["a", "b"]) == ["b", "a"]
    order.forget_folder("f1")
    assert order.folder("f1", ["a"]) == ["a"]
