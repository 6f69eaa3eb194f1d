"""The JSON Schemas (issue 20): shipped beside the rules with `$schema` and a stable `$id`; a broken rule is
named by its field in the tools rule maintainers use (check-jsonschema); the JSON outputs validate against the
schemas of their typed models, for the bundled example, a multi-file round and a run that produced nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from jzleader.cli import cli
from jzleader.schema import DRAFT, KINDS, OUTPUT_KINDS, schema, schema_id

from .conftest import ROW_A, ROW_B, official, write_xlsx

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "沁阳市推荐人选.xlsx"


@pytest.mark.parametrize("kind", KINDS + OUTPUT_KINDS)
def test_every_schema_is_shipped_current_with_its_draft_and_id(kind):
    shipped = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert shipped == schema(kind), f"schemas/{kind}.schema.json is stale: run jzleader schema {kind}"
    assert shipped["$schema"] == DRAFT and shipped["$id"] == schema_id(kind) == f"urn:jzleader:schema:{kind}"
    jsonschema.Draft202012Validator.check_schema(shipped)


def test_no_discriminator_is_left_for_validators_to_ignore():
    text = json.dumps(schema("criteria"))
    assert "discriminator" not in text and '"oneOf"' not in text
    assert '"if"' in text and '"then"' in text


def _check_jsonschema(schema_file: Path, instance: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema_file), str(instance)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_check_jsonschema_names_the_wrong_field_of_a_rule(tmp_path):
    source = (ROOT / "rules" / "criteria.yaml").read_text(encoding="utf-8")
    assert "    max_age: 45\n" in source
    broken = tmp_path / "criteria.yaml"
    broken.write_text(source.replace("    max_age: 45\n", "    max_age: 四十五\n"), encoding="utf-8")
    result = _check_jsonschema(ROOT / "schemas" / "criteria.schema.json", broken)
    assert result.returncode == 1
    assert "max_age: '四十五' is not of type 'integer'" in result.stdout, result.stdout
    assert "is not valid under any of the given schemas" not in result.stdout
    wrong_kind = tmp_path / "kind.yaml"
    wrong_kind.write_text(source.replace("kind: age", "kind: agee", 1), encoding="utf-8")
    result = _check_jsonschema(ROOT / "schemas" / "criteria.schema.json", wrong_kind)
    assert result.returncode == 1 and ".kind: 'agee' is not one of" in result.stdout, result.stdout


@pytest.mark.parametrize("folder", ["rules", "examples/rules-2022"])
def test_check_jsonschema_accepts_every_shipped_rule_file(folder):
    for path in sorted((ROOT / folder).glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        schema_file = (path.parent / first.split("=", 1)[1]).resolve()
        result = _check_jsonschema(schema_file, path)
        assert result.returncode == 0, (path, result.stdout)


def _validate(kind: str, document: dict) -> None:
    jsonschema.Draft202012Validator(schema(kind)).validate(document)


def _json(*args: str) -> dict:
    result = CliRunner().invoke(cli, [*args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code in (0, 1, 2), result.output
    return json.loads(result.stdout)


@pytest.fixture
def multi_file_round(tmp_path) -> list[str]:
    other = write_xlsx(tmp_path / "孟州市.xlsx", official([ROW_A, ROW_B]))
    broken = tmp_path / "温县.xlsx"
    broken.write_bytes(b"")
    return [str(EXAMPLE), str(other), str(ROOT / "examples" / "沁阳市推荐人选.yaml"), str(broken)]


def test_check_outputs_validate_against_their_schema(multi_file_round):
    single = _json("check", str(EXAMPLE))
    assert single["format_version"] == "1.1" and single["candidates"]
    _validate("check-output", single)
    multi = _json("check", *multi_file_round)
    assert multi["status"] == "unusable" and multi["errors"] and len(multi["files"]) == 3
    _validate("check-output", multi)
    _validate("check-output", _json("check", str(EXAMPLE), "--lang", "en", "--show-id", "--strict"))


def test_quota_outputs_validate_against_their_schema(multi_file_round):
    _validate("quota-output", _json("quota-report"))  # the allocation table alone
    _validate("quota-output", _json("quota-report", str(EXAMPLE)))
    multi = _json("quota-report", *multi_file_round)
    assert multi["errors"] and multi["units"]
    _validate("quota-output", multi)


def test_sensitivity_outputs_validate_against_their_schema(multi_file_round):
    single = _json("sensitivity", str(EXAMPLE))
    assert any(k["flips"] for k in single["knobs"])
    _validate("sensitivity-output", single)
    _validate("sensitivity-output", _json("sensitivity", *multi_file_round))


@pytest.mark.parametrize("command", ["check", "quota-report", "sensitivity"])
def test_a_run_that_produced_nothing_validates_too(tmp_path, command):
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    document = _json(command, str(empty))
    assert document["status"] == "unusable" and document["errors"]
    kind = {"check": "check-output", "quota-report": "quota-output", "sensitivity": "sensitivity-output"}[command]
    _validate(kind, document)


def test_a_document_with_a_field_the_schema_does_not_know_fails():
    """The schemas are closed: a field written but not described in report/shapes.py fails the tests above."""
    document = _json("check", str(EXAMPLE))
    document["candidates"][0]["nickname"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        _validate("check-output", document)
