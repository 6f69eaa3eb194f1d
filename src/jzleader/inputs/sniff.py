"""What a file really is, from its first bytes rather than its name, and the reader for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jzleader.codes import Code
from jzleader.errors import InputError
from jzleader.inputs.csv import read_csv
from jzleader.inputs.grid import Grid, YamlDoc
from jzleader.inputs.ods import is_ods, read_ods
from jzleader.inputs.safety import check_archive
from jzleader.inputs.xls import read_ole2
from jzleader.inputs.xlsx import read_xlsx
from jzleader.inputs.yamldoc import read_yaml
from jzleader.limits import DEFAULT_MAX_UNPACKED_MB
from jzleader.model import Place, Reason

_ZIP = b"PK\x03\x04"
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")


def read_file(path: Path, *, max_unpacked_mb: int = DEFAULT_MAX_UNPACKED_MB) -> Grid | YamlDoc:
    """Read one input file of any supported format."""
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except FileNotFoundError as e:
        raise InputError(path, "找不到文件，请检查文件名和路径") from e
    except IsADirectoryError as e:
        raise InputError(path, "这是一个文件夹") from e
    except OSError as e:
        raise InputError(path, f"无法打开文件（{e.strerror}），如果文件正在 Excel/WPS 中打开，请先关闭") from e
    if not head:
        raise InputError(path, "文件是空的（0字节），请让报送单位重新发送")
    suffix = path.suffix.lower()
    if head.startswith(_ZIP):
        check_archive(path, max_unpacked_mb)
        if is_ods(path):
            return _by_content(read_ods(path), suffix, (".ods",), ".ods")
        return _by_content(read_xlsx(path), suffix, (".xlsx", ".xlsm", ".xltx"), ".xlsx")
    if head.startswith(_OLE2):
        return _by_content(read_ole2(path), suffix, (".xls", ".et"), ".xls")  # WPS names its own .et
    if suffix in (".xlsx", ".xlsm", ".xltx", ".xls", ".et", ".ods"):
        raise InputError(
            path,
            f"扩展名是 {suffix}，但内容不是 Excel 工作簿。如果它其实是 CSV 文本，请把扩展名改为 .csv；否则可能是发错了文件",
        )
    if suffix in (".yaml", ".yml"):
        return read_yaml(path)
    if suffix == ".csv":
        return read_csv(path)
    raise InputError(path, "无法识别的文件类型：请提供 .xlsx、.xls、.ods、.csv 或 .yaml 文件")


def _by_content(grid: Grid, suffix: str, expected: tuple[str, ...], actual: str) -> Grid:
    """A workbook whose name says another format is read by its content, and the officer is told."""
    if suffix not in expected:
        params: dict[str, Any] = {"file": grid.path.name, "suffix": suffix, "actual": actual}
        grid.problems.append(Reason.of(Code.FORMAT_BY_CONTENT, Place(str(grid.path)), **params))
    return grid
