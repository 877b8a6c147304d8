"""Where the Microsoft Graph samples (``../shared/graph-samples``) are.

They are not vendored into this repository (see their SOURCES.md licence note); the tests look
for them beside the checkout, as the project's workspace lays them out, or where
``OLK_TUI_GRAPH_SAMPLES`` points. Tests that need them skip with this reason when absent.
"""

from __future__ import annotations

import os
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent


def find_samples() -> Path:
    """The graph-samples folder (may not exist; check ``.is_dir()``)."""
    override = os.environ.get("OLK_TUI_GRAPH_SAMPLES")
    candidates = [Path(override)] if override else []
    candidates += [_REPO.parent / "shared" / "graph-samples", Path("/work/shared/graph-samples")]
    for path in candidates:
        if (path / "responses").is_dir():
            return path
    return candidates[0]


SAMPLES = find_samples()
MISSING_REASON = ("graph-samples not found beside the checkout (../shared/graph-samples) or in "
                  "OLK_TUI_GRAPH_SAMPLES")
