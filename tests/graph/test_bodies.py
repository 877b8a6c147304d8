"""``graph.bodies``: a collection body's page keeps only well-formed items and links."""

from __future__ import annotations

from olk_tui.graph import bodies, client


def test_page_of_drops_malformed_items_and_links() -> None:
    page = bodies.page_of({"value": [{"id": "1"}, "x", None, {"id": "2"}],
                           "@odata.nextLink": "", "@odata.deltaLink": 5})
    assert page == bodies.Page([{"id": "1"}, {"id": "2"}], None, None)
    assert bodies.page_of({"value": {"id": "1"}, "@odata.nextLink": "https://g/next"}) == \
        bodies.Page([], "https://g/next", None)


def test_the_client_module_still_offers_page_and_json_object() -> None:
    assert client.Page is bodies.Page and client.json_object is bodies.json_object
