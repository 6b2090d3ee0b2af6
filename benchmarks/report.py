"""docs/benchmarks.md from the figures benchmarks/measure.py returns: the targets table first (the
targets are data, benchmarks/targets.toml, checked on load), then the tables they come from, and the
hand-written benchmarks/notes.md. Nothing here measures; given the same figures it writes the same
report.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import subprocess
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import textual
from benchmarks.measure import (
    CHARS_PER_LINE,
    HERE,
    IDLE_SECONDS,
    LARGE_LINES,
    LINES_PER_RUN,
    ROOT,
    SIZES,
    STALL_WINDOW,
    STATUS_CANVASES,
    Paint,
    PdfTimes,
    Stall,
    Typing,
)

TARGETS = HERE / "targets.toml"
NOTES = HERE / "notes.md"
"""Hand-written: what was changed and, for a target not met, what was tried and where the time goes."""


# -- figures -----------------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def p95(values: Sequence[float]) -> float:
    """Nearest-rank 95th percentile."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def fmt_ms(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds * 1000:.1f} ms"


def ratio(ours: float, base: float) -> str:
    return "n/a" if not base or math.isnan(ours) or math.isnan(base) else f"{ours / base:.2f}x"


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


# -- the targets -------------------------------------------------------------------------------------

FIGURES = {
    "first_paint_example": "first paint of the example canvas, seconds (median)",
    "first_paint_grid": "first paint of the bare grid baseline, seconds (median)",
    "first_paint_large": "first paint of the large canvas, seconds (median)",
    "bytes_per_char": "bytes written per typed character, example canvas (median)",
    "latency_median": "key -> screen latency, example canvas, seconds (median)",
    "latency_median_stock": "key -> screen latency, stock TextArea, seconds (median)",
    "latency_p95": "key -> screen latency, example canvas, seconds (p95)",
    "save_large": "saving the large canvas after a one-block edit, seconds (median)",
    "peak_rss_example": "peak RSS with the example canvas open, KiB (median)",
    "peak_rss_grid": "peak RSS of the bare grid baseline, KiB (median)",
    "idle_bytes_per_second": "bytes per second while idle with an editor open (the worst of the sizes)",
    "autosave_stall": "longest keyboard stall during an autosave, seconds",
}
"""The figures a target may name in benchmarks/targets.toml (`measured`, `times`): at the first
size (120x40), except the idle bytes and the stall, the worst of all sizes."""


class TargetsError(Exception):
    """benchmarks/targets.toml is not what report.py reads; the message names the file and the field."""


@dataclass(frozen=True)
class Target:
    target: str
    before: str
    measured: str
    at_most: float
    times: str | None = None

    def met(self, figures: Mapping[str, float]) -> bool:
        limit = self.at_most * figures[self.times] if self.times is not None else self.at_most
        return figures[self.measured] <= limit


@dataclass(frozen=True)
class Targets:
    issue: int
    targets: tuple[Target, ...]


def load_targets(path: Path = TARGETS) -> Targets:
    """The targets, in the file's order; a TargetsError names the file and the field that is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise TargetsError(f"{path}: {error}") from None
    issue = data.get("issue")
    if type(issue) is not int:
        raise TargetsError(f"{path}: field 'issue' must be the number of the issue that set the targets")
    entries = data.get("targets")
    if not isinstance(entries, list) or not entries:
        raise TargetsError(f"{path}: no [[targets]]")
    targets = []
    for index, entry in enumerate(entries, 1):
        where = f"{path}: [[targets]] #{index}"
        if not isinstance(entry, dict):
            raise TargetsError(f"{where}: not a table")
        unknown = set(entry) - {"target", "before", "measured", "at_most", "times"}
        if unknown:
            raise TargetsError(f"{where}: unknown field {sorted(unknown)[0]!r}")
        for key in ("target", "before", "measured"):
            if not isinstance(entry.get(key), str):
                raise TargetsError(f"{where}: field {key!r} must be text")
        times = entry.get("times")
        if times is not None and not isinstance(times, str):
            raise TargetsError(f"{where}: field 'times' must be text")
        for key in ("measured", "times"):
            if key in entry and entry[key] not in FIGURES:
                raise TargetsError(f"{where}: field {key!r} names no figure ({', '.join(FIGURES)})")
        at_most = entry.get("at_most")
        if isinstance(at_most, bool) or not isinstance(at_most, int | float):
            raise TargetsError(f"{where}: field 'at_most' must be a number")
        targets.append(Target(entry["target"], entry["before"], entry["measured"], at_most, times))
    return Targets(issue, tuple(targets))


# -- the report --------------------------------------------------------------------------------------


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return [
        f"- Machine: {cpu}, {os.cpu_count()} CPUs{memory}; {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, Textual {textual.__version__}, commit {commit}",
    ]


def target_figures(
    paint: dict[tuple[str, tuple[int, int]], Paint],
    typed: dict[tuple[str, tuple[int, int]], Typing],
    stalls: dict[tuple[int, int], Stall],
    saves: list[float],
) -> tuple[dict[str, float], dict[str, str]]:
    """Each of FIGURES at the first size, and how the targets table shows it (with what it is
    compared to, where that helps to read it)."""
    s = SIZES[0]
    grid_paint = median(paint["baseline grid", s].seconds)
    example_paint = median(paint["example", s].seconds)
    large_paint = median(paint["large", s].seconds)
    grid_rss = median(paint["baseline grid", s].rss_kib)
    example_rss = median(paint["example", s].rss_kib)
    example_bytes = median(typed["example", s].bytes_per_char)
    idle = max(typed["example", size].idle_bytes_per_second[0] for size in SIZES)
    stock_bytes = median(typed["stock TextArea", s].bytes_per_char)
    stock_latency = median(typed["stock TextArea", s].latencies)
    example_latency = median(typed["example", s].latencies)
    large_p95 = p95(typed["large", s].latencies)
    save = median(saves)
    stall = max(latency for stall in stalls.values() for _, latency in stall.probes)
    stock_p95 = p95(typed["stock TextArea", s].latencies)
    example_p95 = p95(typed["example", s].latencies)
    figures = {
        "first_paint_example": example_paint,
        "first_paint_grid": grid_paint,
        "first_paint_large": large_paint,
        "bytes_per_char": example_bytes,
        "latency_median": example_latency,
        "latency_median_stock": stock_latency,
        "latency_p95": example_p95,
        "save_large": save,
        "peak_rss_example": example_rss,
        "peak_rss_grid": grid_rss,
        "idle_bytes_per_second": idle,
        "autosave_stall": stall,
    }
    vim = f", vim {median(typed['vim', s].bytes_per_char):.0f} B)" if ("vim", s) in typed else ")"
    shown = {
        "first_paint_example": (
            f"{fmt_ms(example_paint)} vs {fmt_ms(grid_paint)}: {ratio(example_paint, grid_paint)}"
        ),
        "first_paint_grid": fmt_ms(grid_paint),
        "first_paint_large": (
            f"{fmt_ms(large_paint)} vs {fmt_ms(example_paint)}: {ratio(large_paint, example_paint)}"
        ),
        "bytes_per_char": f"{example_bytes:.0f} B (stock TextArea {stock_bytes:.0f} B" + vim,
        "latency_median": (
            f"{fmt_ms(example_latency)} vs {fmt_ms(stock_latency)}: {ratio(example_latency, stock_latency)}"
        ),
        "latency_median_stock": fmt_ms(stock_latency),
        "latency_p95": f"{fmt_ms(example_p95)} (stock {fmt_ms(stock_p95)}; large {fmt_ms(large_p95)})",
        "save_large": fmt_ms(save),
        "peak_rss_example": (
            f"{example_rss / 1024:.1f} MiB vs {grid_rss / 1024:.1f} MiB: {ratio(example_rss, grid_rss)}"
        ),
        "peak_rss_grid": f"{grid_rss / 1024:.1f} MiB",
        "idle_bytes_per_second": f"{idle:.0f} B/s",
        "autosave_stall": fmt_ms(stall),
    }
    return figures, shown


def full_report(
    date: str,
    paint: dict[tuple[str, tuple[int, int]], Paint],
    typed: dict[tuple[str, tuple[int, int]], Typing],
    stalls: dict[tuple[int, int], Stall],
    saves: list[float],
    renders: list[float],
    pdfs: dict[str, PdfTimes],
    elapsed: float,
    args: argparse.Namespace,
    first_saves: list[float],
    *,
    targets: Targets,
    load: tuple[tuple[float, float, float], tuple[float, float, float]],
    status: tuple[list[float], list[float]],
    commands: dict[str, list[float]],
    wire: str = "",
) -> str:
    """docs/benchmarks.md: render_report, how quiet the machine was (load before and after the run),
    the status and command tables, the bytes on the wire (benchmarks/wire.py), then
    benchmarks/notes.md."""
    report = render_report(
        date, paint, typed, stalls, saves, renders, pdfs, elapsed, args, first_saves, targets
    )
    before, after = load
    quiet = (
        "- How quiet the machine was: load average (1, 5, 15 min) "
        f"{before[0]:.2f}, {before[1]:.2f}, {before[2]:.2f} before the run, "
        f"{after[0]:.2f}, {after[1]:.2f}, {after[2]:.2f} after it ({os.cpu_count()} CPUs).\n"
    )
    report = report.replace("- Every app runs", quiet + "- Every app runs", 1)
    report += status_report(*status)
    report += commands_report(commands)
    if wire:
        report += "\n" + wire
    if NOTES.exists():
        report += "\n" + NOTES.read_text(encoding="utf-8")
    return report


def render_report(
    date: str,
    paint: dict[tuple[str, tuple[int, int]], Paint],
    typed: dict[tuple[str, tuple[int, int]], Typing],
    stalls: dict[tuple[int, int], Stall],
    saves: list[float],
    renders: list[float],
    pdfs: dict[str, PdfTimes],
    elapsed: float,
    args: argparse.Namespace,
    first_saves: list[float],
    targets: Targets | None = None,
) -> str:
    out = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (benchmarks/run.py) on {date}, in {elapsed:.0f} s. Do not edit by hand.",
        "",
        *machine(),
        f"- First paint: median of {args.runs} runs; typing: {args.typing_runs} runs of "
        f"{LINES_PER_RUN} x {CHARS_PER_LINE} characters; idle: {IDLE_SECONDS:.0f} s with an editor open.",
        "- Every app runs in a pseudo-terminal read back by pyte (tests/e2e/terminal.py); baselines are "
        "measured in the same run, interleaved with canvas-tui. canvas_tui is byte-compiled first, "
        "as an installed copy is (and as Textual is in site-packages).",
        "",
    ]

    # Targets first: the figures they come from follow.
    s = SIZES[0]
    figures, shown = target_figures(paint, typed, stalls, saves)
    targets = targets or load_targets()
    out += [
        f"## Targets (issue {targets.issue}), at {s[0]}x{s[1]}",
        "",
        f"Before: the figures issue {targets.issue} quotes from the runs before it "
        "(same harness, same machine).",
        "",
        "| target | before | measured now | |",
        "|---|---|---|---|",
        *(
            f"| {t.target} | {t.before} | {shown[t.measured]} | {verdict(t.met(figures))} |"
            for t in targets.targets
        ),
        "",
    ]

    out += [
        "## First full paint (all 15 block titles on screen) and peak memory",
        "",
        "| size | app | first paint (median) | min | vs bare grid | peak RSS (median) | vs bare grid |",
        "|---|---|---|---|---|---|---|",
    ]
    for size in SIZES:
        base = paint["baseline grid", size]
        for name in ("baseline grid", "example", "large"):
            p = paint[name, size]
            label = name if name == "baseline grid" else f"canvas-tui, {name} canvas"
            out.append(
                f"| {size[0]}x{size[1]} | {label} | {fmt_ms(median(p.seconds))} | "
                f"{fmt_ms(min(p.seconds, default=math.nan))} | "
                f"{ratio(median(p.seconds), median(base.seconds))} | "
                f"{median(p.rss_kib) / 1024:.1f} MiB | {ratio(median(p.rss_kib), median(base.rss_kib))} |"
            )
    out += [
        "",
        "The large canvas has 15 blocks of 2,000 lines (about "
        f"{15 * LARGE_LINES * 90 / 1e6:.1f} MB of TOML).",
        "",
        "## Typing in a block editor",
        "",
        "Keystroke-to-screen latency: from writing one byte to the pty until pyte shows that character "
        "where the cursor was. Bytes: everything the app wrote to the terminal while typing a line, "
        "divided by its characters. Idle: bytes per second over "
        f"{IDLE_SECONDS:.0f} s with the editor open and no keys.",
        "",
        "Textual draws at most 60 frames a second, so no app here answers a key in much under one "
        "frame (16.7 ms). The BlockEditor row is the widget alone in the same bare app as the stock "
        "baseline: the difference between it and canvas-tui is what the rest of the app repaints "
        "on each key.",
        "",
        "| size | app | latency median | p95 | vs stock (median) | bytes per char | vs stock | idle B/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    labels = {
        "stock TextArea": "stock TextArea, full screen (baseline)",
        "BlockEditor alone": "BlockEditor, full screen (the widget alone)",
        "example": "canvas-tui, example canvas",
        "large": "canvas-tui, large canvas (2,000-line block)",
        "vim": "vim -u NONE (wire reference)",
    }
    for size in SIZES:
        stock = typed["stock TextArea", size]
        for name, label in labels.items():
            if (name, size) not in typed:
                continue
            t = typed[name, size]
            idle_figure = f"{t.idle_bytes_per_second[0]:.0f}" if t.idle_bytes_per_second else ""
            out.append(
                f"| {size[0]}x{size[1]} | {label} | "
                f"{fmt_ms(median(t.latencies))} | {fmt_ms(p95(t.latencies))} | "
                f"{ratio(median(t.latencies), median(stock.latencies))} | {median(t.bytes_per_char):.0f} | "
                f"{ratio(median(t.bytes_per_char), median(stock.bytes_per_char))} | {idle_figure} |"
            )

    out += [
        "",
        "## Saving the large canvas",
        "",
        f"- `CanvasFile.save` in-process, after changing one block: median {fmt_ms(median(saves))} "
        f"(min {fmt_ms(min(saves))}, max {fmt_ms(max(saves))}); of which rendering the TOML text "
        f"(`CanvasFile.render`): median {fmt_ms(median(renders))}. The first save after opening the file, "
        "which also builds the tomlkit document saves merge into: "
        f"median {fmt_ms(median(first_saves))}.",
        "",
        "Keyboard stall during an autosave: canvas-tui (autosave on) on a copy of the large canvas, one "
        "character typed, then the cursor moved left/right every 10 ms for "
        f"{STALL_WINDOW:.0f} s; the autosave runs 2 s after the edit.",
        "",
        "| size | longest stall | when (after the edit) | median response | file written after |",
        "|---|---|---|---|---|",
    ]
    for size, result in stalls.items():
        if result.probes:
            when, longest = max(result.probes, key=lambda probe: probe[1])
            saved = "not within the window" if result.saved_after is None else f"{result.saved_after:.2f} s"
            out.append(
                f"| {size[0]}x{size[1]} | {fmt_ms(longest)} | {when:.2f} s | "
                f"{fmt_ms(median([latency for _, latency in result.probes]))} | {saved} |"
            )
    out += [
        "",
        "## PDF export (one A4 landscape page)",
        "",
        "`render_pdf` in-process (fonts registered once per process, as in the app), and the whole "
        "`canvas-tui export CANVAS -o x.pdf` command, interpreter start included. The large canvas "
        "prints the start of each block, marked as too long.",
        "",
        "| canvas | render_pdf (median) | min | command (median) | PDF size |",
        "|---|---|---|---|---|",
    ]
    for name, pdf in pdfs.items():
        out.append(
            f"| {name} | {fmt_ms(median(pdf.in_process))} | {fmt_ms(min(pdf.in_process))} | "
            f"{fmt_ms(median(pdf.command))} | {pdf.size / 1024:.0f} KiB |"
        )
    out.append("")
    return "\n".join(out)


def status_report(many: list[float], one: list[float]) -> str:
    per_file = (median(many) - median(one)) / (STATUS_CANVASES - 1)
    return "\n".join(
        [
            "",
            f"## `canvas-tui status` over {STATUS_CANVASES} canvases",
            "",
            f"The installed command, output to a pipe, {len(many)} runs interleaved with a run over one "
            "canvas (the start-up cost both pay).",
            "",
            "| canvases | wall time (median) | min | per file |",
            "|---|---|---|---|",
            f"| {STATUS_CANVASES} | {fmt_ms(median(many))} | {fmt_ms(min(many))} | {fmt_ms(per_file)} |",
            f"| 1 | {fmt_ms(median(one))} | {fmt_ms(min(one))} | |",
            "",
        ]
    )


def commands_report(times: dict[str, list[float]]) -> str:
    rows = [f"| `{name}` | {fmt_ms(median(t))} | {fmt_ms(min(t))} |" for name, t in times.items()]
    return "\n".join(
        [
            "",
            "## Commands on the example canvas",
            "",
            "The installed command, output to /dev/null, interpreter start included; `--help` is the "
            "start-up alone.",
            "",
            "| command | wall time (median) | min |",
            "|---|---|---|",
            *rows,
            "",
        ]
    )
