"""Every key binding with an id can be remapped in config.toml's [keymap].

The ids a [keymap] accepts are found in the code (canvas_tui.tui.keymap.binding_ids); this test reads
the source itself with `ast`, finds every `Binding(..., id="...")` wherever it is written, and checks
that each id is one the keymap accepts. A binding in a class the registry does not see (defined inside
a function, outside the UI package) fails here, as does an id the test cannot read (built at run time).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.observe import Notices
from tests.tui.helpers import make_app

from canvas_tui.files.settings import Settings
from canvas_tui.model.compare import compare
from canvas_tui.tui.app import CanvasApp
from canvas_tui.tui.keymap import binding_classes, binding_ids, declared_bindings
from canvas_tui.tui.screens.about_screen import AboutScreen
from canvas_tui.tui.screens.canvas_screen import CanvasScreen
from canvas_tui.tui.screens.compare_screen import CompareScreen
from canvas_tui.tui.screens.editor_screen import EditorScreen
from canvas_tui.tui.widgets.search_bar import SearchBar

SRC = Path(__file__).parents[2] / "src"


@dataclass(frozen=True)
class Found:
    path: str
    line: int
    binding_id: str | None
    """None: not written out as a string, so no test can know it."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.binding_id or '<an id built at run time>'}"


def is_binding_call(node: ast.Call) -> bool:
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "Binding") or (
        isinstance(func, ast.Attribute) and func.attr == "Binding"
    )


def ids_in(source: str, path: str) -> Iterator[Found]:
    """Every `Binding(...)` call in `source` that passes an id, and the id."""
    for node in ast.walk(ast.parse(source, filename=path)):
        if not isinstance(node, ast.Call) or not is_binding_call(node):
            continue
        for keyword in node.keywords:
            if keyword.arg == "id":
                value = keyword.value
                written = isinstance(value, ast.Constant) and isinstance(value.value, str)
                yield Found(path, node.lineno, str(getattr(value, "value", "")) if written else None)


def ids_in_src(src: Path = SRC) -> list[Found]:
    return sorted(
        (
            found
            for path in src.rglob("*.py")
            for found in ids_in(path.read_text(encoding="utf-8"), str(path.relative_to(src)))
        ),
        key=lambda found: (found.path, found.line),
    )


def not_remappable(found: list[Found], known: set[str]) -> list[Found]:
    return [f for f in found if f.binding_id is None or f.binding_id not in known]


def test_every_binding_id_in_the_source_is_one_the_keymap_accepts() -> None:
    found = ids_in_src()
    # Guards against passing on nothing: the ids of the canvas, the search field and the two
    # dialogs whose ids the hand-kept list once missed are among those read.
    assert {"canvas.up", "search.close", "about.close", "compare.close"} <= {f.binding_id for f in found}
    missing = not_remappable(found, binding_ids())
    assert not missing, "bindings a [keymap] cannot change:\n" + "\n".join(map(str, missing))


def test_the_registry_finds_the_classes_help_lists_and_the_search_field() -> None:
    classes = binding_classes()
    for cls in (CanvasApp, CanvasScreen, EditorScreen, SearchBar, AboutScreen, CompareScreen):
        assert cls in classes, cls


# -- the check catches planted bindings ---------------------------------------------------------

PLANTED = """
from textual.binding import Binding
from textual.screen import Screen

def make_screen():
    class Stray(Screen):  # inside a function: no registry that imports modules sees it
        BINDINGS = [Binding("z", "zap", "Zap", id="stray.zap")]
    return Stray

COMPUTED = [Binding("y", "yank", "Yank", id=f"stray.{'yank'}")]
ANONYMOUS = [Binding("w", "wave", "Wave")]
"""


def test_a_binding_the_registry_misses_is_found(tmp_path: Path) -> None:
    (tmp_path / "canvas_tui" / "tui").mkdir(parents=True)
    (tmp_path / "canvas_tui" / "tui" / "stray.py").write_text(PLANTED, encoding="utf-8")
    found = ids_in_src(tmp_path)
    missing = not_remappable(found, binding_ids())
    assert [str(f) for f in missing] == [
        "canvas_tui/tui/stray.py:7: stray.zap",
        "canvas_tui/tui/stray.py:10: <an id built at run time>",
    ]


# -- remapped through config.toml, end to end ---------------------------------------------------


async def test_every_id_can_be_set_in_config_toml_without_a_warning(
    example_copy: Path, tmp_path: Path
) -> None:
    """Each binding mapped to its own default keys: nothing unknown, nothing clashing."""
    keys: dict[str, list[str]] = {}
    for cls in binding_classes():
        for binding in declared_bindings(cls):
            if binding.id:
                keys.setdefault(binding.id, []).append(binding.key)  # the canvas's: one per key
    defaults = {binding_id: ",".join(each) for binding_id, each in keys.items()}
    config = tmp_path / "config.toml"
    config.write_text(
        "[keymap]\n" + "".join(f'"{binding_id}" = "{keys}"\n' for binding_id, keys in defaults.items()),
        encoding="utf-8",
    )
    settings = Settings.load(config)
    assert not settings.warnings
    app = CanvasApp(make_app(example_copy).session.document, autosave=False, keymap=settings.keymap)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices.hook) as pilot:
        await pilot.pause()
        assert not [m for m in notices.messages if "[keymap]" in m]
        assert set(app.keymap) == set(defaults) == {f.binding_id for f in ids_in_src()}


async def test_the_about_and_compare_boxes_close_on_a_remapped_key(example_copy: Path) -> None:
    keymap = {"about.close": "z", "compare.close": "z"}
    app = CanvasApp(make_app(example_copy).session.document, autosave=False, keymap=keymap)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices.hook) as pilot:
        for screen in (AboutScreen(app.canvas.template), CompareScreen(compare(app.canvas, app.canvas))):
            app.push_screen(screen)
            await pilot.pause()
            await pilot.press("escape")
            assert app.screen is screen, "escape no longer closes it"
            await pilot.press("z")
            assert app.screen is not screen
        assert not notices.messages
