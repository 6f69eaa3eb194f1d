"""The terminal report (rich): the verdict table, --explain, the quota table, the sensitivity list.
The only module besides the command line that draws with rich."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from jzleader.codes import Severity
from jzleader.model import Assessment, CheckResult, QuotaReport, Verdict
from jzleader.sensitivity import Sensitivity
from jzleader.values import zh_date
from jzleader.wording import Redactor, rule_quote

_STYLE = {Verdict.ELIGIBLE: "green", Verdict.REVIEW: "yellow", Verdict.INELIGIBLE: "red"}


def _short(v: Assessment, text: Redactor) -> str:
    """The reason that decided the verdict, for the one-line table."""
    wanted = {Verdict.INELIGIBLE: Severity.FAIL, Verdict.REVIEW: Severity.REVIEW, Verdict.ELIGIBLE: Severity.MET}[v.verdict]
    for r in v.reasons:
        if r.severity is wanted and (v.verdict != Verdict.ELIGIBLE or r.code.name == "CLAUSE_MET"):
            return text.cited(r)
    return ""


def write_text(result: CheckResult, out: TextIO, *, explain: bool = False, show_id: bool = False, lang: str = "zh") -> None:
    text = Redactor(show_id, lang)
    console = Console(file=out, highlight=False, soft_wrap=False, width=None if out.isatty() else 160)
    rules = result.rules
    age = rules.criteria.age
    multi = len(result.round.files) > 1
    console.print(
        f"[bold]{text.word('report_title')}[/bold]  "
        + escape(text.word("report_basis", notice=rules.criteria.notice.number) + "\n")
        + escape(text.word("report_rules", path=rules.criteria_path, cutoff=age.cutoff))
    )
    table = Table(show_lines=False, header_style="bold")
    for col in text.word("report_columns").split("|"):
        table.add_column(col, overflow="fold")
    for v in result.verdicts:
        c = v.candidate
        row = f"{Path(c.place.file).name}:{c.place.row}" if multi and c.place.file else str(c.place.row)
        qual = "/".join(x for x in (c.title + (f"({v.title_level})" if v.title_level else ""), v.education) if x)
        clauses = ",".join(str(n) for n in v.clauses_met) or "-"
        cells = (row, c.name or text.word("report_no_name"), c.unit, v.age or "?", qual, clauses)
        table.add_row(
            *(Text(text(x)) for x in cells), Text(text.verdict(v.verdict), style=_STYLE[v.verdict]), Text(_short(v, text))
        )
    console.print(table)
    s = result.summary
    console.print(text.word("report_summary", n=len(result.verdicts), **s))
    if explain:
        _explain(console, result, text, multi)
    if result.round.problems:
        console.print(f"\n[bold]{text.word('report_problems', n=len(result.round.problems))}[/bold]")
        for r in result.round.problems:
            at = text.where(r.place, with_file=multi)
            console.print(f"  {at}：{text.message(r)}" if at else f"  {text.message(r)}", markup=False)
    for e in result.errors:
        console.print(f"[red]{text.word('report_unreadable')}[/red] " + escape(text(f"{e.path}：{e.message}")))


def _explain(console: Console, result: CheckResult, text: Redactor, multi: bool) -> None:
    quotes: dict[str, str] = {}
    for rule in result.rules.criteria.rules:  # 二、3 holds three rules of one sentence
        if rule.quote not in quotes.get(rule.citation, ""):
            quotes[rule.citation] = "……".join(filter(None, [quotes.get(rule.citation), rule.quote]))
    for note in result.round.notes:
        console.print(f"  {text(note)}", style="dim", markup=False)
    for v in result.verdicts:
        c = v.candidate
        line = Text("\n")
        line.append(text(c.name or text.word("report_no_name")), style="bold")
        line.append(f" {text.where(c.place, with_file=multi)} {text(c.unit)} → ")
        line.append(text.verdict(v.verdict), style=_STYLE[v.verdict])
        console.print(line)
        quoted = set()
        for r in v.reasons:
            loc = text.where(r.place, with_file=multi) if r.place else ""
            console.print(f"  {text.severity(r.severity)}  {text.cited(r)}" + (f"  ({loc})" if loc else ""), markup=False)
            if r.clause in quotes and r.clause not in quoted and r.severity is not Severity.NOTICE:
                quoted.add(r.clause)
                console.print("        " + text.word("report_quote", quote=quotes[r.clause]), style="dim", markup=False)


def write_quota_text(report: QuotaReport, out: TextIO, *, with_counts: bool, show_id: bool = False, lang: str = "zh") -> None:
    text = Redactor(show_id, lang)
    q = report.quotas
    console = Console(file=out, highlight=False, soft_wrap=False, width=None if out.isatty() else 140)
    d = q.deadline.date
    console.print(
        "[bold]市级学术技术带头人推荐指标分配表[/bold]"
        + escape(f"（{q.notice} 附件）  报送截止日期：{zh_date(d)}  超指标：{'错误' if report.policy == 'error' else '提示'}")
    )
    if q.heading_note:
        console.print(f"注：{text(q.heading_note)}", style="dim", markup=False)
    columns = ["分组", "单位", "指标"] + (["推荐", "不占指标", "占用指标", "超出", "逾期"] if with_counts else [])
    table = Table(header_style="bold")
    for col in columns:
        table.add_column(col, overflow="fold")

    def cells(t: dict[str, int]) -> list[str]:
        return [str(t["recommended"]), str(t["exempt"]), str(t["counted"]), str(t["over"] or "")]

    for g in q.groups:
        for u in (x for x in report.units if x.group == g.name):
            label = u.unit + ("（未列出的市直单位）" if u.unit == q.pool else "")
            row = [g.name, label + ("（含：" + "、".join(u.pooled_units) + "）" if u.pooled_units else ""), str(u.quota)]
            if with_counts:
                row += cells({"recommended": u.recommended, "exempt": u.exempt, "counted": u.counted, "over": u.over})
                row.append("逾期" if u.late else "")
            table.add_row(*(Text(text(x)) for x in row), style="red" if u.over or u.late else None)
        t = report.totals(g.name)
        row = [g.name, f"小计（{len(g.units)}个单位）", str(t["quota"])] + (cells(t) + [""] if with_counts else [])
        table.add_row(*(Text(text(x)) for x in row), style="bold", end_section=True)
    t = report.totals()
    table.add_row(*(["合计", "", str(t["quota"])] + (cells(t) + [""] if with_counts else [])), style="bold")
    console.print(table)
    if with_counts:
        console.print(
            f"推荐 {t['recommended']} 人（其中疫情防控不占指标 {t['exempt']} 人），"
            f"占用指标 {t['counted']} 名 / 指标 {t['quota']} 名；"
            f"选拔目标 {q.selection_target} 名左右"
        )
    else:
        console.print(f"选拔目标：{q.selection_target} 名左右（{text(q.selection_quote)}）", markup=False)
    if report.problems:
        console.print("\n[bold]说明与问题[/bold]")
        for r in report.problems:
            loc = text.where(r.place, with_file=True)
            console.print(f"  {text.message(r)}" + (f"  （{loc}）" if loc else ""), markup=False)


def _reading(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def write_sensitivity_text(s: Sensitivity, out: TextIO, *, show_id: bool = False, lang: str = "zh") -> None:
    text = Redactor(show_id, lang)
    console = Console(file=out, highlight=False, soft_wrap=False, width=None if out.isatty() else 140)
    rules = s.base.rules
    console.print("[bold]口径影响分析[/bold]" + escape(f"  依据 {rules.criteria.notice.number}  规则文件：{rules.criteria_path}"))
    multi = len(s.base.round.files) > 1
    for run in s.runs:
        console.print(
            f"\n[bold]{escape(run.knob)}[/bold]  " + escape(f"[{run.setting.citation}] {rule_quote(rules, run.setting.rule)}")
        )
        console.print(text(f"  现行口径：{_reading(run.setting.value)}（{run.setting.note}）"), markup=False)
        console.print(text(f"  另一口径：{_reading(run.alternative)}"), markup=False)
        if not run.flips:
            console.print("  [green]没有人选的结论因此改变[/green]")
            continue
        for f in run.flips:
            c = f.before.candidate
            changed = "；".join(
                x
                for x in (f"新增 {'、'.join(f.added)}" if f.added else "", f"不再 {'、'.join(f.removed)}" if f.removed else "")
                if x
            )
            console.print(
                text(
                    f"  {text.where(c.place, with_file=multi)} {c.name} {c.unit}："
                    f"{text.verdict(f.before.verdict)} → {text.verdict(f.after.verdict)}"
                    f"（条款 {f.before.clauses_met or '-'} → {f.after.clauses_met or '-'}；{changed}）"
                ),
                markup=False,
            )
    console.print(f"\n共 {len(s.base.verdicts)} 人，其中 {s.hanging} 人的结论或条款取决于口径")
