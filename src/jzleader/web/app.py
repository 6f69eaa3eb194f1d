"""The local web page and its API. Each job is the command line run in a child process on the uploaded
files (see the package's docstring); the HTTP status follows its exit status: 0 and 1 are 200 (the
document says which), 2 is 422 (a file or the request cannot be used), 3 is 500 (a fault of the tool's)."""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile

from jzleader import __version__
from jzleader.report.jsondoc import failure_json
from jzleader.ruleset.core import RuleSet
from jzleader.web import uploads

HERE = Path(__file__).parent
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_NAME, TEMPLATE_NAME = "审核结果.xlsx", "推荐人选填报表.xlsx"
JOB_SECONDS = 900  #: a national round (100,000 candidates) checks in a few minutes
HTTP_OF_EXIT = {0: 200, 1: 200, 2: 422, 3: 500}


@dataclass(frozen=True)
class Settings:
    rules: RuleSet
    rules_path: Path | None = None  #: as given to --rules (absolute), or None for the shipped rules
    max_upload_mb: int = 50


@dataclass(frozen=True)
class Finished:
    code: int
    stdout: bytes
    stderr: str


async def run_cli(arguments: list[str], cwd: Path) -> Finished:
    """`jzleader ARGUMENTS` in a child process started in `cwd`, so that file names read as uploaded."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "jzleader", *arguments, cwd=cwd, env=env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        out, err = await asyncio.wait_for(child.communicate(), JOB_SECONDS)
    except TimeoutError:
        child.kill()
        await child.wait()
        return Finished(3, b"", f"审核超过 {JOB_SECONDS // 60} 分钟仍未完成，已停止。请分批上传，或在命令行中运行 jzleader check")
    return Finished(child.returncode or 0, out, err.decode("utf-8", "replace"))


def _message(stderr: str) -> str:
    """The command line's message without its 错误： prefix (one line per error)."""
    return "\n".join(line.removeprefix("错误：") for line in stderr.strip().splitlines()) or "无法审核这些文件"


def _failure(command: str, status_code: int, message: str, status: str = "unusable") -> JSONResponse:
    return JSONResponse(failure_json(command, [("", message)], status=status), status_code=status_code)


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(title="jzleader", version=__version__, docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    limit = settings.max_upload_mb * 1024 * 1024
    rules_args = ["--rules", str(settings.rules_path)] if settings.rules_path else []

    @app.exception_handler(Exception)
    async def fault(request: Request, e: Exception) -> Response:
        # a fault of the server's own (a job's faults come back as its exit status 3): JSON in Chinese, no trace
        message = f"程序内部错误（{type(e).__name__}）。请将所用文件和此信息发给维护人员。"
        return _failure("check", 500, message, status="error")

    @app.get("/", response_class=HTMLResponse)
    def page(request: Request) -> Response:
        context = {"version": __version__, "max_upload_mb": settings.max_upload_mb,
                   "notice": settings.rules.criteria.notice.number}  # fmt: skip
        return templates.TemplateResponse(request, "index.html", context)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/api/template")
    def template() -> Response:
        from jzleader import pipeline

        with uploads.private_folder() as folder:
            target = folder / TEMPLATE_NAME
            pipeline.template(target, settings.rules)
            return _download(target.read_bytes(), TEMPLATE_NAME)

    async def job(request: Request, command: str, *, output: bool = False) -> Response:
        """Run `command` on the uploaded files; the document (or with `output`, the report workbook)."""
        try:
            form = await uploads.read_form(request, limit)
        except uploads.TooLarge:
            return _failure(command, 413, f"上传的文件合计超过 {settings.max_upload_mb} MB 上限。"
                                          "请分批上传，或以 jzleader serve --max-upload-mb 调高上限")  # fmt: skip
        except uploads.BadUpload as e:
            return _failure(command, 400, str(e))
        try:
            files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
            try:
                options = _options(form, command)
            except _Refused as e:
                return _failure(command, 422, str(e))
            if not files and command != "quota-report":
                return _failure(command, 400, "没有收到文件：请选择推荐工作簿（或整个文件夹）后再审核")
            with uploads.private_folder() as folder:
                inputs = folder / "上传"
                inputs.mkdir()
                names = await uploads.save(files, inputs)
                report = folder / REPORT_NAME
                arguments = [command, "--format", "json", *options, *rules_args, *(["--output", str(report)] if output else [])]
                done = await run_cli([*arguments, "--", *names], inputs)  # "--": a file named "-h" or "--output=…" is a file
                if output and done.code in (0, 1) and report.exists():
                    return _download(report.read_bytes(), REPORT_NAME)
                return _document(command, done)
        finally:
            await form.close()

    @app.post("/api/check")
    async def check(request: Request) -> Response:
        return await job(request, "check")

    @app.post("/api/quota-report")
    async def quota_report(request: Request) -> Response:
        return await job(request, "quota-report")

    @app.post("/api/sensitivity")
    async def sensitivity(request: Request) -> Response:
        return await job(request, "sensitivity")

    @app.post("/api/report")
    async def report(request: Request) -> Response:
        return await job(request, "check", output=True)

    return app


def _options(form: Any, command: str) -> list[str]:
    """The form's options as the command line takes them; anything else is refused (422), as click would."""
    options = []
    lang = str(form.get("lang") or "zh")
    if lang not in ("zh", "en"):
        raise _Refused("lang 只能是 zh 或 en")
    options += ["--lang", lang]
    if command == "check" and str(form.get("strict") or "").lower() in ("1", "true", "on", "yes"):
        options.append("--strict")
    return options


class _Refused(Exception):
    pass


def _document(command: str, done: Finished) -> Response:
    """The command line's JSON document with the HTTP status of its exit status."""
    status_code = HTTP_OF_EXIT.get(done.code, 500)
    if done.stdout.lstrip().startswith(b"{"):
        return Response(done.stdout, status_code=status_code, media_type="application/json")
    status = "unusable" if done.code == 2 else "error"
    return _failure(command, status_code if status_code != 200 else 500, _message(done.stderr), status)


def _download(data: bytes, name: str) -> Response:
    disposition = f"attachment; filename=\"{name.encode('ascii', 'replace').decode()}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=XLSX, headers={"Content-Disposition": disposition})
