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


#: a cell's reference and a row's number, each as (column letters,) digits and the character after them: plain
#: when the letters are 1-3, the digits 1-7 without a leading zero, and a quote closes them (DOTALL: a newline
#: after the digits is a character too, so such a reference is seen, and refused)
_CELL_REF = re.compile(rb"<c\b[^>]*?\br\s*=\s*[\"']([A-Z]{0,4})([1-9][0-9]{0,6}|)(.?)", re.S)
_ROW_REF = re.compile(rb"<row\b[^>]*?\br\s*=\s*[\"']()([1-9][0-9]{0,6}|)(.?)", re.S)  #: () for the same shape
_QUOTES = {b'"', b"'"}
SCAN_BYTES = 1 << 20  #: a sheet's XML is scanned this much at a time, so that its references are never all held


def _extent(data: bytes) -> tuple[int, int] | None:
    """The last row and column any cell or row of a sheet's XML names; None when a reference is not plain.

    A cell without a reference takes its row's number: both count. The XML is scanned in pieces, each cut just
    after a ">": no reference can span the cut, as none holds a ">" but as the character after it."""
    rows, letters = 0, set[bytes]()
    start = 0
    while start < len(data):
        end = data.find(b">", start + SCAN_BYTES)
        end = len(data) if end == -1 else end + 1
        for pattern in (_CELL_REF, _ROW_REF):
            found = pattern.findall(data, start, end)
            if found:
                column, digits, after = zip(*found, strict=True)
                if b"" in digits or not _QUOTES.issuperset(after):
                    return None
                if pattern is _CELL_REF:
                    letters.update(column)
                rows = max(rows, *map(int, digits))
        start = end
    if any(not 1 <= len(c) <= 3 for c in letters):
        return None
    from openpyxl.utils import column_index_from_string

    return rows, max((column_index_from_string(c.decode()) for c in letters), default=0)


def calamine_safe(path: Path) -> bool:
    """Whether calamine may read this package: `package_safe`, and `sheet_safe` for each sheet (xlsx.py scans a
    sheet at a time instead, to start reading each as soon as it passes). Anything odd about the package: no,
    the careful path decides and explains."""
    try:
        with zipfile.ZipFile(path) as archive:
            return package_safe(archive) and all(sheet_safe(archive.read(p)) for p in sheet_paths(archive).values())
    except Exception:
        return False


def package_safe(archive: zipfile.ZipFile) -> bool:
    """No part of the package declares a DOCTYPE (entity tricks go to the defusedxml path and its message)."""
    for info in archive.infolist():
        if info.filename.endswith((".xml", ".rels")):
            with archive.open(info) as part:
                if b"<!DOCTYPE" in part.read(4096).upper():
                    return False
    return True


def sheet_safe(data: bytes) -> bool:
    """Whether calamine may read this sheet's XML. It aborts the whole process (a Rust panic or a failed
    allocation, which no except clause can catch) on a cell reference whose numbers overflow (ZZZZ99999999),
    on a huge row number given to cells without a reference, and it allocates the full rectangle from first to
    last cell. So: every cell and row reference must be plain and within Excel's limits, and the rectangle
    modest. A sheet written with namespace prefixes is not scanned by bytes at all: openpyxl's XML parser reads
    it, by local names."""
    extent = None if _PREFIXED.search(data) else _extent(data)
    if extent is None:
        return False
    rows, cols = extent
    return rows <= 1_048_576 and cols <= 16_384 and rows * max(cols, 1) <= MAX_CALAMINE_CELLS
