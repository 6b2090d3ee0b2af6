"""Importers: canvases that live in other tools' formats (Markdown, a filled PDF, our own exports)
brought into a canvas file. UI-free; sources come from strangers, so every reader is bounded."""
