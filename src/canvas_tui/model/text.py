"""Characters that terminals and Textual's TextArea cannot show as themselves, made visible.

TextArea splits lines on form feeds, vertical tabs, NEL and the Unicode line and paragraph
separators (like str.splitlines), so editing a text that holds one would silently turn it into a
newline; other control characters would reach the terminal raw and break the screen. In the editor
and in previews they are shown as their Unicode "control pictures" (␌, ␀, ␡, ...) and turned back
into the real characters when the text is read from the editor. Tab and newline are shown as
themselves (carriage returns never get this far: newlines are normalised on load).

So that opening and saving a block can never change it, picture characters that are already in
the text stand in the editor for themselves through a private-use escape (they show as a blank
box there): only a picture typed in the editor becomes the control character it pictures.

Also the one newline rule every text goes through on its way in (`normalise_newlines`), and the
one rule for file text printed outside the editor (`for_terminal`).
"""

from __future__ import annotations

_SPECIAL = {
    "\x7f": "\u2421",  # ␡ DELETE
    "\x85": "\u2424",  # ␤ NEXT LINE (no picture of its own; "symbol for newline")
    "\u2028": "\u240a",  # ␊ LINE SEPARATOR (LF itself is never pictured: it is a real newline)
    "\u2029": "\u240d",  # ␍ PARAGRAPH SEPARATOR (CR never survives newline normalisation)
}

_PICTURE_OF: dict[str, str] = {
    **{chr(code): chr(0x2400 + code) for code in range(0x20) if chr(code) not in "\t\n\r"},
    **_SPECIAL,
}
_ESCAPE_OFFSET = 0xF0000  # plane 15, private use: never in real text by accident

TO_EDITOR: dict[int, str] = {
    **{ord(control): picture for control, picture in _PICTURE_OF.items()},
    **{ord(picture): chr(_ESCAPE_OFFSET + ord(picture)) for picture in _PICTURE_OF.values()},
}
FROM_EDITOR: dict[int, str] = {
    ord(shown): original for original, shown in ((chr(code), text) for code, text in TO_EDITOR.items())
}


def visible_controls(text: str) -> str:
    """Text for the editor and previews: control characters as pictures, literal pictures escaped."""
    return text.translate(TO_EDITOR)


def restore_controls(text: str) -> str:
    """The inverse of visible_controls: what the editor shows back to what the file holds."""
    return text.translate(FROM_EDITOR)


_DISPLAY: dict[int, str] = {ord(control): picture for control, picture in _PICTURE_OF.items()}


def display_controls(text: str) -> str:
    """For read-only display (cards, headers): control characters as pictures, nothing escaped."""
    return text.translate(_DISPLAY)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so a paste from Windows cannot turn the whole file into CRLF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# -- file text on a terminal, outside the editor -------------------------------------------------

_C1 = range(0x80, 0xA0)
_BIDI = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
_TERMINAL_LINE: dict[int, str] = {
    **{code: chr(0x2400 + code) for code in range(0x20)},
    0x7F: "\u2421",
    **{code: f"\\x{code:02x}" for code in _C1},
    **{code: f"\\u{code:04x}" for code in (*_BIDI, 0x2028, 0x2029)},
}
_TERMINAL_TEXT: dict[int, str] = {
    code: shown for code, shown in _TERMINAL_LINE.items() if code not in (ord("\n"), ord("\t"))
}


def for_terminal(text: str, *, multiline: bool = False) -> str:
    """File text as it may be printed: nothing in it can steer the terminal, every character shows.

    A canvas, a lock file or a recovery file may come from a stranger (a clone, a shared folder),
    and a terminal obeys what it is sent: ESC starts sequences that clear the screen, write the
    clipboard (OSC 52) or plant links (OSC 8). So C0 controls and DEL become their control pictures
    (␛, ␇, ␡), as in the editor; C1 controls (0x80-0x9f, which some terminals obey as ESC + a
    letter) and the line and paragraph separators become `\\x9b`-style escapes, as in error
    messages. The bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) become
    `\\u202e`-style escapes too: they would reorder the rest of the line on terminals that do bidi,
    so a diff or a status line could read differently from what the file says (the "Trojan Source"
    trick); right-to-left text itself needs none of them and is shown as it is. Every other
    character, printable or not, is kept. `multiline` keeps newlines and tabs as themselves, for
    block texts; a one-line value (a header field, a host name) pictures those too.
    """
    return text.translate(_TERMINAL_TEXT if multiline else _TERMINAL_LINE)
