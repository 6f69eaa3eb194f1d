"""Safe YAML loading that remembers where every value was written (for file:line:col messages)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

Marks = dict[tuple[Any, ...], tuple[int, int]]


def _walk(node: yaml.Node, path: tuple[Any, ...], marks: Marks) -> None:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                _walk(value, (*path, key.value), marks)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), marks)


class YamlSyntaxError(Exception):
    def __init__(self, line: int | None, column: int | None, problem: str) -> None:
        self.line, self.column, self.problem = line, column, problem
        super().__init__(problem)


def load_yaml(text: str) -> tuple[Any, Marks]:
    """Parse with SafeLoader (no Python tags ever run) and return the data with its marks."""
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        problem = e.problem or str(e)
        if "\t" in text and "tab" in str(e).lower():
            problem = "含有制表符（Tab），YAML 只能用空格缩进"
        return_line = mark.line + 1 if mark else None
        return_col = mark.column + 1 if mark else None
        raise YamlSyntaxError(return_line, return_col, problem) from e
    except yaml.YAMLError as e:
        raise YamlSyntaxError(None, None, str(e)) from e
    marks: Marks = {}
    if node is not None:
        _walk(node, (), marks)
    return data, marks


def locate(marks: Marks, loc: Sequence[Any]) -> tuple[int, int]:
    """The line and column of the deepest part of a pydantic error location found in the file.

    Parts that exist only in the model (a discriminated union's tag) are skipped.
    """
    path: tuple[Any, ...] = ()
    for part in loc:
        if (*path, part) in marks:
            path = (*path, part)
    return marks.get(path, (1, 1))


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig")
