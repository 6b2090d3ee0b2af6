"""Characters that terminals and Textual's TextArea cannot show as themselves, made visible.

TextArea splits lines on form feeds, vertical tabs, NEL and the Unicode line and paragraph
separators (like str.splitlines), so editing a text that holds one would silently turn it into a
newline; other control characters would reach the terminal raw and break the screen. In the editor
and in previews they are shown as their Unicode "control pictures" (␌, ␀, ␡, ...) and turned back
into the real characters when the text is read from the editor, so they round-trip untouched.
Tab and newline are shown as themselves (carriage returns never get this far: newlines are
normalised on load).
"""

from __future__ import annotations

_SPECIAL = {
    "\x7f": "\u2421",  # ␡ DELETE
    "\x85": "\u2424",  # ␤ NEXT LINE (no picture of its own; "symbol for newline")
    "\u2028": "\u240a",  # ␊ LINE SEPARATOR (LF itself is never pictured: it is a real newline)
    "\u2029": "\u240d",  # ␍ PARAGRAPH SEPARATOR (CR never survives newline normalisation)
}

TO_PICTURE: dict[int, str] = {
    **{code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in "\t\n\r"},
    **{ord(char): picture for char, picture in _SPECIAL.items()},
}
FROM_PICTURE: dict[int, str] = {ord(picture): chr(code) for code, picture in TO_PICTURE.items()}


def visible_controls(text: str) -> str:
    """Text for the editor and previews: control characters as control pictures."""
    return text.translate(TO_PICTURE)


def restore_controls(text: str) -> str:
    """The inverse of visible_controls: what the editor shows back to what the file holds."""
    return text.translate(FROM_PICTURE)
