"""The wheel carries the bundled themes: build it, install it into a fresh virtual environment,
and list the themes with the installed `canvas-tui themes`, far from the source tree.

An editable install reads `themes/` from the repository, so only an installed wheel shows whether
`canvas_tui/themes_data/` really is inside it (pyproject's hatch force-include).
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ["canvas", "canvas-ansi", "canvas-dark", "high-contrast", "mono"]

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the built wheel (and its dependencies) installed."""
    work = tmp_path_factory.mktemp("wheel")
    env = clean_env(work / "config")
    dist = work / "dist"
    run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--quiet", "-w", dist, cwd=work, env=env)
    [wheel] = dist.glob("canvas_tui-*.whl")
    environment = work / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(environment)
    # Dependencies come from the package index pip is set up with on this machine.
    run(environment / "bin" / "python", "-m", "pip", "install", "--quiet", wheel, cwd=work, env=env)
    return environment


def clean_env(config_home: Path) -> dict[str, str]:
    """This environment without what would import canvas_tui from elsewhere (PYTHONPATH, ...)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    for name in ("NO_COLOR", "CANVAS_TUI_THEME", "TEXTUAL_COLOR_SYSTEM"):
        env.pop(name, None)
    env.update(XDG_CONFIG_HOME=str(config_home), TERM="xterm-256color", COLORTERM="truecolor")
    return env


def test_the_installed_command_lists_the_bundled_themes(installed: Path, tmp_path: Path) -> None:
    config_home = tmp_path / "config"
    user_themes = config_home / "canvas-tui" / "themes"
    user_themes.mkdir(parents=True)
    (user_themes / "mine.toml").write_text('description = "My own"\nprimary = "#336699"\n')

    output = run(installed / "bin" / "canvas-tui", "themes", cwd=tmp_path, env=clean_env(config_home))

    rows = {line[2:].split()[0]: line for line in output.splitlines() if line[:2] in ("  ", "* ")}
    for name in BUNDLED:
        assert name in rows, f"{name} missing from:\n{output}"
        assert "bundled" in rows[name]
    assert "user" in rows["mine"]
    assert "textual" in rows["textual-dark"]
    assert rows["canvas"].startswith("* ")  # the default in a full-colour terminal


def test_the_themes_come_from_inside_the_installed_package(installed: Path, tmp_path: Path) -> None:
    code = "from canvas_tui.tui.themes import bundled_themes_folder; print(bundled_themes_folder())"
    env = clean_env(tmp_path / "config")
    folder = Path(run(installed / "bin" / "python", "-c", code, cwd=tmp_path, env=env).strip())
    assert folder.name == "themes_data"
    assert folder.is_relative_to(installed)
    assert sorted(path.stem for path in folder.glob("*.toml")) == BUNDLED


def test_the_installed_command_makes_a_pdf_with_the_font_it_ships(installed: Path, tmp_path: Path) -> None:
    """The PDF's font and its licence are inside the wheel: no system font is needed or used."""
    env = clean_env(tmp_path / "config")
    code = "from canvas_tui.export.pdf import FONTS; print(FONTS)"
    fonts = Path(run(installed / "bin" / "python", "-c", code, cwd=tmp_path, env=env).strip())
    assert fonts.is_relative_to(installed)
    assert {path.name for path in fonts.iterdir()} >= {
        "DejaVuSans.ttf",
        "DejaVuSans-Bold.ttf",
        "DejaVuSans-Oblique.ttf",
        "LICENSE-DejaVu.txt",
    }
    canvas = ROOT / "examples" / "churn-early-warning.toml"
    out = tmp_path / "canvas.pdf"
    run(installed / "bin" / "canvas-tui", "export", canvas, "-o", out, cwd=tmp_path, env=env)
    assert out.read_bytes().startswith(b"%PDF-") and b"DejaVuSans" in out.read_bytes()
