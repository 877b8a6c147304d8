"""``calendar_store`` keeps serving every name the calendar handlers use, after its split into
calendar_data / calendar_resources / calendar_instances."""

from __future__ import annotations

from olk_tui.emulator import (
    calendar_data,
    calendar_instances,
    calendar_resources,
    calendar_store,
)


def test_the_store_re_exports_its_neighbours_names() -> None:
    for name in calendar_store.__all__:
        assert hasattr(calendar_store, name), name
    assert calendar_store.view is calendar_instances.view
    assert calendar_store.data is calendar_data.data
    assert calendar_store.fill_event_defaults is calendar_resources.fill_event_defaults
    assert calendar_store.change_key is calendar_resources.change_key
    assert calendar_store.body_preview is calendar_resources.body_preview


def test_body_preview_drops_hidden_html_and_collapses_space() -> None:
    body = {"contentType": "HTML", "content": "<style>p{}</style><p>Hi\n  there</p>" + "x" * 300}
    preview = calendar_resources.body_preview(body)
    assert preview.startswith("Hi there xxx") and len(preview) == 255
    assert calendar_resources.body_preview({"content": 5}) == ""
