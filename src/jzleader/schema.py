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


DRAFT = "https://json-schema.org/draft/2020-12/schema"


def schema_id(kind: str) -> str:
    """A stable identifier: a name, not a place (the files are shipped, not served)."""
    return f"urn:jzleader:schema:{kind}"


def schema(kind: str) -> dict[str, Any]:
    from jzleader.report.shapes import OUTPUTS
    from jzleader.ruleset.models import Criteria, Quotas, Titles

    models: dict[str, type[BaseModel]] = {"criteria": Criteria, "quotas": Quotas, "titles": Titles, **OUTPUTS}
    model = models[kind] if kind in models else candidates_model()
    body = _if_then(model.model_json_schema(by_alias=True))
    return {"$schema": DRAFT, "$id": schema_id(kind), **body}


def _if_then(node: Any) -> Any:
    """Each `oneOf` + `discriminator` (OpenAPI's, which JSON Schema validators ignore) as one `if`/`then` per
    kind, so an editor or check-jsonschema reports the wrong field of a rule (`max_age`) with its own
    message, instead of "is not valid under any of the given schemas"."""
    if isinstance(node, list):
        return [_if_then(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _if_then(value) for key, value in node.items()}
    discriminator = node.get("discriminator")
    if not (isinstance(discriminator, dict) and "oneOf" in node):
        return node
    tag, mapping = discriminator["propertyName"], discriminator["mapping"]
    return {
        "type": "object",
        "required": [tag],
        "properties": {tag: {"enum": list(mapping), "description": "规则种类"}},
        "allOf": [
            {"if": {"properties": {tag: {"const": kind}}, "required": [tag]}, "then": {"$ref": ref}}
            for kind, ref in mapping.items()
        ],
    }


KINDS = ("criteria", "quotas", "titles", "candidates")
OUTPUT_KINDS = ("check-output", "quota-output", "sensitivity-output")
