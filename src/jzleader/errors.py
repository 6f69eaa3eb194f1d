"""Exceptions that end a run (exit 2). Problems with one cell are data, not exceptions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jzleader.codes import Code


class JzleaderError(Exception):
    """Base of every error the CLI turns into a message and exit status 2."""


class InputError(JzleaderError):
    """An input file cannot be used at all. The message names the file and says what to do."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = str(path)
        self.message = message
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class RuleProblem:
    """One mistake in a rule file, where the person editing it will find it."""

    path: str
    line: int | None
    column: int | None
    code: Code  #: RULE_... (codes.py: `jzleader codes` lists them)
    field: str  #: the field path, e.g. rules[4].max_age
    message: str  #: in Chinese: what is expected

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        field = f" {self.field}:" if self.field else ""
        return f"{where}: {self.code.name}{field} {self.message}"


class RuleFileError(JzleaderError):
    """A rule file cannot be used: every problem found, each as `file:line:col: CODE field: message`."""

    def __init__(self, path: Path | str, problems: list[RuleProblem]) -> None:
        self.path = str(path)
        self.records = problems
        self.problems = [str(p) for p in problems]
        super().__init__("\n".join(self.problems))
