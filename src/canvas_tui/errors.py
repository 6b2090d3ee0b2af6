"""The one base of the errors a user can act on, and the git error.

Each such error stays beside the code that raises it (CanvasFileError in storage, TemplateError in
model, FileRefused in files, ThemeFileError in tui...) and derives from UserFacingError, so that
the command line catches one type and prints its one line, exit code 2, without a traceback. This
module imports nothing, so any room may use it, the core included.
"""

from __future__ import annotations


class UserFacingError(Exception):
    """Something the user can fix, told in one line that names the file (and where in it)."""


class GitError(UserFacingError):
    """git is missing or said no; the message is one line."""
