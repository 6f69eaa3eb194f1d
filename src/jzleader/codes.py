"""The one catalogue of reason and problem codes.

Decisions are data: the engine and the loaders emit `Reason` records that carry a `Code`
and parameters. Only reporters turn them into sentences, through `Code.message`.
Each code names the clause of 焦人社文〔2020〕28号 it rests on (empty for data problems
that are not a clause of the notice).
"""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import Any


class Severity(StrEnum):
    """What a reason does to the verdict."""

    FAIL = "fail"  #: a hard condition fails under every reading -> 不符合
    REVIEW = "review"  #: a judgment or unclear data decides -> 待核实
    MET = "met"  #: a condition or clause is satisfied (shown with --explain)
    NOTICE = "notice"  #: worth knowing, changes nothing


class Code(Enum):
    """Every code: (default severity, clause, Chinese message template)."""

    # --- scope (一) ---
    EXCLUDED_PROVINCIAL_TITLE = (Severity.FAIL, "一", "已获省及以上学术技术带头人称号，不再纳入评选范围")
    EXCLUDED_LEADERSHIP = (
        Severity.FAIL,
        "一",
        "担任领导职务后不再直接从事专业技术工作，原则上不再纳入评选范围",
    )
    FLAG_UNREADABLE = (Severity.REVIEW, "", "“{column}”填写为“{value}”，无法判断是或否（应填 是/否）")

    # --- age (二、3) ---
    AGE_OK = (Severity.MET, "二、3", "截至{cutoff}年龄{age}周岁，符合{limit}周岁以下")
    AGE_OVER_LIMIT = (Severity.FAIL, "二、3", "截至{cutoff}年龄{age}周岁，超过{limit}周岁以下的要求")
    BORN_AFTER_BOUND_OK = (Severity.MET, "二、3", "出生于{birth}，符合{bound}以后出生的要求")
    BORN_BEFORE_BOUND = (Severity.FAIL, "二、3", "出生于{birth}，早于规定的{bound}")
    AGE_UNDECIDABLE = (Severity.REVIEW, "二、3", "出生日期按不同读法年龄结论不同（{readings}），请核实出生日期")
    BIRTH_DATE_MISSING = (Severity.REVIEW, "二、3", "没有出生日期，身份证号也无法提供出生日期，无法计算年龄")
    BIRTH_DATE_UNREADABLE = (Severity.NOTICE, "", "出生日期“{value}”无法识别，请按 1975.07 或 1975-07-05 的格式填写")
    BIRTH_DATE_AMBIGUOUS = (
        Severity.NOTICE,
        "",
        "出生年月“{value}”可能是{readings}（数字格式把 1975.10 存成了 1975.1），请将该列设为文本后填写 1975.10",
    )
    BIRTH_DATE_RESOLVED_BY_ID = (
        Severity.NOTICE,
        "",
        "出生年月“{value}”可能是{readings}，与身份证号一致的是{date}，按{date}计算",
    )
    BIRTH_DATE_SERIAL = (Severity.NOTICE, "", "出生日期“{value}”按 Excel 日期序号读作{date}")
    BIRTH_DATE_MISMATCH = (
        Severity.NOTICE,
        "",
        "出生日期栏为{column_date}，身份证号中为{id_date}，两者不一致（以档案为准，请核实）",
    )

    # --- identity ---
    ID_MISSING = (Severity.REVIEW, "", "身份证号为空，无法确认人选身份")
    ID_PRECISION_LOST = (
        Severity.REVIEW,
        "",
        "身份证号被 Excel 当作数字保存（显示为 {shown}），最后几位已丢失。请把该列设置为“文本”格式，重新录入完整的18位号码",
    )
    ID_NUMERIC_CELL = (
        Severity.NOTICE,
        "",
        "身份证号保存在数字格式的单元格中，用 Excel 再次保存时会丢失后几位，请把该列设置为“文本”格式",
    )
    ID_BAD_FORMAT = (Severity.REVIEW, "", "身份证号“{shown}”不是18位号码（{detail}），请核对")
    ID_BAD_CHECKSUM = (
        Severity.REVIEW,
        "",
        "身份证号 {shown} 的校验位应为 {expected}，与填写的 {given} 不符，可能有数字录错",
    )
    ID_BAD_BIRTH_DATE = (Severity.REVIEW, "", "身份证号 {shown} 中的出生日期 {digits} 不是有效日期")
    ID_REGION_UNKNOWN = (Severity.NOTICE, "", "身份证号 {shown} 的地区码不常见，请核对")
    DUPLICATE_ID = (Severity.REVIEW, "", "同一身份证号 {shown} 还出现在{others}，同一人被重复推荐")
    NAME_MISSING = (Severity.REVIEW, "", "姓名为空")

    # --- qualification (二、3) ---
    TITLE_OK = (Severity.MET, "二、3", "专业技术职务“{title}”为{level}，具有高级专业技术职务")
    EDUCATION_OK = (Severity.MET, "二、3", "学历为{education}，达到硕士研究生以上学历")
    QUALIFICATION_NOT_MET = (
        Severity.FAIL,
        "二、3",
        "不具有高级专业技术职务（{title}），也不具有硕士研究生以上学历（{education}）",
    )
    QUALIFICATION_MISSING = (
        Severity.REVIEW,
        "二、3",
        "{missing}，无法判断是否具有高级专业技术职务或硕士研究生以上学历",
    )
    EXEMPTION_CLAIMED = (
        Severity.REVIEW,
        "二、3",
        "按“特别优秀”破格推荐，不受职称、学历限制，是否特别优秀须评审认定{reason}",
    )
    EXEMPTION_NOT_NEEDED = (Severity.NOTICE, "二、3", "已标注特别优秀破格，但职称或学历已符合条件，无需破格")
    DEGREE_WITHOUT_EDUCATION = (
        Severity.REVIEW,
        "二、3",
        "有{degree}学位但学历为{education}：通知要求“硕士研究生以上学历”，仅有学位是否可以须人社部门认定",
    )
    DEGREE_COUNTED = (
        Severity.MET,
        "二、3",
        "有{degree}学位（学历为{education}），按本规则文件的口径视同硕士研究生以上学历",
    )
    TITLE_UNKNOWN = (Severity.NOTICE, "二、3", "职称“{title}”不在职称表中，无法确定级别{suggestions}")
    NOT_A_TITLE = (Severity.NOTICE, "二、3", "“{title}”是职业技能等级，不是专业技术职务（职称）")
    TITLE_LEVEL_CONFLICT = (
        Severity.NOTICE,
        "二、3",
        "职称“{title}”属于{title_level}，但职称级别栏填写为{declared}，请核实",
    )
    EDUCATION_UNKNOWN = (Severity.NOTICE, "二、3", "学历“{value}”无法识别（如 博士研究生/硕士研究生/大学本科）")

    # --- achievements (二、4) ---
    CLAUSE_MET = (Severity.MET, "二、4", "符合第{n}项：{detail}")
    CLAUSE_NEEDS_JUDGEMENT = (Severity.REVIEW, "二、4", "第{n}项须评审认定：{detail}")
    CLAUSE_UNCERTAIN = (Severity.REVIEW, "二、4", "第{n}项是否符合取决于数据：{detail}")
    CLAUSE_SHORT = (Severity.NOTICE, "二、4", "第{n}项未达到：{detail}")
    NO_ACHIEVEMENT = (
        Severity.FAIL,
        "二、4",
        "不具备第二条第4款所列条件之一：获奖、论文论著、项目、荣誉均未达到要求，也没有业绩说明",
    )
    AWARD_LEVEL_CONFLICT = (
        Severity.NOTICE,
        "二、4(1)",
        "奖项“{award}”填写为{declared}，但授奖单位“{body}”是{inferred}",
    )
    AWARD_RANK_UNKNOWN = (Severity.NOTICE, "二、4(1)", "奖项“{award}”未填写本人排名，无法判断是否主要完成者")
    AWARD_RANK_BEYOND = (
        Severity.NOTICE,
        "二、4(1)",
        "奖项“{award}”本人排名第{rank}，超过本规则文件认定主要完成者的前{max_rank}名",
    )
    PUBLICATION_FIELD_UNKNOWN = (
        Severity.NOTICE,
        "二、4(3)",
        "论文“{title}”未注明是否本专业",
    )
    VALUE_UNREADABLE = (Severity.NOTICE, "", "“{column}”的值“{value}”无法识别{expected}")

    # --- materials (五) ---
    ASSESSMENT_TOO_LONG = (Severity.NOTICE, "五、3", "考核材料{chars}字，超过{limit}字的要求")
    MATERIAL_MISSING = (Severity.NOTICE, "五", "推荐材料“{material}”标注为未提供")
    UNIT_MISSING = (Severity.NOTICE, "四", "推荐单位为空，无法计入任何单位的指标")

    # --- quotas (四) and the deadline (五) ---
    UNIT_TYPO = (Severity.NOTICE, "四", "{name}：推荐单位“{unit}”不在指标表中，是否为“{suggestion}”？未计入任何单位的指标")
    UNIT_UNKNOWN = (
        Severity.NOTICE,
        "四",
        "{name}：推荐单位“{unit}”不在指标表中，也不像市直单位，未计入任何单位的指标",
    )
    UNIT_BLANK = (Severity.NOTICE, "四", "{name}：推荐单位为空，未计入任何单位的指标")
    UNIT_POOLED = (Severity.NOTICE, "四", "“{unit}”不是指标表所列单位，按市直单位计入“{pool}”（{quota}名）")
    UNIT_OVER_QUOTA = (
        Severity.NOTICE,
        "四",
        "{unit}指标{quota}名，占用{counted}名，超出{over}名（原则上不得超指标推荐）：{names}",
    )
    COVID_EXEMPT = (Severity.NOTICE, "四", "{name}：疫情防控突出贡献（{category}），不占{unit}的指标")
    COVID_EXEMPTION_REFUSED = (Severity.NOTICE, "四", "{name}：标注了疫情防控突出贡献，但{why}，仍占用指标")
    UNIT_LATE = (
        Severity.NOTICE,
        "五",
        "{unit}报送日期{date}晚于截止日期{deadline}，视为自动放弃推荐资格：{names}",
    )
    UNIT_DATE_UNKNOWN = (Severity.NOTICE, "五", "{unit}的报送日期未填写或无法识别，无法判断是否逾期")

    # --- workbook problems (not tied to one candidate) ---
    SHEET_HEADER_NOT_FOUND = (
        Severity.NOTICE,
        "",
        "工作表“{sheet}”前{rows}行中找不到表头（如“{expected}”），该表未读取",
    )
    DETAIL_UNMATCHED = (
        Severity.NOTICE,
        "",
        "“{sheet}”第{row}行（{who}）找不到对应的候选人，请核对身份证号或姓名",
    )
    DETAIL_NAME_AMBIGUOUS = (
        Severity.NOTICE,
        "",
        "“{sheet}”第{row}行只有姓名“{name}”，而候选人中有同名者，请填写身份证号",
    )
    ROW_SKIPPED = (Severity.NOTICE, "", "第{row}行没有姓名和身份证号，未作为候选人读取")
    FORMAT_BY_CONTENT = (Severity.NOTICE, "", "{file}的扩展名是 {suffix}，但内容是 {actual} 工作簿，已按 {actual} 读取")
    BAD_NUMBER = (Severity.NOTICE, "", "“{column}”应为数字，填写为“{value}”")

    # --- rule files (validate-rules); the message is written where the problem is found ---
    RULE_SYNTAX = (Severity.NOTICE, "", "YAML 语法错误")
    RULE_UNREADABLE = (Severity.NOTICE, "", "规则文件无法读取")
    RULE_TYPE = (Severity.NOTICE, "", "值的类型不对（如年龄上限不是整数）")
    RULE_UNKNOWN_KEY = (Severity.NOTICE, "", "不认识的字段")
    RULE_MISSING = (Severity.NOTICE, "", "缺少必填项")
    RULE_BAD_DATE = (Severity.NOTICE, "", "不是日期")
    RULE_RANGE = (Severity.NOTICE, "", "数值超出范围（如指标不是正整数）")
    RULE_VALUE = (Severity.NOTICE, "", "取值不在允许的范围内")
    RULE_DUPLICATE_ID = (Severity.NOTICE, "", "规则 id 或条款重复")
    RULE_BAD_CITATION = (Severity.NOTICE, "", "条款编号格式不对")
    RULE_MISQUOTED = (Severity.NOTICE, "", "引用的句子在通知原文中找不到")
    RULE_WRONG_TOTAL = (Severity.NOTICE, "", "指标合计与各单位之和不符")
    RULE_ALIAS_COLLISION = (Severity.NOTICE, "", "单位名称或别名重复")
    RULE_TITLE_LEVELS = (Severity.NOTICE, "", "职称的级别不唯一")
    RULE_CASE_FAILED = (Severity.NOTICE, "", "规则测试用例未通过")
    RULE_NOT_COVERED = (Severity.NOTICE, "", "规则或口径没有测试用例")

    def __init__(self, severity: Severity, clause: str, template: str) -> None:
        self.severity = severity
        self.clause = clause
        self.template = template

    def message(self, params: dict[str, Any]) -> str:
        """The Chinese sentence for this code; a missing parameter never raises."""
        try:
            return self.template.format(**params)
        except (KeyError, IndexError, ValueError):
            return self.template
