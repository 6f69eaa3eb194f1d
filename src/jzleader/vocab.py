"""The domain's vocabularies, once: canonical values as the notice and the forms write them, and
their order. The value parsers (values.py), the engine, the blank form's dropdowns (report/template.py)
and the wording all take them from here; the rule-file models list the same values as Literal types,
and a test keeps the two equal.
"""

from __future__ import annotations


def _rank(values: tuple[str, ...]) -> dict[str, int]:
    """Highest first -> a rank where higher is better."""
    return {v: len(values) - i for i, v in enumerate(values)}


#: 职称级别, highest first
TITLE_LEVELS = ("正高级", "副高级", "中级", "初级")
FULL_SENIOR, DEPUTY_SENIOR, MIDDLE, JUNIOR = TITLE_LEVELS
TITLE_LEVEL_RANK = _rank(TITLE_LEVELS)

#: 学历 (the graduation certificate), highest first; "研究生" alone is graduate education of either kind
EDUCATIONS = ("博士研究生", "硕士研究生", "大学本科", "大学专科", "中专及以下")
GRADUATE = "研究生"
#: the 同等学力 route to a degree ("研究生（同等学力）", "同等学力硕士"): a degree without graduate education
#: (DOMAIN §1), so it ranks with 大学本科 and the degree decides (knob degree_counts_as_education)
EQUIVALENT = "同等学力"
EDUCATION_RANK = {**_rank(EDUCATIONS), GRADUATE: _rank(EDUCATIONS)["硕士研究生"], EQUIVALENT: _rank(EDUCATIONS)["大学本科"]}

#: 学位 (the degree certificate), highest first
DEGREES = ("博士", "硕士", "学士")
DOCTOR, MASTER, BACHELOR = DEGREES
DEGREE_RANK = _rank(DEGREES)

#: 授奖级别 / 授予级别 / 项目级别: one scale. 市厅级 is the notice's 市（厅）级.
LEVELS = ("国家级", "省部级", "市厅级", "县级")
LEVEL_RANK = _rank(LEVELS)

#: award grades; 优秀奖 is read but counts for nothing
GRADES = ("特等奖", "一等奖", "二等奖", "三等奖")
GRADE_RANK = {**_rank(GRADES), "优秀奖": 0}

#: 奖项类别; anything else is 其他
AWARD_CATEGORIES = ("自然科学奖", "技术发明奖", "科学技术进步奖", "社会科学优秀成果奖", "其他")
OTHER_CATEGORY = AWARD_CATEGORIES[-1]

#: 刊物级别, highest first. SCI/SSCI/EI/A&HCI count as 国际; 北大核心/CSSCI/CSCD as 国家级 (DOMAIN.md §1).
VENUES = ("国际", "国家级", "省部级", "市级", "其他")
VENUE_RANK = _rank(VENUES)

#: 论文论著 类型
PUBLICATION_KINDS = ("论文", "专著")
PAPER, MONOGRAPH = PUBLICATION_KINDS

#: 本人角色 in a project
ROLES = ("主持", "主要技术负责人", "参与")

GENDERS = ("男", "女")
YES_NO = ("是", "否")
#: honours and projects are usually given at 市级 rather than 市厅级: the same level, as their forms write it
LEVELS_AS_WRITTEN = ("国家级", "省部级", "市级", "县级")
