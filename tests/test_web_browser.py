"""The page in a real browser (issue 15): Debian's Chromium, driven by Playwright, against `jzleader serve`
started as a user starts it. It uploads the bundled example, reads the verdict table, opens one explanation,
downloads the report workbook, and checks that no request left the server. With JZLEADER_SCREENSHOTS=DIR set,
the screenshot is also saved there (docs/web-page.png in the README was made so)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .webserver import EXAMPLE, Served, free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright's own browser download is not available here: Debian's Chromium (apt-get install chromium),
    # with nothing started that would reach for the network
    assert Path(CHROMIUM).exists(), "Chromium is missing: apt-get install -y chromium (.ci/run does)"
    flags = ["--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-quic"]  # fmt: skip
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": flags}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}, "accept_downloads": True,
            "locale": "zh-CN"}  # fmt: skip


@pytest.fixture(scope="module")
def served():
    server = Served("--port", str(free_port()))
    yield server
    code, _, err = server.stop()
    assert code == 0 and "Traceback" not in err


def test_upload_read_explain_and_download(page, served, tmp_path):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(served.url)
    assert page.title().startswith("推荐人选资格预审")

    page.set_input_files("#pick-files", str(EXAMPLE))
    page.click("#run")
    rows = page.locator("#verdicts tbody tr.candidate")
    rows.nth(11).wait_for(timeout=60_000)
    assert rows.count() == 12
    assert "共 12 人：符合 2，待核实 5，不符合 5" in page.inner_text("#summary")
    # IDs masked in the table: no run of 15 digits anywhere on the page
    text = page.inner_text("body")
    assert not any(len(run) >= 15 for run in "".join(c if c.isdigit() else " " for c in text).split())

    # the filter: 不符合 only
    page.select_option("#filter-verdict", "ineligible")
    assert rows.count() == 5
    assert all(v == "不符合" for v in rows.locator("td:nth-child(8)").all_inner_texts())
    page.select_option("#filter-verdict", "")
    # sorting: by 结论, the ineligible first; clicked again, the eligible first
    page.click("#verdicts th[data-key=verdict_order]")
    verdicts = rows.locator("td:nth-child(8)").all_inner_texts()
    assert verdicts == ["不符合"] * 5 + ["待核实"] * 5 + ["符合"] * 2
    page.click("#verdicts th[data-key=verdict_order]")
    assert rows.locator("td:nth-child(8)").all_inner_texts()[:2] == ["符合", "符合"]

    # one explanation: 李娜 (row 6) with her clause, her value and the cell behind it
    page.locator("#verdicts tbody tr.candidate", has_text="李娜").click()
    detail = page.locator("#verdicts tr.detail")
    detail.wait_for()
    assert "二、3" in detail.inner_text() and "推荐人选!E6" in detail.inner_text()

    # the quota: 沁阳市 over its quota, in red
    page.locator("#quota-table tr.over", has_text="沁阳市").wait_for(timeout=60_000)
    colour = page.eval_on_selector("#quota-table tr.over td", "td => getComputedStyle(td).color")
    assert colour == "rgb(179, 38, 30)"
    page.locator("#knobs .knob").first.wait_for(timeout=60_000)

    # readable at 1280x800: nothing wider than the window
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot = tmp_path / "web-page.png"
    page.screenshot(path=str(screenshot), full_page=False)
    if os.environ.get("JZLEADER_SCREENSHOTS"):
        shutil.copy(screenshot, Path(os.environ["JZLEADER_SCREENSHOTS"]) / "web-page.png")

    with page.expect_download(timeout=60_000) as download:
        page.click("#report")
    saved = tmp_path / "report.xlsx"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "审核结果.xlsx"
    assert {"审核结果", "问题清单", "指标"} <= set(load_workbook(saved).sheetnames)

    # printing leaves the upload controls out
    page.emulate_media(media="print")
    assert not page.is_visible("#upload") and page.is_visible("#verdicts")

    outside = [url for url in requested if not url.startswith((served.url, "blob:", "data:"))]
    assert outside == []
