"""The text and JSON reporters: they format what the engine decided, mask ID numbers, and say it in
the language asked for. Verdicts here are worked out from DOMAIN.md: a 40-year-old 副主任医师 with a
市级 honour in 卫生 (二、4(6)) is eligible; born 1974.06 is 46 on 2020-06-30 (ineligible); a 主治医师
(中级) 大学本科 claiming the 特别优秀 exemption is review."""

from __future__ import annotations

import datetime as dt
import io
import json

import yaml

from jzleader import pipeline
from jzleader.report import jsondoc
from jzleader.report.jsondoc import stream_json, to_json, write_json
from jzleader.report.text import write_text

from .conftest import make_id, person

OLD = make_id(dt.date(1974, 6, 15), seq="301")


def _round(tmp_path, rules):
    people = [
        person(),
        person(name="乙", birth_date="1974.06", id_number=OLD),
        person(name="丙", title="主治医师", exceptional="是", id_number=make_id(dt.date(1981, 2, 3))),
    ]
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump({"candidates": people}, allow_unicode=True), encoding="utf-8")
    return pipeline.check([path], rules)


def _text(result, **kw) -> str:
    out = io.StringIO()
    write_text(result, out, **kw)
    return out.getvalue()


def test_the_table_and_the_counts(tmp_path, rules, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    text = _text(_round(tmp_path, rules))
    assert "依据 焦人社文〔2020〕28号" in text and "年龄计算截止日期：2020年6月30日" in text
    assert text.strip().splitlines()[-1] == "共 3 人：符合 1，待核实 1，不符合 1"
    line = next(x for x in text.splitlines() if " 乙 " in x)
    assert "不符合" in line and "截至2020年6月30日年龄46周岁" in line


def test_a_narrow_terminal_gets_a_block_per_candidate(tmp_path, rules, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    text = _text(_round(tmp_path, rules))
    block = text[text.index("2  乙") :].split("\n\n")[0].splitlines()
    assert block[0] == "2  乙  沁阳市  46岁  副主任医师(副高级)/大学本科"
    assert block[1].strip() == "不符合  符合第4款第6项"
    assert block[2].strip().startswith("[二、3] 截至2020年6月30日年龄46周岁")


def test_explain_quotes_the_notice_once_per_clause_of_a_candidate(tmp_path, rules):
    text = _text(_round(tmp_path, rules), explain=True)
    first = text[text.index("\n甲") : text.index("\n乙")]
    quotes = [r.quote for r in rules.criteria.rules if r.citation == "二、3"]
    assert len(quotes) == 3  # age, title or education, the exemption: one sentence of the notice
    assert first.count(quotes[0][:12]) == 1  # quoted once, under the first reason of 二、3


def test_id_numbers_are_masked_unless_asked(tmp_path, rules):
    result = _round(tmp_path, rules)
    doc = to_json(result)
    assert OLD not in json.dumps(doc, ensure_ascii=False)
    assert doc["candidates"][1]["id_number"] == OLD[:6] + "********" + OLD[-4:]
    assert to_json(result, show_id=True)["candidates"][1]["id_number"] == OLD


def test_json_document_shape(tmp_path, rules):
    out = io.StringIO()
    write_json(_round(tmp_path, rules), out)
    doc = json.loads(out.getvalue())
    assert set(doc) >= {"candidates", "summary", "problems", "errors", "files", "rules"}
    assert doc["summary"] == {"eligible": 1, "review": 1, "ineligible": 1}
    assert [c["verdict"] for c in doc["candidates"]] == ["eligible", "ineligible", "review"]
    assert [c["verdict_zh"] for c in doc["candidates"]] == ["符合", "不符合", "待核实"]
    reason = doc["candidates"][1]["reasons"][0]
    assert reason["code"] == "AGE_OVER_LIMIT" and reason["clause"] == "二、3" and reason["severity"] == "fail"


def _streamed(result, **kw) -> tuple[str, dict, list]:
    """stream_json fed one assessment at a time; the statuses it was asked for are recorded."""
    asked = []

    def status(summary):
        asked.append(dict(summary))
        return "findings" if summary["ineligible"] else "ok"

    out = io.StringIO()
    counts = stream_json(out, result.rules, result.round, result.errors, iter(result.verdicts), status, **kw)
    return out.getvalue(), counts, asked


def test_a_streamed_document_is_the_same_text_with_the_status_its_summary_gives(tmp_path, rules):
    result = _round(tmp_path, rules)
    text, counts, asked = _streamed(result)
    assert asked == [{"eligible": 1, "review": 1, "ineligible": 1}] == [counts]  # asked once, after the last one
    assert json.loads(text) == to_json(result, status="findings")
    expected = io.StringIO()
    write_json(result, expected, status="findings")
    assert text == expected.getvalue()


def test_a_streamed_document_larger_than_memory_holds_goes_through_a_file_whole(tmp_path, rules, monkeypatch):
    """Candidates' text past SPOOL_BYTES waits in a temporary file, and is copied out in pieces that may end
    inside a Chinese character (3 bytes in UTF-8): the text must come out whole."""
    monkeypatch.setattr(jsondoc, "SPOOL_BYTES", 64)
    monkeypatch.setattr(jsondoc, "COPY_BYTES", 7)
    result = _round(tmp_path, rules)
    text, _, _ = _streamed(result, show_id=True)
    assert json.loads(text) == to_json(result, status="findings", show_id=True)
    raw = tmp_path / "out.json"  # and to a UTF-8 file, where the bytes go straight through
    with raw.open("w", encoding="utf-8") as out:
        stream_json(out, result.rules, result.round, result.errors, iter(result.verdicts), lambda s: "ok")
    assert json.loads(raw.read_text(encoding="utf-8")) == to_json(result, status="ok")


def test_a_streamed_round_without_candidates_is_still_a_document(tmp_path, rules):
    result = _round(tmp_path, rules)
    out = io.StringIO()
    counts = stream_json(out, result.rules, result.round, [], iter([]), lambda s: "ok")
    doc = json.loads(out.getvalue())
    assert counts == doc["summary"] == {"eligible": 0, "review": 0, "ineligible": 0} and doc["candidates"] == []


def test_english_report(tmp_path, rules):
    text = _text(_round(tmp_path, rules), lang="en")
    assert text.strip().splitlines()[-1] == "3 candidates: eligible 1, review 1, ineligible 1"
    assert "aged 46 on 2020-06-30: over the limit of 45" in text
