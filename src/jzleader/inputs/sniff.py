"""What a file really is, from its first bytes rather than its name, and the reader for it.

An .xlsx file's read begins (`begin_file`) as the program starts: only what that needs is imported before it
(the records' modules, the YAML reader and what they import are imported when they are needed, while the
sheets are read).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from jzleader.codes import Code
from jzleader.errors import InputError
from jzleader.inputs.csv import read_csv
from jzleader.inputs.grid import Arrived, Begun, Grid, YamlDoc
from jzleader.inputs.html import looks_like_html, read_html
from jzleader.inputs.ods import is_ods, read_ods
from jzleader.inputs.safety import check_archive
from jzleader.inputs.xls import read_ole2
from jzleader.inputs.xlsx import begin_xlsx
from jzleader.inputs.xml2003 import looks_like_xml2003, read_xml2003
from jzleader.limits import DEFAULT_MAX_UNPACKED_MB

_ZIP = b"PK\x03\x04"
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")


def read_file(path: Path, *, max_unpacked_mb: int = DEFAULT_MAX_UNPACKED_MB, arrived: Arrived | None = None) -> Grid | YamlDoc:
    """Read one input file of any supported format; `arrived` is told of an .xlsx workbook's sheets as they are
    read (grid.Arrived)."""
    return _begin(path, max_unpacked_mb)(arrived)


def begin_file(path: Path, *, max_unpacked_mb: int = DEFAULT_MAX_UNPACKED_MB) -> Begun[Grid | YamlDoc]:
    """read_file begun: an .xlsx file's sheets go to the readers' workers at once, while the caller does what
    else it must (starting up, loading the rule files); the call returned gives what read_file gives, or
    raises what it raises. Any other file is read when the call is made."""
    try:
        return _begin(path, max_unpacked_mb)
    except Exception as e:  # noqa: BLE001 - raised where read_file would raise it: when the call is made
        error = e

        def fail(arrived: Arrived | None = None) -> Grid | YamlDoc:
            raise error

        return fail


def _begin(path: Path, max_unpacked_mb: int) -> Begun[Grid | YamlDoc]:
    try:
        with path.open("rb") as f:
            head = f.read(4096)
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
            return lambda arrived=None: _by_content(read_ods(path), suffix, (".ods",), ".ods")
        _not_a_zipped_workbook(path, suffix)
        reading = begin_xlsx(path)
        return lambda arrived=None: _by_content(reading(arrived), suffix, (".xlsx", ".xlsm", ".xltx"), ".xlsx")
    if head.startswith(_OLE2):
        return lambda arrived=None: _by_content(read_ole2(path), suffix, (".xls", ".et"), ".xls")  # WPS names its own .et
    size = path.stat().st_size
    if size > max_unpacked_mb * 1024 * 1024:  # a text format is its own unpacked size: the same bound applies
        raise InputError(
            path,
            f"文件有 {size // (1024 * 1024)} MB，超过安全上限 {max_unpacked_mb} MB，可能不是推荐名单；"
            "确是名单的，请用 --max-unpacked-mb 提高上限",
        )
    if looks_like_xml2003(head):
        return lambda arrived=None: _text_table(read_xml2003(path), suffix, (".xml",))
    if looks_like_html(head):
        return lambda arrived=None: _text_table(read_html(path, path.read_bytes()), suffix, (".html", ".htm"))
    if suffix in WORKBOOK_SUFFIXES:
        return lambda arrived=None: _not_a_workbook(path, head, suffix)
    if suffix in (".yaml", ".yml"):
        from jzleader.inputs.yamldoc import read_yaml

        return lambda arrived=None: read_yaml(path)
    if suffix == ".csv":
        return lambda arrived=None: read_csv(path)
    raise InputError(path, "无法识别的文件类型：请提供 .xlsx、.xls、.ods、.csv 或 .yaml 文件")


_WRONG_FILE = "可能是发错了文件，请让报送单位重新发送 .xlsx 名单"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xls", ".et", ".ods")
#: what a file named as a workbook may really be, by its first bytes (all saved by mistake or by a system)
_SIGNATURES = (
    (b"%PDF", "PDF 文件"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"{\\rtf", "RTF 文档（写字板/Word）"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
)


#: what a zip package that is no workbook holds, by a member only that kind of package has
_PACKAGES = (
    ("word/document.xml", "Word 文档（.docx）"),
    ("ppt/presentation.xml", "PowerPoint 演示文稿（.pptx）"),
    ("OFD.xml", "OFD 版式文件"),
    ("mimetype", "OpenDocument 文字或演示文档，不是表格"),
)


def _not_a_zipped_workbook(path: Path, suffix: str) -> None:
    """A zip without a workbook inside: a Word document, a presentation, an OFD file or a plain archive."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return  # damaged: the reader says so
    if any(n.lower().startswith("xl/") for n in names):
        return  # a workbook package, however its parts are named: its reader takes it from here
    what = next((w for member, w in _PACKAGES if member in names), None)
    if what is not None:
        raise InputError(path, f"扩展名是 {suffix}，但它其实是{what}，不是工作簿：{_WRONG_FILE}")
    inside = [n for n in names if n.lower().endswith((".xlsx", ".xls", ".et", ".ods", ".csv"))]
    hint = f"其中有表格文件（如 {Path(sorted(inside)[0]).name}），请解压后检查它" if inside else "请解压后检查其中的文件"
    raise InputError(path, f"扩展名是 {suffix}，但它其实是一个压缩包（zip），不是工作簿：{hint}")


def _not_a_workbook(path: Path, head: bytes, suffix: str) -> Grid:
    """A file named as a workbook that is none: read it if it is a text table, else say what it is."""
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise InputError(path, f"扩展名是 {suffix}，但它其实是{what}，不是工作簿：{_WRONG_FILE}")
    try:
        grid = read_csv(path)
    except InputError as e:
        raise InputError(
            path, f"扩展名是 {suffix}，但内容不是工作簿，也不是可读的文本表格：请在 Excel/WPS 中打开后另存为 .xlsx"
        ) from e
    if not any(len(row) > 1 for _, row in grid.sheets[0].rows):
        raise InputError(path, f"扩展名是 {suffix}，但内容是没有分栏的文字，不是表格：{_WRONG_FILE}")
    return _text_table(grid, suffix, (".csv", ".txt"))


def _text_table(grid: Grid, suffix: str, expected: tuple[str, ...]) -> Grid:
    """A table saved as text (a web page, XML 2003, CSV) under a workbook's name: read, and the officer told."""
    if suffix not in expected:
        from jzleader.model import Place, Reason

        params: dict[str, Any] = {"file": grid.path.name, "suffix": suffix, "what": grid.format}
        grid.problems.append(Reason.of(Code.FORMAT_TEXT_TABLE, Place(str(grid.path)), **params))
    return grid


def _by_content(grid: Grid, suffix: str, expected: tuple[str, ...], actual: str) -> Grid:
    """A workbook whose name says another format is read by its content, and the officer is told."""
    if suffix not in expected:
        from jzleader.model import Place, Reason

        params: dict[str, Any] = {"file": grid.path.name, "suffix": suffix, "actual": actual}
        grid.problems.append(Reason.of(Code.FORMAT_BY_CONTENT, Place(str(grid.path)), **params))
    return grid
