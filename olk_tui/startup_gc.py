"""Garbage collection paused while the UI starts, resumed once its first rows are painted.

Start-up allocates some 60,000 long-lived objects (Textual, the stylesheet, the widgets, the
first window of rows). With collection on, CPython walks them again and again on the way to
the first frame: about 30 ms of the ~0.3 s first paint, measured with ``gc.callbacks``
(116 young, 10 middle and one full collection). ``pause()`` turns collection off before the
imports; ``resume()``, after the first paint, collects once (so no start-up garbage is kept),
moves the survivors into the permanent generation (later full collections skip them, so they
do not jitter keypresses) and turns collection back on.
"""

from __future__ import annotations

import gc


def pause() -> None:
    """Stop automatic collection until ``resume()`` (call before the UI's imports)."""
    gc.disable()


def resume() -> bool:
    """Collect once, freeze what survived and collect automatically again.

    Does nothing (returns False) when collection is already on: ``pause()`` was not called
    in this process (tests, an embedding program), whose objects are not ours to freeze.
    """
    if gc.isenabled():
        return False
    gc.collect()
    gc.freeze()
    gc.enable()
    return True


def release() -> None:
    """Collect automatically again, without the collect and freeze of ``resume()``.

    For a UI that ended (or failed) before its first paint: the process is about to exit,
    or, in a test calling the command line, goes on to other work.
    """
    gc.enable()
