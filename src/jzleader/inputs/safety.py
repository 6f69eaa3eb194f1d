"""Limits checked before a parser runs: zip bombs from the archive's own directory, and whether
python-calamine (fast, native) may read a package at all or openpyxl must."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from jzleader.errors import InputError
from jzleader.inputs.damage import DAMAGED
from jzleader.limits import MAX_CALAMINE_CELLS, MAX_RATIO

XML_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
           "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
           "p": "http://schemas.openxmlformats.org/package/2006/relationships"}  # fmt: skip


_ROW_NUMBER = re.compile(rb"<row\b[^>]*?\br\s*=\s*[\"'](\d+)[\"']")


_CELL_COLUMN = re.compile(rb"<c\b[^>]*?\br\s*=\s*[\"']([A-Z]{1,3})\d+[\"']")


def sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML member, from workbook.xml and its relationships (defused parsing)."""
    from defusedxml.ElementTree import fromstring

    workbook = fromstring(archive.read("xl/workbook.xml"))
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship", XML_NS)}
    out = {}
    for sheet in workbook.findall("m:sheets/m:sheet", XML_NS):
        target = targets.get(sheet.get(f"{{{XML_NS['r']}}}id"), "")
        out[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return out


_BAD_CELL_REF = re.compile(rb"<c\b[^>]*?\br\s*=\s*[\"'](?![A-Z]{1,3}[1-9][0-9]{0,6}[\"'])")


_BAD_ROW_REF = re.compile(rb"<row\b[^>]*?\br\s*=\s*[\"'](?![1-9][0-9]{0,6}[\"'])")


_CELL_ROW = re.compile(rb"<c\b[^>]*?\br\s*=\s*[\"'][A-Z]{1,3}([0-9]+)[\"']")


def check_archive(path: Path, max_unpacked_mb: int) -> None:
    """Refuse a zip bomb from the archive's own directory, before any XML is parsed.

    Python's zipfile never inflates a member past its declared size (a lying header ends in a
    CRC error), so the declared sizes bound the work.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except Exception as e:  # zipfile raises BadZipFile, NotImplementedError, EOFError, struct.error...
        raise InputError(path, DAMAGED) from e
    total = sum(m.file_size for m in members)
    worst = max((m.file_size / max(m.compress_size, 1) for m in members if m.file_size > 10_000_000), default=0)
    if total > max_unpacked_mb * 1_000_000 or worst > MAX_RATIO:
        raise InputError(
            path,
            f"工作簿解压后有 {total // 1_000_000} MB（压缩比 {worst:.0f} 倍），超过 {max_unpacked_mb} MB 的安全上限，"
            "可能是恶意文件，已拒绝读取；确属正常的大文件请用 --max-unpacked-mb 调高上限",
        )


#: a spreadsheet element written with a namespace prefix (<x:c>, <x:row>, as the .NET Open XML SDK
#: writes them): the byte scans below look for <c and <row and would not see it
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.\-]*:(?:worksheet|sheetData|row|c|v|f|is|t)\b")


def calamine_safe(path: Path) -> bool:
    """Whether calamine may read this package. It aborts the whole process (a Rust panic or a
    failed allocation, which no except clause can catch) on a cell reference whose numbers
    overflow (ZZZZ99999999), on a huge row number given to cells without a reference, and it
    allocates the full rectangle from first to last cell. So: every cell and row reference must
    be plain and within Excel's limits, the rectangle modest, and no part may declare a DOCTYPE
    (entity tricks go to the defusedxml path and its message). A sheet written with namespace
    prefixes is not scanned by bytes at all: openpyxl's XML parser reads it, by local names.
    Otherwise openpyxl reads it."""
    from openpyxl.utils import column_index_from_string

    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.filename.endswith((".xml", ".rels")):
                    with archive.open(info) as part:
                        if b"<!DOCTYPE" in part.read(4096).upper():
                            return False
            for sheet_path in sheet_paths(archive).values():
                data = archive.read(sheet_path)
                if _PREFIXED.search(data) or _BAD_CELL_REF.search(data) or _BAD_ROW_REF.search(data):
                    return False
                # a cell without r takes its row's number: both count
                rows = max((int(m) for m in [*_CELL_ROW.findall(data), *_ROW_NUMBER.findall(data)]), default=0)
                cols = max((column_index_from_string(m.decode()) for m in set(_CELL_COLUMN.findall(data))), default=0)
                if rows > 1_048_576 or cols > 16_384 or rows * max(cols, 1) > MAX_CALAMINE_CELLS:
                    return False
    except Exception:  # anything odd about the package: the careful path decides and explains
        return False
    return True
