"""The UI's modules import one another one way: the app is built from its parts, and none of them
imports it back.

When helpers and screens named the app for its type, every module of the UI reached every other
through app.py (eleven of them in one ring): a change to the wiring touched them all, and none could
be built without the whole app. They name what they use in tui/host.py instead. Every import counts,
wherever it stands (module level, a function, `if TYPE_CHECKING:`), read with `ast` as in
tests/test_import_hygiene.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.test_import_hygiene import SRC, imported_names, module_name

APP = "canvas_tui.tui.app"
BUILDS_THE_APP = {
    "canvas_tui.tui.screenshot": "renders the canvas screen headless for `canvas-tui export --format svg`",
}
"""The UI's modules that may import the app, and why: they build one; the app is not made of them."""


def ui_graph(src: Path = SRC) -> dict[str, set[str]]:
    """Each module of canvas_tui.tui, and the modules of canvas_tui.tui it imports."""
    paths = {module_name(path, src): path for path in (src / "canvas_tui" / "tui").rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = {
            name
            for node in ast.walk(tree)
            for name in imported_names(node, module, path.name == "__init__.py")
        }
        graph[module] = {name for name in names if name in paths and name != module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that reach one another through their imports (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in sorted(graph[module]):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def importers_of_the_app(graph: dict[str, set[str]]) -> set[str]:
    return {module for module, imported in graph.items() if APP in imported}


# -- on the real source ---------------------------------------------------------------------------


def test_the_graph_covers_the_ui() -> None:
    """Guards the discovery: the modules that used to form the ring are really looked at."""
    graph = ui_graph()
    for module in ("app", "saving", "startup", "head_watch", "commands", "screens.canvas_screen"):
        assert f"canvas_tui.tui.{module}" in graph
    assert "canvas_tui.tui.saving" in graph[APP]


def test_only_what_builds_the_app_imports_it() -> None:
    extra = importers_of_the_app(ui_graph()) - set(BUILDS_THE_APP)
    assert not extra, f"{sorted(extra)} import {APP}: name what you need in canvas_tui.tui.host"


def test_the_ui_imports_without_a_ring() -> None:
    found = cycles(ui_graph())
    assert not found, "modules that import one another round:\n" + "\n".join(map(str, found))


def test_every_module_allowed_to_build_the_app_exists() -> None:
    """A renamed module must not leave its exemption behind for another to hide under."""
    assert set(BUILDS_THE_APP) <= set(ui_graph())


# -- the checks catch what is planted --------------------------------------------------------------


def plant(tmp_path: Path, files: dict[str, str]) -> dict[str, set[str]]:
    tui = tmp_path / "canvas_tui" / "tui"
    tui.mkdir(parents=True)
    (tui / "__init__.py").write_text("")
    for name, source in files.items():
        path = tui / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return ui_graph(tmp_path)


def test_a_screen_naming_the_app_for_its_type_is_found(tmp_path: Path) -> None:
    graph = plant(
        tmp_path,
        {
            "app.py": "from canvas_tui.tui.screens.home import Home\n",
            "screens/__init__.py": "",
            "screens/home.py": "if TYPE_CHECKING:\n    from canvas_tui.tui.app import CanvasApp\n",
        },
    )
    assert importers_of_the_app(graph) == {"canvas_tui.tui.screens.home"}
    assert cycles(graph) == [["canvas_tui.tui.app", "canvas_tui.tui.screens.home"]]


def test_a_ring_through_a_deferred_import_is_found(tmp_path: Path) -> None:
    graph = plant(
        tmp_path,
        {
            "app.py": "from . import palette\n",
            "palette.py": "def f():\n    from canvas_tui.tui import picture\n",
            "picture.py": "def g():\n    from canvas_tui.tui.app import CanvasApp\n",
            "host.py": "",
        },
    )
    assert cycles(graph) == [["canvas_tui.tui.app", "canvas_tui.tui.palette", "canvas_tui.tui.picture"]]


def test_parts_that_import_one_way_pass(tmp_path: Path) -> None:
    graph = plant(
        tmp_path,
        {
            "app.py": "from canvas_tui.tui.saving import SaveRunner\nfrom canvas_tui.tui.host import Host\n",
            "saving.py": "if TYPE_CHECKING:\n    from canvas_tui.tui.host import Host\n",
            "host.py": "from canvas_tui.session import Session\n",
        },
    )
    assert importers_of_the_app(graph) == set()
    assert cycles(graph) == []
