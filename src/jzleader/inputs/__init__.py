"""Input files -> Grid (or YamlDoc): the paths of a round (files.py), what each file really is
(sniff.py), limits before parsing (safety.py), one reader per format (xlsx, xls, csv, yamldoc),
all producing the same Grid (grid.py). No layout is decided here: that is layout.py's job."""
