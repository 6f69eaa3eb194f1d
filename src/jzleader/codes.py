"""The one catalogue of reason and problem codes.

Decisions are data: the engine and the loaders emit `Reason` records that carry a `Code`
and parameters. Only wording.py turns them into sentences (Chinese or English).
Each code names the clause of 焦人社文〔2020〕28号 it rests on (empty for data problems
that are not a clause of the notice).
"""

from __future__ import annotations

from enum import Enum, StrEnum


class Severity(StrEnum):
    """What a reason does to the verdict."""

    FAIL = "fail"  #: a hard condition fails under every reading -> 不符合
    REVIEW = "review"  #: a judgment or unclear data decides -> 待核实
    MET = "met"  #: a condition or clause is satisfied (shown with --explain)
    NOTICE = "notice"  #: worth knowing, changes nothing


#: the gravest first: how reasons are listed (the engine sorts every assessment's reasons so)
SEVERITY_ORDER = {Severity.FAIL: 0, Severity.REVIEW: 1, Severity.MET: 2, Severity.NOTICE: 3}


class Code(Enum):
    """Every code: (default severity, clause). Its sentences are in wording.py."""

    # --- scope (一) ---
    EXCLUDED_PROVINCIAL_TITLE = (Severity.FAIL, "一")
    EXCLUDED_LEADERSHIP = (Severity.FAIL, "一")
    FLAG_UNREADABLE = (Severity.REVIEW, "")

    # --- age (二、3) ---
    AGE_OK = (Severity.MET, "二、3")
    AGE_OVER_LIMIT = (Severity.FAIL, "二、3")
    BORN_AFTER_BOUND_OK = (Severity.MET, "二、3")
    BORN_BEFORE_BOUND = (Severity.FAIL, "二、3")
    AGE_UNDECIDABLE = (Severity.REVIEW, "二、3")
    BIRTH_DATE_MISSING = (Severity.REVIEW, "二、3")
    BIRTH_DATE_UNREADABLE = (Severity.NOTICE, "")
    BIRTH_DATE_AMBIGUOUS = (Severity.NOTICE, "")
    BIRTH_DATE_RESOLVED_BY_ID = (Severity.NOTICE, "")
    BIRTH_DATE_SERIAL = (Severity.NOTICE, "")
    BIRTH_DATE_MISMATCH = (Severity.NOTICE, "")

    # --- identity ---
    ID_MISSING = (Severity.REVIEW, "")
    ID_PRECISION_LOST = (Severity.REVIEW, "")
    ID_NUMERIC_CELL = (Severity.NOTICE, "")
    ID_YAML_UNQUOTED = (Severity.NOTICE, "")
    ID_YAML_INEXACT = (Severity.REVIEW, "")
    ID_BAD_FORMAT = (Severity.REVIEW, "")
    ID_BAD_CHECKSUM = (Severity.REVIEW, "")
    ID_BAD_BIRTH_DATE = (Severity.REVIEW, "")
    ID_REGION_UNKNOWN = (Severity.NOTICE, "")
    DUPLICATE_ID = (Severity.REVIEW, "")
    NAME_MISSING = (Severity.REVIEW, "")

    # --- qualification (二、3) ---
    TITLE_OK = (Severity.MET, "二、3")
    EDUCATION_OK = (Severity.MET, "二、3")
    QUALIFICATION_NOT_MET = (Severity.FAIL, "二、3")
    QUALIFICATION_MISSING = (Severity.REVIEW, "二、3")
    EXEMPTION_CLAIMED = (Severity.REVIEW, "二、3")
    EXEMPTION_NOT_NEEDED = (Severity.NOTICE, "二、3")
    DEGREE_WITHOUT_EDUCATION = (Severity.REVIEW, "二、3")
    DEGREE_COUNTED = (Severity.MET, "二、3")
    TITLE_UNKNOWN = (Severity.NOTICE, "二、3")
    NOT_A_TITLE = (Severity.NOTICE, "二、3")
    TITLE_LEVEL_CONFLICT = (Severity.NOTICE, "二、3")
    EDUCATION_UNKNOWN = (Severity.NOTICE, "二、3")

    # --- achievements (二、4) ---
    CLAUSE_MET = (Severity.MET, "二、4")
    CLAUSE_NEEDS_JUDGEMENT = (Severity.REVIEW, "二、4")
    CLAUSE_UNCERTAIN = (Severity.REVIEW, "二、4")
    CLAUSE_SHORT = (Severity.NOTICE, "二、4")
    NO_ACHIEVEMENT = (Severity.FAIL, "二、4")
    AWARD_LEVEL_CONFLICT = (Severity.NOTICE, "二、4(1)")
    AWARD_RANK_UNKNOWN = (Severity.NOTICE, "二、4(1)")
    AWARD_RANK_BEYOND = (Severity.NOTICE, "二、4(1)")
    PUBLICATION_FIELD_UNKNOWN = (Severity.NOTICE, "二、4(3)")
    VALUE_UNREADABLE = (Severity.NOTICE, "")

    # --- materials (五) ---
    ASSESSMENT_TOO_LONG = (Severity.NOTICE, "五、3")
    MATERIAL_MISSING = (Severity.NOTICE, "五")
    UNIT_MISSING = (Severity.NOTICE, "四")

    # --- quotas (四) and the deadline (五) ---
    UNIT_TYPO = (Severity.NOTICE, "四")
    UNIT_UNKNOWN = (Severity.NOTICE, "四")
    UNIT_BLANK = (Severity.NOTICE, "四")
    UNIT_POOLED = (Severity.NOTICE, "四")
    UNIT_OVER_QUOTA = (Severity.NOTICE, "四")
    COVID_EXEMPT = (Severity.NOTICE, "四")
    COVID_EXEMPTION_REFUSED = (Severity.NOTICE, "四")
    COVID_CATEGORY_MISSING = (Severity.NOTICE, "四")
    UNIT_LATE = (Severity.NOTICE, "五")
    # --- from a register of rounds (check --register) ---
    REGISTER_EARLIER = (Severity.NOTICE, "")
    REGISTER_SELECTED = (Severity.NOTICE, "")
    UNIT_DATE_UNKNOWN = (Severity.NOTICE, "五")

    # --- workbook problems (not tied to one candidate) ---
    SHEET_HEADER_NOT_FOUND = (Severity.NOTICE, "")
    DETAIL_UNMATCHED = (Severity.NOTICE, "")
    DETAIL_NAME_AMBIGUOUS = (Severity.NOTICE, "")
    ROW_SKIPPED = (Severity.NOTICE, "")
    FORMAT_BY_CONTENT = (Severity.NOTICE, "")
    FORMAT_TEXT_TABLE = (Severity.NOTICE, "")
    FILE_SKIPPED = (Severity.NOTICE, "")
    BAD_NUMBER = (Severity.NOTICE, "")

    # --- the layout of a sheet (DOMAIN.md §6) ---
    SHEET_HIDDEN = (Severity.NOTICE, "")
    SHEET_COPY = (Severity.NOTICE, "")
    ROWS_HIDDEN = (Severity.NOTICE, "")
    ROW_COLUMN_NUMBERS = (Severity.NOTICE, "")
    ROW_HINT = (Severity.NOTICE, "")
    ROW_EXAMPLE = (Severity.NOTICE, "")
    ROW_HEADER_REPEATED = (Severity.NOTICE, "")
    SECTION_UNIT = (Severity.NOTICE, "")
    SECTION_COUNT_MISMATCH = (Severity.NOTICE, "")
    SAME_AS_ABOVE = (Severity.NOTICE, "")
    CELL_ERROR_VALUE = (Severity.REVIEW, "")
    FORMULA_NO_VALUE = (Severity.REVIEW, "")

    # --- rule files (validate-rules); the message is written where the problem is found ---
    RULE_SYNTAX = (Severity.NOTICE, "")
    RULE_UNREADABLE = (Severity.NOTICE, "")
    RULE_TYPE = (Severity.NOTICE, "")
    RULE_UNKNOWN_KEY = (Severity.NOTICE, "")
    RULE_MISSING = (Severity.NOTICE, "")
    RULE_BAD_DATE = (Severity.NOTICE, "")
    RULE_RANGE = (Severity.NOTICE, "")
    RULE_VALUE = (Severity.NOTICE, "")
    RULE_DUPLICATE_ID = (Severity.NOTICE, "")
    RULE_BAD_CITATION = (Severity.NOTICE, "")
    RULE_MISQUOTED = (Severity.NOTICE, "")
    RULE_WRONG_TOTAL = (Severity.NOTICE, "")
    RULE_ALIAS_COLLISION = (Severity.NOTICE, "")
    RULE_TITLE_LEVELS = (Severity.NOTICE, "")
    RULE_CASE_FAILED = (Severity.NOTICE, "")
    RULE_NOT_COVERED = (Severity.NOTICE, "")

    severity: Severity
    clause: str

    #: a member is its own key: hashed by identity in C (Enum's own __hash__ is a Python call, made for every
    #: reason looked up by its code, hundreds of thousands of times in a large round), as it is compared
    __hash__ = object.__hash__

    def __new__(cls, severity: Severity, clause: str) -> Code:
        # numbered in order: two codes with the same severity and clause stay two codes
        member = object.__new__(cls)
        member._value_ = len(cls.__members__) + 1
        member.severity = severity
        member.clause = clause
        return member


class Detail(Enum):
    """What an achievement clause (二、4) found, as data: the `detail` of a CLAUSE_* reason."""

    __hash__ = object.__hash__  #: as Code's

    AWARDS_MET = "awards_met"  #: option, count
    AWARDS_SHORT = "awards_short"  #: options, listed
    MONOGRAPHS = "monographs"  #: count, judgement
    PAPERS_MET = "papers_met"  #: level, count, judgement
    PAPERS_SHORT = "papers_short"  #: level, count, required
    PAPERS_OPEN = "papers_open"  #: level, count, required, unclear
    PROJECTS_OPEN = "projects_open"  #: names, judgement
    PROJECTS_NONE = "projects_none"  #: level, roles
    STATEMENT_OPEN = "statement_open"  #: judgement
    STATEMENT_NONE = "statement_none"
    HONOUR_MET = "honour_met"  #: field, level, honour
    HONOUR_FIELD_OPEN = "honour_field_open"  #: level, honour, field, fields
    HONOUR_LEVEL_UNKNOWN = "honour_level_unknown"  #: honour
    HONOUR_STATEMENT_OPEN = "honour_statement_open"  #: field, judgement
    HONOUR_NONE = "honour_none"  #: level
