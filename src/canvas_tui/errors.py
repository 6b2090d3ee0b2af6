"""Errors the command line turns into one line and exit code 2, kept apart from the modules that
raise them so that starting the editor does not import git support (and its subprocess helpers)."""

from __future__ import annotations


class GitError(Exception):
    """git is missing or said no; the message is one line."""
