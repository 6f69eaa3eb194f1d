"""`jzleader serve` (issue 15): the API through FastAPI's TestClient, and the server itself as a user starts it.

The JSON of every route is compared byte for byte with the command line run on the same files under the same
names; the hostile files of the input tests get the command line's own refusal, as a 4xx, and the server
answers the next request."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from jzleader.ruleset.load import load_rules
from jzleader.web.app import Settings, create_app
from jzleader.web.uploads import safe_name

from .hostile import billion_laughs, ole2, zip_bomb
from .webserver import EXAMPLE, Served, free_port

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings(load_rules())))


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """The system's temporary folder for this test: after a request it must be empty again."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def cli_stdout(tmp_path: Path, files: dict[str, bytes], *arguments: str) -> tuple[int, bytes]:
    """The command line on the same files, with the same names, from the folder holding them."""
    folder = tmp_path / "cli"
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    tops = list(dict.fromkeys(Path(name).parts[0] for name in files))
    proc = subprocess.run([sys.executable, "-m", "jzleader", arguments[0], *tops, *arguments[1:]], cwd=folder,
                          capture_output=True, check=False, env={**os.environ, "PYTHONIOENCODING": "utf-8"})  # fmt: skip
    return proc.returncode, proc.stdout


def post(client: TestClient, route: str, files: dict[str, bytes], **data: str):
    return client.post(route, files=[("files", (name, body)) for name, body in files.items()], data=data)


# --- the routes -------------------------------------------------------------------------------------


def test_health_and_the_page(client):
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    page = client.get("/")
    assert page.status_code == 200 and "推荐人选资格预审" in page.text
    assert "50 MB" in page.text  # the limit the server holds uploads to
    for asset in ("static/app.js", "static/app.css"):
        assert client.get(f"/{asset}").status_code == 200
    # nothing the page loads comes from elsewhere: no CDN, no web font, no address outside this server
    for text in (page.text, client.get("/static/app.js").text, client.get("/static/app.css").text):
        assert "http://" not in text and "https://" not in text and "//cdn" not in text


@pytest.mark.parametrize(("route", "command"), [("/api/check", "check"), ("/api/quota-report", "quota-report"),
                                                ("/api/sensitivity", "sensitivity")])  # fmt: skip
def test_the_json_is_the_command_lines_byte_for_byte(client, tmp_path, private_tmp, route, command):
    files = {EXAMPLE.name: EXAMPLE.read_bytes()}
    answer = post(client, route, files)
    code, stdout = cli_stdout(tmp_path, files, command, "--format", "json", "--lang", "zh")
    assert code in (0, 1) and answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.content == stdout
    assert list(private_tmp.iterdir()) == []  # the uploads went with the request


def test_check_of_the_example_in_english_and_strict(client, tmp_path):
    files = {EXAMPLE.name: EXAMPLE.read_bytes()}
    answer = post(client, "/api/check", files, lang="en", strict="true")
    doc = answer.json()
    # the example: 12 candidates, 2 eligible, 5 to review and 5 ineligible (tests/cases/qinyang-xlsx.expected.json)
    assert doc["summary"] == {"eligible": 2, "review": 5, "ineligible": 5}
    assert doc["files"] == [EXAMPLE.name]  # the name as uploaded, never the private folder's
    assert answer.content == cli_stdout(tmp_path, files, "check", "--format", "json", "--lang", "en", "--strict")[1]
    assert post(client, "/api/check", files, lang="fr").status_code == 422


def test_report_and_template_are_workbooks(client, private_tmp):
    report = post(client, "/api/report", {EXAMPLE.name: EXAMPLE.read_bytes()})
    assert report.status_code == 200 and report.headers["content-type"] == XLSX
    assert "filename*=UTF-8''%E5%AE%A1%E6%A0%B8%E7%BB%93%E6%9E%9C.xlsx" in report.headers["content-disposition"]
    book = load_workbook(_saved(private_tmp.parent / "report.xlsx", report.content))
    assert {"审核结果", "问题清单", "指标", "口径影响"} <= set(book.sheetnames)
    names = {row[0].value for row in book["审核结果"].iter_rows() if row[0].value}
    assert not any(str(v).isdigit() and len(str(v)) >= 15 for v in names)
    template = client.get("/api/template")
    assert template.status_code == 200 and template.headers["content-type"] == XLSX
    assert "推荐人选" in load_workbook(_saved(private_tmp.parent / "template.xlsx", template.content)).sheetnames
    assert list(private_tmp.iterdir()) == []


def _saved(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_folder_keeps_its_structure_and_skips_lock_files(client, tmp_path):
    data = EXAMPLE.read_bytes()
    files = {"报送材料/沁阳市/推荐人选.xlsx": data, "报送材料/~$推荐人选.xlsx": b"\x00" * 165}
    answer = post(client, "/api/check", files)
    assert answer.status_code == 200
    doc = answer.json()
    assert doc["files"] == ["报送材料/沁阳市/推荐人选.xlsx"] and len(doc["candidates"]) == 12
    assert answer.content == cli_stdout(tmp_path, files, "check", "--format", "json", "--lang", "zh")[1]


@pytest.mark.parametrize(
    ("raw", "kept"),
    [("../../etc/passwd", "etc/passwd"), ("/abs/沁阳市.xlsx", "abs/沁阳市.xlsx"), ("C:\\报送\\a.xlsx", "C_/报送/a.xlsx"),
     ("", "未命名3"), ("..", "未命名3"), ("a/b/c/d/e/f.xlsx", "c/d/e/f.xlsx"), ("a\x00b\x1b.xlsx", "ab.xlsx"),
     (" . /x.xlsx", "x.xlsx"), ("长" * 300 + ".xlsx", "长" * 40 + "…" + "长" * 34 + ".xlsx")],
)  # fmt: skip
def test_uploaded_names_stay_inside_the_private_folder(raw, kept):
    assert str(safe_name(raw, 3)) == kept


@pytest.mark.parametrize("name", ["-h.xlsx", "--output=别处.xlsx", "--rules=x.xlsx"])
def test_a_file_named_like_an_option_is_a_file(client, private_tmp, name):
    answer = post(client, "/api/check", {name: EXAMPLE.read_bytes()})
    assert answer.status_code == 200 and answer.json()["files"] == [name]
    assert list(private_tmp.iterdir()) == []


def test_two_files_of_one_name_are_both_read(client):
    data = EXAMPLE.read_bytes()
    answer = client.post("/api/check", files=[("files", ("a.xlsx", data)), ("files", ("a.xlsx", data))])
    assert answer.json()["files"] == ["a.xlsx", "a（2）.xlsx"]


# --- what must not happen ---------------------------------------------------------------------------


HOSTILE = {
    "zip-bomb": (lambda t: zip_bomb(t).read_bytes(), "安全上限"),
    "billion-laughs": (lambda t: billion_laughs(t).read_bytes(), "不安全"),
    "encrypted": (lambda t: ole2(t / "e.xlsx", ["EncryptionInfo", "EncryptedPackage"]).read_bytes(), "密码"),
    "damaged-xls": (lambda t: ole2(t / "d.xls", ["Workbook"]).read_bytes(), "损坏"),
    "truncated": (lambda t: EXAMPLE.read_bytes()[:3000], "不完整"),
    "empty": (lambda t: b"", "空的"),
    "pdf": (lambda t: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_file_is_the_command_lines_refusal_and_the_server_goes_on(client, tmp_path, private_tmp, kind):
    make, words = HOSTILE[kind]
    files = {f"县里报来的{kind}.xlsx": make(tmp_path)}
    for route, command in (("/api/check", "check"), ("/api/report", "check")):
        answer = post(client, route, files)
        assert answer.status_code == 422, answer.text
        doc = answer.json()
        assert doc["status"] == "unusable" and words in doc["errors"][0]["message"]
        assert doc["errors"][0]["file"] == f"县里报来的{kind}.xlsx"
        assert "Traceback" not in answer.text
        code, stdout = cli_stdout(tmp_path, files, command, "--format", "json", "--lang", "zh")
        assert code == 2 and answer.content == stdout
    assert client.get("/healthz").status_code == 200
    assert post(client, "/api/check", {EXAMPLE.name: EXAMPLE.read_bytes()}).status_code == 200
    assert list(private_tmp.iterdir()) == []


def test_one_bad_file_among_good_ones_names_it_and_keeps_the_others(client):
    answer = post(client, "/api/check", {EXAMPLE.name: EXAMPLE.read_bytes(), "坏的.xlsx": b"PK\x03\x04" + b"\x00" * 40})
    assert answer.status_code == 422  # exit 2: a file of the round could not be used
    doc = answer.json()
    assert len(doc["candidates"]) == 12 and doc["errors"][0]["file"] == "坏的.xlsx"


def test_the_upload_limit_is_413_in_chinese(private_tmp):
    small = TestClient(create_app(Settings(load_rules(), max_upload_mb=1)))
    answer = post(small, "/api/check", {"大.xlsx": b"x" * 1_500_000})
    assert answer.status_code == 413 and "1 MB" in answer.json()["errors"][0]["message"]
    # a body sent in chunks, without Content-Length, is cut off at the limit too
    boundary = "jzleaderboundary"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="大.xlsx"\r\n\r\n'.encode()

    def chunks():
        yield head
        for _ in range(30):
            yield b"x" * 100_000
        yield f"\r\n--{boundary}--\r\n".encode()

    answer = small.post("/api/check", content=chunks(), headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert answer.status_code == 413
    assert small.get("/healthz").status_code == 200
    assert list(private_tmp.iterdir()) == []


def test_requests_without_files(client):
    none = client.post("/api/check", data={"lang": "zh"})
    assert none.status_code == 400 and "没有收到文件" in none.json()["errors"][0]["message"]
    assert client.post("/api/check", content=b"{}", headers={"content-type": "application/json"}).status_code == 400
    # quota-report without files is the allocation table, as on the command line
    table = client.post("/api/quota-report")
    assert table.status_code == 200 and len(table.json()["units"]) > 10
    assert client.get("/api/check").status_code == 405


# --- the server as started by a user ----------------------------------------------------------------


def test_serve_binds_loopback_moves_off_a_taken_port_and_stops_on_ctrl_c():
    import httpx2 as httpx

    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        served = Served("--port", str(port))
        try:
            assert served.url.startswith("http://127.0.0.1:") and served.url != f"http://127.0.0.1:{port}/"
            assert f"端口 {port} 已被占用" in served.first_line
            assert httpx.get(served.url + "healthz", timeout=10).json()["status"] == "ok"
            answer = httpx.post(served.url + "api/check", files=[("files", (EXAMPLE.name, EXAMPLE.read_bytes()))], timeout=60)
            assert answer.status_code == 200 and answer.json()["summary"]["ineligible"] == 5
        finally:
            code, out, err = served.stop()
    assert code == 0 and "审核网页已停止" in out and "Traceback" not in err


def test_a_remote_address_needs_allow_remote():
    refused = subprocess.run([sys.executable, "-m", "jzleader", "serve", "--host", "0.0.0.0", "--no-browser"],
                             capture_output=True, text=True, encoding="utf-8", timeout=30, check=False)  # fmt: skip
    assert refused.returncode == 2 and "--allow-remote" in refused.stderr and "身份证号" in refused.stderr
    served = Served("--host", "0.0.0.0", "--allow-remote", "--port", str(free_port()))
    code, _, err = served.stop()
    assert code == 0 and "警告" in err


def test_serve_without_the_web_extra_says_what_to_install(tmp_path):
    # a package that fails to import stands for an install without [web]
    fake = tmp_path / "fastapi"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('no fastapi', name='fastapi')\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "jzleader", "serve", "--no-browser"], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=30, check=False)  # fmt: skip
    assert proc.returncode == 2 and "jzleader[web]" in proc.stderr and "Traceback" not in proc.stderr


def test_a_bad_rule_file_stops_serve_before_it_listens(tmp_path):
    bad = tmp_path / "criteria.yaml"
    bad.write_text("kind: criteria\nnotice: [\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "jzleader", "serve", "--no-browser", "--rules", str(bad)],
                          capture_output=True, text=True, encoding="utf-8", timeout=30, check=False)  # fmt: skip
    assert proc.returncode == 2 and "规则文件" in proc.stderr


def test_a_fault_of_the_servers_own_is_json_in_chinese(monkeypatch):
    from jzleader import pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(pipeline, "template", broken)
    answer = TestClient(create_app(Settings(load_rules())), raise_server_exceptions=False).get("/api/template")
    assert answer.status_code == 500 and answer.json()["status"] == "error"
    assert "程序内部错误" in answer.json()["errors"][0]["message"] and "Traceback" not in answer.text
