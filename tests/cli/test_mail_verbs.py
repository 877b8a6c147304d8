"""``olk-tui mail list`` shows which messages were replied to or forwarded: ``↩``/``↪`` in the
FLAGS cell and ``lastVerb``/``lastVerbTime`` in the JSON (also in ``mail read --json``)."""

from __future__ import annotations

from datetime import UTC, datetime

from olk_tui.emulator import Emulator, extended_props

WHEN = datetime(2026, 11, 18, 16, 2, 10, tzinfo=UTC)


def mark(emu: Emulator) -> dict[str, str]:
    """Mark the three newest Inbox messages replied, replied to all and forwarded."""
    box = emu.default_mailbox
    newest = box.sorted_ids(box.well_known["inbox"])[:4]
    verbs = dict(zip(newest, ("reply", "replyAll", "forward"), strict=False))
    for message_id, verb in verbs.items():
        extended_props.mark_original(box, message_id, verb, WHEN)
    verbs[newest[3]] = ""
    return verbs


def test_list_json_has_the_last_verb_and_its_time(demo, emu) -> None:
    verbs = mark(emu)
    data = demo("mail", "list", "--limit", "1000", "--json").json()
    rows = {m["id"]: m for m in data["messages"]}
    for message_id, verb in verbs.items():
        row = rows[message_id]
        assert row["lastVerb"] == (verb or None)
        if verb:
            assert datetime.fromisoformat(row["lastVerbTime"]) == WHEN
            assert row["lastVerbTime"][-6] in "+-"  # with its offset, as every time
        else:
            assert row["lastVerbTime"] is None
    assert {m["lastVerb"] for m in data["messages"]} == {"reply", "replyAll", "forward", None}
    replied = next(i for i, v in verbs.items() if v == "forward")
    read = demo("mail", "read", replied, "--json").json()
    assert read["lastVerb"] == "forward"
    assert datetime.fromisoformat(read["lastVerbTime"]) == WHEN


def test_list_table_marks_replied_and_forwarded(demo, emu) -> None:
    verbs = mark(emu)
    result = demo("mail", "list", "--limit", "1000")
    assert result.code == 0, result.err
    flags = {line.split()[-1]: line[18:22] for line in result.out.splitlines()}
    expected = {"reply": "↩", "replyAll": "↩", "forward": "↪", "": "-"}
    for message_id, verb in verbs.items():
        assert flags[message_id][3] == expected[verb], flags[message_id]
    assert all(len(cell) == 4 and cell[0] in "U-" for cell in flags.values())
