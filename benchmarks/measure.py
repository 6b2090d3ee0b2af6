"""What `make bench` measures, and how: each app in a pseudo-terminal (tests/e2e/terminal.py) as a
user runs it, the file operations in-process, the commands as installed. Every function here returns
figures; benchmarks/report.py turns them into docs/benchmarks.md, and benchmarks/run.py (the module
`make bench` runs) says in which order they run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.terminal import ENTER, HOME, Terminal

from canvas_tui.storage import CanvasFile
from canvas_tui.templates import load_template

ROOT = Path(__file__).resolve().parents[1]

BIN = Path(sys.executable).parent
CANVAS_TUI = BIN / "canvas-tui"
HERE = Path(__file__).resolve().parent
EXAMPLE = ROOT / "examples" / "churn-early-warning.toml"
SIZES = [(120, 40), (80, 24)]
LARGE_LINES = 2000

# One word per block title that survives the narrow cards' wrapping ("Explain-/ability", "Data
# Verif. & Governance"); "Governance" must show twice (data, and model governance).
TITLE_MARKERS = [
    "Background",
    "Value",
    "Objectives",
    "Collection",
    "Verif",
    "Modelling",
    "Metrics",
    "Inference",
    "Decision",
    "Feedback",
    "Lifetime",
    "Fairness",
    "Explain",
    "Security",
]

LEFT = b"\x1b[D"
ALPHABET = "abcdefghijklmnopqrstuvwxyz"
LOCATORS = "~^%#@&"  # one is typed first on each line, and found by comparing screens
CHARS_PER_LINE = 40
LINES_PER_RUN = 3
IDLE_SECONDS = 5.0
STALL_WINDOW = 4.0
VIM_FLAGS = ["-u", "NONE", "-i", "NONE", "-N", "-n", "+$", "+startinsert!"]
TIMEOUT = 60.0


# -- small helpers ---------------------------------------------------------------------------------


def peak_rss_kib(pid: int) -> int:
    """The process's peak resident set size (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def wait(condition: Callable[[], bool], timeout: float, what: str, term: Terminal) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out waiting for {what}\n{term.dump()}")
        time.sleep(0.005)  # a 5 ms resolution, without taking a CPU from the app being timed


def settle(term: Terminal, quiet: float = 0.3) -> None:
    """The harness's one quiet-terminal wait, at a finer resolution and a shorter default quiet."""
    term.wait_until_quiet(quiet, TIMEOUT, poll=0.01)


def titles_painted(term: Terminal) -> bool:
    text = "\n".join(term.screen_lines())
    return all(marker in text for marker in TITLE_MARKERS) and text.count("Governance") >= 2


# -- the apps ----------------------------------------------------------------------------------------


@dataclass
class App:
    """A command to benchmark, and how to reach its text editor from the first screen."""

    name: str
    argv: list[str]
    opens_editor: bool = False  # canvas-tui: "e" opens the selected block (Background) first
    ready_text: str = ""  # on screen once the editor shows its text (for apps that start in it)

    def start(self, size: tuple[int, int]) -> Terminal:
        columns, lines = size
        return Terminal(self.argv, columns=columns, lines=lines, record=False).start()

    def open_editor(self, term: Terminal) -> None:
        """From the first paint to an editor ready for keys, the cursor at the end of the text."""
        if self.opens_editor:
            wait(lambda: titles_painted(term), TIMEOUT, "the canvas", term)
            settle(term)
            term.send(HOME)  # the cursor starts on the first unresolved block
            term.send("e")
            # The editor covers the whole grid; its title line's wording is not this harness's business.
            wait(lambda: not titles_painted(term), TIMEOUT, "the editor", term)
        if self.ready_text:
            wait(lambda: self.ready_text in term.screen_text(), TIMEOUT, repr(self.ready_text), term)
        # Only after something is on screen: before its first paint an app is quiet, not ready.
        settle(term)


def make_large_canvas(path: Path) -> None:
    """15 blocks of 2,000 lines each; the words avoid the block titles the first paint looks for."""
    template = load_template()
    out = [
        "# Large canvas for benchmarks/run.py",
        "",
        "[canvas]",
        f'template = "{template.id}"',
        'product = "Large benchmark canvas"',
        'designed_by = "benchmarks/run.py"',
        'date = "2026-01-01"',
        "iteration = 1",
    ]
    for index, block_id in enumerate(template.block_ids):
        lines = [
            f"{block_id} line {n}: the quick brown fox jumps over the lazy dog, twice ({index}, {n})."
            for n in range(LARGE_LINES)
        ]
        out += ["", f"[blocks.{block_id}]", 'status = "draft"', 'text = """', *lines, '"""']
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


# -- measurements ------------------------------------------------------------------------------------


@dataclass
class Paint:
    seconds: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)


def first_paint(app: App, size: tuple[int, int], result: Paint) -> None:
    started = time.perf_counter()
    term = app.start(size)
    try:
        wait(lambda: titles_painted(term), TIMEOUT, "all 15 titles", term)
        result.seconds.append(time.perf_counter() - started)
        settle(term, quiet=0.3)
        assert term.process is not None
        result.rss_kib.append(peak_rss_kib(term.process.pid))
    finally:
        term.close()


@dataclass
class Typing:
    latencies: list[float] = field(default_factory=list)
    bytes_per_char: list[float] = field(default_factory=list)
    idle_bytes_per_second: list[float] = field(default_factory=list)


def find_new_char(term: Terminal, char: str, before: list[str], timeout: float = 10) -> tuple[int, int]:
    """Where `char` appeared on screen since `before` (the screen's lines) was taken."""
    deadline = time.perf_counter() + timeout
    while True:
        for row, (old, new) in enumerate(zip(before, term.screen_lines(), strict=True)):
            for column, (was, now) in enumerate(zip(old, new, strict=True)):
                if now == char and was != char:
                    return column, row
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{char!r} never appeared\n{term.dump()}")
        time.sleep(0.001)


def type_line(term: Terminal, result: Typing) -> None:
    """Start a new line and type CHARS_PER_LINE characters one by one, each timed to the screen.

    The first, a locator, finds where the line is on screen (pyte's cursor cannot tell: Textual moves
    the terminal's cursor to the text cursor after each frame, but not always to its final place);
    the others are expected in the cells to its right and timed.
    """
    term.send(ENTER)
    settle(term, quiet=0.3)
    before = term.bytes_read
    screen = term.screen_lines()
    # A locator unlike the last line's, so a late frame that scrolls that line cannot pass for it.
    locator = LOCATORS[len(result.bytes_per_char) % len(LOCATORS)]
    term.send(locator)
    start, row = find_new_char(term, locator, screen)
    for index in range(1, CHARS_PER_LINE):
        char = ALPHABET[index % len(ALPHABET)]
        column = start + index
        sent = time.perf_counter()
        term.send(char)
        deadline = sent + 10
        while term.char_at(column, row) != char:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{char!r} never reached ({column}, {row})\n{term.dump()}")
            time.sleep(0.0002)
        result.latencies.append(time.perf_counter() - sent)
    # Less than TextArea's 0.5 s blink interval, so a stock cursor blink is not counted as typing.
    time.sleep(0.15)
    result.bytes_per_char.append((term.bytes_read - before) / CHARS_PER_LINE)


def typing(app: App, size: tuple[int, int], result: Typing, *, idle: bool) -> None:
    term = app.start(size)
    try:
        app.open_editor(term)
        if idle:
            before = term.bytes_read
            time.sleep(IDLE_SECONDS)
            result.idle_bytes_per_second.append((term.bytes_read - before) / IDLE_SECONDS)
        for _ in range(LINES_PER_RUN):
            type_line(term, result)
    finally:
        term.close()


@dataclass
class Stall:
    probes: list[tuple[float, float]] = field(default_factory=list)  # (sent after the edit, latency)
    saved_after: float | None = None  # seconds from the edit until the file changed on disk


def autosave_stall(size: tuple[int, int], large: Path) -> Stall:
    """Edit once, then move the cursor every 10 ms while the autosave (2 s later) writes the file."""
    result = Stall()
    app = App("canvas-tui", [str(CANVAS_TUI), str(large)], opens_editor=True)
    term = app.start(size)
    try:
        app.open_editor(term)
        screen = term.screen_lines()
        term.send(LOCATORS[0])
        find_new_char(term, LOCATORS[0], screen)
        edited = time.perf_counter()
        settle(term, quiet=0.1)
        mtime = large.stat().st_mtime_ns
        while time.perf_counter() - edited < STALL_WINDOW:
            # The response is timed to its first byte: an event loop busy saving writes nothing.
            before = term.bytes_read
            sent = time.perf_counter()
            # Always left, never back: over the output layer a key that undoes the one before in
            # the same frame changes nothing on screen and sends nothing, and its probe would wait
            # for ever (the text has 2,000 lines to walk back over).
            term.send(LEFT)
            deadline = sent + 20
            while term.bytes_read == before:
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"no response to an arrow key\n{term.dump()}")
                time.sleep(0.0002)
            done = time.perf_counter()
            settle(term, quiet=0.005)
            result.probes.append((sent - edited, done - sent))
            if result.saved_after is None and large.stat().st_mtime_ns != mtime:
                result.saved_after = done - edited
            time.sleep(0.01)
    finally:
        term.close()
    return result


def save_times(large: Path, runs: int) -> tuple[list[float], list[float]]:
    """CanvasFile.save of the large canvas after changing one block: (whole save, render only)."""
    document = CanvasFile.load(large)
    block_id = document.canvas.template.block_ids[0]
    saves, renders = [], []
    for index in range(runs):
        document.canvas.set_text(block_id, document.canvas.blocks[block_id].text + f"\nedit {index}")
        started = time.perf_counter()
        document.save()
        saves.append(time.perf_counter() - started)
        document.canvas.set_text(block_id, document.canvas.blocks[block_id].text + "!")
        started = time.perf_counter()
        document.render()
        renders.append(time.perf_counter() - started)
    return saves, renders


def first_save_time(large: Path, folder: Path) -> float:
    """The first save after opening the large canvas (it parses the file with tomlkit first)."""
    copy = folder / "first-save.toml"
    shutil.copyfile(large, copy)
    document = CanvasFile.load(copy)
    block_id = document.canvas.template.block_ids[0]
    document.canvas.set_text(block_id, document.canvas.blocks[block_id].text + "\nfirst edit")
    started = time.perf_counter()
    document.save()
    return time.perf_counter() - started


def command_times(folder: Path, runs: int) -> dict[str, list[float]]:
    """`canvas-tui diff` (the example against a copy with one block changed) and `canvas-tui lint`."""
    changed = folder / "changed.toml"
    document = CanvasFile.load(EXAMPLE)
    document.path = changed
    document.exists = False
    block_id = document.canvas.template.block_ids[0]
    document.canvas.set_text(block_id, document.canvas.blocks[block_id].text + "\nOne more sentence.")
    document.save()
    argvs = {
        "canvas-tui diff EXAMPLE CHANGED": [str(CANVAS_TUI), "diff", str(EXAMPLE), str(changed)],
        "canvas-tui lint EXAMPLE": [str(CANVAS_TUI), "lint", str(EXAMPLE)],
        "canvas-tui --help": [str(CANVAS_TUI), "--help"],
    }
    times: dict[str, list[float]] = {name: [] for name in argvs}
    for _ in range(runs):
        for name, argv in argvs.items():
            started = time.perf_counter()
            # Findings or differences exit non-zero: that is their answer, not a failure here.
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times[name].append(time.perf_counter() - started)
    return times


STATUS_CANVASES = 200


def status_times(folder: Path, runs: int) -> tuple[list[float], list[float]]:
    """`canvas-tui status` (installed, output to a pipe) over 200 canvases, and over one: wall times."""
    paths = []
    for index in range(STATUS_CANVASES):
        path = folder / f"team-{index:03d}.canvas.toml"
        text = EXAMPLE.read_text(encoding="utf-8")
        path.write_text(text.replace("Churn early warning", f"Product {index}"), encoding="utf-8")
        paths.append(str(path))

    def timed(files: list[str]) -> float:
        started = time.perf_counter()
        subprocess.run([str(CANVAS_TUI), "status", *files], stdout=subprocess.DEVNULL, check=True)
        return time.perf_counter() - started

    many, one = [], []
    for _ in range(runs):  # interleaved, so a busy moment slows both alike
        many.append(timed(paths))
        one.append(timed(paths[:1]))
    return many, one


@dataclass
class PdfTimes:
    in_process: list[float] = field(default_factory=list)
    command: list[float] = field(default_factory=list)
    size: int = 0


def pdf_times(canvases: dict[str, Path], folder: Path, runs: int) -> dict[str, PdfTimes]:
    """The one-page PDF of each canvas: made in-process, and by the command, as a user runs it."""
    from canvas_tui.export.pdf import render_pdf

    results = {name: PdfTimes() for name in canvases}
    for _ in range(runs):
        for name, path in canvases.items():
            canvas = CanvasFile.load(path).canvas
            started = time.perf_counter()
            data = render_pdf(canvas).data
            results[name].in_process.append(time.perf_counter() - started)
            results[name].size = len(data)
            out = folder / f"{name}.pdf"
            started = time.perf_counter()
            subprocess.run(
                [str(CANVAS_TUI), "export", str(path), "-o", str(out)], check=True, capture_output=True
            )
            results[name].command.append(time.perf_counter() - started)
    return results
