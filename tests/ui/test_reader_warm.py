"""A message whose body is stored locally opens in the frame after the key, also the first time
in a session: the list converts the message under a resting cursor into the reader's cache
(never fetching a body for it), and a message not prepared is loaded and converted in one hop.
"""

from __future__ import annotations

import pytest

from olk_tui.domain.errors import Offline
from olk_tui.domain.mail import MessageSummary
from olk_tui.ui.mail import reader as reader_module
from olk_tui.ui.mail import reader_cache
from olk_tui.ui.mail.reader import ReaderScreen
from olk_tui.ui.mail.reader_cache import ReaderCache, warm
from olk_tui.ui.testing import FakeMail
from tests.ui.conftest import build_app
from tests.ui.test_mail_journeys import settle, the_list
from tests.ui.test_reader_reuse import body_of, open_first


async def test_a_resting_cursor_prepares_a_locally_stored_message_and_enter_paints_it() -> None:
    app, mail = build_app(inbox_size=30)
    mail.opened.append("f-inbox:3")  # fetched in an earlier session: its body is stored
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        messages = the_list(app)
        messages.rest = 0.0
        for _ in range(3):
            await pilot.press("j")
            await settle(pilot, app)
        assert messages.cursor == 3
        assert mail.peeked == ["f-inbox:3"]  # read from the cache only
        assert mail.opened == ["f-inbox:3"]  # rows 1 and 2 were not fetched for it
        await pilot.press("enter")
        reader = app.screen
        # painted in the key's own handler, with no load or conversion
        assert isinstance(reader, ReaderScreen) and reader.body is not None
        assert "Loading" not in body_of(reader)
        await settle(pilot, app)
        assert mail.opened.count("f-inbox:3") == 1


async def test_a_held_key_prepares_nothing_until_the_cursor_rests() -> None:
    app, mail = build_app(inbox_size=30)
    # rows 1-9 stored; not row 0, which the first load may prepare before ``rest`` is set
    mail.opened.extend(f"f-inbox:{i}" for i in range(1, 10))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        messages = the_list(app)
        messages.rest = 60.0  # a rest never comes during this test
        await pilot.press(*"jjjjj")
        await settle(pilot, app)
        assert mail.peeked == []


def row(mail: FakeMail, message_id: str) -> MessageSummary:
    return mail.row(message_id)


async def test_warm_never_fetches_and_skips_failures(monkeypatch) -> None:
    _app, mail = build_app(inbox_size=5)
    cache = ReaderCache()
    target = row(mail, "f-inbox:2")
    assert await warm(cache, "a", mail, target) is False  # never fetched: stays so
    assert mail.opened == [] and len(cache) == 0
    mail.opened.append("f-inbox:2")
    assert await warm(cache, "a", mail, target) is True and len(cache) == 1
    assert await warm(cache, "a", mail, target) is False  # already there
    assert mail.opened == ["f-inbox:2"]

    async def offline(_id: str) -> None:
        raise Offline("no network")

    monkeypatch.setattr(mail, "cached_message", offline)
    assert await warm(ReaderCache(), "a", mail, target) is False

    def broken(_message: object) -> None:
        raise ValueError("bad body")

    monkeypatch.undo()
    monkeypatch.setattr(reader_cache, "convert", broken)
    assert await warm(ReaderCache(), "a", mail, target) is False


async def test_an_unprepared_message_is_painted_whole_after_one_load() -> None:
    app, _mail = build_app(inbox_size=20)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        converted: list[object] = []
        reader._convert = converted.append  # type: ignore[method-assign]
        await settle(pilot, app)
        assert reader.body is not None and converted == []  # converted with the load
        assert "Formatting" not in body_of(reader)


@pytest.mark.parametrize("fails_again", [False, True])
async def test_a_failed_conversion_during_the_load_is_retried_and_reported(
        monkeypatch, fails_again: bool) -> None:
    real = reader_module.convert
    calls: list[int] = []

    def flaky(message: object) -> object:
        calls.append(1)
        if len(calls) == 1 or fails_again:
            raise ValueError("html2text fell over")
        return real(message)  # type: ignore[arg-type]

    monkeypatch.setattr(reader_module, "convert", flaky)  # the retry (``_convert``)
    monkeypatch.setattr(reader_cache, "convert", flaky)  # with the load, and the prefetch
    app, _mail = build_app(inbox_size=20)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_first(pilot, app)
        assert len(calls) >= 2
        if fails_again:
            assert reader.body is None and reader.load_error
        else:
            assert reader.body is not None and not reader.load_error


async def test_the_reader_modules_are_imported_once_input_is_quiet(monkeypatch) -> None:
    import importlib

    from olk_tui.idle_gc import QUIET, IdleCollector
    from tests.test_idle_gc import Clock

    imported: list[str] = []
    monkeypatch.setattr(importlib, "import_module", imported.append)
    app, _mail = build_app(inbox_size=5)
    clock = Clock()
    app.idle_gc = IdleCollector(clock)
    async with app.run_test() as pilot:
        await settle(pilot, app)
        app.idle_gc.input_seen()
        app._preload_reader()  # typing: put off
        await settle(pilot, app)
        assert imported == []
        clock.now += QUIET
        app._preload_reader()
        await settle(pilot, app)
        # (the start's own 1 s timer may have imported them too by now)
        assert set(imported) == {"olk_tui.render.html", "olk_tui.ui.mail.reader"}


async def test_enter_before_the_cursor_rested_converts_the_stored_body_then_opens() -> None:
    app, mail = build_app(inbox_size=30)
    mail.opened.append("f-inbox:2")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        the_list(app).rest = 60.0  # no rest: only the enter prepares it
        await pilot.press("j", "j", "enter")
        await settle(pilot, app)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.row.id == "f-inbox:2"
        assert reader.body is not None and "Loading" not in body_of(reader)
        assert mail.peeked == ["f-inbox:2"] and mail.opened.count("f-inbox:2") == 1


async def test_enter_opens_anyway_when_preparing_takes_too_long(monkeypatch) -> None:
    import asyncio

    app, mail = build_app(inbox_size=30)
    never = asyncio.Event()

    async def stuck(_message_id: str) -> None:
        await never.wait()

    monkeypatch.setattr(mail, "cached_message", stuck)
    monkeypatch.setattr(reader_cache, "OPEN_WAIT", 0.0)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_first(pilot, app)
        assert reader.row.id == "f-inbox:0" and reader.body is not None
        assert mail.opened == ["f-inbox:0", "f-inbox:1"]  # loaded by the reader, + prefetch


async def test_a_prefetch_whose_conversion_fails_says_nothing_until_the_message_is_shown(
        monkeypatch) -> None:
    real = reader_cache.convert

    def fails_for_the_second(message):  # type: ignore[no-untyped-def]
        if message.summary.id == "f-inbox:1":
            raise ValueError("html2text fell over")
        return real(message)

    monkeypatch.setattr(reader_cache, "convert", fails_for_the_second)
    app, mail = build_app(inbox_size=20)
    toasts: list[str] = []
    monkeypatch.setattr(app, "notify", lambda text, **_kw: toasts.append(text))
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_first(pilot, app)
        assert mail.opened == ["f-inbox:0", "f-inbox:1"]  # the prefetch ran
        assert toasts == [] and reader.cache.get(reader.account.name, mail.row("f-inbox:1")) is None
        assert reader.body is not None and not reader.load_error
