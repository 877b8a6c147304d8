"""The replied/forwarded mark: ``singleValueExtendedProperties`` (PidTagLastVerbExecuted 0x1081
and PidTagLastVerbExecutionTime 0x1082) read tolerantly into ``MessageSummary.last_verb``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from olk_tui.domain.mail import LastVerb
from olk_tui.graph.mapping.mail import (
    LAST_VERB_EXPAND,
    last_verb_from_json,
    message_from_json,
    summary_from_json,
)


def _msg(*props: object) -> dict[str, object]:
    return {"id": "m1", "subject": "s", "singleValueExtendedProperties": list(props)}


@pytest.mark.parametrize(("value", "verb"), [
    ("102", LastVerb.REPLIED), ("103", LastVerb.REPLIED_ALL), ("104", LastVerb.FORWARDED),
    (" 104 ", LastVerb.FORWARDED), (102, LastVerb.REPLIED),
])
def test_reads_each_verb(value: object, verb: LastVerb) -> None:
    row = summary_from_json(_msg({"id": "Integer 0x1081", "value": value},
                                 {"id": "SystemTime 0x1082", "value": "2026-03-12T14:02:00Z"}))
    assert row.last_verb is verb
    assert row.last_verb_time == datetime(2026, 3, 12, 14, 2, tzinfo=UTC)


def test_id_spelling_is_tolerated() -> None:
    """Graph echoes the id in its own form; case and leading zeros do not matter."""
    row = summary_from_json(_msg({"id": "integer 0x00001081", "value": "103"},
                                 {"id": "SYSTEMTIME 0X1082", "value": "2026-03-12T14:02:00Z"}))
    assert row.last_verb is LastVerb.REPLIED_ALL
    assert row.last_verb_time is not None


@pytest.mark.parametrize("props", [
    [],
    [{"id": "Integer 0x1081", "value": "261"}],  # a verb that is not a reply or forward
    [{"id": "Integer 0x1081", "value": "abc"}],
    [{"id": "Integer 0x1081", "value": None}],
    [{"id": "Integer 0x1081", "value": "99999999999999999999"}],
    [{"id": "Integer 0x1082", "value": "102"}],  # another property
    [{"id": "String 0x1081", "value": "102"}],  # another type
    [{"id": None, "value": "102"}],
    ["102"],
    [{"id": "SystemTime 0x1082", "value": "2026-03-12T14:02:00Z"}],  # a time without a verb
])
def test_anything_else_is_no_mark(props: list[object]) -> None:
    warnings: list[str] = []
    row = summary_from_json(_msg(*props), warnings=warnings)
    assert row.last_verb is LastVerb.NONE
    assert row.last_verb_time is None


def test_not_a_list_and_missing_are_no_mark() -> None:
    assert summary_from_json({"id": "m"}).last_verb is LastVerb.NONE
    assert summary_from_json({"id": "m", "singleValueExtendedProperties": "x"}).last_verb \
        is LastVerb.NONE


def test_bad_time_keeps_the_verb_without_time() -> None:
    warnings: list[str] = []
    verb, when = last_verb_from_json(_msg({"id": "Integer 0x1081", "value": "104"},
                                          {"id": "SystemTime 0x1082", "value": "soon"}),
                                     warnings)
    assert verb is LastVerb.FORWARDED and when is None
    assert warnings


def test_full_message_carries_it() -> None:
    msg = message_from_json(_msg({"id": "Integer 0x1081", "value": "102"}))
    assert msg.summary.last_verb is LastVerb.REPLIED


def test_expand_names_both_properties() -> None:
    assert LAST_VERB_EXPAND == ("singleValueExtendedProperties($filter=id eq 'Integer 0x1081' "
                                "or id eq 'SystemTime 0x1082')")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["id", "value", "@odata.type"]),
                                st.none() | st.integers() | st.text(max_size=24)
                                | st.sampled_from(["Integer 0x1081", "SystemTime 0x1082",
                                                   "102", "104"])), max_size=4))
def test_never_raises(props: list[dict[str, object]]) -> None:
    verb, when = last_verb_from_json({"singleValueExtendedProperties": props})
    assert isinstance(verb, LastVerb)
    assert when is None or verb is not LastVerb.NONE
