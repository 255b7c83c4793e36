"""Safeguards: minimum levels and vetoes a recommendation must meet, screened before ranking."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from scoring.errors import Code, InputError, Problem, ValidationError
from scoring.io import unknown_criterion
from scoring.model import SCALE_MAX, SCALE_MIN, Catalog

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Failure", "Safeguards", "Screening", "level_problems", "parse_levels", "screen"]


@dataclass(frozen=True)
class Safeguards:
    """Non-compensatory conditions a recommendation must meet before it is ranked.

    Levels are on the 1-5 scale and name the *worst acceptable* level: for a benefit
    criterion the score must be at least the level, for a cost criterion at most.

    - ``minimums`` apply to the score's value ("human-rights impact at least 2").
    - ``vetoes`` apply to the plausible worst case, the end of the score's range ("even at
      worst, relationship risk no higher than 4"): a recommendation whose range reaches
      beyond the level is vetoed, however good its value.
    - ``excluded`` names recommendations taken off the table, with the reason.
    """

    minimums: Mapping[str, float] = field(default_factory=dict)
    vetoes: Mapping[str, float] = field(default_factory=dict)
    excluded: Mapping[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.minimums or self.vetoes or self.excluded)


@dataclass(frozen=True)
class Failure:
    """A recommendation that failed the safeguards, with every reason."""

    id: str
    title: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Screening:
    """The result of :func:`screen`: who passed, who failed and why."""

    passed: tuple[str, ...]
    failed: tuple[Failure, ...]
    safeguards: Safeguards

    def to_frame(self) -> pd.DataFrame:
        """One row per failed recommendation: id, title and its reasons joined by '; '."""
        import pandas as pd

        return pd.DataFrame(
            {
                "id": [f.id for f in self.failed],
                "title": [f.title for f in self.failed],
                "reasons": ["; ".join(f.reasons) for f in self.failed],
            }
        )


def screen(catalog: Catalog, safeguards: Safeguards, source: str = "safeguards") -> Screening:
    """Apply minimum levels, vetoes and exclusions; raise ValidationError on bad levels.

    Recommendations stay in catalog (id) order in both lists.
    """
    problems = level_problems(safeguards.minimums, catalog, f"{source}.minimums")
    problems += level_problems(safeguards.vetoes, catalog, f"{source}.vetoes")
    problems += [
        Problem(
            code=Code.UNKNOWN_RECOMMENDATION,
            where=f"{source}.excluded",
            key_path=rec_id,
            expected="a recommendation id of the catalog",
            found=repr(rec_id),
            hint="check the id (recscore recommendations lists them)",
        )
        for rec_id in safeguards.excluded
        if rec_id not in catalog.recommendation_ids
    ]
    if problems:
        raise ValidationError(problems)
    reasons: list[list[str]] = [[] for _ in catalog.recommendations]
    for kind, levels in (("minimum", safeguards.minimums), ("veto", safeguards.vetoes)):
        for criterion_id, level in levels.items():
            j = catalog.criterion_ids.index(criterion_id)
            criterion = catalog.criterion(criterion_id)
            if kind == "minimum":
                scores = catalog.values[:, j]
            else:  # the plausible worst case: high end for a cost criterion, low end otherwise
                scores = (catalog.high if criterion.is_cost else catalog.low)[:, j]
            failing = scores > level if criterion.is_cost else scores < level
            for i in np.flatnonzero(failing):
                reasons[i].append(
                    _failure_reason(
                        kind, criterion.name, criterion.is_cost, float(scores[i]), float(level)
                    )
                )
    for rec_id, why in safeguards.excluded.items():
        reasons[catalog.row_of(rec_id)].append(f"excluded: {why}")
    failed = tuple(
        Failure(rec.id, rec.title, tuple(why))
        for rec, why in zip(catalog.recommendations, reasons, strict=True)
        if why
    )
    passed = tuple(
        rec.id for rec, why in zip(catalog.recommendations, reasons, strict=True) if not why
    )
    return Screening(passed=passed, failed=failed, safeguards=safeguards)


def _failure_reason(kind: str, name: str, is_cost: bool, score: float, level: float) -> str:
    limit = "at most" if is_cost else "at least"
    if kind == "minimum":
        return f"{name} is {score:g}; the minimum is {limit} {level:g}"
    return f"{name} could be {score:g} at worst; the veto requires {limit} {level:g} even at worst"


def level_problems(levels: Mapping[str, float], catalog: Catalog, where: str) -> list[Problem]:
    problems = []
    for criterion_id, level in levels.items():
        if criterion_id not in catalog.criterion_ids:
            problems.append(
                unknown_criterion(
                    criterion_id,
                    catalog.criterion_ids,
                    where=where,
                    key_path=str(criterion_id),
                    hint="correct the criterion id",
                )
            )
        elif isinstance(level, bool) or not isinstance(level, int | float):
            problems.append(
                Problem(
                    code=Code.WRONG_TYPE,
                    where=where,
                    key_path=criterion_id,
                    expected="a number",
                    found=repr(level),
                    hint="e.g. 2",
                )
            )
        elif not SCALE_MIN <= level <= SCALE_MAX:  # also rejects NaN
            problems.append(
                Problem(
                    code=Code.BAD_LEVEL,
                    where=where,
                    key_path=criterion_id,
                    expected=f"a level on the {SCALE_MIN}-{SCALE_MAX} scale",
                    found=repr(level),
                    hint="name the worst acceptable level, e.g. 2",
                )
            )
    return problems


def parse_levels(spec: str, source: str) -> dict[str, float]:
    """Parse ``"human_rights=2,feasibility=3"`` into levels; raise InputError when malformed."""
    levels: dict[str, float] = {}
    for part in filter(None, (piece.strip() for piece in spec.split(","))):
        key, sep, number = part.partition("=")
        try:
            if not sep or not key.strip():
                raise ValueError
            levels[key.strip()] = float(number)
        except ValueError:
            raise InputError(
                Code.BAD_LEVEL,
                source,
                part,
                "criterion=level pairs separated by commas",
                repr(part),
                f"write e.g. {source} human_rights=2",
            ) from None
    return levels
