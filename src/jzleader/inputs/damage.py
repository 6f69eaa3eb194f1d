"""A file the readers cannot parse: the message an officer can act on, never the library's own."""

from __future__ import annotations

import zipfile
from pathlib import Path

from defusedxml import DefusedXmlException

from jzleader.errors import InputError

PASSWORD = "工作簿设置了打开密码：请在 Excel/WPS 中取消密码后重新保存，再检查"
DAMAGED = "文件不完整或已损坏（可能下载或复制时中断），请让报送单位重新发送"


class Damaged(Exception):
    """Raised around a library's own parsing when it fails: the file is damaged.

    Only the libraries' own work is wrapped, so that a mistake in jzleader's code is never
    reported to the officer as a damaged file (and is caught by the fuzzing tests instead).
    """


def caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    seen = 0
    current: BaseException | None = error
    while current is not None and seen < 20:
        if isinstance(current, kind):
            return True
        current, seen = current.__cause__ or current.__context__, seen + 1
    return False


def damaged(path: Path, error: BaseException) -> InputError:
    if caused_by(error, DefusedXmlException):  # openpyxl wraps defusedxml's refusal in a ValueError
        return InputError(path, "工作簿中含有不安全的 XML 内容（实体扩展或外部实体引用），可能是恶意文件，已拒绝读取")
    if caused_by(error, zipfile.BadZipFile):
        return InputError(path, DAMAGED)
    cause = error.__cause__ if isinstance(error, Damaged) and error.__cause__ else error
    return InputError(path, f"工作簿内容已损坏，无法读取（{type(cause).__name__}），请在 Excel/WPS 中打开后另存一份")
