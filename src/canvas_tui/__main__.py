"""Allow `python -m canvas_tui`."""

from canvas_tui.cli import main

raise SystemExit(main())
