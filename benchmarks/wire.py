"""Bytes on the wire, per thing a user does, with the output layer (tui/wire/) and without it.

For each size (120x40, 80x24) and colour depth (truecolor, 256 colours), in one run: the example
canvas with `--wire plain` (Textual's own output: "before") and with the layer ("after"), and the
bare Textual grid (benchmarks/baseline_grid.py), each the installed command in a pty. Measured:

- first paint: every byte until the screen is quiet, beside the same screen written with one style
  code per run of equal style (a full code, reset included: what a plain encoder of that screen
  sends), computed from the emulated screen;
- moving to the next block (median of 10 moves), opening an editor, a typed character (median of
  10), leaving the editor back to the canvas;
- a slow link: seconds for those bytes at 256 kbit/s and 1 Mbit/s (open; move x10; open and leave
  an editor).

    python -m benchmarks.wire     (prints the section; `make bench` puts it into docs/benchmarks.md)
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.measure import CANVAS_TUI, EXAMPLE, HERE, SIZES, TIMEOUT, settle, titles_painted, wait
from tests.e2e.terminal import ESC, HOME, Terminal

RIGHT, LEFT, END = b"\x1b[C", b"\x1b[D", b"\x1b[F"
DEPTHS = {"truecolor": "truecolor", "256 colours": ""}
"""COLORTERM for each colour depth (TERM is xterm-256color in both)."""
MOVES = 10
TYPED = 10
LINKS = {"256 kbit/s": 256_000 / 8, "1 Mbit/s": 1_000_000 / 8}
"""Bytes per second."""


@dataclass
class Wire:
    first_paint: int = 0
    one_code_per_run: int = 0
    moves: list[int] = field(default_factory=list)
    open_editor: int = 0
    typed: list[int] = field(default_factory=list)
    back: int = 0


def one_code_per_run(term: Terminal) -> int:
    """The emulated screen written with a cursor move per row and a full style code (reset first)
    per run of cells of one style: the plain encoding of the same screen, in bytes."""
    size = 0
    for y, row in enumerate(term.cells()):
        size += len(f"\x1b[{y + 1}H")
        style = None
        for cell in row:
            look = cell[1:]
            if look != style:
                style = look
                fg, bg, bold, italics, underscore, strike, reverse, _blink = look
                codes = ["0"] + [
                    code
                    for on, code in (
                        (bold, "1"),
                        (italics, "3"),
                        (underscore, "4"),
                        (strike, "9"),
                        (reverse, "7"),
                    )
                    if on
                ]
                codes += [colour_code(fg, 38), colour_code(bg, 48)]
                size += len("\x1b[" + ";".join(code for code in codes if code) + "m")
            size += len(cell.data.encode("utf-8"))
    return size


def colour_code(colour: str, base: int) -> str:
    """pyte keeps a colour as a name (16 colours) or 6 hex digits; the code that sets it."""
    if colour == "default":
        return ""
    if len(colour) == 6 and all(c in "0123456789abcdef" for c in colour):
        return f"{base};2;{int(colour[:2], 16)};{int(colour[2:4], 16)};{int(colour[4:], 16)}"
    return str(base - 8)  # a named colour: two digits, as 31 or 41


def measure(argv: list[str], size: tuple[int, int], depth: str, *, canvas: bool) -> Wire:
    columns, lines = size
    env = dict(os.environ, TERM="xterm-256color", COLORTERM=DEPTHS[depth])
    result = Wire()
    with Terminal(argv, columns=columns, lines=lines, env=env, record=False) as term:
        wait(lambda: titles_painted(term), TIMEOUT, "the grid", term)
        settle(term)
        result.first_paint = term.bytes_read
        result.one_code_per_run = one_code_per_run(term)
        if not canvas:
            return result

        def step(keys: bytes | str) -> int:
            before = term.bytes_read
            term.send(keys)
            settle(term)
            return term.bytes_read - before

        term.send(HOME)
        settle(term)
        result.moves = [step(RIGHT if n < MOVES // 2 else LEFT) for n in range(MOVES)]  # each a real move
        term.send(HOME)
        settle(term)
        before = term.bytes_read
        term.send("e")
        wait(lambda: not titles_painted(term), TIMEOUT, "the editor", term)
        settle(term)
        result.open_editor = term.bytes_read - before
        step(END)
        result.typed = [step(letter) for letter in "abcdefghij"[:TYPED]]
        before = term.bytes_read
        term.send(ESC)
        wait(lambda: titles_painted(term), TIMEOUT, "the canvas", term)
        settle(term)
        result.back = term.bytes_read - before
    return result


def run(runs: int = 1) -> dict[tuple[str, tuple[int, int], str], list[Wire]]:
    """Plain, layer and bare grid, interleaved run by run; keyed by (what, size, depth)."""
    folder = Path(tempfile.mkdtemp(prefix="canvas-tui-wire-"))
    results: dict[tuple[str, tuple[int, int], str], list[Wire]] = {}
    try:
        for _ in range(runs):
            for size in SIZES:
                for depth in DEPTHS:
                    for wire in ("plain", "diff"):
                        copy = folder / f"{wire}-{time.monotonic_ns()}.toml"
                        shutil.copyfile(EXAMPLE, copy)
                        argv = [str(CANVAS_TUI), "--no-autosave", "--wire", wire, str(copy)]
                        results.setdefault((wire, size, depth), []).append(
                            measure(argv, size, depth, canvas=True)
                        )
                    grid = [sys.executable, str(HERE / "baseline_grid.py")]
                    results.setdefault(("grid", size, depth), []).append(
                        measure(grid, size, depth, canvas=False)
                    )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return results


def med(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def kb(size: float) -> str:
    return f"{size / 1000:.1f} KB" if size >= 1000 else f"{size:.0f} B"


def report(results: dict[tuple[str, tuple[int, int], str], list[Wire]]) -> str:
    lines = [
        "## Bytes on the wire (issue 22)",
        "",
        "The example canvas, `--wire plain` (Textual's own output) beside the output layer, and the bare",
        "Textual grid, in the same run; medians over runs (moves and typed characters: over each run's",
        f'{MOVES} moves and {TYPED} characters). "One code per run": the first-paint screen written with a',
        "full style code per run of equal style.",
        "",
        "| size, colours | what | bare grid | plain | layer | layer / plain | target |",
        "|---|---|---|---|---|---|---|",
    ]
    slow: list[str] = []
    for size in SIZES:
        for depth in DEPTHS:
            where = f"{size[0]}x{size[1]}, {depth}"
            plain, diff, grid = (results[kind, size, depth] for kind in ("plain", "diff", "grid"))

            def figure(runs: list[Wire], pick: str) -> float:
                values: list[float] = []
                for wire in runs:
                    value = getattr(wire, pick)
                    values += value if isinstance(value, list) else [value]
                return med(values)

            per_run = med([w.one_code_per_run for w in diff])
            rows = [
                ("first paint", "first_paint", f"<= 1.3 x one code per run ({kb(per_run)}): "),
                ("move to the next block", "moves", "<= 1.5 KB: "),
                ("open an editor", "open_editor", ""),
                ("a typed character", "typed", "<= 30 B: "),
                ("back from an editor", "back", "<= 45 KB: "),
            ]
            limits = {"first_paint": 1.3 * per_run, "moves": 1500, "typed": 30, "back": 45_000}
            for label, pick, target in rows:
                before, after = figure(plain, pick), figure(diff, pick)
                base = kb(figure(grid, pick)) if pick == "first_paint" else ""
                verdict = ""
                if pick in limits:
                    verdict = target + ("met" if after <= limits[pick] else "**not met**")
                ratio = f"{after / before:.2f}x" if before else ""
                lines.append(
                    f"| {where} | {label} | {base} | {kb(before)} | {kb(after)} | {ratio} | {verdict} |"
                )
            for name, speed in LINKS.items():
                cells = []
                for runs in (plain, diff):
                    opened = figure(runs, "first_paint")
                    moves = figure(runs, "moves") * MOVES
                    editor = figure(runs, "open_editor") + figure(runs, "back")
                    cells += [f"{opened / speed:.2f} s", f"{moves / speed:.2f} s", f"{editor / speed:.2f} s"]
                slow.append(f"| {where} | {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "### A slow link",
        "",
        "Seconds on the wire alone (bytes / link speed), before (plain) and after (the layer).",
        "",
        "| size, colours | link | open, before | move x10, before | editor in and out, before "
        "| open, after | move x10, after | editor in and out, after |",
        "|---|---|---|---|---|---|---|---|",
        *slow,
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(report(run(int(sys.argv[1]) if len(sys.argv) > 1 else 1)))
