"""Safe YAML loading that remembers where every value was written (for file:line:col messages)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

Marks = dict[tuple[Any, ...], tuple[int, int]]


def _walk(node: yaml.Node, path: tuple[Any, ...], marks: Marks) -> None:
    """Record where every key and item was written (the document has no cycles: load_yaml refused them)."""
    marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                # a mapping entry is located at its key: where a person looks for "max_age:"
                marks[(*path, key.value)] = (key.start_mark.line + 1, key.start_mark.column + 1)
                _walk(value, (*path, key.value), marks)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), marks)


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text: 2020-13-45 reaches the date parsers (and their messages)
    instead of crashing PyYAML's timestamp constructor with a bare ValueError."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlSyntaxError(Exception):
    def __init__(self, line: int | None, column: int | None, problem: str) -> None:
        self.line, self.column, self.problem = line, column, problem
        super().__init__(problem)


MAX_EXPANDED_NODES = 5_000_000  #: far beyond any real file; a "billion laughs" alias bomb is far beyond it


def _expanded_size(node: yaml.Node, memo: dict[int, int], inside: set[int], depth: int = 0) -> int:
    """How many nodes the document has once every alias is expanded (aliases share nodes).

    An alias inside the very node it names (`&a {awards: [*a]}`) would expand forever: no list of
    candidates is written that way, so it is refused with its line.
    """
    key = id(node)
    if key in inside:
        line = node.start_mark.line + 1
        raise YamlSyntaxError(
            line, node.start_mark.column + 1, f"别名（*）引用了包含它自己的内容（第{line}行的 &），请直接写出内容"
        )
    if key in memo:
        return memo[key]
    if depth > 200:
        raise YamlSyntaxError(None, None, "YAML 嵌套过深")
    inside.add(key)
    size = 1
    if isinstance(node, yaml.MappingNode):
        size += sum(
            _expanded_size(k, memo, inside, depth + 1) + _expanded_size(v, memo, inside, depth + 1) for k, v in node.value
        )
    elif isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(item, memo, inside, depth + 1) for item in node.value)
    inside.discard(key)
    memo[key] = size
    return size


def load_yaml(text: str) -> tuple[Any, Marks]:
    """Parse with a SafeLoader (no Python tags ever run) and return the data with its marks.

    The document is composed once; its size with aliases expanded is bounded before any value
    is built, so an alias bomb is refused instead of exhausting memory in whoever walks it.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None and _expanded_size(node, {}, set()) > MAX_EXPANDED_NODES:
            raise YamlSyntaxError(None, None, "YAML 别名（&/*）展开后过大，可能是恶意文件")
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        problem = e.problem or str(e)
        if "\t" in text and "tab" in str(e).lower():
            problem = "含有制表符（Tab），YAML 只能用空格缩进"
        raise YamlSyntaxError(mark.line + 1 if mark else None, mark.column + 1 if mark else None, problem) from e
    except yaml.YAMLError as e:
        raise YamlSyntaxError(None, None, str(e)) from e
    except (ValueError, TypeError, OverflowError) as e:  # an explicit !!int abc or !!timestamp tag
        raise YamlSyntaxError(None, None, f"无法解析的值（{e}）") from e
    except RecursionError as e:
        raise YamlSyntaxError(None, None, "YAML 嵌套过深") from e
    finally:
        loader.dispose()
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
