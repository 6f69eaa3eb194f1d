"""Paths as given -> the files of a round (DOMAIN.md §7).

A round arrives as a folder, sometimes with a sub-folder per county, beside the scanned materials and the
lock files Excel, WPS and LibreOffice leave behind. Folders are read recursively; lock, temporary and
hidden files, and files that are plainly not input (documents, PDFs, pictures), are skipped and named;
a lock file named on the command line (a shell glob picks it up) is skipped too, never an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jzleader.errors import InputError

INPUT_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xls", ".et", ".ods", ".csv", ".yaml", ".yml")
#: plainly not input: the materials a round folder always holds besides the lists
NOT_INPUT_SUFFIXES = (".doc", ".docx", ".wps", ".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff",
                      ".txt", ".zip", ".rar", ".7z")  # fmt: skip
NOT_INPUT_NAMES = ("thumbs.db", "desktop.ini", ".ds_store")


class Files(list[Path]):
    """The files of a round, in order, and the files left out of it with the reason (a word of wording)."""

    def __init__(self, files: Iterable[Path] = (), skipped: Iterable[tuple[Path, str]] = ()) -> None:
        super().__init__(files)
        self.skipped = list(skipped)


def why_skipped(path: Path) -> str | None:
    """Why a file is not input: a lock or temporary file, a hidden one, or one plainly not a list."""
    name = path.name
    if name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#")):
        return "lock"
    if name.lower().endswith(".tmp") or name.startswith("~"):
        return "temporary"
    if name.lower() in NOT_INPUT_NAMES or path.suffix.lower() in NOT_INPUT_SUFFIXES:
        return "not_input"
    if name.startswith("."):
        return "hidden"
    return None


def expand_inputs(paths: Iterable[Path]) -> Files:
    """Files as given (a lock or temporary file among them is skipped); a folder stands for every
    workbook, CSV and YAML file below it, its sub-folders included, in name order."""
    out = Files()
    for p in paths:
        if not p.is_dir():
            why = why_skipped(p) if p.exists() else None
            if why in ("lock", "temporary"):
                out.skipped.append((p, why))
            else:
                out.append(p)
            continue
        found = []
        for f in sorted(p.rglob("*")):
            if not f.is_file() or any(part.startswith(".") for part in f.relative_to(p).parts[:-1]):
                continue
            why = why_skipped(f)
            if why is None and f.suffix.lower() not in INPUT_SUFFIXES:
                why = "not_input"
            if why is None:
                found.append(f)
            else:
                out.skipped.append((f, why))
        if not found:
            raise InputError(p, "文件夹（含子文件夹）中没有 .xlsx、.xls、.ods、.csv 或 .yaml 文件")
        out.extend(found)
    return out
