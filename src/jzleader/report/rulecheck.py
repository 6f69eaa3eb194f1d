"""What `validate-rules` prints: text for people, JSON for scripts, GitHub workflow commands for CI annotations."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from jzleader.errors import RuleProblem
from jzleader.report.jsondoc import FORMAT_VERSION


def problem_json(p: RuleProblem) -> dict[str, Any]:
    return {"file": p.path, "line": p.line, "column": p.column, "code": p.code.name, "field": p.field, "message": p.message}


def rules_json(
    problems: Sequence[RuleProblem], *, status: str, checked: Sequence[str] = (), cases: int = 0, passed: int = 0, failed: int = 0
) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "status": status,
        "checked": list(checked),
        "problems": [problem_json(p) for p in problems],
        "cases": {"files": cases, "passed": passed, "failed": failed},
    }


def _escape(text: str, *, property_value: bool = False) -> str:
    """GitHub's workflow-command escaping: %, CR and LF always; ':' and ',' inside a property too."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def github_annotation(p: RuleProblem) -> str:
    """`::error file=…,line=…,col=…,title=CODE::field: message`, the file relative to the working directory
    (the repository root in a workflow) so that GitHub places the annotation on the line."""
    path = p.path
    if os.path.isabs(path):
        relative = os.path.relpath(path)
        path = path if relative.startswith("..") else relative
    where = [f"file={_escape(path, property_value=True)}"]
    if p.line:
        where.append(f"line={p.line}")
    if p.column:
        where.append(f"col={p.column}")
    where.append(f"title={_escape(p.code.name, property_value=True)}")
    body = f"{p.field}: {p.message}" if p.field else p.message
    return f"::error {','.join(where)}::{_escape(body)}"
