"""A loaded rule set: the three rule files, where they came from, and the readings derived from them."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from jzleader.ruleset.models import AgeRule, ClauseRule, Criteria, QualificationRule, Quotas, Titles
from jzleader.ruleset.titles import TitleBook
from jzleader.yamlfile import Marks

T = TypeVar("T")


@dataclass(frozen=True)
class RuleSet:
    criteria: Criteria
    titles: Titles
    criteria_path: Path
    titles_path: Path
    quotas: Quotas | None = None
    quotas_path: Path | None = None
    marks: dict[str, Marks] = field(default_factory=dict)  #: per file kind, for located problems

    @functools.cached_property
    def title_book(self) -> TitleBook:
        """The title index, built once per rule set (every caller used to build its own)."""
        return TitleBook(self.titles)

    # The engine asks for the same rule lists for every candidate. They are cached here, on the
    # rule set, and not on the pydantic model: with_knob/with_rule build a new RuleSet (with an
    # empty cache) through dataclasses.replace, while pydantic's model_copy would carry a stale one.
    @functools.cached_property
    def _index(self) -> dict[type, list[Any]]:
        return {}

    def of(self, cls: type[T]) -> list[T]:
        if cls not in self._index:
            self._index[cls] = self.criteria.of(cls)
        return self._index[cls]

    @functools.cached_property
    def clauses(self) -> list[ClauseRule]:
        return self.criteria.clauses()

    @functools.cached_property
    def age(self) -> AgeRule:
        return self.criteria.age

    @functools.cached_property
    def qualification(self) -> QualificationRule:
        return self.criteria.qualification

    def with_knob(self, name: str, value: Any) -> RuleSet:
        """The same rules read another way: knob `name` set to `value`."""
        knobs = self.criteria.knobs
        knob = getattr(knobs, name).model_copy(update={"value": value})
        criteria = self.criteria.model_copy(update={"knobs": knobs.model_copy(update={name: knob})})
        return replace(self, criteria=criteria)

    def with_rule(self, rule_id: str, **update: Any) -> RuleSet:
        """The same rules with parameters of one rule changed (tests, and next-round drafts)."""
        rules = [r.model_copy(update=update) if r.id == rule_id else r for r in self.criteria.rules]
        return replace(self, criteria=self.criteria.model_copy(update={"rules": rules}))
