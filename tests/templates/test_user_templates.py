"""User templates: files in `<config folder>/templates/`, checked like the bundled one, and usable
everywhere the bundled one is (new, open, status, export, lint)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import DATA

from canvas_tui import cli
from canvas_tui.model import TemplateError
from canvas_tui.storage import CanvasFile
from canvas_tui.templates import TemplateCatalog, load_template, load_template_file

TEMPLATES = DATA / "templates"
BAD = DATA / "templates-bad"


@pytest.fixture
def user_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config folder whose templates/ holds the two good fixtures and the broken ones."""
    home = tmp_path / "config"
    folder = home / "canvas-tui" / "templates"
    folder.mkdir(parents=True)
    for path in [*TEMPLATES.glob("*.toml"), *BAD.glob("*.toml")]:
        shutil.copy(path, folder)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return folder


def test_the_fixtures_describe_a_four_column_and_a_three_by_three_grid() -> None:
    four = load_template_file(TEMPLATES / "four-columns.toml")
    assert (len(four.columns), len(four.blocks), four.rows) == (4, 9, 4)
    assert sorted({spec.row_span for spec in four.blocks}) == [1, 2, 3]
    grid = load_template_file(TEMPLATES / "three-by-three.toml")
    assert (len(grid.columns), len(grid.blocks), grid.rows) == (3, 9, 3)


def test_a_broken_file_is_one_warning_and_the_rest_load(user_templates: Path) -> None:
    catalog = TemplateCatalog.load(user_templates)
    assert list(catalog.entries) == [
        "mlops-canvas-v1.1",
        "machine-learning-canvas-v1.1",
        "launch-plan",
        "retro-3x3",
    ]
    assert [entry.origin for entry in catalog.entries.values()] == ["bundled", "bundled", "user", "user"]
    assert catalog.warnings == [
        f"Template not loaded: {user_templates / 'missing-title.toml'}: field 'title' must be a "
        "non-empty string",
        f"Template not loaded: {user_templates / 'not-toml.toml'}: not valid TOML "
        "(Illegal character '\\n' (at line 1, column 15))",
    ]


def test_errors_name_the_file_and_the_field(tmp_path: Path) -> None:
    text = (TEMPLATES / "four-columns.toml").read_text()
    path = tmp_path / "t.toml"
    path.write_text(
        text.replace('row_span = 3\nguidance = "Describe who', 'row_span = 4\nguidance = "Describe who')
    )
    with pytest.raises(TemplateError, match=r"t\.toml: field 'blocks\[6\]\.row_span' runs past the last row"):
        load_template_file(path)
    path.write_text(text.replace('id = "launch-plan"', 'id = "launch plan"'))
    with pytest.raises(TemplateError, match=r"t\.toml: field 'id' must be letters"):
        load_template_file(path)


def test_a_user_template_cannot_take_a_bundled_id(user_templates: Path) -> None:
    text = (TEMPLATES / "three-by-three.toml").read_text()
    (user_templates / "copy.toml").write_text(text.replace('"retro-3x3"', '"mlops-canvas-v1.1"'))
    catalog = TemplateCatalog.load(user_templates)
    assert catalog.entries["mlops-canvas-v1.1"].origin == "bundled"
    assert any("already the id of a bundled template" in w for w in catalog.warnings)


def test_new_open_status_export_and_lint_a_user_template(
    user_templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "launch.toml"
    assert cli.main(["new", str(path), "--template", "launch-plan", "--product", "Rocket"]) == 0
    document = CanvasFile.load(path)
    assert document.canvas.template is load_template("launch-plan")
    document.canvas.set_text("support", "The on-call rota answers users in the first week.")
    document.save()
    assert "[blocks.support]" in path.read_text()
    capsys.readouterr()
    assert cli.main(["status", str(path)]) == 0
    assert "Support" in capsys.readouterr().out
    for fmt in ("md", "html", "json"):
        assert cli.main(["export", str(path), "--format", fmt]) == 0
        assert "on-call rota" in capsys.readouterr().out
    assert cli.main(["lint", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: no findings\n"


def test_opening_a_canvas_of_a_broken_user_template_names_the_file_and_field(
    user_templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[canvas]\ntemplate = "missing-title"\n')
    assert cli.main(["status", str(path)]) == 2
    err = capsys.readouterr().err
    assert "missing-title.toml: field 'title' must be a non-empty string" in err
    assert err.count("\n") == 1


def test_templates_command_lists_where_each_comes_from(
    user_templates: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["templates"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert (
        lines[0]
        == "mlops-canvas-v1.1\tMachine Learning Operations Canvas (v1.1) (15 blocks, Apache-2.0)\tbundled"
    )
    assert lines[1] == (
        "machine-learning-canvas-v1.1\tMachine Learning Canvas (v1.1) (10 blocks, CC-BY-SA-4.0)\tbundled"
    )
    assert lines[2] == (
        f"launch-plan\tLaunch Plan Canvas (9 blocks, CC0-1.0)\tuser: {user_templates / 'four-columns.toml'}"
    )
    assert lines[3].startswith("retro-3x3\t")
    assert lines[-1] == f"Add your own templates in {user_templates}"
    assert err.count("canvas-tui: warning: Template not loaded:") == 2
