"""``startup_gc``: collection is paused only for the UI's start, and comes back frozen."""

from __future__ import annotations

import gc

import pytest

from olk_tui import cli, startup_gc


def test_resume_collects_freezes_and_enables_after_pause() -> None:
    startup_gc.pause()
    try:
        assert not gc.isenabled()
        garbage: list[object] = []
        garbage.append(garbage)  # a cycle only the collector frees
        del garbage
        assert startup_gc.resume() is True
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.enable()
        gc.unfreeze()


def test_resume_leaves_a_process_that_never_paused_alone() -> None:
    assert gc.isenabled()
    assert startup_gc.resume() is False
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize(("argv", "paused"), [(["--version"], True),
                                              (["config", "path"], False)])
def test_only_the_ui_pauses_collection(monkeypatch, capsys, argv, paused) -> None:
    calls: list[bool] = []
    monkeypatch.setattr(startup_gc, "pause", lambda: calls.append(True))
    try:
        cli.main(argv)
    except SystemExit:
        pass  # --version exits through argparse
    assert bool(calls) is paused


def test_a_ui_that_ends_before_its_first_paint_does_not_leave_collection_off(capsys) -> None:
    """A bad mailto: link ends the UI command before the app runs (exit 2)."""
    try:
        assert cli.main(["mailto:?subject=%ZZ%"]) == 2
        assert gc.isenabled()
    finally:
        gc.enable()
