"""Console entry point. `--version` is answered before the command line (and click) is imported,
so that asking for the version costs little more than starting Python; everything else goes to cli."""

import sys

from jzleader import __version__

VERSION_TEXT = f"jzleader, version {__version__}"  #: exactly what click's --version prints


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        print(VERSION_TEXT)
        return
    from jzleader.cli import main as cli_main

    cli_main()
