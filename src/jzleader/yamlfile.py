"""Safe YAML loading that remembers where every value was written (for file:line:col messages)."""

from __future__ import annotations

import re
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


#: a key followed by a full-width colon, as a Chinese input method types it: "  gender： 男", "- 姓名：张伟"
_WIDE_COLON_KEY = re.compile(r"^\s*(?:-\s+)?([^\s:：#\-{}\[\]\"'][^:：#{}\[\]\"']*?)\s*：")


def _explained(text: str, error: yaml.MarkedYAMLError) -> YamlSyntaxError:
    """The parser's English error as the mistake an officer made, with the line that holds it and the fix.

    PyYAML reports where it noticed trouble, which is often the line after the mistake; the lines up to
    there are searched for the mistakes people make: a tab in the indentation, a key typed with the
    full-width colon of a Chinese input method, a second document after "---".
    """
    mark = error.problem_mark
    line = mark.line + 1 if mark else None
    lines = text.splitlines()
    upto = lines[: line or len(lines)]
    for n, source in enumerate(upto, start=1):
        if "\t" in source[: len(source) - len(source.lstrip())]:
            return YamlSyntaxError(n, 1, "这一行用制表符（Tab）缩进，YAML 只能用空格缩进：请把 Tab 换成空格，与上下行对齐")
    for n in range(len(upto), max(len(upto) - 3, 0), -1):  # the error line and the three above it
        m = _WIDE_COLON_KEY.match(upto[n - 1])
        if m and ":" not in upto[n - 1][: m.end()]:
            key = m.group(1).strip()
            return YamlSyntaxError(n, m.end(), f"“{key}”后面用了中文冒号“：”，YAML 要求英文冒号加空格：请改为“{key}: ”")
    problem = error.problem or str(error)
    if "another document" in problem or "single document" in str(error):
        return YamlSyntaxError(
            line,
            1,
            "文件中有第二个 YAML 文档（这一行的“---”或“...”后又开始了新内容）："
            "一个文件只能有一份名单，请删除这一行或把两份名单合并",
        )
    if "\t" in problem:
        return YamlSyntaxError(line, mark.column + 1 if mark else None, "这里有制表符（Tab），YAML 只能用空格：请把 Tab 换成空格")
    words = next((w for start, w in _PROBLEMS.items() if problem.startswith(start)), "格式有误")
    return YamlSyntaxError(line, mark.column + 1 if mark else None, f"{words}（{problem}）")


#: the other parser messages a hand-edited file meets most, in the officer's words
_PROBLEMS = {
    "could not find expected ':'": "缺少冒号，或上一行的引号、括号没有配对",
    "mapping values are not allowed here": "冒号位置不对：值中含有“: ”时请给整个值加引号",
    "found character that cannot start any token": "这里有 YAML 不允许的字符，请给整个值加引号",
    "did not find expected key": "缩进没有对齐，或引号、括号没有配对",
    "did not find expected '-' indicator": "列表项的缩进没有对齐",
    "found unexpected end of stream": "引号或括号没有配对",
    "found undefined alias": "使用了未定义的别名（*）",
    "expected <block end>": "缩进没有对齐，或上面某行的引号没有配对",
}


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
        raise _explained(text, e) from e
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
