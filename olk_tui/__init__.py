"""olk-tui: a keyboard-driven terminal client for Outlook mail, calendar and contacts."""

__version__ = "0.1.0"
