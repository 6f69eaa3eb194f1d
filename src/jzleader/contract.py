"""The workbook contract (DOMAIN.md §3): which sheets, which columns, under which names.

Canonical Chinese headers and English field names are both accepted; matching folds
full-width characters, spaces, line breaks, required-field stars and bracketed hints.
"""

from __future__ import annotations

import re

from jzleader.values import fold

#: sheet kind -> names a sheet may have (matched exactly first, then by containment)
SHEETS: dict[str, tuple[str, ...]] = {
    "awards": ("获奖", "获奖情况", "奖励", "awards"),
    "publications": ("论文论著", "论文", "论著", "著作", "publications"),
    "honours": ("荣誉称号", "荣誉", "honours", "honors"),
    "projects": ("项目", "项目情况", "projects"),
    "units": ("推荐单位", "单位信息", "units"),
    "candidates": ("候选人", "推荐人选", "汇总表", "候选人名单", "人选", "candidates"),
}

SHEET_LABEL = {
    "candidates": "候选人",
    "awards": "获奖",
    "publications": "论文论著",
    "honours": "荣誉称号",
    "projects": "项目",
    "units": "推荐单位",
}

_JOIN = {
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证"),
    "name": ("姓名", "候选人", "候选人姓名", "人选姓名"),
}

#: sheet kind -> field -> header names
FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "candidates": {
        **_JOIN,
        "gender": ("性别",),
        "birth_date": ("出生年月", "出生日期", "出生年月日", "出生时间"),
        "unit": ("推荐单位", "所属县市区", "县市区/市直单位", "推荐县市区或单位"),
        "employer": ("工作单位", "所在单位", "单位"),
        "field": ("工作领域", "从事领域", "专业领域", "领域", "从事专业"),
        "title": ("专业技术职务", "职称", "专业技术职称", "现任专业技术职务", "专业技术职务任职资格"),
        "title_level": ("职称级别", "职称等级", "职务级别"),
        "education": ("学历", "最高学历"),
        "degree": ("学位", "最高学位"),
        "holds_provincial_title": ("已获省级以上学术技术带头人称号", "已获省级以上学术技术带头人"),
        "leadership_post": ("担任领导职务不再从事专业技术工作", "担任领导职务不再直接从事专业技术工作"),
        "exceptional": ("特别优秀破格", "破格", "特别优秀"),
        "exceptional_reason": ("破格理由",),
        "covid_contribution": ("疫情防控突出贡献",),
        "covid_category": ("疫情防控贡献类别",),
        "tilt_used": ("已享受市级重点人才政策倾斜",),
        "statement": ("业绩说明", "主要业绩", "业绩"),
        "assessment_chars": ("考核材料字数",),
        "推荐报告": ("推荐报告",),
        "登记表": ("登记表",),
        "考核材料盖章": ("考核材料盖章",),
        "证件复印件": ("证件复印件",),
        "业绩材料清单": ("业绩材料清单",),
        "论著材料清单": ("论著材料清单",),
    },
    "awards": {
        **_JOIN,
        "award": ("奖项名称", "获奖名称", "成果名称", "项目名称"),
        "category": ("奖项类别", "奖励类别", "类别"),
        "level": ("授奖级别", "奖励级别", "级别"),
        "body": ("授奖单位", "颁奖单位", "授奖部门"),
        "grade": ("等级", "获奖等级", "奖励等级"),
        "rank": ("本人排名", "排名", "本人排序"),
        "year": ("年份", "获奖年份", "获奖时间"),
    },
    "publications": {
        **_JOIN,
        "kind": ("类型", "论文/专著"),
        "title": ("题目", "论文题目", "论著名称", "名称"),
        "venue": ("刊物或出版社", "刊物名称", "出版社", "发表刊物"),
        "venue_level": ("刊物级别", "级别"),
        "rank": ("本人排序", "作者排序", "排名"),
        "own_field": ("是否本专业", "本专业"),
        "year": ("年份", "发表年份", "发表时间", "出版时间"),
    },
    "honours": {
        **_JOIN,
        "honour": ("称号", "荣誉称号", "荣誉名称"),
        "level": ("授予级别", "级别"),
        "body": ("授予单位",),
        "year": ("年份", "授予年份", "获得时间"),
    },
    "projects": {
        **_JOIN,
        "project": ("项目名称", "名称"),
        "level": ("项目级别", "级别"),
        "role": ("本人角色", "角色", "本人承担任务"),
        "year": ("年份", "立项年份", "起止时间"),
    },
    "units": {
        "unit": ("推荐单位", "单位名称", "单位"),
        "contact": ("联系人",),
        "phone": ("联系电话", "电话"),
        "submitted": ("报送日期", "报送时间"),
        "report": ("推荐报告",),
    },
}

#: the field without which a row of this sheet means nothing
KEY_FIELDS = {
    "candidates": ("name", "id_number"),
    "awards": ("name", "id_number"),
    "publications": ("name", "id_number"),
    "honours": ("name", "id_number"),
    "projects": ("name", "id_number"),
    "units": ("unit",),
}

#: columns people add that carry nothing to check
IGNORED_HEADERS = {"序号", "编号", "备注", "说明", "no", "no.", "#"}

DETAIL_KINDS = ("awards", "publications", "honours", "projects")
MATERIAL_FLAGS = ("推荐报告", "登记表", "考核材料盖章", "证件复印件", "业绩材料清单", "论著材料清单")


def _index() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for kind, fields in FIELDS.items():
        table: dict[str, str] = {}
        for field, names in fields.items():
            table[fold(field)] = field
            for name in names:
                table.setdefault(fold(name), field)
        out[kind] = table
    return out


_HEADERS = _index()
_DECORATION = re.compile(r"[*＊※]|\(必填\)|\(选填\)")
_BRACKETED = re.compile(r"\(.*?\)|\[.*?\]|【.*?】|<.*?>")
_ENGLISH = re.compile(r"\[([a-z_]+)\]")


def column_name(kind: str, field: str) -> str:
    """The header a field is written under on a sheet of this kind (for messages): 职称级别."""
    names = FIELDS[kind].get(field)
    return names[0] if names else field


def header_field(kind: str, header: object) -> str | None:
    """The field a header cell names on a sheet of this kind, or None."""
    key = _DECORATION.sub("", fold(header))
    if not key:
        return None
    table = _HEADERS[kind]
    if key in table:
        return table[key]
    english = _ENGLISH.search(key)
    if english and english.group(1) in table:
        return table[english.group(1)]
    bare = _BRACKETED.sub("", key)
    return table.get(bare)


def sheet_kind(name: str) -> str | None:
    """Which kind of sheet a sheet name says it is; None when it says nothing."""
    key = fold(name)
    for kind, names in SHEETS.items():
        if key in {fold(n) for n in names}:
            return kind
    for kind, names in SHEETS.items():  # detail sheets first: 候选人获奖情况 is awards
        if any(fold(n) in key for n in names if len(fold(n)) > 1):
            return kind
    return None
