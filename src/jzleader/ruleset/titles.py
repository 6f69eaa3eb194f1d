"""Professional titles -> levels (titles.yaml): exact after folding, never by substring."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from jzleader.ruleset.models import Titles
from jzleader.values import fold


@dataclass(frozen=True)
class TitleMatch:
    written: str  #: as in the cell
    canonical: str | None  #: the title it was read as
    level: str | None  #: 正高级/副高级/中级/初级, None when unknown or not a title
    not_a_title: bool = False
    suggestions: tuple[str, ...] = ()


# A specialty may stand before the title (内科副主任医师); a prefix ending in one of these
# changes the title itself, so it is never stripped.
_LEVEL_PREFIX = re.compile(r"(正|副|高级|中级|初级|小学|中学|[一二三四]级|助理|见习|级|主任|主管|主治|国家)$")


class TitleBook:
    """Title -> level lookup built from a Titles file. Exact after folding; never by substring."""

    def __init__(self, titles: Titles) -> None:
        self.levels: dict[str, tuple[str, str]] = {}
        for s in titles.series:
            for level, names in s.titles.items():
                for name in names:
                    self.levels[fold(name)] = (name, level)
        for alias, target in titles.aliases.items():
            self.levels[fold(alias)] = self.levels[fold(target)]
        self.not_titles = {fold(n): n for n in titles.not_titles}
        self._by_length = sorted(self.levels, key=len, reverse=True)

    def _exact(self, key: str) -> tuple[str, str] | None:
        return self.levels.get(key)

    def lookup(self, written: str) -> TitleMatch:
        key = fold(written)
        bare = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", key).strip("-/ ")
        for k in (key, bare):
            if k in self.not_titles:
                return TitleMatch(written, self.not_titles[k], None, not_a_title=True)
            hit = self._exact(k)
            if hit:
                return TitleMatch(written, hit[0], hit[1])
        for known in self._by_length:  # longest known title that ends the text: 内科副主任医师
            if bare.endswith(known) and len(bare) > len(known):
                prefix = bare[: -len(known)]
                if not _LEVEL_PREFIX.search(prefix):
                    name, level = self.levels[known]
                    return TitleMatch(written, name, level)
                break
        names = sorted({name for name, _ in self.levels.values()})
        close = difflib.get_close_matches(bare, names, n=3, cutoff=0.5)
        return TitleMatch(written, None, None, suggestions=tuple(close))
