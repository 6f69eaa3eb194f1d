"""The files of one request: read within the upload limit, held in memory, written into a private
temporary folder (owner-only, deleted afterwards) under names that cannot leave it."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import AsyncGenerator, Iterator
from pathlib import Path, PurePosixPath

from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.requests import Request

MAX_FILES = 2000  #: a folder of a province's round; more parts than this is not an upload but an attack


class TooLarge(Exception):
    """The request's body is over the upload limit."""


class BadUpload(Exception):
    """The body is not the multipart form the API takes."""


class _InMemoryParser(MultiPartParser):
    # Starlette spools a part over 1 MB to a temporary file of its own; the body is already held to the
    # upload limit, so every part stays in memory and the private folder is the only place written
    spool_max_size = 1 << 40


async def _bounded(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise TooLarge
        yield chunk


async def read_form(request: Request, limit: int) -> FormData:
    """The multipart form, refused (TooLarge) as soon as the body passes `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge
    kind = request.headers.get("content-type", "")
    try:
        if "multipart/form-data" in kind:
            return await _InMemoryParser(request.headers, _bounded(request, limit), max_files=MAX_FILES, max_fields=100).parse()
        if "application/x-www-form-urlencoded" in kind:  # options alone, no files
            return await FormParser(request.headers, _bounded(request, limit)).parse()
        if declared in ("", "0"):
            return FormData()
        raise BadUpload("请以 multipart/form-data 上传，文件放在 files 字段")
    except MultiPartException as e:
        raise BadUpload(f"上传内容无法解析（{e.message}）") from e


def safe_name(raw: str | None, number: int) -> PurePosixPath:
    """The name a browser sent (a folder pick sends 报送材料/沁阳市.xlsx), kept as a relative path inside
    the private folder: no root, no drive, no "..", no empty or hidden-by-accident part."""
    parts = [p for p in (raw or "").replace("\\", "/").split("/") if p not in ("", ".", "..")]
    parts = [_part(p) for p in parts if _part(p)]
    return PurePosixPath(*parts[-4:]) if parts else PurePosixPath(f"未命名{number}")


def _part(name: str) -> str:
    """One part of a name as a file system takes it: no control character, no colon, at most 80 characters
    (a long name keeps its end, where the extension is)."""
    kept = "".join(ch for ch in name if ch >= " " and ch != "\x7f").replace(":", "_").strip()
    kept = kept if len(kept) <= 80 else kept[:40] + "…" + kept[-39:]
    return kept if kept not in (".", "..") else ""


@contextlib.contextmanager
def private_folder() -> Iterator[Path]:
    """A folder only this user can read (mkdtemp makes it 0700), removed with everything in it."""
    with tempfile.TemporaryDirectory(prefix="jzleader-") as folder:
        yield Path(folder)


async def save(files: list[UploadFile], folder: Path) -> list[str]:
    """Write the uploads under `folder`; the arguments for the command line (each top-level file or folder
    once, in the order uploaded). Two uploads with one name are both kept, the second renamed."""
    arguments: list[str] = []
    for number, upload in enumerate(files, start=1):
        name = safe_name(upload.filename, number)
        target = folder / name
        if target.exists():
            target = target.with_name(f"{target.stem}（{number}）{target.suffix}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(await upload.read())
        top = name.parts[0] if len(name.parts) > 1 else target.name
        if top not in arguments:
            arguments.append(top)
    return arguments
