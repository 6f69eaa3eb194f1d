"""The register's commands as documents (JSON) and lines (text, Chinese), and its archive workbook.
Every function returns (document, lines); no full ID is ever in either: the register holds none."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jzleader.errors import InputError
from jzleader.model import Verdict
from jzleader.wording import verdict_label

Out = tuple[dict[str, Any], list[str]]


def _verdict(value: str) -> str:
    """符合 / 待核实 / 不符合 for a stored verdict, in the words every other report uses."""
    return verdict_label(Verdict(value))


def _entry(e: Any) -> dict[str, Any]:
    from jzleader.idnumber import redact

    return {"name": e.name, "unit": e.unit, "masked_id": e.masked_id, "verdict": e.verdict, "reasons": e.reasons,
            "tilt_applied": e.tilt_applied, "file": redact(e.file), "row": e.row}  # fmt: skip


def _who(e: Any) -> str:
    return f"{e.name}（{e.unit or '推荐单位未填'}，{e.masked_id or '无身份证号'}）"


def init(database: str, key_file: str, made: bool) -> Out:
    doc = {"command": "register init", "database": database, "key_file": key_file, "created": made}
    first = "已新建登记库" if made else "登记库已存在，已更新到当前版本"
    return doc, [f"{first}：{database}", f"密钥文件：{key_file}（请妥善保管、备份；丢失后已登记的人员无法再对应）"]


def info(i: Any) -> Out:
    rounds = [{"name": r.name, "year": r.year, "versions": r.versions, "current": r.current, "candidates": r.candidates,
               "selected": r.selected} for r in i.rounds]  # fmt: skip
    doc = {"command": "register info", "database": i.database, "key_file": i.key_file, "revision": i.revision,
           "head": i.head, "rounds": rounds}  # fmt: skip
    lines = [f"登记库：{i.database}", f"密钥文件：{i.key_file}", f"数据表版本：{i.revision}（程序需要 {i.head}）"]
    lines += [f"  {r.name}（{r.year or '年份未知'}年）：第{r.current}版（共{r.versions}版），{r.candidates}人，入选{r.selected}人"
              for r in i.rounds] or ["还没有登记任何轮次：jzleader register add 报送材料/ --round 轮次名称"]  # fmt: skip
    return doc, lines


def added(done: Any, summary: dict[str, int]) -> Out:
    doc = {"command": "register add", "round": done.round, "result": done.status, "version": done.version,
           "candidates": done.candidates, "tilt_applied": done.tilt_applied, "summary": summary}  # fmt: skip
    what = {"added": "已登记", "replaced": "已登记更正后的材料", "unchanged": "与已登记的材料相同，未作改动"}[done.status]
    counts = f"符合 {summary['eligible']}，待核实 {summary['review']}，不符合 {summary['ineligible']}"
    tilt = f"享受疫情防控政策倾斜 {done.tilt_applied} 人"
    return doc, [f"“{done.round}”{what}（第{done.version}版）：{done.candidates}人（{counts}），{tilt}"]


def outcome(done: Any) -> Out:
    doc = {"command": "register outcome", "round": done.round, "selected": [_entry(e) for e in done.selected],
           "unmatched": done.unmatched, "ambiguous": done.ambiguous}  # fmt: skip
    if done.unmatched or done.ambiguous:
        lines = ["名单中有对不上的行，未作登记，请更正后重试："]
        lines += [f"  “{x}”：这一轮没有此人" for x in done.unmatched]
        lines += [f"  “{x}”：这一轮有同名的多人，请改写身份证号" for x in done.ambiguous]
        return doc, lines
    return doc, [f"“{done.round}”入选 {len(done.selected)} 人已登记：{'、'.join(e.name for e in done.selected)}"]


def history(query: str, found: Sequence[Any]) -> Out:
    from jzleader.idnumber import redact

    shown = redact(query)
    doc = {"command": "register history", "query": shown, "appearances": [
        {"round": a.round, "year": a.year, "version": a.version, "selected": a.selected, **_entry(a.entry)} for a in found
    ]}  # fmt: skip
    if not found:
        return doc, [f"登记库中没有“{shown}”"]
    lines = [f"“{shown}”出现在 {len(found)} 轮："]
    for a in found:
        e = a.entry
        tilt = "，享受了疫情防控政策倾斜" if e.tilt_applied else ""
        chosen = "，最终入选" if a.selected else ""
        lines.append(f"  {a.year or ''}“{a.round}”：{_who(e)}，{_verdict(e.verdict)}{tilt}{chosen}")
    return doc, lines


def _changes(c: Any) -> tuple[dict[str, Any], list[str]]:
    changed = [{**_entry(b), "from": a.verdict, "to": b.verdict, "reasons_added": sorted(set(b.reasons) - set(a.reasons)),
                "reasons_removed": sorted(set(a.reasons) - set(b.reasons)), "tilt_from": a.tilt_applied,
                "tilt_to": b.tilt_applied} for a, b in c.changed]  # fmt: skip
    doc = {"added": [_entry(e) for e in c.added], "removed": [_entry(e) for e in c.removed], "changed": changed}
    lines = [f"  新增：{_who(e)}，{_verdict(e.verdict)}" for e in c.added]
    lines += [f"  删除：{_who(e)}" for e in c.removed]
    for (a, b), d in zip(c.changed, changed, strict=True):
        why = "；".join(x for x in (f"新出现 {'、'.join(d['reasons_added'])}" if d["reasons_added"] else "",
                                    f"不再有 {'、'.join(d['reasons_removed'])}" if d["reasons_removed"] else "",
                                    "政策倾斜改变" if a.tilt_applied != b.tilt_applied else "") if x)  # fmt: skip
        lines.append(f"  改变：{_who(b)}，{_verdict(a.verdict)} → {_verdict(b.verdict)}（{why}）")
    return doc, lines or ["  没有变化"]


def diff(name: str, versions: Sequence[Any]) -> Out:
    docs, lines = [], [f"“{name}”" + (f"共登记 {len(versions) + 1} 版：" if versions else "只登记过一版，没有可比较的版本")]
    for v in versions:
        doc, text = _changes(v.changes)
        docs.append({"before": v.before, "after": v.after, "added_at": v.added_at.isoformat(),
                     "files_added": v.files_added, "files_removed": v.files_removed, **doc})  # fmt: skip
        lines.append(f"第{v.before}版 → 第{v.after}版（{v.added_at:%Y-%m-%d %H:%M}）：")
        lines += [f"  文件更换：{'、'.join(v.files_added)}"] if v.files_added else []
        lines += text
    return {"command": "register diff", "round": name, "versions": docs}, lines


def verified(v: Any) -> Out:
    doc, text = _changes(v.changes)
    head = f"“{v.round}”第{v.version}版（登记时程序版本 {v.tool_version}）用现在的规则和程序重新审核："
    rules = [f"  规则文件有变化：{'、'.join(v.rules_changed)}"] if v.rules_changed else []
    full = {"command": "register verify", "round": v.round, "version": v.version, "tool_version": v.tool_version,
            "rules_changed": v.rules_changed, **doc}  # fmt: skip
    return full, [head, *rules, *(text if not v.changes.empty else ["  所有结论不变"])]


def exported(target: Path, summary: Any, people: Sequence[Any]) -> Out:
    doc = {"command": "register export", "file": str(target), "rounds": len(summary.rounds), "people": len(people)}
    return doc, [f"已导出登记库：{target}（{len(summary.rounds)} 轮，{len(people)} 人次）"]


def write_export(target: Path, summary: Any, people: Sequence[Any]) -> None:
    """The register for the archive: rounds, and everyone of every round (masked IDs, never a key)."""
    from openpyxl import Workbook

    from jzleader.report.sheets import check_target, save_atomically, table

    check_target(target, [])
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "轮次"
    table(ws, ["轮次", "年份", "当前版本", "版本数", "人数", "入选人数"],
          [[r.name, r.year, r.current, r.versions, r.candidates, r.selected] for r in summary.rounds], summary.database,
          top=["推荐人选登记库", f"登记库：{summary.database}"])  # fmt: skip
    people_ws = wb.create_sheet("人选")
    rows = [[a.round, a.year, a.entry.name, a.entry.unit, a.entry.masked_id, _verdict(a.entry.verdict),
             "、".join(a.entry.reasons), "是" if a.entry.tilt_applied else "", "是" if a.selected else "", a.entry.file,
             a.entry.row] for a in people]  # fmt: skip
    header = ["轮次", "年份", "姓名", "推荐单位", "身份证号（打码）", "结论", "原因代码", "享受政策倾斜", "入选", "文件", "行"]
    table(people_ws, header, rows, summary.database)
    save_atomically(wb, target)


def read_list(path: Path) -> list[str]:
    """The lines of a list of names or IDs: a text file (UTF-8 or GB18030) or a workbook's first column."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            ws = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        except Exception as e:  # noqa: BLE001 - any damage is one message naming the file
            raise InputError(path, f"无法读取名单（{e}）") from e
        values = [str(row[0]).strip() for row in ws.iter_rows(values_only=True) if row and row[0] is not None]
    else:
        try:
            data = path.read_bytes()
        except OSError as e:
            raise InputError(path, f"无法读取名单（{e.strerror}）") from e
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030", "replace")
        values = [line.split(",")[0].split("\t")[0].strip() for line in text.splitlines()]
    lines = [v for v in values if v and v not in ("姓名", "身份证号")]
    if not lines:
        raise InputError(path, "名单是空的：每行写一个入选人的姓名或身份证号")
    return lines
