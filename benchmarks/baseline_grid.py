"""Baseline for first paint and memory: a bare Textual app with the canvas's 15-block grid, no logic.

The same six columns and fifteen titled, bordered blocks (with their row spans) as the canvas screen,
plus a header line and a footer, but no file, no model, no template, no state: what any Textual app
showing this layout costs. `benchmarks/run.py` starts it in a pseudo-terminal, like `canvas-tui`.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

# (column, [(title, rows spanned)]) as in the Machine Learning Operations Canvas (v1.1).
GRID = [
    ("Problem", [("Background", 2), ("Value Proposition", 2), ("Objectives", 2)]),
    ("Data", [("Data Collection", 3), ("Data Verification and Governance", 3)]),
    ("Model", [("Modelling", 2), ("Metrics and Evaluation", 2), ("Model Governance", 2)]),
    ("Operations", [("Inference", 3), ("Decision", 3)]),
    ("Monitoring", [("Feedback", 3), ("Lifetime", 3)]),
    ("Risk", [("Fairness", 2), ("Explainability", 2), ("Security", 2)]),
]


class GridApp(App[None]):
    CSS = """
    #header { height: 1; padding: 0 1; background: $panel; }
    #columns { height: 1fr; }
    .column { width: 1fr; height: 1fr; }
    .column-title { width: 1fr; height: 1; content-align: center middle; text-style: bold; }
    .block { border: round $primary; padding: 0; }
    .span-2 { height: 2fr; }
    .span-3 { height: 3fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Baseline grid: 15 blocks, no logic", id="header")
        with Horizontal(id="columns"):
            for column, blocks in GRID:
                with Vertical(classes="column"):
                    yield Static(column, classes="column-title")
                    for title, span in blocks:
                        yield Static(f"[b]{title}[/b]\n○ todo", classes=f"block span-{span}")
        yield Footer()


if __name__ == "__main__":
    GridApp().run()
