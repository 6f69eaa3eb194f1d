"""A YAML candidate file laid out by its keys, which already name the fields; details nested under a
candidate belong to that candidate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jzleader.codes import Code
from jzleader.contract import DETAIL_KINDS, header_field, sheet_kind
from jzleader.errors import InputError
from jzleader.inputs.grid import YamlDoc
from jzleader.layout.rows import classify
from jzleader.layout.tables import Tables
from jzleader.model import Cell, Place, Reason, Row
from jzleader.values import is_blank


def yaml_tables(doc: YamlDoc, out: Tables) -> None:
    path, data, marks = doc.path, doc.data, doc.marks
    if isinstance(data, list):
        data, marks = {"candidates": data}, {(("candidates",) + k): v for k, v in marks.items()}
    if not isinstance(data, dict):
        raise InputError(path, "YAML 文件应包含 candidates: 候选人列表")
    sections = [(sheet_kind(str(k)), k) for k in data]
    if "candidates" not in {kind for kind, _ in sections}:
        raise InputError(path, "YAML 文件中没有 candidates（候选人）列表")
    for kind, key in sections:
        if kind is None:
            out.notes.append(f"{path.name}：“{key}”不是规定的部分，未读取")
            continue
        items = data[key]
        if not isinstance(items, list):
            raise InputError(path, f"“{key}”应为列表（每项以“- ”开头）")
        _rows(path, kind, items, (key,), marks, out)


def _rows(
    path: Path,
    kind: str,
    items: list[Any],
    base: tuple[Any, ...],
    marks: dict[Any, Any],
    out: Tables,
    owner: Row | None = None,
) -> None:
    """Rows of one YAML list; details nested under a candidate belong to that candidate."""
    for i, item in enumerate(items):
        line = marks.get((*base, i), (None, None))[0]
        place = Place(str(path), None, None, i + 1, line)
        if not isinstance(item, dict):
            out.problems.append(Reason.of(Code.ROW_SKIPPED, place, row=i + 1))
            continue
        cells: dict[str, Cell] = {}
        nested: list[tuple[str, Any]] = []
        for key, value in item.items():
            name = header_field(kind, key)
            if name is None:
                detail = sheet_kind(str(key)) if kind == "candidates" else None
                if detail in DETAIL_KINDS and isinstance(value, list):
                    nested.append((detail, key))
                else:
                    out.notes.append(f"{path.name}：第{i + 1}项的“{key}”不是规定的字段，未读取")
                continue
            if not is_blank(value):
                vline = marks.get((*base, i, key), (line, None))[0]
                cells[name] = Cell(value, None, Place(str(path), None, None, i + 1, vline))
        if owner is not None:
            cells = {**{k: v for k, v in owner.cells.items() if k in ("id_number", "name")}, **cells}
        raw = [c.value for c in cells.values()]
        row = classify(kind, cells, {}, place, out, raw, {}, None)
        if row is None:
            continue
        if owner is not None:
            row = Row(kind, place, cells, owner=owner.place)
        out.add(kind, [row])
        for detail, key in nested:
            _rows(path, detail, item[key], (*base, i, key), marks, out, owner=row)
