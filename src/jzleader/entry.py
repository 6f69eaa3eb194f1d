"""Console entry point. `--version` is answered before the command line (and click) is imported,
so that asking for the version costs little more than starting Python; everything else goes to cli."""

import sys

from jzleader import __version__

VERSION_TEXT = f"jzleader, version {__version__}"  #: exactly what click's --version prints


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        print(VERSION_TEXT)
        return
    import_openpyxl_without_numpy()
    from jzleader.cli import main as cli_main

    try:
        cli_main()
    except SystemExit as e:
        leave(e.code)
    leave(0)


def import_openpyxl_without_numpy() -> None:
    """Import openpyxl with numpy kept out of it. openpyxl imports numpy wherever it is installed, only so that
    numpy's numbers may be written to cells, and this program never writes one. numpy's import was 0.07 to 0.12 s
    of every run, before the first sheet was read (matplotlib, in the `dev` extra, installs numpy; so do many other
    tools). A None in sys.modules makes `import numpy` fail as if it were not installed, which openpyxl expects;
    it is taken out again at once, so that anything else in the process (psycopg looks for numpy) finds numpy as
    it is. Only in this console process: a program that imports jzleader keeps openpyxl as it imports it."""
    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        import openpyxl  # noqa: F401
    finally:
        if sys.modules.get("numpy", ...) is None:
            del sys.modules["numpy"]


def leave(code: str | int | None) -> None:
    """End the process with `code` as sys.exit would, without tearing the interpreter down object by object.

    A check of a large round ends holding millions of small objects (the round, the caches of what was read); the
    interpreter's own ending frees each of them, which took 0.48 s of a 6.5 s check at 10,000 candidates. The
    operating system takes the whole process back at once instead. What an ordinary exit does that matters is done
    here first: the exit functions run (the reader's workers stopped, temporary files removed), and stdout and
    stderr are flushed, a failure to flush stdout being status 120 as Python makes it. With another thread still
    running (the web page's server), the ordinary exit waits for it as before."""
    import atexit
    import contextlib
    import os
    import threading

    if threading.active_count() > 1:
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message on stderr, status 1
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
    except OSError:  # a reader that went away (`| head`): as Python's own exit says it
        status = status or 120
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(status)
