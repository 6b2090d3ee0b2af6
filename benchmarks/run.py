"""canvas-tui's performance harness: `make bench` runs it and writes docs/benchmarks.md.

Everything runs the way a user runs it: the installed `canvas-tui` script in a pseudo-terminal
(tests/e2e/terminal.py: a pty, Textual's real driver, and a pyte screen reading the bytes back), at
120x40 and 80x24. Each figure sits beside the same figure for a bare Textual baseline measured in the
same run, interleaved run by run so that a busy machine slows both alike:

- benchmarks/baseline_grid.py: the canvas's 15-block grid, no logic (first paint, memory);
- benchmarks/baseline_textarea.py: a full-screen stock TextArea (typing), and the same app with
  canvas-tui's BlockEditor (`--lean`), which isolates the widget from the rest of the app;
- vim (`vim -u NONE`, when installed) as the wire reference for typing: what a terminal editor that
  owes nothing to a framework writes per character.

Bytes on the wire per action (benchmarks/wire.py): the example canvas with `--wire plain` beside
the output layer and the bare grid, at both sizes in truecolor and 256 colours, with a slow-link
table. The typing apps above run with the layer on (the default); stock TextArea and vim run as
they are.

Metrics: time to first full paint (all 15 block titles on screen) for the example canvas and a large
one (15 blocks x 2,000 lines, generated in a temp folder); keystroke-to-screen latency (from writing
one byte to the pty until pyte shows the character where the cursor was); bytes written to the
terminal per typed character and per second while idle with an editor open; peak RSS (VmHWM);
saving the large canvas (CanvasFile.save in-process); and the longest stall of the keyboard while
an autosave of the large canvas runs (arrow keys every 10 ms across the autosave; arrows do not
count as changes, so they do not postpone it); `canvas-tui status` over 200 canvases (a team's
or an organisation's), with the cost per file beyond the start-up that one canvas pays too; and
the PDF export of the example and the large canvas (render_pdf in-process, and `canvas-tui
export -o x.pdf` as a user runs it), with its size; `canvas-tui diff`, `canvas-tui lint` and
`canvas-tui --help` on the example; the first save after opening the large canvas. canvas_tui is
byte-compiled before anything runs, as an installed copy is. benchmarks/notes.md (hand-written: what
changed, and where the time goes for a target not met) is appended to the report.

This module says what runs in which order; benchmarks/measure.py measures, benchmarks/report.py
writes the report, and benchmarks/targets.toml holds the targets the issues set (data: a new target
is an entry there, not code).

Benchmarks are not tests: nothing here fails on a slow machine, and `make test` does not run it.
Run it as a module from the repository root (as `make bench` does), so that the pty harness it
shares with the end-to-end tests (tests/e2e/terminal.py) imports like any other module.

    python -m benchmarks.run [--runs N] [--typing-runs N] [--output docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.measure import (
    CANVAS_TUI,
    EXAMPLE,
    HERE,
    ROOT,
    SIZES,
    STATUS_CANVASES,
    VIM_FLAGS,
    App,
    Paint,
    Stall,
    Typing,
    autosave_stall,
    command_times,
    first_paint,
    first_save_time,
    make_large_canvas,
    pdf_times,
    save_times,
    status_times,
    typing,
)
from benchmarks.report import full_report, load_targets
from benchmarks.wire import report as wire_report
from benchmarks.wire import run as wire_run

from canvas_tui.storage import CanvasFile


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per first-paint figure (default 5)")
    parser.add_argument("--typing-runs", type=int, default=3, help="runs per typing figure (default 3)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    if not CANVAS_TUI.exists():
        print(f"{CANVAS_TUI} is missing: run `make bench` (it installs the project first)", file=sys.stderr)
        return 2
    targets = load_targets()  # a mistake in targets.toml is told now, not after the long run

    # Byte-compile canvas_tui as pip does when it installs a wheel (Textual's modules are compiled in
    # site-packages): an editable install run with PYTHONDONTWRITEBYTECODE=1 would otherwise compile
    # every module of the app at every start, a cost no installed copy pays.
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "canvas_tui"), quiet=1)
    load_before = os.getloadavg()
    began = time.perf_counter()
    date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    folder = Path(tempfile.mkdtemp(prefix="canvas-tui-bench-"))
    try:
        large = folder / "large.toml"
        make_large_canvas(large)
        text_file = folder / "background.txt"
        text_file.write_text(CanvasFile.load(EXAMPLE).canvas.blocks["background"].text, encoding="utf-8")

        def canvas_app(source: Path, name: str) -> App:
            # A fresh copy per start: no recovery file or earlier edit carries over between runs.
            copy = folder / f"{name}-{time.monotonic_ns()}.toml"
            shutil.copyfile(source, copy)
            return App(name, [str(CANVAS_TUI), "--no-autosave", str(copy)], opens_editor=True)

        grid = App("baseline grid", [sys.executable, str(HERE / "baseline_grid.py")])
        textarea = [sys.executable, str(HERE / "baseline_textarea.py"), str(text_file)]
        first_words = text_file.read_text(encoding="utf-8")[:16]
        stock = App("stock TextArea", textarea, ready_text=first_words)
        lean = App("BlockEditor alone", [*textarea, "--lean"], ready_text=first_words)

        vim_path = shutil.which("vim")
        # vim as the wire reference (when installed): no vimrc, no swap file, insert mode at the end;
        # without the modifyOtherKeys switch and query (t_TI, t_TE, t_RK): private SGRs pyte cannot parse.
        vim = (
            App(
                "vim",
                [vim_path, "--cmd", "set t_TI= t_TE= t_RK=", *VIM_FLAGS, str(text_file)],
                ready_text="-- INSERT --",
            )
            if vim_path
            else None
        )
        typing_apps = ["stock TextArea", "BlockEditor alone", "example", "large"] + (["vim"] if vim else [])

        paint: dict[tuple[str, tuple[int, int]], Paint] = {}
        typed: dict[tuple[str, tuple[int, int]], Typing] = {}
        stalls: dict[tuple[int, int], Stall] = {}
        for size in SIZES:
            for name in ("baseline grid", "example", "large"):
                paint[name, size] = Paint()
            for name in typing_apps:
                typed[name, size] = Typing()

        for run in range(args.runs):
            print(f"first paint, run {run + 1}/{args.runs}", flush=True)
            for size in SIZES:
                first_paint(grid, size, paint["baseline grid", size])
                first_paint(canvas_app(EXAMPLE, "example"), size, paint["example", size])
                first_paint(canvas_app(large, "large"), size, paint["large", size])

        for run in range(args.typing_runs):
            print(f"typing, run {run + 1}/{args.typing_runs}", flush=True)
            for size in SIZES:
                idle = run == 0
                typing(stock, size, typed["stock TextArea", size], idle=idle)
                typing(lean, size, typed["BlockEditor alone", size], idle=False)
                typing(canvas_app(EXAMPLE, "example"), size, typed["example", size], idle=idle)
                typing(canvas_app(large, "large"), size, typed["large", size], idle=False)
                if vim is not None:
                    typing(vim, size, typed["vim", size], idle=False)

        print("bytes on the wire", flush=True)
        wire = wire_report(wire_run(args.typing_runs))

        print("autosave stall", flush=True)
        for size in SIZES:
            copy = folder / f"stall-{size[0]}x{size[1]}.toml"
            shutil.copyfile(large, copy)
            stalls[size] = autosave_stall(size, copy)

        print("saving", flush=True)
        first_saves = [first_save_time(large, folder) for _ in range(args.runs)]
        saves, renders = save_times(large, args.runs)
        print("diff and lint", flush=True)
        commands = command_times(folder, args.runs)
        print(f"status over {STATUS_CANVASES} canvases", flush=True)
        status_many, status_one = status_times(folder, args.runs)
        print("PDF export", flush=True)
        pdfs = pdf_times({"example": EXAMPLE, "large": large}, folder, args.runs)
        elapsed = time.perf_counter() - began
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    report = full_report(
        date,
        paint,
        typed,
        stalls,
        saves,
        renders,
        pdfs,
        elapsed,
        args,
        first_saves,
        targets=targets,
        load=(load_before, os.getloadavg()),
        status=(status_many, status_one),
        commands=commands,
        wire=wire,
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(report)
    print(f"wrote {args.output} in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
