"""``olk-tui contacts find`` against the in-process demo emulator."""

from __future__ import annotations

import re

from .conftest import assert_one_line_error

CONTACT_KEYS = {"id", "displayName", "givenName", "surname", "emails", "businessPhones",
                "mobilePhone", "homePhones", "companyName", "jobTitle", "department",
                "businessAddress", "homeAddress", "birthday", "categories", "folderId"}


def test_find_json_shape_and_matches(demo, emu) -> None:
    result = demo("contacts", "find", "adele", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert set(data) == {"query", "count", "contacts"}
    expected = {c["id"] for c in emu.default_mailbox.contacts.values()
                if "adele" in (c.get("displayName") or "").lower()}
    assert expected and expected <= {c["id"] for c in data["contacts"]}
    for c in data["contacts"]:
        assert set(c) == CONTACT_KEYS
        assert all(set(e) == {"name", "address"} for e in c["emails"])


def test_find_human_output_and_no_match(demo) -> None:
    result = demo("contacts", "find", "adele")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines and all("adele" in line.lower() for line in lines)
    email_columns = {re.search(r"\S+@\S+", line).start() for line in lines}
    assert len(email_columns) == 1  # aligned
    empty = demo("contacts", "find", "zzzqqq-nobody", "--json")
    assert empty.code == 0 and empty.json()["count"] == 0
    assert demo("contacts", "find", "zzzqqq-nobody").out.strip() == "No contacts found."


def test_find_empty_text_is_a_usage_error(demo) -> None:
    assert_one_line_error(demo("contacts", "find", "  "), 2)
