"""Paths as given -> the files of a round."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jzleader.errors import InputError

INPUT_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xls", ".et", ".ods", ".csv", ".yaml", ".yml")


def expand_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder stands for the workbooks and YAML files directly inside it.

    Office lock files (~$...) and hidden files are skipped.
    """
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(
                f
                for f in p.iterdir()
                if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES and not f.name.startswith(("~$", "."))
            )
            if not found:
                raise InputError(p, "文件夹中没有 .xlsx、.xls、.csv 或 .yaml 文件")
            out.extend(found)
        else:
            out.append(p)
    return out
