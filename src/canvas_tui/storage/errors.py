"""The one error type of the storage room: a problem with a canvas file, told in one line."""

from __future__ import annotations

import re
from pathlib import Path

from canvas_tui.errors import UserFacingError


class CanvasFileError(UserFacingError):
    """A problem with a canvas file, told in one line: `path:line:column: what is wrong`."""

    def __init__(
        self, path: Path | str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = Path(path)
        self.message = message
        self.line = line
        self.column = column
        self.denied = False  # this path cannot be written (permission, or a file in the way): "Save as" helps
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        # The path and the message can quote the file's own values (a template id, a key), which
        # may hold newlines or control characters; escape them so the message stays one line.
        return _CONTROL.sub(_escape, f"{where}: {self.message}")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]
