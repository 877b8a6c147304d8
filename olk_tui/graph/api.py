"""Typed Graph endpoint methods returning domain objects (mixed into ``GraphClient``)."""

from __future__ import annotations


class GraphApi:
    """Typed endpoint methods; relies on ``request``/``pages`` from ``GraphClient``."""
