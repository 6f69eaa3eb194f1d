"""CSV -> Grid of one unnamed sheet, decoded as WPS and Excel save text."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from jzleader.errors import InputError
from jzleader.inputs.grid import MAX_COLUMNS, Grid, Sheet


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode as WPS and Excel save text: BOMs first, then strict UTF-8, then GB18030 (⊃ GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 (BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    for encoding, label in (("utf-8", "UTF-8"), ("gb18030", "GB18030/GBK")):
        try:
            return data.decode(encoding), label
        except UnicodeDecodeError:
            continue
    raise InputError(path, "无法识别文本编码（不是 UTF-8 也不是 GBK），请在 Excel/WPS 中另存为 .xlsx")


def read_csv(path: Path) -> Grid:
    try:
        text, encoding = decode_text(path, path.read_bytes())
    except UnicodeDecodeError as e:
        raise InputError(path, "文件编码损坏，无法读取，请在 Excel/WPS 中另存为 .xlsx") from e
    grid = Grid(path, "csv")
    grid.notes.append(f"{path.name}：按 {encoding} 编码读取")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:  # newline="": a line may end in CRLF, LF, or the CR alone of old Mac Excel
        rows: list[tuple[int, list[Any]]] = [
            (n, list(r[:MAX_COLUMNS])) for n, r in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1)
        ]
    except csv.Error as e:
        raise InputError(path, f"CSV 文件格式有误（{e}），请在 Excel/WPS 中打开后另存为 .xlsx") from e
    grid.sheets.append(Sheet(None, rows))
    return grid
