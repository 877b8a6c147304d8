"""Builds the emulator's routing table from its feature modules.

Each feature module defines ``register(router)``. Core modules are always present; the calendar
engineer's modules are registered when they exist, so they can land independently.
"""

from __future__ import annotations

import importlib

from olk_tui.emulator.router import Router

#: Feature modules with a ``register(router)`` function, in registration order.
CORE_MODULES = ("folders", "messages", "sending", "attachments", "delta", "batch",
                "translate_ids", "mailtips")
#: Modules owned by the calendar engineer; skipped while they do not exist.
OPTIONAL_MODULES = ("calendar", "schedule", "contacts", "settings", "people")


def build_router() -> Router:
    """A router with every available feature module's routes."""
    router = Router()
    for name in CORE_MODULES:
        importlib.import_module(f"olk_tui.emulator.{name}").register(router)
    for name in OPTIONAL_MODULES:
        full = f"olk_tui.emulator.{name}"
        try:
            module = importlib.import_module(full)
        except ModuleNotFoundError as exc:
            if exc.name != full:
                raise
            continue
        register = getattr(module, "register", None)
        if register is not None:
            register(router)
    return router
