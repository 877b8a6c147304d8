"""Allows ``python -m olk_tui``."""

from olk_tui.cli import main

raise SystemExit(main())
