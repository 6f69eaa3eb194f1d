"""Hostile and damaged files, built byte by byte for the tests of the readers and of the web page's API."""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

import olefile

from .conftest import write_xlsx

ID = "410882198005061234"
SHEET = "xl/worksheets/sheet1.xml"


def base_workbook(path: Path) -> Path:
    return write_xlsx(path, {"候选人": [["姓名", "身份证号", "出生年月", "专业技术职务", "学历"],
                                      ["张伟", ID, "1980.05", "副主任医师", "硕士研究生"]]})  # fmt: skip


def rewrite(src: Path, dst: Path, member: str, edit) -> Path:
    """Copy a workbook, passing one member's XML through `edit`."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item.filename, edit(data.decode()).encode() if item.filename == member else data)
    return dst


def with_doctype(xml: str, doctype: str) -> str:
    return xml.replace("?>", "?>" + doctype, 1) if xml.startswith("<?xml") else doctype + xml


def inline_a2(xml: str, text: str) -> str:
    """Cell A2 (the name) as an inline string holding `text`, so that it stands in the sheet's own XML."""
    new, n = re.subn(r'<c r="A2"[^>]*>.*?</c>', f'<c r="A2" t="inlineStr"><is><t>{text}</t></is></c>', xml, count=1)
    assert n == 1
    return new


def zip_bomb(tmp_path: Path) -> Path:
    """A valid workbook with one more member: 600 MB of spaces in about 600 KB."""
    bomb = tmp_path / "bomb.xlsx"
    base = base_workbook(tmp_path / "base.xlsx")
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item.filename))
        with zout.open("xl/worksheets/padding.xml", "w", force_zip64=True) as member:
            chunk = b" " * 1_000_000
            for _ in range(600):
                member.write(chunk)
    return bomb


def billion_laughs(tmp_path: Path) -> Path:
    """The name cell of a workbook as an entity that expands to 10^9 "lol"s."""
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    doctype = f'<!DOCTYPE worksheet [<!ENTITY lol0 "lol">{lol}]>'
    return rewrite(base_workbook(tmp_path / "b.xlsx"), tmp_path / "laughs.xlsx", SHEET,
                   lambda xml: inline_a2(with_doctype(xml, doctype), "&lol9;"))  # fmt: skip


def ole2(path: Path, streams: list[str]) -> Path:
    """A minimal OLE2 container with the given stream names (olefile can only read, so write one by hand)."""
    # An OLE2 file with a directory naming the streams is enough for the sniffing under test.
    sector = 512
    entries = [("Root Entry", 5)] + [(s, 2) for s in streams]
    directory = b""
    for name, kind in entries:
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry = encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
        entry += struct.pack("<iii", -1, -1, 1 if name == "Root Entry" and len(entries) > 1 else -1)
        entry = entry.ljust(116, b"\x00") + struct.pack("<iI", -2, 0) + b"\x00" * 4
        directory += entry
    # chain the siblings: Root -> first stream; each stream's right sibling is the next one
    parts = []
    for i in range(len(entries)):
        e = bytearray(directory[i * 128 : (i + 1) * 128])
        if i >= 1:
            struct.pack_into("<i", e, 70, -1)
            struct.pack_into("<i", e, 72, i + 1 if i + 1 < len(entries) else -1)
            struct.pack_into("<i", e, 76, -1)
        parts.append(bytes(e))
    directory = b"".join(parts).ljust(sector, b"\x00")
    header = bytearray(sector)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)  # one FAT sector
    struct.pack_into("<i", header, 48, 1)  # directory starts at sector 1
    struct.pack_into("<I", header, 56, 4096)
    struct.pack_into("<i", header, 60, -2)
    struct.pack_into("<i", header, 68, -2)
    struct.pack_into("<i", header, 76, 0)  # FAT at sector 0
    for i in range(1, 109):
        struct.pack_into("<i", header, 76 + 4 * i, -1)
    fat = struct.pack("<ii", -3, -2).ljust(sector, b"\xff")
    path.write_bytes(bytes(header) + fat + directory)
    assert olefile.isOleFile(str(path))
    return path
