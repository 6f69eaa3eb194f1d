"""The person key: HMAC-SHA256 of the normalised ID under a secret made at `register init`.

Without the secret the keys cannot be turned back into ID numbers by trying every plausible number (an
unkeyed hash of an 18-character ID with a known structure can). The secret lives beside an SQLite file
(REGISTER.key, owner-only) or, for a server database, in a file named by --key-file.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from jzleader.errors import JzleaderError

SECRET_BYTES = 32


def make_secret(path: Path) -> None:
    """Write a new secret, readable by its owner only; never over an existing one (it would orphan every key)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as e:
        raise JzleaderError(f"{path}：密钥文件已存在，不能覆盖（覆盖后已登记的人员将无法对应）") from e
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(SECRET_BYTES) + "\n")


def load_secret(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError as e:
        raise JzleaderError(f"{path}：找不到登记库的密钥文件。新建登记库请先运行 jzleader register init") from e
    except (OSError, UnicodeDecodeError) as e:
        raise JzleaderError(f"{path}：无法读取登记库的密钥文件（{e}）") from e
    try:
        secret = bytes.fromhex(text)
    except ValueError as e:
        raise JzleaderError(f"{path}：密钥文件已损坏（应为 {SECRET_BYTES * 2} 位十六进制数）") from e
    if len(secret) != SECRET_BYTES:
        raise JzleaderError(f"{path}：密钥文件已损坏（应为 {SECRET_BYTES * 2} 位十六进制数）")
    return secret


def person_key(secret: bytes, id_number: str | None) -> str | None:
    """The key of an 18-character ID (upper-case X, as idnumber reads it); None without one."""
    if not id_number:
        return None
    return hmac.new(secret, id_number.strip().upper().encode("ascii", "replace"), hashlib.sha256).hexdigest()
