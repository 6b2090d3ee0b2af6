"""canvas-tui: a terminal editor for the Machine Learning Operations Canvas (v1.1)."""

__version__ = "0.1.0"
