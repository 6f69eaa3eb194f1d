"""The wording layer: every code and finding has a sentence in each language, the sentences take the
parameters the engine gives, and `--lang en` speaks English from the same codes."""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner

from jzleader.cli import cli
from jzleader.codes import Code, Detail
from jzleader.model import Finding, Place, Reason, Verdict
from jzleader.values import PartialDate
from jzleader.wording import LANGS, en, message, render, row_where, template, verdict_label, where, zh

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "沁阳市推荐人选.xlsx"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("book", [zh, en], ids=["zh", "en"])
def test_every_code_and_finding_has_a_sentence(book):
    assert set(book.TEMPLATES) == set(Code)
    assert set(book.DETAILS) == set(Detail)


@pytest.mark.parametrize("code", list(Code), ids=lambda c: c.name)
def test_both_languages_take_the_same_parameters(code):
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    assert fields(template(code, "zh")) == fields(template(code, "en"))


def test_english_sentences_have_no_chinese_of_their_own():
    """Chinese in an English sentence may only be a domain value the notice defines (a clause, 是/否, a column)."""
    allowed = {"是", "否", "二", "已享受市级重点人才政策倾斜", "推荐单位", "博士研究生", "硕士研究生", "大学本科"}
    for text in [*en.TEMPLATES.values(), *en.DETAILS.values(), *en.WORDS.values()]:
        leftover = CJK.sub(lambda m: "" if m.group(0) in "".join(allowed) else m.group(0), text)
        assert not CJK.search(leftover), text


def test_dates_readings_and_places_in_each_language():
    r = Reason.of(
        Code.AGE_UNDECIDABLE,
        readings=[(PartialDate(1974, 1), "46"), (PartialDate(1974, 10), "45")],
    )
    assert message(r) == "出生日期按不同读法年龄结论不同（按1974年1月为46周岁；按1974年10月为45周岁），请核实出生日期"
    assert (
        message(r, "en")
        == "the age depends on how the birth date is read (46 if born 1974-01; 45 if born 1974-10): check the birth date"
    )
    cutoff = Reason.of(Code.AGE_OK, cutoff=dt.date(2020, 6, 30), age="45", limit=45)
    assert message(cutoff) == "截至2020年6月30日年龄45周岁，符合45周岁以下"
    assert message(cutoff, "en") == "aged 45 on 2020-06-30: within the limit of 45"
    place = Place("/round/沁阳市.xlsx", "推荐人选", "D12", 12)
    assert where(place, with_file=True) == "沁阳市.xlsx “推荐人选” D12"
    assert row_where(place) == "沁阳市.xlsx“推荐人选”第12行"
    assert row_where(place, "en") == "沁阳市.xlsx“推荐人选” row 12"


def test_a_finding_is_written_from_its_data():
    found = Finding(Detail.PROJECTS_OPEN, {"names": ["胸痛中心", ""], "judgement": "由评审认定"})
    assert render(found) == "有2个项目（胸痛中心、未命名项目）；由评审认定"
    assert render(found, "en") == "2 project(s) (胸痛中心, unnamed project); 由评审认定"
    met = Reason.of(
        Code.CLAUSE_MET, n=6, detail=Finding(Detail.HONOUR_MET, {"field": "卫生", "level": "市厅级", "honour": "优秀医师"})
    )
    assert message(met) == "符合第6项：卫生领域，获市厅级荣誉称号“优秀医师”"


def test_a_missing_parameter_gives_the_bare_sentence_not_an_error():
    assert message(Reason.of(Code.AGE_OK)) == zh.TEMPLATES[Code.AGE_OK]


@pytest.mark.parametrize("lang", LANGS)
def test_verdict_labels(lang):
    labels = [verdict_label(v, lang) for v in Verdict]
    assert labels == (["符合", "待核实", "不符合"] if lang == "zh" else ["eligible", "review", "ineligible"])


def test_check_lang_en_gives_english_reasons_from_the_same_codes():
    runner = CliRunner()
    zh_out = json.loads(runner.invoke(cli, ["check", str(EXAMPLE), "--format", "json"], catch_exceptions=False).output)
    en_out = json.loads(runner.invoke(cli, ["check", str(EXAMPLE), "--format", "json", "--lang", "en"]).output)
    assert [[r["code"] for r in c["reasons"]] for c in zh_out["candidates"]] == [
        [r["code"] for r in c["reasons"]] for c in en_out["candidates"]
    ]
    over = next(c for c in en_out["candidates"] if c["name"] == "王强")
    assert "aged 46 on 2020-06-30: over the limit of 45" in [r["message"] for r in over["reasons"]]
    text = runner.invoke(cli, ["check", str(EXAMPLE), "--lang", "en"]).output
    assert "ineligible" in text and "不符合" not in text


def test_a_redactor_masks_a_text_it_has_seen_and_one_past_what_it_remembers(monkeypatch):
    """The Redactor remembers texts it made safe (a file's name is on every reason from that file): the text
    seen again, and any text once its memory is full, is masked all the same; --show-id keeps its own."""
    import jzleader.wording as wording

    monkeypatch.setattr(wording, "REMEMBERED_TEXTS", 2)
    number = "410802198005061234"
    text = wording.Redactor(show_id=False)
    masked = "沁阳市" + number[:6] + "********" + number[-4:] + ".xlsx"
    for _ in range(3):
        assert text(f"沁阳市{number}.xlsx") == masked
    assert [text(f"{n}号{number}\x1b") for n in range(5)] == [f"{n}号{number[:6]}********{number[-4:]}" for n in range(5)]
    assert wording.Redactor(show_id=True)(f"沁阳市{number}.xlsx") == f"沁阳市{number}.xlsx"
