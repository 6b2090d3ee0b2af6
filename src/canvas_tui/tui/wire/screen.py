"""What the terminal shows, and the fewest bytes that make it show the next frame.

Textual writes each frame as absolute cursor moves, a full style code and a reset around every
segment, and whole widget rows even where one cell changed. `Wire` reads that output as a terminal
would, into a model of the screen it *wants* (cells, styles, cursor), and keeps a second model of what
the terminal *shows*; after each write it sends only the cells that differ, each run with one style
code holding only the attributes that change, and the shortest cursor move (ncurses' `doupdate`,
mosh's state sync).

A wrong screen is impossible by construction: anything the model does not understand (an unknown
sequence, text with the cursor or style unknown, an edge of the screen it cannot be sure of) is sent
unchanged, after the terminal has been brought to exactly the state the unchanged output would have
left it in, and the cells it may have touched (all of them, when that is not known) become unknown in
both models. An unknown cell is never assumed: the next frame that paints it sends it.

No Textual here: the driver glue (driver.py) feeds it strings and writes what it returns.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from rich.cells import get_character_cell_size

# -- styles ---------------------------------------------------------------------------------------

BOLD, DIM, ITALIC, UNDERLINE, BLINK, RAPID_BLINK, REVERSE, CONCEAL, STRIKE = (1 << n for n in range(9))
DOUBLE_UNDERLINE, FRAME, ENCIRCLE, OVERLINE = (1 << n for n in range(9, 13))

ATTRIBUTE_ON = {
    1: BOLD,
    2: DIM,
    3: ITALIC,
    4: UNDERLINE,
    5: BLINK,
    6: RAPID_BLINK,
    7: REVERSE,
    8: CONCEAL,
    9: STRIKE,
    21: DOUBLE_UNDERLINE,
    51: FRAME,
    52: ENCIRCLE,
    53: OVERLINE,
}
ATTRIBUTE_OFF = {  # one code turns off a group: 22 both bold and dim
    22: BOLD | DIM,
    23: ITALIC,
    24: UNDERLINE | DOUBLE_UNDERLINE,
    25: BLINK | RAPID_BLINK,
    27: REVERSE,
    28: CONCEAL,
    29: STRIKE,
    54: FRAME | ENCIRCLE,
    55: OVERLINE,
}
ON_CODES = sorted((bit, str(code)) for code, bit in ATTRIBUTE_ON.items())


class Style(NamedTuple):
    """A cell's look. Colours are kept as the codes that set them ("31", "38;5;208", "48;2;1;2;3";
    "" for the default), so a colour is sent back exactly as it came: a terminal may show code 31
    and 256-colour 1 differently."""

    fg: str = ""
    bg: str = ""
    attributes: int = 0


PLAIN = Style()

Cell = tuple[str, Style]
"""A character (a wide one's second cell holds "") and its style."""

BLANK: Cell = (" ", PLAIN)


@lru_cache(maxsize=4096)
def parse_sgr(parameters: str, pen: Style | None) -> Style | bool | None:
    """The pen after SGR `parameters` (None: still unknown); False when a code is not understood.
    Cached: a frame sets the same few styles over and over, from the same few pens."""
    if ":" in parameters:
        return False  # sub-parameters (curly underlines, colon colours): not modelled
    codes = [int(code) if code else 0 for code in parameters.split(";")] if parameters else [0]
    fg, bg, attributes = pen if pen is not None else ("", "", 0)
    known = pen is not None
    index = 0
    while index < len(codes):
        code = codes[index]
        index += 1
        if code == 0:
            fg, bg, attributes, known = "", "", 0, True
        elif code in ATTRIBUTE_ON:
            attributes |= ATTRIBUTE_ON[code]
        elif code in ATTRIBUTE_OFF:
            attributes &= ~ATTRIBUTE_OFF[code]
        elif 30 <= code <= 37 or 90 <= code <= 97:
            fg = str(code)
        elif 40 <= code <= 47 or 100 <= code <= 107:
            bg = str(code)
        elif code == 39:
            fg = ""
        elif code == 49:
            bg = ""
        elif code in (38, 48):
            kind = codes[index] if index < len(codes) else -1
            if kind == 5 and index + 1 < len(codes) and codes[index + 1] <= 255:
                colour = f"{code};5;{codes[index + 1]}"
                index += 2
            elif kind == 2 and index + 3 < len(codes) and max(codes[index + 1 : index + 4]) <= 255:
                colour = f"{code};2;{codes[index + 1]};{codes[index + 2]};{codes[index + 3]}"
                index += 4
            else:
                return False
            if code == 38:
                fg = colour
            else:
                bg = colour
        else:
            return False
    return Style(fg, bg, attributes) if known else None


def sgr(old: Style | None, new: Style) -> str:
    """The shortest SGR sequence from pen `old` (None: unknown) to `new` ("" when equal)."""
    if old == new:
        return ""
    full = [code for bit, code in ON_CODES if new.attributes & bit]
    full += [colour for colour in (new.fg, new.bg) if colour]
    reset = "\x1b[0;" + ";".join(full) + "m" if full else "\x1b[m"
    if old is None:
        return reset
    codes: list[str] = []
    attributes = old.attributes
    for code, group in ATTRIBUTE_OFF.items():
        if old.attributes & group & ~new.attributes:
            codes.append(str(code))
            attributes &= ~group
    codes += [code for bit, code in ON_CODES if new.attributes & bit & ~attributes]
    if new.fg != old.fg:
        codes.append(new.fg or "39")
    if new.bg != old.bg:
        codes.append(new.bg or "49")
    delta = "\x1b[" + ";".join(codes) + "m"
    return delta if len(delta) < len(reset) else reset


# -- reading the stream -----------------------------------------------------------------------------

TOKEN = re.compile(
    r"\x1b\[([\x30-\x3f]*)([\x20-\x2f]*)([\x40-\x7e])"  # CSI: parameters, intermediates, final
    r"|(\x1b\][^\x07\x1b]*(?:\x07|\x1b\\))"  # OSC, to BEL or ST
    r"|(\x1b[P_^X][^\x1b]*\x1b\\)"  # DCS, APC, PM, SOS
    r"|(\x1b[\x20-\x2f]*[\x30-\x4f\x51-\x57\x59\x5a\x5c\x60-\x7e])"  # other escapes (not the starts above)
    r"|([\x00-\x1a\x1c-\x1f\x7f-\x9f])"  # one control character
    r"|([^\x00-\x1f\x7f-\x9f]+)"  # text
)
INCOMPLETE_LIMIT = 4096
"""A tail longer than this that still does not parse is sent as it is."""

HARMLESS_MODES = frozenset({1, 12, 25, 1000, 1002, 1003, 1004, 1005, 1006, 1015, 1016, 2004, 2026, 2048})
"""Private modes that change no cell: cursor keys and visibility, mouse and focus reports, paste,
synchronized output, in-band resize. Sent on as they are, the model kept."""
SCREEN_MODES = frozenset({47, 1047, 1049})
"""The alternate screen: another screen's cells, so the model is dropped."""


def half(cell: Cell | None) -> bool:
    """The second cell of a wide character."""
    return cell is not None and cell[0] == ""


def simple(text: str) -> bool:
    """A character every terminal draws in one cell and moves the cursor one cell after: Latin, box
    drawing and blocks. After any other, the cursor is placed anew instead of trusted."""
    if len(text) != 1:
        return False
    code = ord(text)
    return 0x20 <= code < 0x7F or 0xA0 <= code < 0x300 or 0x2500 <= code < 0x25A0


class Wire:
    """Both models and the encoder. `write(data)` returns what to send for `data`.

    `wanted` is the screen the incoming stream means; `shown` the terminal's, equal to what the
    incoming stream would have left on it. A cell is None where it is not known (in both at once).
    Cursor axes and the pen may be unknown (None) too: then the terminal's equal the stream's,
    because everything that moved or changed them was sent on unchanged.
    """

    def __init__(self, columns: int, lines: int) -> None:
        self.columns = columns
        self.lines = lines
        self.tail = ""
        self.out: list[str] = []
        """What the call in progress sends."""
        self.modes: dict[int, bool] = {}
        """Private modes set and reset (the cursor's visibility: a hidden one is not moved)."""
        self.blind: set[str] = set()
        """Why every byte is sent on unread: sequences that change what later ones mean (origin
        mode, insert mode, a scroll region, another character set, a saved cursor) and the
        sequences that end them."""
        self.drop()

    # -- state --------------------------------------------------------------------------------

    def drop(self) -> None:
        """Forget everything: the terminal may show anything, until the stream paints it again."""
        self.dirty: set[int] = set()
        self.forget_cells()
        self.x: int | None = None  # the stream's cursor; x == columns: after the last column
        self.y: int | None = None
        self.linefeed: tuple[int, int, int] | None = None
        """Line feeds not sent yet: from where (x, y), how many."""
        self.pen: Style | None = None
        self.shown_x: int | None = None  # the terminal's cursor, where known
        self.shown_y: int | None = None
        self.shown_pen: Style | None = None

    def forget_cells(self) -> None:
        """Every cell unknown, in both models."""
        unknown: list[Cell | None] = [None] * self.columns
        self.wanted = [unknown.copy() for _ in range(self.lines)]
        self.shown = [unknown.copy() for _ in range(self.lines)]
        self.dirty.clear()

    def resize(self, columns: int, lines: int) -> str:
        """A new size (or the same, after the terminal was resized and back): terminals crop,
        reflow or clear on a resize, so no cell is known. Returns what to send first: the
        terminal's cursor and pen brought to the stream's, for what comes next may move or style
        relative to them (a style code that sets only the background keeps the foreground), as it
        would on the terminal of the stream sent unchanged."""
        self.out = []
        self.sync(whole=True)
        self.columns, self.lines = columns, lines
        self.drop()
        return "".join(self.out)

    # -- the stream ---------------------------------------------------------------------------

    def write(self, data: str) -> str:
        """Read `data` into the wanted screen; return the bytes that bring the terminal there."""
        self.out = []
        data = self.tail + data
        self.tail = ""
        position = 0
        end = len(data)
        match = TOKEN.match
        while position < end:
            token = match(data, position)
            if token is None:  # an escape sequence cut at the end: wait for the rest
                rest = data[position:]
                if len(rest) > INCOMPLETE_LIMIT:
                    self.unknown(rest)
                else:
                    self.tail = rest
                break
            position = token.end()
            kind = token.lastindex
            if self.blind:
                self.passthrough(token.group(0))
                self.see(token.group(0))
            elif kind == 8:
                self.text(token.group(8))
            elif kind == 3:
                self.csi(token.group(1), token.group(2), token.group(3), token.group(0))
            elif kind == 4:
                self.passthrough(token.group(4), drop=token.group(4).startswith("\x1b]8;"))
            elif kind == 7:
                self.control(token.group(7))
            else:
                self.escape(token.group(0))
        self.sync(whole=False)
        return "".join(self.out)

    def flush(self) -> str:
        """The end of a frame: a sequence still cut short is sent as it is."""
        self.out = []
        if self.tail:
            tail, self.tail = self.tail, ""
            self.unknown(tail)
        return "".join(self.out)

    def unknown(self, sequence: str) -> None:
        """Not understood: the terminal gets it unchanged and nothing is known afterwards."""
        self.passthrough(sequence, drop=True)
        self.modes.clear()

    def passthrough(self, sequence: str, *, drop: bool = False, whole: bool = True) -> None:
        """Send `sequence` unchanged, with the terminal first brought to the stream's state (its
        cells only, when not `whole`: for sequences that neither draw nor move)."""
        self.sync(whole=whole)
        self.out.append(sequence)
        if drop:
            self.drop()

    def escape(self, sequence: str) -> None:
        if sequence in ("\x1b=", "\x1b>"):
            self.passthrough(sequence)  # keypad modes: input only
        elif sequence == "\x1b7" or (sequence[1:2] in "()*+-./" and sequence != "\x1b(B"):
            self.go_blind(sequence, sequence[:2])  # a saved cursor (DECRC restores it), a charset
        else:
            self.unknown(sequence)  # restore, index, resets: not modelled

    def go_blind(self, sequence: str, *reasons: str) -> None:
        self.unknown(sequence)
        self.blind.update(reasons)

    def see(self, sequence: str) -> None:
        """While blind: the sequences that end a reason for it."""
        if sequence == "\x1bc":  # a full reset
            self.blind.clear()
            self.modes.clear()
        elif sequence == "\x1b(B":
            self.blind.discard("\x1b(")
        elif sequence == "\x0f":
            self.blind.discard("\x0e")
        elif sequence in ("\x1b[r", "\x1b[;r"):
            self.blind.discard("r")
        elif sequence.startswith("\x1b[") and sequence.endswith("l"):
            for mode in sequence[2:-1].split(";"):
                self.blind.discard(mode)

    def control(self, char: str) -> None:
        x, y = self.x, self.y
        if char == "\r":
            self.x = 0
            self.linefeed = None
        elif char == "\x07":
            self.passthrough(char)
        elif x == self.columns and char == "\b":
            self.at_edge(char)
        elif char == "\n" and y is not None and y < self.lines - 1:
            # A line feed keeps the column in raw mode and goes to the first one with ONLCR: the row
            # is known, the column is not. Sent only once something needs that column (see sync):
            # Textual follows each with a move to a known place.
            if x is not None or self.linefeed is not None:
                x0, y0, count = self.linefeed or (x, y, 0)
                assert x0 is not None
                self.linefeed = (x0, y0, count + 1)
            else:
                self.passthrough(char)
                self.shown_x, self.shown_y = None, y + 1
            self.x, self.y = None, y + 1
        elif char == "\b" and x is not None:
            self.x = max(x - 1, 0)
        elif char == "\x0e":
            self.go_blind(char, char)  # shift out: the G1 character set
        else:
            self.unknown(char)

    def csi(self, parameters: str, intermediates: str, final: str, sequence: str) -> None:
        if intermediates:
            if parameters.startswith("?") and intermediates == "$" and final == "p":
                self.passthrough(sequence)  # a mode query (synchronized output, in-band resize)
            else:
                self.unknown(sequence)
            return
        if final == "m":
            pen = parse_sgr(parameters, self.pen)
            if pen is False:
                self.unknown(sequence)
            elif pen is None:
                self.passthrough(sequence)  # relative to an unknown pen: the terminal follows
            else:
                assert isinstance(pen, Style)
                self.pen = pen
            return
        if parameters.startswith("?") and final in "hl":
            self.mode(parameters[1:], final == "h", sequence)
            return
        if final == "h" or (final == "r" and parameters not in ("", ";")):
            # ANSI modes (insert, new line), a scroll region: blind until they end.
            self.go_blind(sequence, *(parameters.split(";") if final == "h" else ["r"]))
            return
        if parameters[:1] in "<=>" and final == "u":
            self.passthrough(sequence)  # the kitty keyboard protocol: input only
            return
        if not parameters.replace(";", "").isdigit() and parameters:
            self.unknown(sequence)
            return
        if self.linefeed is not None and final not in "HfG":
            self.sync()  # the column a line feed left matters to what follows: send the line feed
        numbers = [int(n) if n else 0 for n in parameters.split(";")] if parameters else []
        first = numbers[0] if numbers else 0
        count = max(first, 1)
        if final in "Hf" and len(numbers) <= 2:
            row = max(first, 1)
            column = max(numbers[1], 1) if len(numbers) > 1 else 1
            if row > self.lines or column > self.columns:
                self.unknown(sequence)  # clamped by the terminal: not modelled
            else:
                self.x, self.y = column - 1, row - 1
                self.linefeed = None
        elif final == "G" and len(numbers) <= 1:
            self.x = min(count, self.columns) - 1
            self.linefeed = None
        elif final in "dAB" and len(numbers) <= 1:
            if self.x == self.columns:
                self.at_edge(sequence)  # from a pending wrap: the column differs between terminals
            elif final == "d":
                self.y = min(count, self.lines) - 1
            elif self.y is None:
                self.passthrough(sequence)  # relative to an unknown row: the terminal follows
            else:
                self.y = max(self.y - count, 0) if final == "A" else min(self.y + count, self.lines - 1)
        elif final in "CD" and len(numbers) <= 1:
            if self.x is None:
                self.passthrough(sequence)  # relative to an unknown column: the terminal follows
            elif self.x == self.columns:
                self.at_edge(sequence)
            else:
                self.x = max(self.x - count, 0) if final == "D" else min(self.x + count, self.columns - 1)
        elif final in "JK" and len(numbers) <= 1:
            if self.x == self.columns:
                self.at_edge(sequence)
            else:
                self.erase(final, first, sequence)
        else:
            self.unknown(sequence)

    def erase(self, final: str, how: int, sequence: str) -> None:
        """Erase in display or line, modelled only with the plain pen (what colour other pens
        leave behind differs between terminals) and the cursor known."""
        x, y = self.x, self.y
        if self.pen != PLAIN or x is None or y is None or how not in (0, 1, 2):
            self.unknown(sequence)
            return
        x = min(x, self.columns - 1)
        rows: list[tuple[int, int, int]] = []  # (row, from, to)
        if final == "K":
            rows = [(y, *((x, self.columns), (0, x + 1), (0, self.columns))[how])]
        elif how == 0:
            rows = [(y, x, self.columns), *((row, 0, self.columns) for row in range(y + 1, self.lines))]
        elif how == 1:
            rows = [*((row, 0, self.columns) for row in range(y)), (y, 0, x + 1)]
        else:
            rows = [(row, 0, self.columns) for row in range(self.lines)]
        for row, left, right in rows:
            line = self.wanted[row]
            if (left > 0 and half(line[left])) or (right < self.columns and half(line[right])):
                self.unknown(sequence)  # half a wide character: terminals differ
                return
        for row, left, right in rows:
            self.wanted[row][left:right] = [BLANK] * (right - left)
            self.dirty.add(row)

    def mode(self, numbers: str, on: bool, sequence: str) -> None:
        modes = [int(n) for n in numbers.split(";") if n.isdigit()]
        if not modes or len(modes) != len(numbers.split(";")):
            self.unknown(sequence)
        elif all(mode in HARMLESS_MODES for mode in modes):
            if any(self.modes.get(mode) is not on for mode in modes) or 2026 in modes:
                self.passthrough(sequence, whole=25 in modes)  # the cursor shown where it should be
            self.modes.update(dict.fromkeys(modes, on))
        elif all(mode in HARMLESS_MODES or mode in SCREEN_MODES for mode in modes):
            self.unknown(sequence)
        elif modes == [7]:
            self.passthrough(sequence)  # line wrap: text is never modelled past the last column
            self.modes[7] = on
        elif on:  # origin mode, margins, reverse screen...: blind until reset
            self.go_blind(sequence, *(f"?{mode}" for mode in modes if mode not in HARMLESS_MODES))
        else:
            self.unknown(sequence)

    # -- text ---------------------------------------------------------------------------------

    def text(self, text: str) -> None:
        columns = self.columns
        x, y, pen, count = self.x, self.y, self.pen, len(text)
        if x is not None and y is not None and pen is not None and x + count <= columns and text.isascii():
            # Most of a frame: one-cell characters in a known place and style, no wide one cut.
            line = self.wanted[y]
            if not half(line[x]) and (x + count == columns or not half(line[x + count])):
                line[x : x + count] = [(char, pen) for char in text]
                self.dirty.add(y)
                self.x = x + count
                return
        for char in text:
            x, y, pen = self.x, self.y, self.pen
            if x is None or y is None:
                # Where is not known: the terminal draws it, and no cell is known afterwards.
                self.passthrough(char)
                self.forget_cells()
                self.x = self.y = self.shown_x = self.shown_y = None  # moved on (wrapped, maybe)
                continue
            width = 1 if " " <= char < "\x7f" else get_character_cell_size(char)
            line = self.wanted[y]
            if width == 0:
                self.combine(char, x, y)
                continue
            if pen is None and x + width <= columns:
                self.overwrite_half(char, x, y, width)  # in an unknown style: drawn as it is
                continue
            if x == columns:
                self.at_edge(char)  # after the last column: wraps or not, by mode and terminal
                continue
            if x + width > columns:
                self.unknown(char)  # a wide character in the last column: terminals differ
                continue
            old = line[x]
            after = line[x + width] if x + width < columns else None
            if half(old) or half(after):
                self.overwrite_half(char, x, y, width)  # cuts a wide character in two
                continue
            assert pen is not None
            line[x] = (char, pen)
            if width == 2:
                line[x + 1] = ("", pen)
            self.dirty.add(y)
            self.x = x + width

    def combine(self, char: str, x: int, y: int) -> None:
        """A zero-width character joins the cell before the cursor (the last one, after the edge)."""
        if x == self.columns:
            self.at_edge(char)  # joins the last cell, or wraps first: terminals differ
            return
        line = self.wanted[y]
        target = x - 1
        if target >= 0 and half(line[target]):
            target -= 1
        cell = line[target] if target >= 0 else None
        if cell is None or x == 0:
            self.overwrite_half(char, x, y, 0)
            return
        line[target] = (cell[0] + char, cell[1])
        self.dirty.add(y)

    def overwrite_half(self, char: str, x: int, y: int, width: int) -> None:
        """Text whose effect differs between terminals (half a wide character, a combining mark with
        nothing known to join): sent as it is, and the cells it can touch become unknown."""
        self.passthrough(char)
        line = self.wanted[y]
        left, right = max(x - 2, 0), min(x + max(width, 1) + 1, self.columns)
        if half(line[left]) and left > 0:
            left -= 1  # never half a wide character left known
        if right < self.columns and half(line[right]):
            right += 1
        self.wanted[y][left:right] = [None] * (right - left)
        self.shown[y][left:right] = [None] * (right - left)
        self.x = x + width
        self.shown_x = None

    def at_edge(self, sequence: str) -> None:
        """Something whose effect depends on the cursor being after the last column (a pending
        wrap): the terminal is put there too, by drawing the last cell again, then gets it as it is."""
        self.sync()
        assert self.y is not None and self.x == self.columns
        self.to_edge(self.y)
        self.passthrough(sequence, drop=True)

    def to_edge(self, y: int) -> None:
        """Put the terminal's cursor after the last column of row `y`, by drawing its cell again."""
        if (self.shown_x, self.shown_y) == (self.columns, y):
            return
        line = self.shown[y]
        x = self.columns - 1
        if x > 0 and half(line[x]):
            x -= 1
        cell = line[x]
        if cell is not None and cell[0]:  # (an unknown cell cannot be drawn again: left as it is)
            self.move(x, y)
            self.out.append(sgr(self.shown_pen, cell[1]))
            self.out.append(cell[0])
            self.shown_pen = cell[1]
            self.shown_x, self.shown_y = self.columns, y

    # -- the encoder --------------------------------------------------------------------------

    def sync(self, *, whole: bool = True) -> None:
        """Bring the terminal to the wanted screen, cursor and pen, with the fewest bytes.

        At the end of a write (`whole` False) the pen is left as it is (every cell drawn sets its
        own), and so is a hidden cursor: both are set when something passes through unchanged."""
        out = self.out
        if self.dirty:
            # Where the stream's cursor or pen is unknown, the terminal's is the right one: kept
            # (DECSC, DECRC) around the cells drawn.
            keep = self.pen is None or ((self.x is None or self.y is None) and self.linefeed is None)
            saved = self.shown_x, self.shown_y, self.shown_pen
            mark = len(out)
            for y in sorted(self.dirty):
                if self.wanted[y] != self.shown[y]:
                    self.paint_row(y)
            self.dirty.clear()
            if keep and len(out) > mark:
                out.insert(mark, "\x1b7")
                out.append("\x1b8")
                self.shown_x, self.shown_y, self.shown_pen = saved
        if not whole and self.modes.get(25) is False:
            return
        if self.linefeed is not None:
            x0, y0, count = self.linefeed
            self.linefeed = None
            if x0 == self.columns:
                self.to_edge(y0)
            else:
                self.move(x0, y0)
            out.append("\n" * count)
            self.shown_x, self.shown_y = None, y0 + count
        if self.x is not None and self.y is not None:
            if (self.shown_x, self.shown_y) != (self.x, self.y) and self.x < self.columns:
                self.move(self.x, self.y)
            elif whole and self.x == self.columns:
                self.to_edge(self.y)  # a pending wrap, where what passes through next acts
        elif self.x is not None and self.shown_x != self.x and self.x < self.columns:
            out.append(f"\x1b[{self.x + 1}G")
            self.shown_x = self.x
        elif self.y is not None and self.shown_y != self.y:
            out.append(f"\x1b[{self.y + 1}d")
            self.shown_y = self.y
        if whole and self.pen is not None and self.shown_pen != self.pen:
            out.append(sgr(self.shown_pen, self.pen))
            self.shown_pen = self.pen

    def paint_row(self, y: int) -> None:
        wanted, shown = self.wanted[y], self.shown[y]
        out = self.out
        columns = self.columns
        # From where on the wanted row is blank in the plain style: erase to its end instead.
        blank_from = columns
        while blank_from > 0 and wanted[blank_from - 1] == BLANK:
            blank_from -= 1
        x = 0
        while x < columns:
            cell = wanted[x]
            if cell is None or cell == shown[x] or cell[0] == "":
                x += 1
                continue
            here = shown[x]
            if (
                x >= blank_from
                and columns - x > 4
                and (x == 0 or shown[x - 1] is not None)
                and (here is None or here[0] != "")
            ):
                # Erase to the end, in the plain pen; never from half a wide character.
                self.move(x, y)
                out.append(sgr(self.shown_pen, PLAIN))
                self.shown_pen = PLAIN
                out.append("\x1b[K")
                shown[x:] = [BLANK] * (columns - x)
                break
            self.move(x, y)
            text, style = cell
            if style != self.shown_pen:
                out.append(sgr(self.shown_pen, style))
                self.shown_pen = style
            out.append(text)
            wide = x + 1 < columns and half(wanted[x + 1])
            width = 2 if wide else 1
            shown[x : x + width] = wanted[x : x + width]
            if x + width < columns and half(shown[x + width]):
                shown[x + width] = None  # a wide character's second half, cut off: terminals differ
            x += width
            self.shown_y = y
            self.shown_x = x if simple(text) else None  # columns: a pending wrap

    def move(self, x: int, y: int) -> None:
        """The shortest cursor move from where the terminal's cursor is to (x, y); over a few
        unchanged cells in the current style, writing them again is shorter than any move."""
        sx, sy = self.shown_x, self.shown_y
        if sx == x and sy == y:
            return
        if sx is not None and sx >= self.columns:
            sx = None  # a pending wrap: relative moves from there differ between terminals
        out = self.out
        candidates = [f"\x1b[{y + 1};{x + 1}H" if x else (f"\x1b[{y + 1}H" if y else "\x1b[H")]
        if sy == y:
            if x == 0:
                candidates.append("\r")
            candidates.append(f"\x1b[{x + 1}G")
            if sx is not None and sx < x:
                gap = x - sx
                candidates.append("\x1b[C" if gap == 1 else f"\x1b[{gap}C")
                if gap <= 4:
                    cells = self.shown[y][sx:x]
                    if all(c is not None and c[1] == self.shown_pen and simple(c[0]) for c in cells):
                        candidates.append("".join(c[0] for c in cells))  # type: ignore[index]
            elif sx is not None and sx > x:
                gap = sx - x
                candidates.append("\x1b[D" if gap == 1 else f"\x1b[{gap}D")
        elif sx == x and sy is not None:
            gap = y - sy
            if gap > 0:
                candidates.append("\x1b[B" if gap == 1 else f"\x1b[{gap}B")
            else:
                candidates.append("\x1b[A" if gap == -1 else f"\x1b[{-gap}A")
        out.append(min(candidates, key=len))
        self.shown_x, self.shown_y = x, y
