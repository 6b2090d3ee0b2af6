"""How many examples a property test tries: all of them in `make test`, a share under `make mutants`.

Mutation testing runs the tests that reach a mutant once per mutant, over a thousand times; there a
property test gives a fifth of its examples (CANVAS_TUI_EXAMPLES_SCALE=0.2, set by the Makefile), so
the run ends in an afternoon. The planted-bug checks and `make test` use the full counts.
"""

from __future__ import annotations

import os

SCALE = float(os.environ.get("CANVAS_TUI_EXAMPLES_SCALE", "1"))


def examples(full: int) -> int:
    """`full` examples, scaled for a mutation run (never below 10)."""
    return full if SCALE >= 1 else max(10, round(full * SCALE))
