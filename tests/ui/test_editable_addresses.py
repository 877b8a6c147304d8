"""Editable address fields (composer To/Cc, event attendees, a contact's emails) never hold
raw bidi, tag or control characters from the network: an ``Input`` shows its value raw."""

from __future__ import annotations

from textual.widgets import Input

from olk_tui.domain.mail import Recipient
from olk_tui.render.addresses import parse_addresses
from olk_tui.ui.compose.screen import ComposeScreen
from olk_tui.ui.text import editable_addresses
from tests.ui.conftest import build_app
from tests.ui.test_mail_journeys import settle

EVIL = Recipient("mallory@evil.example",
                 "Admin\u202egpj.exe\u2066x\u2069 \U000e0041\U000e0042\x1b]52;c;AAAA\x07")
FORBIDDEN = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x1B, 0x07)}


def clean(text: str) -> bool:
    return not any(c in FORBIDDEN or 0xE0000 <= ord(c) <= 0xE007F for c in text)


def test_editable_addresses_are_safe_and_parse_back() -> None:
    plain = Recipient("alex@contoso.example", "Alex Wilber")
    text = editable_addresses([EVIL, plain])
    assert clean(text)
    parsed = parse_addresses(text)
    assert parsed.errors == ()
    assert [r.address for r in parsed.recipients] == [EVIL.address, plain.address]
    assert editable_addresses([plain]) == "Alex Wilber <alex@contoso.example>"


async def test_composer_to_field_shows_a_hostile_name_safely() -> None:
    app, _mail = build_app(inbox_size=20)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        from olk_tui.ui import wiring

        wiring.open_composer(app, "new", None, to=(EVIL,))
        await settle(pilot, app)
        assert isinstance(app.screen, ComposeScreen)
        value = app.screen.query_one("#to Input", Input).value
        assert clean(value) and EVIL.address in value
        assert [r.address for r in app.screen.build_draft().to] == [EVIL.address]


async def test_reply_subject_field_is_safe() -> None:
    from olk_tui.domain.mail import Draft
    from olk_tui.ui.compose.launch import compose_settings

    app, _mail = build_app(inbox_size=20)
    subject = "RE: \x1b]0;PWNED\x07 \u202eexe.txt \U000e0069\U000e0067 [bold]x[/]"
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        await app.push_screen(ComposeScreen(app.account, compose_settings(app.settings),
                                            draft=Draft(subject=subject)))
        await settle(pilot, app)
        value = app.screen.query_one("#subject", Input).value
        assert clean(value) and value.startswith("RE: ") and "[bold]x[/]" in value
