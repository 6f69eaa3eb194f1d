"""Lines of Chinese text for a fixed-width terminal, broken by the Unicode line breaking algorithm (UAX #14,
through uniseg): between characters, never before closing punctuation or inside a number, a clause tag kept
with its sentence."""

from __future__ import annotations

import unicodedata

from uniseg.wrap import tt_wrap

NBSP = "\u00a0"


def width(text: str) -> int:
    """Display width: a Chinese character takes two terminal cells."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1 for ch in text)


def keep_tag(cited: str) -> str:
    """“[二、3] 截至……”: the space after the tag does not break, so the tag never stands alone on a line."""
    if cited.startswith("[") and "] " in cited:
        tag, rest = cited.split("] ", 1)
        return f"{tag}]{NBSP}{rest}"
    return cited


def wrap(text: str, cells: int) -> list[str]:
    """The lines of `text` (its own line breaks kept), each at most `cells` wide."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        wrapped = [line.rstrip() for line in tt_wrap(paragraph, max(cells, 4))] if paragraph else []
        lines.extend(wrapped or [""])
    return [line.replace(NBSP, " ") for line in lines]
