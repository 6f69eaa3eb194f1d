"""Command line: parse options, call one library function per command, map errors to exit codes.

Exit status: 0 no candidate ineligible; 1 some candidate ineligible (with --strict, or to review);
2 unusable input, bad rule file or usage error; 3 internal error. The group and the shared options are in
base.py; each module beside it adds its commands to the group when imported here.
"""

from jzleader.cli import register, rounds, rules, serve  # noqa: F401 - each registers its commands on the group
from jzleader.cli.base import EXIT_HELP, cli, main

__all__ = ["EXIT_HELP", "cli", "main"]
