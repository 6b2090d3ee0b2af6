"""The commands that run the UI: the editor in a terminal (open, demo) or in a browser (serve), and
the list of themes, which are Textual's. The UI is imported only inside the functions that run it
(tests/test_import_hygiene.py lists them), so the other commands never load Textual.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import textwrap
from pathlib import Path

from canvas_tui import __version__
from canvas_tui.cli.common import EXIT_OK, Command, UserError, check_folder, exists, warn, warn_all
from canvas_tui.files.resources import example_canvas_path
from canvas_tui.model.text import for_terminal
from canvas_tui.storage import CanvasFile

PROGRAM = "A terminal editor for the Machine Learning Operations Canvas (v1.1)."

DEFAULT_PATH = "canvas.toml"

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
WIRE_VARIABLE = "CANVAS_TUI_WIRE"
"""diff or plain, as --wire: the editor's output layer (tui/wire/) on or off."""
WIRE_CHOICES = ("diff", "plain")


def _wire(flag: str | None) -> str:
    """--wire, else CANVAS_TUI_WIRE, else diff."""
    wire = flag or os.environ.get(WIRE_VARIABLE) or "diff"
    if wire not in WIRE_CHOICES:
        raise UserError(f"{WIRE_VARIABLE}={wire}: use one of {', '.join(WIRE_CHOICES)}")
    return wire


"""The driver textual-serve runs the app with (`canvas-tui serve`): the terminal is a browser tab."""


def _tui_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-autosave",
        dest="autosave",
        action="store_false",
        help="save only on ctrl+s (default: save 2 s after the last change and when leaving a block)",
    )
    parser.add_argument(
        "--theme",
        metavar="NAME",
        help="colour theme (default: CANVAS_TUI_THEME, then the settings file, then one that suits "
        "the terminal); `canvas-tui themes` lists them",
    )
    parser.add_argument(
        "--no-mouse",
        dest="mouse",
        action="store_false",
        help="leave mouse reporting off, so the terminal's own select and copy work",
    )
    parser.add_argument(
        "--wire",
        choices=WIRE_CHOICES,
        help="diff: send the terminal only what changed on screen; plain: everything Textual draws, "
        f"as it draws it, for debugging (default: {WIRE_VARIABLE}, then diff)",
    )


def open_command(command: Command, argv: list[str]) -> int:
    from canvas_tui.cli import COMMANDS_HELP  # the table that lists this command too

    parser = command.parser(epilog=COMMANDS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    # Raw, so that the command list keeps its columns; the description is wrapped here instead.
    parser.description = textwrap.fill(f"{PROGRAM} {command.summary}", width=79)
    parser.add_argument(
        "path", nargs="?", default=DEFAULT_PATH, help=f"canvas file (default: {DEFAULT_PATH})"
    )
    parser.add_argument("--version", action="version", version=f"canvas-tui {__version__}")
    _tui_options(parser)
    args = parser.parse_args(argv)
    path = Path(args.path)
    check_folder(path)
    document = CanvasFile.load(path) if exists(path) else CanvasFile.create(path)
    _needs_terminal()
    wire = _wire(args.wire)
    return _run_tui(document, autosave=args.autosave, theme=args.theme, mouse=args.mouse, wire=wire)


def _needs_terminal() -> None:
    """The editor is full-screen: without a terminal it would wait for keys that never come."""
    if os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER:
        return  # served: keys come over textual-serve's pipes from the browser
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError(
            "the editor needs a terminal (stdin and stdout are not one); "
            "for scripts use `canvas-tui status` or `canvas-tui export`"
        )


def _run_tui(
    document: CanvasFile,
    *,
    autosave: bool,
    theme: str | None,
    mouse: bool,
    wire: str = "diff",
    notice: str = "",
    demo: bool = False,
) -> int:
    from canvas_tui.files.places import Places, places_path
    from canvas_tui.files.settings import Settings, settings_path
    from canvas_tui.tui.app import CanvasApp
    from canvas_tui.tui.appearance import Appearance
    from canvas_tui.tui.wire import driver_class

    # A demo leaves nothing behind: no theme remembered, no place kept for its temporary copy.
    settings = Settings.load(settings_path(os.environ))
    appearance = Appearance.at_startup(theme, os.environ, settings, remember=not demo)
    places = None if demo else Places(places_path())
    app = CanvasApp(
        document,
        autosave=autosave,
        appearance=appearance,
        settings=settings,
        places=places,
        notice=notice,
        driver_class=driver_class(wire, os.environ),
    )
    app.run(mouse=mouse and settings.mouse)
    return app.return_code or 0


def demo_command(command: Command, argv: list[str]) -> int:
    parser = command.parser()
    _tui_options(parser)
    args = parser.parse_args(argv)
    _needs_terminal()
    source = example_canvas_path()
    with tempfile.TemporaryDirectory(prefix="canvas-tui-demo-") as folder:
        copy = Path(folder) / source.name
        shutil.copyfile(source, copy)
        notice = "Demo copy: changes vanish on quit."
        document = CanvasFile.load(copy)
        return _run_tui(
            document,
            autosave=args.autosave,
            theme=args.theme,
            mouse=args.mouse,
            wire=_wire(args.wire),
            notice=notice,
            demo=True,
        )


def serve_command(command: Command, argv: list[str]) -> int:
    parser = command.parser(
        "Each browser tab (textual-serve) runs the editor on this one canvas. Every URL carries a "
        "secret token, printed at start; requests without it get 403.",
        epilog="From a laptop, over SSH: ssh -L 8000:localhost:8000 HOST, then open the printed URL. "
        "Ctrl+C stops the server; tabs still open save first.",
    )
    parser.add_argument(
        "path", nargs="?", default=DEFAULT_PATH, help=f"canvas file (default: {DEFAULT_PATH})"
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only; anything else warns)",
    )
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument(
        "--max-sessions", type=int, default=8, help="browser tabs open at once, one editor each (default: 8)"
    )
    args = parser.parse_args(argv)
    if not 0 < args.port < 65536:
        raise UserError(f"--port {args.port}: a port is a number from 1 to 65535")
    if args.max_sessions < 1:
        raise UserError(f"--max-sessions {args.max_sessions}: at least 1")
    path = Path(args.path)
    check_folder(path)
    if exists(path):
        CanvasFile.load(path)  # a broken or non-canvas file is an error now, not in every tab
    from canvas_tui.serve.server import serve

    serve(path.resolve(), host=args.host, port=args.port, max_sessions=args.max_sessions)
    return EXIT_OK


def themes_command(command: Command, argv: list[str]) -> int:
    parser = command.parser("The one marked * is the one canvas-tui would start with here.")
    parser.parse_args(argv)
    from canvas_tui.files.settings import Settings, settings_path
    from canvas_tui.tui.themes import ThemeCatalog, pick_theme, user_themes_folder

    folder = user_themes_folder()
    catalog = ThemeCatalog.load(folder)
    settings = Settings.load(settings_path())
    warn_all([*settings.warnings, *catalog.warnings])
    choice = pick_theme(requested=None, environ=os.environ, saved=settings.theme, available=catalog.names)
    if choice.notice:
        warn(choice.notice)
    origins = ("bundled", "user", "textual")
    entries = sorted(catalog.entries.values(), key=lambda entry: (origins.index(entry.origin), entry.name))
    width = max(len(entry.name) for entry in entries)
    for entry in entries:
        mark = "*" if entry.name == choice.name else " "
        about = for_terminal(entry.description or (str(entry.path) if entry.path else ""))
        print(f"{mark} {entry.name:<{width}}  {entry.origin:<7}  {about}".rstrip())
    print(f"\n* starts here: {choice.name} ({choice.reason}). Add your own themes in {folder}")
    return EXIT_OK
