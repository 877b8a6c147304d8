"""Repositories the UI talks to: reads from the cache at once, refreshed by delta in the
background; every change is an operation applied locally, queued durably, sent, then confirmed
or reverted. See ``olk_tui.sync.api`` for the contract the UI binds to."""
