"""Unit names as people write them -> the canonical name of the quota table (DOMAIN.md §2).

Names are matched through the quota file's names and aliases after folding; a name one
character away from a listed unit is a typo (suggested, counted nowhere); an unlisted municipal
unit goes to the pool (其它).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jzleader.ruleset.models import Quotas
from jzleader.values import fold

_PREFIXES = ("焦作市", "焦作")
_SUFFIXES = ("人力资源和社会保障局", "人社局", "人力资源社会保障局")
_COUNTY = re.compile(r"(县|区|市)$")


def one_edit(a: str, b: str) -> bool:
    """True when `a` and `b` differ by exactly one character: changed, added or left out."""
    if a == b or abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 2:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


@dataclass(frozen=True)
class UnitMatch:
    written: str
    unit: str | None  #: canonical name in the quota table; None when counted nowhere
    how: str  #: listed, pooled, typo, unknown, blank
    suggestion: str | None = None


class UnitBook:
    """Unit names as people write them -> the canonical name of the quota table."""

    def __init__(self, quotas: Quotas) -> None:
        self.quotas = quotas
        self.index: dict[str, str] = {}
        for unit in quotas.units():
            for name in (unit.name, *unit.aliases):
                for key in self._keys(name):  # 焦作市教育局 is also known as 教育局
                    self.index.setdefault(key, unit.name)

    def _keys(self, written: str) -> list[str]:
        key = fold(written)
        keys = [key]
        for prefix in _PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix):
                keys.append(key[len(prefix) :])
        for k in list(keys):
            for suffix in _SUFFIXES:
                if k.endswith(suffix) and len(k) > len(suffix):
                    keys.append(k[: -len(suffix)])
        for k in list(keys):
            if k.startswith("市") and len(k) > 2:  # 市教育局 -> 教育局, but 市委党校 is listed as it is
                keys.append(k[1:])
        return keys

    def match(self, written: str) -> UnitMatch:
        if not written.strip():
            return UnitMatch(written, None, "blank")
        keys = self._keys(written)
        for k in keys:
            if k in self.index:
                return UnitMatch(written, self.index[k], "listed")
        for k in keys:
            close = sorted(name for name in self.index if one_edit(k, name))
            if close:
                return UnitMatch(written, None, "typo", self.index[close[0]])
        bare = keys[-1]
        if _COUNTY.search(bare) and not fold(written).startswith(("焦作市", "市")):
            return UnitMatch(written, None, "unknown")  # a county or city not in the table: never pooled
        return UnitMatch(written, self.quotas.pool, "pooled")
