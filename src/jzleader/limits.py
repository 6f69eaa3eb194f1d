"""Limits that protect against hostile input. A module of its own so that the command line can
show them as option defaults without importing the readers (`jzleader --version` stays fast)."""

DEFAULT_MAX_UNPACKED_MB = 512  #: a 10,000-candidate workbook unpacks to about 60 MB
MAX_RATIO = 1000  #: real sheets compress 10 to 100 times; a zip bomb, thousands of times
MAX_CALAMINE_CELLS = 2_000_000  #: calamine allocates the whole rectangle from first to last cell
