"""Placeholder: routes land in a later commit."""

from olk_tui.emulator.router import Router


def register(router: Router) -> None:
    """No routes yet."""
