"""The commands on the rule files and what is made from them: validate-rules, schema, template, codes."""

from __future__ import annotations

import sys
from pathlib import Path

import rich_click as click

from jzleader.cli.base import (
    EXIT_FINDINGS,
    EXIT_HELP,
    EXIT_OK,
    _fail,
    _rules_option,
    _unusable_input_exits,
    cli,
)  # fmt: skip
from jzleader.errors import RuleFileError


@cli.command("validate-rules", epilog=EXIT_HELP["validate-rules"])
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
    help="输出格式；github 输出 GitHub Actions 注释（::error file=…）。Output format; github: workflow annotations.",
)  # fmt: skip
def validate_rules(paths: tuple[Path, ...], fmt: str) -> None:
    """检查规则文件：结构、条款原文引用、合计与别名、规则测试用例。

    Validate rule sets (folders) or rule files; default: the shipped rules. Every problem is
    printed as file:line:column (text), as a JSON document (json), or as a GitHub annotation (github).
    """
    from jzleader.report.jsondoc import dump
    from jzleader.report.rulecheck import github_annotation, rules_json
    from jzleader.ruleset.load import shipped_rules_dir
    from jzleader.validate import validate

    try:
        result = validate(list(paths) or [shipped_rules_dir()])
    except RuleFileError as e:  # a file that is not YAML at all: the problems already say where
        if fmt == "json":
            dump(rules_json(e.records, status="unusable"), sys.stdout)
        elif fmt == "github":
            click.echo("\n".join(github_annotation(p) for p in e.records))
        _fail("\n".join(e.problems))
    code = EXIT_FINDINGS if result.problems else EXIT_OK
    if fmt == "json":
        document = rules_json(
            result.problems, status="findings" if result.problems else "ok", checked=result.checked,
            cases=len(result.cases), passed=result.passed, failed=result.failed,
        )  # fmt: skip
        dump(document, sys.stdout)
        sys.exit(code)
    for problem in result.problems:
        click.echo(github_annotation(problem) if fmt == "github" else str(problem))
    status = "有问题" if result.problems else "全部通过"
    click.echo(
        f"{status}：检查了 {'、'.join(result.checked)}；{len(result.problems)} 个问题；"
        f"规则测试用例 {len(result.cases)} 个文件，{result.passed} 项通过，{result.failed} 项未通过"
    )
    sys.exit(code)


@cli.command()
@click.argument(
    "kind",
    type=click.Choice(["criteria", "quotas", "titles", "candidates", "check-output", "quota-output", "sensitivity-output"]),
)
def schema(kind: str) -> None:
    """打印某类文件或 JSON 输出的 JSON Schema（供编辑器补全和检查）。Print the JSON Schema of a file kind.

    criteria/quotas/titles/candidates: the rule files and the YAML input; a city's own rule repository keeps
    them beside its rules (jzleader schema criteria > schemas/criteria.schema.json). check-output,
    quota-output, sensitivity-output: what --format json writes.
    """
    import json

    from jzleader.schema import schema as make

    click.echo(json.dumps(make(kind), ensure_ascii=False, indent=2))


@cli.command(epilog=EXIT_HELP["template"])
@click.argument("target", type=click.Path(path_type=Path))
@_rules_option
def template(target: Path, rules_path: Path | None) -> None:
    """生成空白的推荐人选填报表（下拉列表、文本格式的身份证号列）。

    Write the blank form of the workbook contract, made from the rule files: every sheet with its
    headers and a hint row, ID and birth-date columns as text, dropdowns for units, titles and levels.
    """
    from jzleader import pipeline
    from jzleader.ruleset.load import load_rules

    with _unusable_input_exits():
        pipeline.template(target, load_rules(rules_path))
    click.echo(f"已生成填报表：{target}")


@cli.command()
def codes() -> None:
    """列出所有原因代码及其依据条款。List every reason code with its clause."""
    from jzleader.codes import Code
    from jzleader.wording import template

    for code in Code:
        clause = f"[{code.clause}] " if code.clause else ""
        click.echo(f"{code.name:28} {code.severity.value:7} {clause}{template(code)}")
