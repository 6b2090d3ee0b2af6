"""The rooms hold by construction (design.md §7): the core never imports the UI.

The core is every module of canvas_tui outside `tui/` and `cli/`: model/, storage, export/,
settings, recovery, templates, the session, and whatever is added next to them. Two checks:

- Static: every import in the source, wherever it stands (module level, inside a function or a
  method, under `if TYPE_CHECKING:`, `importlib.import_module("...")`), read with `ast`. The core
  imports neither Textual nor `canvas_tui.tui`; a module of `cli/` may only inside the functions
  that run the UI (CLI_UI_FUNCTIONS, per module). A deferred import is still an import: it runs as
  soon as the function does.
- At run time: each core module imported in a fresh interpreter loads no Textual, which also catches
  a third-party library that would pull Textual in behind our back.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src"
PACKAGE = SRC / "canvas_tui"
UI = ("textual", "canvas_tui.tui")
"""What the core must not import: Textual, and our own UI package."""

CLI = PACKAGE / "cli"

CLI_UI_FUNCTIONS: dict[str, dict[str, str]] = {
    "editor.py": {
        "_run_tui": "opens the editor (open_command and demo_command only call it)",
        "themes_command": "lists Textual's own themes and checks theme files with Textual's colour parser",
    },
    "export.py": {
        "formats": "the SVG export is a screenshot of the app: its entry comes from the UI",
        "_render": "a picture of the screen is rendered by the app itself, headless",
    },
}
"""Per module of cli/, the functions that may import the UI, and why; every other one must not."""


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    where: str
    """The enclosing function or class ("" at module level)."""
    imported: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.where or '<module>'} imports {self.imported}"


def is_in(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


def module_name(path: Path, src: Path = SRC) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """The modules `node` imports, as absolute names (relative imports resolved against `module`)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            package = module.split(".") if is_package else module.split(".")[:-1]
            base = ".".join(package[: len(package) - (node.level - 1)])
            base = f"{base}.{node.module}" if node.module else base
        else:
            base = node.module or ""
        # `from canvas_tui import tui` imports canvas_tui.tui: name each imported name too.
        return [base, *(f"{base}.{alias.name}" for alias in node.names)]
    if isinstance(node, ast.Call) and node.args:
        func = node.func
        called = (
            func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        )
        first = node.args[0]
        if called in ("import_module", "__import__") and isinstance(first, ast.Constant):
            return [str(first.value)]
    return []


def ui_imports(
    source: str, path: str, module: str, *, is_package: bool = False, forbidden: tuple[str, ...] = UI
) -> Iterator[Violation]:
    """Every import of Textual or canvas_tui.tui (or `forbidden`) in `source`, and where it is."""

    def visit(node: ast.AST, where: list[str]) -> Iterator[Violation]:
        for name in imported_names(node, module, is_package):
            if is_in(name, forbidden):
                yield Violation(path, getattr(node, "lineno", 0), ".".join(where), name)
                break
        inside = where
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            inside = [*where, node.name]
        for child in ast.iter_child_nodes(node):
            yield from visit(child, inside)

    yield from visit(ast.parse(source, filename=path), [])


def violations_in(
    path: Path, src: Path = SRC, allowed: frozenset[str] = frozenset(), forbidden: tuple[str, ...] = UI
) -> list[Violation]:
    """UI imports in the file at `path`, except inside the top-level functions named in `allowed`."""
    found = ui_imports(
        path.read_text(encoding="utf-8"),
        str(path.relative_to(src)),
        module_name(path, src),
        is_package=path.name == "__init__.py",
        forbidden=forbidden,
    )
    return [v for v in found if v.where.split(".")[0] not in allowed]


def core_files(package: Path = PACKAGE) -> list[Path]:
    """Every module of the core, found on disk so that new modules are covered without a list."""
    return sorted(
        path
        for path in package.rglob("*.py")
        if "tui" not in path.relative_to(package).parts[:-1] and path.relative_to(package).parts[0] != "cli"
    )


def core_violations(src: Path = SRC) -> list[Violation]:
    return [v for path in core_files(src / "canvas_tui") for v in violations_in(path, src)]


# -- the contract, on the real source -----------------------------------------------------------


def test_the_core_covers_the_rooms_design_md_names() -> None:
    """Guards the discovery: the rooms that must stay free of the UI are really looked at."""
    names = {module_name(path) for path in core_files()}
    for module in ("canvas_tui.model.canvas", "canvas_tui.export", "canvas_tui.export.html"):
        assert module in names
    for module in ("storage", "settings", "recovery", "templates", "session", "atomic"):
        if (PACKAGE / f"{module}.py").exists() or (PACKAGE / module).is_dir():
            assert any(name.split(".")[:2] == ["canvas_tui", module] for name in names), module
    assert not any(name.startswith(("canvas_tui.tui", "canvas_tui.cli")) for name in names)


def test_the_core_never_imports_the_ui() -> None:
    found = core_violations()
    assert not found, "the core imports the UI:\n" + "\n".join(map(str, found))


def cli_violations(cli: Path = CLI, src: Path = SRC) -> list[Violation]:
    """UI imports in the modules of cli/, except inside each module's exempt functions."""
    return [
        v
        for path in sorted(cli.rglob("*.py"))
        for v in violations_in(path, src, allowed=frozenset(CLI_UI_FUNCTIONS.get(path.name, {})))
    ]


def test_the_command_line_imports_the_ui_only_to_run_it() -> None:
    found = cli_violations()
    assert not found, "a non-interactive command imports the UI:\n" + "\n".join(map(str, found))


def test_the_command_line_is_looked_at() -> None:
    """Guards the check above: it reads the command line's modules, the exempt ones among them."""
    names = {path.name for path in CLI.rglob("*.py")}
    assert {"__init__.py", *CLI_UI_FUNCTIONS} <= names


def test_every_exempt_cli_function_exists() -> None:
    """A renamed function must not leave its exemption behind for a new one to hide under."""
    for name, exempt in CLI_UI_FUNCTIONS.items():
        tree = ast.parse((CLI / name).read_text(encoding="utf-8"))
        defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
        assert set(exempt) <= defined, name


@pytest.mark.parametrize("name", ["files/atomic.py", "files/settings.py", "files/recovery.py"])
def test_files_that_are_not_canvases_are_written_without_the_canvas_parser(name: str) -> None:
    found = violations_in(PACKAGE / name, forbidden=("canvas_tui.storage",))
    assert not found, "\n".join(map(str, found))


# -- the checker catches planted violations -----------------------------------------------------

PLANTED = {
    "deferred inside a function": "def render():\n    from textual.app import App\n    return App\n",
    "inside a method": "class Exporter:\n    def run(self):\n        import textual.widgets\n",
    "our own UI by name": "from canvas_tui import tui\n",
    "our own UI, deep": "def f():\n    import canvas_tui.tui.app as app\n",
    "relative": "def f():\n    from ..tui.app import CanvasApp\n",
    "for type checking only": "if TYPE_CHECKING:\n    from textual.app import App\n",
    "through importlib": "import importlib\ndef f():\n    return importlib.import_module('textual.app')\n",
    "through __import__": "def f():\n    return __import__('textual')\n",
}


@pytest.mark.parametrize("source", PLANTED.values(), ids=PLANTED.keys())
def test_the_checker_flags_a_planted_violation(source: str) -> None:
    found = list(ui_imports(source, "canvas_tui/export/planted.py", "canvas_tui.export.planted"))
    assert len(found) == 1, found


def test_the_checker_passes_clean_source() -> None:
    source = (
        "import textwrap\nimport textualize_not_textual\nfrom canvas_tui.model import Canvas\n"
        "from . import html\nfrom ..model.fit import estimate\n"
        "def f():\n    import importlib\n    return importlib.import_module('json')\n"
    )
    assert list(ui_imports(source, "canvas_tui/export/clean.py", "canvas_tui.export.clean")) == []


def test_the_checker_names_the_function_and_line() -> None:
    source = "import json\n\ndef render():\n    from textual.app import App\n"
    [found] = ui_imports(source, "x.py", "canvas_tui.export.x")
    assert str(found) == "x.py:4: render imports textual.app"


def test_a_planted_file_in_the_core_is_found(tmp_path: Path) -> None:
    """The real discovery and check, run over a copy of the tree with one bad file added."""
    package = tmp_path / "canvas_tui"
    (package / "export").mkdir(parents=True)
    (package / "tui").mkdir()
    (package / "__init__.py").write_text("")
    (package / "export" / "__init__.py").write_text("")
    (package / "export" / "svg.py").write_text(
        "def render():\n    from canvas_tui.tui.app import CanvasApp\n"
    )
    (package / "tui" / "app.py").write_text("import textual.app\n")  # the UI may, of course
    assert [str(v) for v in core_violations(tmp_path)] == [
        "canvas_tui/export/svg.py:2: render imports canvas_tui.tui.app"
    ]


def test_only_the_exempt_cli_functions_may_import_the_ui(tmp_path: Path) -> None:
    cli = tmp_path / "canvas_tui" / "cli"
    cli.mkdir(parents=True)
    (cli / "editor.py").write_text(
        "def _run_tui():\n    from canvas_tui.tui.app import CanvasApp\n\n"
        "def status_command():\n    from textual.theme import BUILTIN_THEMES\n"
    )
    # An exemption is per module: the same name elsewhere in cli/ is not exempt.
    (cli / "canvas.py").write_text("def _run_tui():\n    import textual.app\n")
    (cli / "__init__.py").write_text("from canvas_tui.cli import editor\n")
    found = cli_violations(cli, tmp_path)
    assert [str(v) for v in found] == [
        "canvas_tui/cli/canvas.py:2: _run_tui imports textual.app",
        "canvas_tui/cli/editor.py:5: status_command imports textual.theme",
    ]


# -- at run time --------------------------------------------------------------------------------

RUNTIME = [
    module_name(path)
    for path in core_files()
    if path.name != "__main__.py"  # importing it runs the command line
] + [module_name(path) for path in sorted(CLI.glob("*.py"))]  # each alone, and the table with all

CHECK = """
import importlib, sys
importlib.import_module(sys.argv[1])
# Textual itself, not other packages whose names start alike (textual_serve imports no Textual).
print(" ".join(sorted(n for n in sys.modules if n == "textual" or n.startswith("textual."))))
"""


def loaded_textual(module: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", CHECK, module], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("module", RUNTIME)
def test_core_module_does_not_load_textual(module: str) -> None:
    assert loaded_textual(module) == "", f"{module} loads Textual"


def test_the_runtime_check_sees_textual_when_it_is_loaded() -> None:
    """Guards the test above against passing vacuously."""
    assert "textual.app" in loaded_textual("textual.app").split()
