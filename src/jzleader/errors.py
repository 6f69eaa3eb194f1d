"""Exceptions that end a run (exit 2). Problems with one cell are data, not exceptions."""

from __future__ import annotations

from pathlib import Path


class JzleaderError(Exception):
    """Base of every error the CLI turns into a message and exit status 2."""


class InputError(JzleaderError):
    """An input file cannot be used at all. The message names the file and says what to do."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = str(path)
        self.message = message
        super().__init__(f"{path}: {message}")


class RuleFileError(JzleaderError):
    """A rule file cannot be loaded. Each entry of `problems` is already `file:line:col: text`."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__("\n".join(problems))
