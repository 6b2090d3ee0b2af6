"""The Textual user interface: app wiring, screens, widgets, the command palette and styles."""
