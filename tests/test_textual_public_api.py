"""Only Textual's public names in src: a private one (`textual.widgets._footer`, `app._filters`) may
change or vanish in any Textual release, without a deprecation, and the editor would break on a
user's machine after a routine upgrade.

Read with `ast`, three ways a private name gets in:

- an import from a private module or of a private name (`from textual.widgets._toast import ...`);
- an attribute of another object that is private in Textual (`app._filters`, `app._driver`);
- in a class of ours built on a Textual class, `self._name` or a method `_name` that the Textual class
  already has: reading, writing or overriding Textual's private state.

Nothing is exempt. Should an exception ever be needed, its names go into ALLOWED one by one (so
nothing new hides beside them), and a listed name that is no longer used fails the test.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import inspect
import re
import sys
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import textual

SRC = Path(__file__).parents[1] / "src"
PACKAGE = SRC / "canvas_tui"
TEXTUAL = Path(textual.__file__).parent

PRIVATE = re.compile(r"^_(?!_)\w")
"""`_name`, not `__dunder__`."""

ALLOWED: set[tuple[str, str]] = set()
"""(path, name) of a private use allowed one by one, with the reason beside it; none since the output
layer (tui/wire/) replaced the block editor's compositor patch and row repaint."""


@dataclass(frozen=True)
class Use:
    path: str
    line: int
    name: str
    how: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.how} {self.name}"


def is_private_module(module: str) -> bool:
    parts = module.split(".")
    return parts[0] == "textual" and any(PRIVATE.match(part) for part in parts[1:])


def stored_on_self(source: str) -> set[str]:
    """Private attributes assigned on `self` anywhere in `source`."""
    return {
        node.attr
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
        and PRIVATE.match(node.attr)
    }


@cache
def textual_private_names() -> frozenset[str]:
    """Every private name Textual defines: functions, methods, classes and attributes set on self."""
    names: set[str] = set()
    for path in TEXTUAL.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return frozenset(name for name in names if PRIVATE.match(name))


@cache
def private_names_of(cls: type) -> frozenset[str]:
    """The private names the Textual classes among `cls`'s bases define (class attributes and
    methods, and attributes their methods set on self)."""
    names: set[str] = set()
    for base in cls.__mro__:
        if not base.__module__.startswith("textual."):
            continue
        names |= {name for name in vars(base) if PRIVATE.match(name)}
        with contextlib.suppress(OSError, TypeError):  # no source to read: its class attributes only
            names |= stored_on_self(textwrap.dedent(inspect.getsource(base)))
    return frozenset(names)


def is_self(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in ("self", "cls")
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"


def is_stdlib_module(node: ast.expr) -> bool:
    """`os._exit` is the standard library's, not Textual's `App._exit`."""
    return isinstance(node, ast.Name) and node.id in sys.stdlib_module_names


def private_uses(
    source: str, path: str, classes: Mapping[str, type], ours: frozenset[str] = frozenset()
) -> Iterator[Use]:
    """The private Textual names `source` uses. `classes`: its classes by qualified name, to know
    which are built on Textual's; `ours`: private names our own code defines (`settings._check`)."""
    textual_names = textual_private_names()

    def visit(node: ast.AST, owner: str) -> Iterator[Use]:
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            for alias in node.names:
                if is_private_module(alias.name):
                    yield Use(path, line, alias.name, "imports")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "textual":
            module = node.module or ""
            if is_private_module(module):
                yield Use(path, line, module, "imports")
            for alias in node.names:
                if PRIVATE.match(alias.name):
                    yield Use(path, line, f"{module}.{alias.name}", "imports")
        elif isinstance(node, ast.Attribute) and PRIVATE.match(node.attr):
            if is_self(node.value):
                cls = classes.get(owner)
                if cls is not None and node.attr in private_names_of(cls):
                    yield Use(path, line, node.attr, f"{owner} uses Textual's")
            elif node.attr in textual_names and node.attr not in ours and not is_stdlib_module(node.value):
                yield Use(path, line, node.attr, "reads or writes Textual's")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and PRIVATE.match(node.name):
            cls = classes.get(owner)
            if cls is not None and node.name in private_names_of(cls):
                yield Use(path, line, node.name, f"{owner} overrides Textual's")
        inner = owner
        if isinstance(node, ast.ClassDef):
            inner = f"{owner}.{node.name}" if owner else node.name
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and owner not in classes:
            inner = ""  # a function's locals are no class's
        for child in ast.iter_child_nodes(node):
            yield from visit(child, inner)

    yield from visit(ast.parse(source, filename=path), "")


# -- on the real source --------------------------------------------------------------------------


def source_files() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if path.name != "__main__.py")


def module_classes(path: Path) -> dict[str, type]:
    """The module's classes by qualified name (imported only where the module uses Textual)."""
    source = path.read_text(encoding="utf-8")
    if "textual" not in source:
        return {}
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    module = importlib.import_module(".".join(parts))
    return {
        value.__qualname__: value
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == module.__name__
    }


@cache
def our_private_names() -> frozenset[str]:
    names: set[str] = set()
    for path in source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
    return frozenset(name for name in names if PRIVATE.match(name))


def uses_in_src() -> list[Use]:
    return [
        use
        for path in source_files()
        for use in private_uses(
            path.read_text(encoding="utf-8"),
            str(path.relative_to(SRC)),
            module_classes(path),
            our_private_names(),
        )
    ]


def test_src_uses_no_private_textual_name() -> None:
    found = [use for use in uses_in_src() if (use.path, use.name) not in ALLOWED]
    assert not found, "private Textual names in src:\n" + "\n".join(map(str, found))


def test_every_allowed_name_is_still_used() -> None:
    """A name leaves ALLOWED when its use goes."""
    used = {(use.path, use.name) for use in uses_in_src()}
    assert not ALLOWED - used, f"no longer used, remove from ALLOWED: {sorted(ALLOWED - used)}"


# -- the checker catches planted uses ------------------------------------------------------------

PLANTED = {
    "a private module": "from textual.widgets._footer import FooterKey\n",
    "a private module, imported whole": "import textual._compositor\n",
    "a private name of a public module": "from textual.widgets import _toast\n",
    "state of the app": "def install(app):\n    app._filters.append(None)\n",
    "a Textual base's state": (
        "from textual.widgets import Footer\n"
        "class KeyFooter(Footer):\n    def compose(self):\n        return self._bindings_ready\n"
    ),
    "a Textual base's method, overridden": (
        "from textual.widgets import TextArea\n"
        "class Editor(TextArea):\n    def _undo_batch(self, edits):\n        pass\n"
    ),
}


def planted_uses(source: str) -> list[Use]:
    namespace: dict[str, object] = {}
    exec(compile(source, "planted.py", "exec"), namespace)
    classes = {name: value for name, value in namespace.items() if isinstance(value, type)}
    return list(private_uses(source, "planted.py", classes))


@pytest.mark.parametrize("source", PLANTED.values(), ids=PLANTED.keys())
def test_the_checker_flags_a_planted_use(source: str) -> None:
    assert len(planted_uses(source)) == 1


def test_the_checker_passes_public_use_and_our_own_private_state() -> None:
    source = (
        "from textual.widgets import Footer\nfrom textual.app import App\n"
        "class KeyFooter(Footer):\n"
        "    def __init__(self):\n        super().__init__()\n        self._shown_width = 0\n"
        "    def _labels(self):\n        return self._shown_width\n"
        "class Plain:\n    def __init__(self):\n        self._filters = []\n"
        "def install(app: App):\n    app.get_line_filters()\n"
    )
    assert planted_uses(source) == []
