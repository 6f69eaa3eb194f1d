"""JSON Schemas of every file kind, from the pydantic models (editors complete and check fields).

The candidates schema is built from the workbook contract (contract.FIELDS), the one place
that names the input fields; Chinese headers are accepted as keys too, so extra keys are allowed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from jzleader.contract import FIELDS, SHEET_LABEL

Value = str | int | float | bool | dt.date | None


def _row_model(kind: str) -> type[BaseModel]:
    fields: dict[str, Any] = {
        name: (Value, Field(None, description="、".join(headers))) for name, headers in FIELDS[kind].items()
    }
    if kind == "candidates":
        for detail in ("awards", "publications", "honours", "projects"):
            fields[detail] = (list[_row_model(detail)] | None, Field(None, description=SHEET_LABEL[detail]))  # type: ignore[misc]
    return create_model(f"{kind.title()}Row", __config__=ConfigDict(extra="allow", title=SHEET_LABEL[kind]), **fields)


def candidates_model() -> type[BaseModel]:
    fields: dict[str, Any] = {
        "candidates": (list[_row_model("candidates")], Field(description="候选人")),  # type: ignore[misc]
        "units": (list[_row_model("units")] | None, Field(None, description="推荐单位")),  # type: ignore[misc]
    }
    return create_model("CandidateFile", __config__=ConfigDict(extra="allow", title="jzleader 候选人 YAML"), **fields)


def schema(kind: str) -> dict[str, Any]:
    from jzleader.ruleset.models import Criteria, Quotas, Titles

    models: dict[str, type[BaseModel]] = {"criteria": Criteria, "quotas": Quotas, "titles": Titles}
    model = models[kind] if kind in models else candidates_model()
    return model.model_json_schema()


KINDS = ("criteria", "quotas", "titles", "candidates")
