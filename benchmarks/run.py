"""Benchmark: python benchmarks/run.py [--sizes 1000 10000 100000] [--repeat 3] [--write]

For each size N it makes (once, under benchmarks/out/) a realistic workbook with
make_workbook.py and measures, each in a fresh process: `jzleader check FILE --format json`,
a bare openpyxl read-only pass over every cell of the same file, and a bare python-calamine
read; then their ratios, peak RSS, each size's time against the size before it, and
`jzleader --version` against `python -c pass`. Wall times are the best of --repeat runs (one run
from 100,000 up), the programs taking turns (check, openpyxl, calamine, check, ...) so that a
machine that slows down or speeds up over the minutes does so for both sides of a ratio; jzleader
is byte-compiled first, as it runs once installed (`byte_compiled`).
Results go to stdout as a Markdown table; with --write they also replace the table in
benchmarks/README.md and are drawn to benchmarks/scaling.png (time and peak memory against
size; matplotlib, in the `dev` extra).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "out"

# Each snippet runs in a child process and prints last its own peak RSS and its children's (MB): the reader's
# worker, for check, is a child of its own (inputs/isolate.py).
PEAKS = (
    "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024"
)
PEAK = f"import resource; print({PEAKS})"
SNIPPETS = {
    # through the console entry point, as `jzleader check` runs (it ends with os._exit after the exit functions:
    # the peaks are printed by the last of them, to the real stdout, the document going to /dev/null)
    "check": "import atexit, os, resource, sys\n"
    "real = os.dup(1)\n"
    f"atexit.register(lambda: os.write(real, ('%d %d\\n' % ({PEAKS})).encode()))\n"
    "sys.argv = ['jzleader', 'check', {path!r}, '--format', 'json']\n"
    "sys.stdout = open(os.devnull, 'w', encoding='utf-8')\n"
    "from jzleader.entry import main\n"
    "main()\n",
    "openpyxl": "import openpyxl\nwb = openpyxl.load_workbook({path!r}, read_only=True)\n"
    "n = sum(1 for ws in wb.worksheets for row in ws.iter_rows() for c in row)\n" + PEAK,
    "calamine": "from python_calamine import CalamineWorkbook\nwb = CalamineWorkbook.from_path({path!r})\n"
    "n = sum(len(r) for s in wb.sheet_names for r in wb.get_sheet_by_name(s).to_python())\n" + PEAK,
}


def byte_compiled(python: str) -> None:
    """The jzleader this interpreter imports, byte-compiled: as it runs once installed. pip compiles what it
    installs, and an editable install writes its own __pycache__ on its first run, but not where
    PYTHONDONTWRITEBYTECODE is set (as on the machine these numbers come from): there every run would compile
    every one of its modules again, while openpyxl, installed, runs compiled."""
    code = "import compileall, jzleader, os; compileall.compile_dir(os.path.dirname(jzleader.__file__), quiet=1)"
    subprocess.run([python, "-c", code], check=True)


def timed(programs: dict[str, tuple[str, str]], repeat: int) -> dict[str, tuple[float, int, int]]:
    """For each program (name -> interpreter, code): its best wall time, the peak RSS of its process and of its
    largest child (MB). The programs take turns, `repeat` rounds of one run each."""
    best = {name: (float("inf"), 0, 0) for name in programs}
    for _ in range(repeat):
        for name, (python, code) in programs.items():
            start = time.perf_counter()
            proc = subprocess.run([python, "-c", code], capture_output=True, text=True, check=False)
            wall = time.perf_counter() - start
            if proc.returncode not in (0, 1):  # 1: the check found someone ineligible, as the benchmark's rows do
                raise RuntimeError(f"{name}: exit {proc.returncode}: {proc.stderr}")
            own, child = proc.stdout.strip().splitlines()[-1].split()
            was = best[name]
            best[name] = (min(was[0], wall), max(was[1], int(own)), max(was[2], int(child)))
    return best


def startup(args: list[str], repeat: int) -> float:
    runs = []
    for _ in range(max(repeat, 5)):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=True)
        runs.append(time.perf_counter() - start)
    return sorted(runs)[len(runs) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--write", action="store_true", help="write the table to README.md and the plot to scaling.png")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--baseline", metavar="PYTHON",
        help="also time `check` with this interpreter (a venv holding another commit of jzleader), in the same run",
    )  # fmt: skip
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    for python in (sys.executable, args.baseline):
        if python:
            byte_compiled(python)
    results = {}
    for n in args.sizes:
        path = OUT / f"candidates-{n}.xlsx"
        if not path.exists():
            subprocess.run([sys.executable, str(HERE / "make_workbook.py"), str(n), str(path)], check=True)
        repeat = 1 if n >= 100_000 else args.repeat
        programs = {name: (sys.executable, code.format(path=str(path))) for name, code in SNIPPETS.items()}
        if args.baseline:
            programs["baseline"] = (args.baseline, programs["check"][1])
        results[n] = timed(programs, repeat)
    version = startup([sys.executable, "-m", "jzleader", "--version"], args.repeat)
    bare = startup([sys.executable, "-c", "pass"], args.repeat)

    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"
    table = _table(results, version, bare)
    print(f"machine: {machine}\n\n{table}")
    if args.baseline:
        print("\n| N | check (s) | baseline check (s) | check / baseline | peak RSS (MB) | baseline peak RSS (MB) |")
        print("|---|---|---|---|---|---|")
        for n, r in results.items():
            (c, cm, _), (b, bm, _) = r["check"], r["baseline"]
            print(f"| {n:,} | {c:.2f} | {b:.2f} | {c / b:.2f} | {cm} | {bm} |")
    print(json.dumps({str(n): {k: v[0] for k, v in r.items()} for n, r in results.items()}), file=sys.stderr)
    if args.write:
        _write(table, machine)
        _plot(results)


def _table(results: dict[int, dict[str, tuple[float, int, int]]], version: float, bare: float) -> str:
    lines = [
        "| N | check (s) | openpyxl read (s) | calamine read (s) | check / openpyxl | check / calamine "
        "| time / previous size | check peak RSS (MB) | its largest child's peak RSS (MB) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    previous = None
    for n, r in sorted(results.items()):
        (c, cm, cw), (o, _, _), (k, _, _) = r["check"], r["openpyxl"], r["calamine"]
        growth = f"{c / results[previous]['check'][0]:.1f} (×{n // previous} size)" if previous else ""
        lines.append(f"| {n:,} | {c:.2f} | {o:.2f} | {k:.2f} | {c / o:.2f} | {c / k:.1f} | {growth} | {cm} | {cw} |")
        previous = n
    lines.append("")
    lines.append(
        f"`jzleader --version`: {version * 1000:.0f} ms; `python -c pass`: {bare * 1000:.0f} ms; ratio {version / bare:.1f}"
    )
    return "\n".join(lines)


START, END = "<!-- results: written by run.py --write -->", "<!-- /results -->"


def _write(table: str, machine: str) -> None:
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8")
    plot = "![time and peak memory against size](scaling.png)"
    block = f"{START}\nMachine: {machine}. {time.strftime('%Y-%m-%d')}.\n\n{table}\n\n{plot}\n{END}"
    if START in text and END in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n## Last run (run.py --write)\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")


def _plot(results: dict[int, dict[str, tuple[float, int, int]]]) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[dev]'): no plot", file=sys.stderr)
        return
    sizes = sorted(results)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for name, label in (("check", "jzleader check --format json"), ("openpyxl", "openpyxl read-only pass"),
                        ("calamine", "python-calamine read")):  # fmt: skip
        left.plot(sizes, [results[n][name][0] for n in sizes], marker="o", label=label)
    left.set(xscale="log", yscale="log", xlabel="candidates", ylabel="seconds (best of runs)", title="Time")
    left.legend()
    right.plot(sizes, [results[n]["check"][1] for n in sizes], marker="o", label="check peak RSS")
    right.plot(sizes, [results[n]["check"][2] for n in sizes], marker="s", label="its largest child's peak RSS")
    right.axhline(600, linestyle="--", color="grey", label="600 MB target at 100,000")
    right.set(xscale="log", xlabel="candidates", ylabel="MB", title="Peak memory")
    right.legend()
    fig.tight_layout()
    fig.savefig(HERE / "scaling.png", dpi=100)


if __name__ == "__main__":
    main()
