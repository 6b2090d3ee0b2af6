# One entry point for people and CI: every target sets up .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CANVAS ?= canvas.toml

.PHONY: run test lint typecheck pytest bench snapshots readme-picture mutants clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever the project's metadata changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/canvas-tui $(CANVAS)

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard benchmarks)
	$(BIN)/ruff format --check src tests $(wildcard benchmarks)

typecheck: $(STAMP)
	$(BIN)/mypy

# Every core (pytest-xdist); `.venv/bin/pytest tests/...` alone runs in one process, for quick work.
pytest: $(STAMP)
	$(BIN)/pytest -n auto

test: lint typecheck pytest

# Mutation testing of the merge code (model/merge.py, model/line_merge.py); slow, so not in `test`.
mutants: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
	CANVAS_TUI_EXAMPLES_SCALE=0.2 $(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results

snapshots: $(STAMP)
	$(BIN)/pytest tests/snapshots --snapshot-update

# The README's picture: the example's canvas screen as `canvas-tui export --format svg` draws it.
# From a copy outside git (in a work tree the cards would mark what differs from HEAD), without
# NO_COLOR (a reader's setting, not the picture's). tests/export/test_readme_picture.py draws it the
# same way and fails while docs/canvas.svg differs.
readme-picture: $(STAMP)
	@tmp=$$(mktemp -d) && cp examples/churn-early-warning.toml "$$tmp/" && \
	env -u NO_COLOR $(BIN)/canvas-tui export "$$tmp/churn-early-warning.toml" --format svg -o docs/canvas.svg; \
	status=$$?; rm -rf "$$tmp"; exit $$status

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache mutants
