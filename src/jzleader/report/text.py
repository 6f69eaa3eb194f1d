"""The terminal report (rich): the verdict table, --explain, the quota table, the sensitivity list.
The only module besides the command line that draws with rich."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from jzleader.codes import Severity
from jzleader.model import Assessment, CheckResult, QuotaReport, Reason, Verdict
from jzleader.report.wrap import keep_tag, width, wrap
from jzleader.sensitivity import Sensitivity
from jzleader.values import zh_date
from jzleader.wording import Redactor, rule_quote

_STYLE = {Verdict.ELIGIBLE: "green", Verdict.REVIEW: "yellow", Verdict.INELIGIBLE: "red"}


def _deciding(v: Assessment) -> list[Reason]:
    """The reasons behind the verdict, the cause first: the failures of an ineligible candidate, the open
    questions of one to review, the clauses met of an eligible one."""
    if v.verdict is Verdict.ELIGIBLE:
        return [r for r in v.reasons if r.code.name == "CLAUSE_MET"]
    wanted = Severity.FAIL if v.verdict is Verdict.INELIGIBLE else Severity.REVIEW
    return [r for r in v.reasons if r.severity is wanted]


def _main_reason(v: Assessment, text: Redactor) -> str:
    """The deciding reason, with how many more there are to read with --explain."""
    deciding = _deciding(v)
    if not deciding:
        return ""
    more = sum(1 for r in v.reasons if r.severity is not Severity.MET) - (1 if deciding[0].severity is not Severity.MET else 0)
    main = keep_tag(text.cited(deciding[0]))
    return main + (text.word("report_more", n=more) if more > 0 else "")


TABLE_FROM = 100  #: narrower terminals get a list per candidate instead of a table


def write_text(
    result: CheckResult,
    out: TextIO,
    *,
    explain: bool = False,
    show_id: bool = False,
    lang: str = "zh",
    only: str | None = None,
    exit_code: int | None = None,
    written: Sequence[Path] = (),
) -> None:
    """The check as read in a terminal: the width is the terminal's, or COLUMNS where it is set (piped: 80)."""
    text = Redactor(show_id, lang)
    console = Console(file=out, highlight=False, soft_wrap=False)
    rules = result.rules
    multi = len(result.round.files) > 1
    console.print(
        f"[bold]{text.word('report_title')}[/bold]  " + escape(text.word("report_basis", notice=rules.criteria.notice.number))
    )
    _lines(console, text.word("report_rules", path=rules.criteria_path, cutoff=rules.criteria.age.cutoff))
    for e in result.errors:  # a file that could not be used, once, above the verdicts
        _lines(console, f"{text.word('report_unreadable')} {text(f'{e.path}：{e.message}')}", style="red")
    rows = [_row(v, text, multi) for v in result.verdicts]
    if not (console.width >= TABLE_FROM and _table(console, rows, text)):
        _list(console, rows, text)
    console.print(text.word("report_summary", n=len(result.verdicts), **result.summary))
    if explain:
        _explain(console, result, text, multi, only)
    if result.round.problems:
        console.print(f"\n[bold]{text.word('report_problems', n=len(result.round.problems))}[/bold]")
        for r in result.round.problems:
            at = text.where(r.place, with_file=multi)
            _lines(console, f"{at}：{text.message(r)}" if at else text.message(r), indent=2)
    for path in written:
        _lines(console, text.word("report_written", path=text(str(path))))
    if exit_code is not None:
        console.print()
        _lines(console, text.word(f"report_exit_{exit_code}"), style="dim")
        _lines(console, text.word("report_next_explained" if explain else "report_next"), style="dim")


def _lines(console: Console, line: str, *, indent: int = 0, style: str | None = None) -> None:
    """A sentence wrapped to the console between characters, continuation lines indented."""
    for n, part in enumerate(wrap(line, console.width - indent - (2 if indent else 0))):
        console.print(Text(" " * (indent + (2 if n and indent else 0)) + part, style=style or ""), overflow="ignore", crop=False)


def _row(v: Assessment, text: Redactor, multi: bool) -> list[str]:
    c = v.candidate
    row = f"{Path(c.place.file).name}:{c.place.row}" if multi and c.place.file else str(c.place.row)
    qual = "/".join(x for x in (c.title + (f"({v.title_level})" if v.title_level else ""), v.education) if x)
    clauses = "、".join(str(n) for n in v.clauses_met)
    return [text(x) for x in (row, c.name or text.word("report_no_name"), c.unit, v.age or "?", qual, clauses)] + [
        v.verdict.value,
        _main_reason(v, text),
    ]


#: the widest each short column may grow before its text wraps (terminal cells)
_CAPS = (14, 10, 12, 6, 18, 8, 6)


def _table(console: Console, rows: list[list[str]], text: Redactor) -> bool:
    """The verdict table, each cell wrapped to its column; False where the reasons would get too narrow."""
    headers = text.word("report_columns").split("|")
    shown = [[*r[:6], text.verdict(Verdict(r[6])), r[7]] for r in rows]
    widths = [
        max(width(h), min(cap, max(width(r[i]) for r in shown) if shown else 0))
        for i, (h, cap) in enumerate(zip(headers, _CAPS, strict=False))
    ]
    reason = console.width - sum(widths) - 3 * len(headers) - 1
    if reason < 30:
        return False
    table = Table(header_style="bold")
    for h, w in zip(headers, [*widths, reason], strict=True):
        table.add_column(h, width=w, no_wrap=True, overflow="ignore")
    for r, cells in zip(rows, shown, strict=True):
        wrapped = ["\n".join(wrap(cell, w)) for cell, w in zip(cells, [*widths, reason], strict=True)]
        style = _STYLE[Verdict(r[6])]
        table.add_row(*(Text(x, style=style if i == 6 else "") for i, x in enumerate(wrapped)))
    console.print(table)
    return True


def _list(console: Console, rows: list[list[str]], text: Redactor) -> None:
    """One short block per candidate, for terminals too narrow for the table."""
    for r in rows:
        head = "  ".join(x for x in (r[0], r[1], r[2], text.word("report_age", age=r[3]), r[4]) if x)
        console.print()
        _lines(console, head)
        verdict = Text("  ")
        verdict.append(text.verdict(Verdict(r[6])), style=_STYLE[Verdict(r[6])])
        if r[5]:
            verdict.append("  " + text.word("report_items_met", items=r[5]))
        console.print(verdict)
        if r[7]:
            _lines(console, r[7], indent=2)


def _explain(console: Console, result: CheckResult, text: Redactor, multi: bool, only: str | None) -> None:
    quotes: dict[str, str] = {}
    for rule in result.rules.criteria.rules:  # 二、3 holds three rules of one sentence
        if rule.quote not in quotes.get(rule.citation, ""):
            quotes[rule.citation] = "……".join(filter(None, [quotes.get(rule.citation), rule.quote]))
    for note in result.round.notes:
        _lines(console, text(note), indent=2, style="dim")
    quoted: set[str] = set()  # each sentence of the notice once in the run, where it first decides something
    for v in result.verdicts:
        c = v.candidate
        if only is not None and only not in (c.name, str(c.place.row), f"{Path(c.place.file or '').name}:{c.place.row}"):
            continue
        line = Text("\n")
        line.append(text(c.name or text.word("report_no_name")), style="bold")
        line.append(f" {text.where(c.place, with_file=multi)} {text(c.unit)} → ")
        line.append(text.verdict(v.verdict), style=_STYLE[v.verdict])
        console.print(line)
        for r in v.reasons:  # the gravest first, as the engine lists them
            loc = text.where(r.place, with_file=multi) if r.place else ""
            _lines(console, f"{text.severity(r.severity)}  {keep_tag(text.cited(r))}" + (f"  ({loc})" if loc else ""), indent=2)
            if r.clause in quotes and r.clause not in quoted and r.severity is not Severity.NOTICE:
                quoted.add(r.clause)
                _lines(console, text.word("report_quote", quote=quotes[r.clause]), indent=6, style="dim")


def write_quota_text(
    report: QuotaReport, out: TextIO, *, with_counts: bool, show_id: bool = False, lang: str = "zh", every_unit: bool = False
) -> None:
    """The quota table; with a round, the units in its files first and the rest counted (every_unit: listed)."""
    text = Redactor(show_id, lang)
    q = report.quotas
    console = Console(file=out, highlight=False, soft_wrap=False)  # the terminal's width, or COLUMNS
    d = q.deadline.date
    console.print("[bold]市级学术技术带头人推荐指标分配表[/bold]")
    _lines(console, f"（{q.notice} 附件）  报送截止日期：{zh_date(d)}  超指标：{'错误' if report.policy == 'error' else '提示'}")
    if q.heading_note:
        _lines(console, f"注：{text(q.heading_note)}", style="dim")
    columns = ["分组", "单位", "指标"] + (
        ["推荐", "不占指标", "占用指标", "超出", "去掉不符合后仍超", "逾期"] if with_counts else []
    )
    shown = {u.unit for u in report.units if every_unit or not with_counts or u.recommended or u.submitted or u.late}
    table = Table(header_style="bold")
    for col in columns:
        table.add_column(col, overflow="fold")

    def cells(t: dict[str, int], still: int | str = "") -> list[str]:
        return [str(t["recommended"]), str(t["exempt"]), str(t["counted"]), str(t["over"] or ""), str(still or "")]

    for g in q.groups:
        for u in (x for x in report.units if x.group == g.name and x.unit in shown):
            label = u.unit + ("（未列出的市直单位）" if u.unit == q.pool else "")
            row = [g.name, label + ("（含：" + "、".join(u.pooled_units) + "）" if u.pooled_units else ""), str(u.quota)]
            if with_counts:
                tally = {"recommended": u.recommended, "exempt": u.exempt, "counted": u.counted, "over": u.over}
                row += cells(tally, u.over_after_ineligible if u.over else "")
                row.append("逾期" if u.late else "")
            table.add_row(*(Text(text(x)) for x in row), style="red" if u.over or u.late else None)
        t = report.totals(g.name)
        row = [g.name, f"小计（{len(g.units)}个单位）", str(t["quota"])] + (cells(t) + [""] if with_counts else [])
        table.add_row(*(Text(text(x)) for x in row), style="bold", end_section=True)
    t = report.totals()
    table.add_row(*(["合计", "", str(t["quota"])] + (cells(t) + [""] if with_counts else [])), style="bold")
    console.print(table)
    hidden = len(report.units) - len(shown)
    if hidden:
        _lines(console, f"其余 {hidden} 个单位未报送（加 --all 列出全部单位）", style="dim")
    for u in (x for x in report.units if x.over):
        cut = u.over_after_ineligible
        _lines(
            console,
            f"{u.unit}超出指标 {u.over} 名；去掉不符合的 {len(u.ineligible_names)} 人后"
            + (f"仍超出 {cut} 名，须再减少 {cut} 人" if cut else "不再超出"),
        )
    if with_counts:
        _lines(
            console,
            f"推荐 {t['recommended']} 人（其中疫情防控不占指标 {t['exempt']} 人），"
            f"占用指标 {t['counted']} 名 / 指标 {t['quota']} 名；"
            f"选拔目标 {q.selection_target} 名左右",
        )
    else:
        _lines(console, f"选拔目标：{q.selection_target} 名左右（{text(q.selection_quote)}）")
    if report.problems:
        console.print("\n[bold]说明与问题[/bold]")
        for r in report.problems:
            loc = text.where(r.place, with_file=True)
            _lines(console, text.message(r) + (f"  （{loc}）" if loc else ""), indent=2)


def _reading(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def write_sensitivity_text(s: Sensitivity, out: TextIO, *, show_id: bool = False, lang: str = "zh") -> None:
    text = Redactor(show_id, lang)
    console = Console(file=out, highlight=False, soft_wrap=False)  # the terminal's width, or COLUMNS
    rules = s.base.rules
    console.print("[bold]口径影响分析[/bold]")
    _lines(console, f"依据 {rules.criteria.notice.number}  规则文件：{rules.criteria_path}")
    multi = len(s.base.round.files) > 1
    for run in s.runs:
        console.print(f"\n[bold]{escape(run.label)}[/bold]" + (f"  [dim]{escape(run.knob)}[/dim]" if run.setting.label else ""))
        _lines(console, keep_tag(f"[{run.setting.citation}] {rule_quote(rules, run.setting.rule)}"))
        now = run.reading(run.setting.value) or _reading(run.setting.value)
        _lines(console, text(f"现行口径：{now}"), indent=2)
        _lines(console, text(f"理由：{run.setting.note}"), indent=4, style="dim")
        _lines(console, text(f"另一口径：{run.reading(run.alternative) or _reading(run.alternative)}"), indent=2)
        if not run.flips:
            console.print("  [green]没有人选的结论因此改变[/green]")
            continue
        for f in run.flips:
            c = f.before.candidate
            before, after = ("、".join(map(str, v.clauses_met)) or "无" for v in (f.before, f.after))
            met = f"第4款 {before} → {after}"
            _lines(
                console,
                text(
                    f"{text.where(c.place, with_file=multi)} {c.name} {c.unit}："
                    f"{text.verdict(f.before.verdict)} → {text.verdict(f.after.verdict)}（{met}）"
                ),
                indent=2,
            )
            for way, r in f.changes():
                _lines(console, f"{text.word('change_' + way)}：{keep_tag(text.cited(r))}", indent=6)
    console.print(f"\n共 {len(s.base.verdicts)} 人，其中 {s.hanging} 人的结论或条款取决于口径")
