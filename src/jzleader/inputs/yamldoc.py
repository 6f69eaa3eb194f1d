"""A YAML candidate file -> YamlDoc (its data and the line of every key), for the layout stage."""

from __future__ import annotations

from pathlib import Path

from jzleader.errors import InputError
from jzleader.inputs.grid import YamlDoc
from jzleader.yamlfile import YamlSyntaxError, load_yaml


def read_yaml(path: Path) -> YamlDoc:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(path, "YAML 文件必须是 UTF-8 编码") from e
    try:
        data, marks = load_yaml(text)
    except YamlSyntaxError as e:
        where = f"第{e.line}行第{e.column}列" if e.line else ""
        raise InputError(path, f"YAML 格式错误{where}：{e.problem}") from e
    return YamlDoc(path, data, marks)
