"""The output layer never changes what a terminal shows: random frames (styles in 16, 256 and 24-bit
colours, attributes, cursor moves, erases, wide and combining characters, sequences it does not
know, writes cut in the middle of a sequence) go through `Wire`, and pyte fed its output must show
the same cells, colours and cursor as pyte fed the frames themselves.

Beside the property, a few fixed cases pin what the layer is for: fewer bytes than the frames.
"""

from __future__ import annotations

import pyte
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canvas_tui.tui.wire.screen import PLAIN, Style, Wire, parse_sgr, sgr

COLUMNS, LINES = 12, 5
"""Small, so that frames collide: edges, wide characters cut in two, rows overwritten."""

COLOUR = st.one_of(
    st.just(""),
    st.integers(0, 7).map(lambda n: str(30 + n)),
    st.integers(0, 7).map(lambda n: str(90 + n)),
    st.integers(0, 255).map(lambda n: f"38;5;{n}"),
    st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)).map(
        lambda c: f"38;2;{c[0]};{c[1]};{c[2]}"
    ),
)
ATTRIBUTES = st.lists(
    st.sampled_from(["1", "2", "3", "4", "5", "7", "9", "21", "22", "23", "24", "27", "29"])
)


@st.composite
def sgr_sequence(draw: st.DrawFn) -> str:
    codes: list[str] = []
    if draw(st.booleans()):
        codes.append("0")
    codes += draw(ATTRIBUTES)
    for prefix in ("3", "4"):
        colour = draw(COLOUR)
        if colour:  # a background is the foreground's code with 4 for 3 (or 10 for 9)
            if prefix == "4":
                colour = "4" + colour[1:] if colour[0] == "3" else "10" + colour[1:]
            codes.append(colour)
        elif draw(st.booleans()):
            codes.append(prefix + "9")
    draw(st.randoms()).shuffle(codes)
    return "\x1b[" + ";".join(codes) + "m"


TEXT = st.text(
    alphabet=st.sampled_from(
        ["a", "b", "x", " ", "é", "ß", "─", "│", "█", "中", "文", "語", "\u0301", "\u0300"]
    ),
    min_size=1,
    max_size=8,
)
MOVES = st.one_of(
    st.tuples(st.integers(1, LINES + 1), st.integers(1, COLUMNS + 1)).map(lambda p: f"\x1b[{p[0]};{p[1]}H"),
    st.just("\x1b[H"),
    st.integers(1, COLUMNS + 1).map(lambda n: f"\x1b[{n}G"),
    st.integers(1, LINES).map(lambda n: f"\x1b[{n}d"),
    st.tuples(st.integers(1, 4), st.sampled_from("ABCD")).map(lambda m: f"\x1b[{m[0]}{m[1]}"),
    st.sampled_from(["\r", "\n", "\b", "\x1b[C"]),
)
ERASES = st.sampled_from(["\x1b[K", "\x1b[1K", "\x1b[2K", "\x1b[J", "\x1b[1J", "\x1b[2J"])
MODES = st.sampled_from(["\x1b[?25l", "\x1b[?25h", "\x1b[?2026h", "\x1b[?2026l", "\x1b[?7l", "\x1b[?7h"])
UNKNOWN = st.sampled_from(
    [
        "\x1b[2L",  # insert lines
        "\x1b[M",  # delete a line
        "\x1b[3P",  # delete characters
        "\x1b[2@",  # insert blanks
        "\x1b[2X",  # erase characters
        "\x1bD",  # index
        "\x1bM",  # reverse index
        "\x1b7",  # save the cursor ...
        "\x1b8",  # ... and restore it
        "\x1b[Z",  # back tab
        "\t",
        "\x1b]0;a title\x07",
        "\x1b[4h",  # insert mode ...
        "\x1b[4l",  # ... and off
        "\x1b[20h",  # new line mode ...
        "\x1b[20l",
        "\x1b[?5h",  # reverse screen ...
        "\x1b[?5l",
        "\x1b[2;4r",  # a scroll region ...
        "\x1b[r",
        "\x1b(0",  # line drawing characters ...
        "\x1b(B",
        "\x1b[58;5;3m",  # underline colour
        "\x1b[4:3m",  # curly underline
        "\x1b[?1049h",
        "\x1b[?1049l",
        "\x1bc",
    ]
)
OP = st.one_of(
    st.tuples(MOVES, sgr_sequence(), TEXT).map("".join),  # what Textual writes, most of the time
    st.tuples(MOVES, TEXT).map("".join),
    sgr_sequence(),
    MOVES,
    TEXT,
    ERASES,
    MODES,
    UNKNOWN,
)
FRAME = st.lists(OP, max_size=14).map("".join)


def cells(screen: pyte.Screen) -> list[list[tuple[object, ...]]]:
    return [
        [
            (c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.strikethrough, c.reverse, c.blink)
            for c in (screen.buffer[y][x] for x in range(screen.columns))
        ]
        for y in range(screen.lines)
    ]


def feed(writes: list[str]) -> pyte.Screen:
    screen = pyte.Screen(COLUMNS, LINES)
    for y in range(LINES):  # every cell present: pyte erases in colour only the cells it holds
        for x in range(COLUMNS):
            screen.buffer[y][x] = screen.default_char
    stream = pyte.Stream(screen)
    for data in writes:
        stream.feed(data)
    return screen


def through_wire(frames: list[list[str]], resized_after: list[bool] | None = None) -> list[str]:
    """What the layer sends for `frames`; after those marked in `resized_after`, a resize that ends
    at the size it started at (the driver's, on SIGWINCH): the layer forgets what it knew."""
    wire = Wire(COLUMNS, LINES)
    out: list[str] = []
    for index, writes in enumerate(frames):
        out += [wire.write(data) for data in writes]
        out.append(wire.flush())
        if resized_after and resized_after[index]:
            out.append(wire.resize(COLUMNS, LINES))
    return out


def cut(frame: str, points: list[int]) -> list[str]:
    """The frame in several writes, cut anywhere (inside escape sequences too)."""
    places = sorted({point % (len(frame) + 1) for point in points})
    return [frame[a:b] for a, b in zip([0, *places], [*places, len(frame)], strict=True)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(FRAME, st.lists(st.integers(0, 200), max_size=3), st.booleans()), min_size=1, max_size=6
    )
)
def test_the_terminal_shows_what_the_frames_draw(frames: list[tuple[str, list[int], bool]]) -> None:
    writes = [cut(frame, points) for frame, points, _ in frames]
    raw = feed([data for frame in writes for data in frame])
    sent = feed(through_wire(writes, [resized for _, _, resized in frames]))
    assert cells(sent) == cells(raw)
    if raw.cursor.x < COLUMNS and pyte.modes.DECTCEM in raw.mode:
        assert (sent.cursor.x, sent.cursor.y) == (raw.cursor.x, raw.cursor.y)


def test_an_unchanged_frame_sends_nothing_but_the_cursor() -> None:
    frame = "\x1b[0m\x1b[1;1H\x1b[1;38;2;10;20;30;48;5;17mhello\x1b[0m\x1b[2;1H\x1b[31mworld\x1b[0m\x1b[1;1H"
    wire = Wire(COLUMNS, LINES)
    first = wire.write(frame)
    assert "hello" in first and "world" in first
    assert wire.write(frame) == ""


def test_one_changed_cell_is_one_move_and_the_character() -> None:
    wire = Wire(COLUMNS, LINES)
    wire.write("\x1b[?25l\x1b[0m\x1b[3;1H\x1b[1;31mabcdef\x1b[0m")  # the cursor hidden, as in Textual
    assert wire.write("\x1b[3;1H\x1b[1;31mabcXef\x1b[0m") == "\x1b[4GX"  # from column 7 on row 3


def test_a_run_of_one_style_gets_one_code_with_only_what_changes() -> None:
    wire = Wire(COLUMNS, LINES)
    sent = wire.write(
        "\x1b[0m\x1b[1;1H" + "".join(f"\x1b[1;31m{c}\x1b[0m" for c in "abc") + "\x1b[1;32md\x1b[0m"
    )
    assert sent == "\x1b[H\x1b[0;1;31mabc\x1b[32md"


def test_after_a_resize_the_terminal_has_the_streams_pen() -> None:
    """The layer sends no trailing reset (the next cell sets its own style), so the terminal's pen
    differs from the stream's at the end of a frame. A frame after a resize that sets only the
    background must find the stream's pen (reset), not the red one the layer left."""
    wire = Wire(COLUMNS, LINES)
    first, frame = "\x1b[0m\x1b[1;1H\x1b[31mred\x1b[0m", "\x1b[1;1H\x1b[48;5;250m \x1b[0m"
    raw = feed([first, frame])
    sent = feed([wire.write(first), wire.resize(COLUMNS, LINES), wire.write(frame)])
    assert cells(sent) == cells(raw)
    assert sent.buffer[0][0].fg == "default"


def test_an_unknown_sequence_at_a_pending_wrap_acts_on_the_streams_row() -> None:
    """Text up to the last column leaves the cursor after it (a pending wrap), where no move can
    put the terminal's; cells drawn elsewhere since moved it. An insert-lines passed on there must
    act on the stream's row: the layer draws the last cell again first. Found by the test above."""
    frame = "\x1b[H\x1b[ma\x1b[2;1H\x1b[ma\x1b[7Gaaaaa\x1b[m\x1b[1d\x1b[ma\x1b[2L"
    assert cells(feed(through_wire([[frame]]))) == cells(feed([frame]))


def test_an_unknown_sequence_passes_and_the_next_frame_is_sent_in_full() -> None:
    wire = Wire(COLUMNS, LINES)
    frame = "\x1b[0m\x1b[1;1Habc"
    wire.write(frame)
    assert wire.write("\x1b[2L") == "\x1b[2L"
    assert "abc" in wire.write(frame)


def test_sgr_codes() -> None:
    bold_red = Style("31", "", 1)
    assert parse_sgr("1;31", PLAIN) == bold_red
    assert parse_sgr("4:3", PLAIN) is False
    assert parse_sgr("1", None) is None  # on an unknown pen: still unknown
    assert sgr(bold_red, Style("31", "", 0)) == "\x1b[22m"
    assert sgr(None, PLAIN) == "\x1b[m"
