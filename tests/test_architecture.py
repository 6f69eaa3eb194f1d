"""The shape of the code (ARCHITECTURE.md), checked the way code is: imports point one way, each
library stays in its layer, modules stay small, decisions carry no sentences."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "jzleader"
TESTS = Path(__file__).resolve().parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in SRC.rglob("*.py")}


def _imports(path: Path) -> set[str]:
    """Every jzleader module a module imports, at the top or inside a function."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)  # from jzleader import pipeline
    return {m for m in out if m in MODULES}


GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


def test_no_import_cycle_function_local_imports_included():
    done: set[str] = set()

    def visit(name: str, stack: list[str]) -> None:
        if name in stack:
            pytest.fail("import cycle: " + " -> ".join([*stack[stack.index(name) :], name]))
        if name in done:
            return
        for target in sorted(GRAPH[name]):
            visit(target, [*stack, name])
        done.add(name)

    for name in sorted(GRAPH):
        visit(name, [])


def _third_party(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


@pytest.mark.parametrize(
    ("library", "allowed"),
    [("click", {"jzleader.cli"}), ("rich_click", {"jzleader.cli"}), ("rich", {"jzleader.cli", "jzleader.report.text"})],
)
def test_libraries_stay_in_their_layer(library, allowed):
    # jzleader.cli is a package: its modules (base, rounds, rules, serve, ...) are the command-line layer
    users = {name for name, path in MODULES.items() if library in _third_party(path)}
    assert {name for name in users if not name.startswith("jzleader.cli.")} <= allowed


def test_no_module_over_450_lines():
    long = {name: n for name, path in MODULES.items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > 450}
    assert long == {}


DECISIONS = sorted(n for n in MODULES if n.startswith("jzleader.engine") or n in ("jzleader.quota", "jzleader.sensitivity"))


@pytest.mark.parametrize("name", DECISIONS)
def test_decisions_hold_no_chinese_string(name):
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    chinese = [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and CJK.search(n.value)
    ]
    assert chinese == []


def test_no_test_module_imports_another():
    for path in TESTS.glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                assert not module.split(".")[-1].startswith("test_"), f"{path.name} imports {module}"
            elif isinstance(node, ast.Import):
                assert not any(a.name.split(".")[-1].startswith("test_") for a in node.names), path.name


def test_the_readers_and_the_layout_start_without_the_rule_sets_models():
    """Reading and laying out a workbook needs no rule set: importing them must not build pydantic's models (a
    third of a second), so that a read can begin before the rule files are loaded, and a reader's worker forked
    early carries none of it."""
    import subprocess
    import sys

    code = (
        "import sys, jzleader.inputs.sniff, jzleader.layout\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'jzleader.ruleset'))))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_a_workbook_read_begins_before_the_records_modules_are_imported():
    """`check` begins reading the first workbook as soon as it has its paths: what that imports is all that runs
    before the sheets are read, on one core, while the other waits. The records' modules (the model, the values,
    the ID numbers with python-stdnum, which imports ssl) and the YAML reader are imported afterwards, while the
    readers' workers read (they were 0.12 s of the 0.17 s this import took)."""
    import subprocess
    import sys

    code = (
        "import sys, jzleader.inputs.sniff\n"
        "print(sorted(m for m in sys.modules if m.startswith(('jzleader.model', 'jzleader.values', 'stdnum', 'yaml'))))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
