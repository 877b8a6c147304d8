"""``python -m olk_tui.emulator``: the Graph emulator as a loopback HTTP server."""

from olk_tui.emulator.serve_cli import main

raise SystemExit(main())
