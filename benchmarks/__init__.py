"""olk-tui benchmarks: ``./dev bench`` (``python -m benchmarks``) prints one table."""
