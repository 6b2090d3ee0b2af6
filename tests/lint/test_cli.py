"""`canvas-tui lint`: one line per finding, JSON, exit codes, and rules turned off per canvas and
per user."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from canvas_tui import cli
from canvas_tui.lint import RULE_IDS
from canvas_tui.storage import CanvasFile

THIN_LIFETIME = '[blocks.lifetime]\nstatus = "todo"\ntext = ""'


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "config"
    (home / "canvas-tui").mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home / "canvas-tui"


@pytest.fixture
def drafty(example: Path) -> Path:
    """The example with a Lifetime marked done after three words."""
    text = example.read_text()
    example.write_text(
        text.replace(THIN_LIFETIME, '[blocks.lifetime]\nstatus = "done"\ntext = "We watch drift."')
    )
    return example


def test_the_example_has_no_findings(
    config_home: Path, example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["lint", str(example)]) == 0
    assert capsys.readouterr() == (f"{example}: no findings\n", "")


def test_one_line_per_finding_and_exit_1(
    config_home: Path, drafty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["lint", str(drafty)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[:3] for line in out] == [
        [str(drafty), "lifetime", "done-but-thin"],
        [str(drafty), "lifetime", "lifetime-conditions"],
    ]


def test_json(config_home: Path, drafty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["lint", str(drafty), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 2
    [report] = data["files"]
    assert report["template"] == "mlops-canvas-v1.1" and report["off"] == []
    assert report["findings"][0] == {
        "block": "lifetime",
        "title": "Lifetime",
        "rule": "done-but-thin",
        "message": report["findings"][0]["message"],
    }


def test_rules_off_in_the_canvas_file_survive_a_save(
    config_home: Path, drafty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    drafty.write_text(drafty.read_text() + '\n[lint]\noff = ["done-but-thin"]  # we know\n')
    document = CanvasFile.load(drafty)
    document.canvas.set_text("background", "Changed.")
    document.save()
    assert '[lint]\noff = ["done-but-thin"]  # we know\n' in drafty.read_text()
    assert cli.main(["lint", str(drafty)]) == 1
    out = capsys.readouterr().out
    assert "lifetime-conditions" in out and "done-but-thin" not in out


def test_rules_off_in_config_toml(
    config_home: Path, drafty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (config_home / "config.toml").write_text('[lint]\noff = ["done-but-thin", "lifetime-conditions"]\n')
    assert cli.main(["lint", str(drafty)]) == 0
    assert capsys.readouterr().out == f"{drafty}: no findings (2 turned off)\n"


def test_an_unknown_rule_id_is_a_warning(
    config_home: Path, example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (config_home / "config.toml").write_text('[lint]\noff = ["no-such-rule"]\n')
    assert cli.main(["lint", str(example)]) == 0
    err = capsys.readouterr().err
    assert "field 'lint.off' names an unknown rule 'no-such-rule'" in err


def test_errors_are_one_line_and_exit_2(
    config_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["lint", str(tmp_path / "missing.toml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("canvas-tui: error:") and err.count("\n") == 1


def test_rules_lists_every_rule(config_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["lint", "--rules"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in out] == list(RULE_IDS)


def test_the_lint_page_shows_the_real_output_on_the_example(
    config_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(root)
    assert cli.main(["lint", "examples/churn-early-warning.toml"]) == 0
    out = capsys.readouterr().out
    page = (root / "docs" / "lint.md").read_text()
    assert f"$ canvas-tui lint examples/churn-early-warning.toml\n{out}```" in page
