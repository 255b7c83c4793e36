"""A set's value: members' weighted scores, coverage, conflicts and synergies; sets compared."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from scoring.errors import Code, InputError, Problem, ValidationError
from scoring.model import Catalog, WeightProfile
from scoring.weights import normalized_weights

if TYPE_CHECKING:
    import pandas as pd
from scoring.option_sets.interactions import (
    CONFLICT_PENALTY,
    SYNERGY_BONUS,
    Interaction,
    Interactions,
)
from scoring.option_sets.sets import OptionSet, check_set_members

__all__ = [
    "METRICS",
    "MIN_COMPARED",
    "CriterionCoverage",
    "ProfileWinner",
    "SetComparison",
    "SetEvaluation",
    "check_coefficients",
    "check_metric",
    "check_set_count",
    "compare_sets",
    "evaluate_rows",
    "evaluate_set",
    "member_rows",
    "winners_by_profile",
]

MIN_COMPARED, MAX_COMPARED = 2, 5

METRICS = ("adjusted_mean", "adjusted", "mean", "total")


@dataclass(frozen=True)
class CriterionCoverage:
    """How well a set covers one criterion: its best member's normalised score and the mean."""

    criterion_id: str
    best: float
    best_member: str
    mean: float


@dataclass(frozen=True)
class SetEvaluation:
    """A set scored under one weighting, with everything needed to explain the score.

    ``member_scores`` are weighted sums of normalised scores (0-1 each, cost criteria
    reversed), in the order of ``member_ids``; ``normalized`` is (members x criteria).
    ``conflict_penalty`` and ``synergy_bonus`` are the per-strength coefficients used.
    """

    option_set: OptionSet
    criterion_ids: tuple[str, ...]
    weights: np.ndarray = field(repr=False)
    member_ids: tuple[str, ...]
    member_scores: np.ndarray = field(repr=False)
    normalized: np.ndarray = field(repr=False)
    conflicts: tuple[Interaction, ...]
    synergies: tuple[Interaction, ...]
    conflict_penalty: float
    synergy_bonus: float

    @property
    def size(self) -> int:
        return len(self.member_ids)

    @property
    def total(self) -> float:
        return float(self.member_scores.sum())

    @property
    def mean(self) -> float:
        return self.total / self.size

    @property
    def penalty(self) -> float:
        """What the conflicts inside cost: coefficient x sum of their strengths."""
        return self.conflict_penalty * sum(pair.strength for pair in self.conflicts)

    @property
    def bonus(self) -> float:
        """What the synergies inside add: coefficient x sum of their strengths."""
        return self.synergy_bonus * sum(pair.strength for pair in self.synergies)

    @property
    def adjusted(self) -> float:
        return self.total - self.penalty + self.bonus

    @property
    def adjusted_mean(self) -> float:
        return self.adjusted / self.size

    @property
    def coherent(self) -> bool:
        """True if no two members conflict."""
        return not self.conflicts

    def metric(self, name: str) -> float:
        return float(getattr(self, name))

    @cached_property
    def coverage(self) -> tuple[CriterionCoverage, ...]:
        best_rows = self.normalized.argmax(axis=0)  # first member in set order on ties
        return tuple(
            CriterionCoverage(
                criterion_id=cid,
                best=float(self.normalized[best_rows[column], column]),
                best_member=self.member_ids[best_rows[column]],
                mean=float(self.normalized[:, column].mean()),
            )
            for column, cid in enumerate(self.criterion_ids)
        )

    @property
    def weight_map(self) -> dict[str, float]:
        return dict(zip(self.criterion_ids, self.weights.tolist(), strict=True))

    def summary(self) -> dict[str, Any]:
        """The headline numbers, one flat mapping (a row of a comparison table)."""
        return {
            "id": self.option_set.id,
            "name": self.option_set.name,
            "origin": self.option_set.origin,
            "size": self.size,
            "total": self.total,
            "mean": self.mean,
            "conflicts": len(self.conflicts),
            "synergies": len(self.synergies),
            "penalty": self.penalty,
            "bonus": self.bonus,
            "adjusted": self.adjusted,
            "adjusted_mean": self.adjusted_mean,
        }

    def members_frame(self, catalog: Catalog) -> pd.DataFrame:
        """One row per member, best weighted score first."""
        import pandas as pd

        order = np.argsort(-self.member_scores, kind="stable")
        return pd.DataFrame(
            {
                "id": [self.member_ids[i] for i in order],
                "title": [catalog.recommendation(self.member_ids[i]).title for i in order],
                "score": self.member_scores[order],
            }
        )

    def coverage_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "criterion": cov.criterion_id,
                    "weight": self.weights[i],
                    "best": cov.best,
                    "best_member": cov.best_member,
                    "mean": cov.mean,
                }
                for i, cov in enumerate(self.coverage)
            ]
        )

    def record(self, catalog: Catalog) -> dict[str, Any]:
        """JSON-ready: the set, weights, headline numbers, members, coverage, interactions."""
        return {
            "set": self.option_set.record(),
            "weights": self.weight_map,
            **{key: value for key, value in self.summary().items() if key not in ("id", "name")},
            "coherent": self.coherent,
            "coefficients": {
                "conflict_penalty_per_strength": self.conflict_penalty,
                "synergy_bonus_per_strength": self.synergy_bonus,
            },
            "members": self.members_frame(catalog).to_dict(orient="records"),
            "coverage": {
                cov.criterion_id: {
                    "best": cov.best,
                    "best_member": cov.best_member,
                    "mean": cov.mean,
                }
                for cov in self.coverage
            },
            "conflicts_inside": [pair.record() for pair in self.conflicts],
            "synergies_inside": [pair.record() for pair in self.synergies],
        }


def evaluate_set(
    catalog: Catalog,
    interactions: Interactions,
    option_set: OptionSet,
    weights: Mapping[str, float],
    *,
    conflict_penalty: float = CONFLICT_PENALTY,
    synergy_bonus: float = SYNERGY_BONUS,
    source: str = "weights",
) -> SetEvaluation:
    """Score ``option_set`` under ``weights`` (validated and normalised here).

    Raises ValidationError if a member is not in the catalog or appears twice, or if the
    weights or coefficients are unusable. A set whose members conflict is evaluated, not
    refused: its conflicts are listed and cost the documented penalty.
    """
    weight_vector = normalized_weights(weights, catalog.criterion_ids, source)
    check_coefficients(conflict_penalty, synergy_bonus)
    check_set_members((option_set,), catalog)
    return evaluate_rows(
        catalog, interactions, option_set, weight_vector, conflict_penalty, synergy_bonus
    )


def evaluate_rows(
    catalog: Catalog,
    interactions: Interactions,
    option_set: OptionSet,
    weights: np.ndarray,
    conflict_penalty: float,
    synergy_bonus: float,
) -> SetEvaluation:
    """Kernel of :func:`evaluate_set`: members known and unique, weights summing to 1."""
    rows = member_rows(catalog, option_set.members)
    normalized = catalog.normalized[rows]
    inside = interactions.within(option_set.members)
    return SetEvaluation(
        option_set=option_set,
        criterion_ids=catalog.criterion_ids,
        weights=weights,
        member_ids=option_set.members,
        member_scores=normalized @ weights,
        normalized=normalized,
        conflicts=tuple(pair for pair in inside if pair.type == "conflict"),
        synergies=tuple(pair for pair in inside if pair.type == "synergy"),
        conflict_penalty=conflict_penalty,
        synergy_bonus=synergy_bonus,
    )


def member_rows(catalog: Catalog, ids: Sequence[str]) -> np.ndarray:
    index = {rec_id: row for row, rec_id in enumerate(catalog.recommendation_ids)}
    return np.array([index[rec_id] for rec_id in ids], dtype=int)


def check_coefficients(conflict_penalty: float, synergy_bonus: float) -> None:
    problems = [
        Problem(
            code=Code.BAD_VALUE,
            where="coefficients",
            key_path=name,
            expected="a finite number >= 0",
            found=repr(value),
            hint="use 0 to ignore this kind of interaction",
        )
        for name, value in (
            ("conflict_penalty", conflict_penalty),
            ("synergy_bonus", synergy_bonus),
        )
        if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0)
    ]
    if problems:
        raise ValidationError(problems)


@dataclass(frozen=True)
class SetComparison:
    """Two to five sets evaluated under the same weighting."""

    evaluations: tuple[SetEvaluation, ...]

    def frame(self) -> pd.DataFrame:
        """One row per set: the headline numbers (coverage is in :meth:`coverage_frame`)."""
        import pandas as pd

        return pd.DataFrame([evaluation.summary() for evaluation in self.evaluations])

    def coverage_frame(self) -> pd.DataFrame:
        """Long form, one row per (criterion, set): best member's score, who, and the mean."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "criterion": cov.criterion_id,
                    "set": evaluation.option_set.id,
                    "best": cov.best,
                    "best_member": cov.best_member,
                    "mean": cov.mean,
                }
                for evaluation in self.evaluations
                for cov in evaluation.coverage
            ]
        )

    def winner(self, metric: str = "adjusted_mean") -> SetEvaluation:
        """The best set on ``metric``; ties go to the set listed first."""
        check_metric(metric)
        return max(self.evaluations, key=lambda evaluation: evaluation.metric(metric))


def compare_sets(
    catalog: Catalog,
    interactions: Interactions,
    sets: Sequence[OptionSet],
    weights: Mapping[str, float],
    *,
    conflict_penalty: float = CONFLICT_PENALTY,
    synergy_bonus: float = SYNERGY_BONUS,
    source: str = "weights",
) -> SetComparison:
    """Evaluate 2-5 sets side by side; raise InputError for fewer or more, or a repeated set."""
    check_set_count(sets)
    weight_vector = normalized_weights(weights, catalog.criterion_ids, source)
    check_coefficients(conflict_penalty, synergy_bonus)
    check_set_members(sets, catalog)
    return SetComparison(
        tuple(
            evaluate_rows(catalog, interactions, s, weight_vector, conflict_penalty, synergy_bonus)
            for s in sets
        )
    )


def check_set_count(sets: Sequence[OptionSet]) -> None:
    ids = [option_set.id for option_set in sets]
    if not MIN_COMPARED <= len(sets) <= MAX_COMPARED:
        raise InputError(
            Code.BAD_VALUE,
            "sets",
            "",
            f"{MIN_COMPARED} to {MAX_COMPARED} sets to compare",
            f"{len(sets)} set{'s' if len(sets) != 1 else ''}",
            "pick between two and five sets",
        )
    repeated = sorted({set_id for set_id in ids if ids.count(set_id) > 1})
    if repeated:
        raise InputError(
            Code.DUPLICATE_ID,
            "sets",
            repeated[0],
            "each set once",
            f"{repeated[0]!r} given {ids.count(repeated[0])} times",
            "remove the repeated set",
        )


def check_metric(metric: str) -> None:
    if metric not in METRICS:
        raise InputError(Code.BAD_VALUE, "metric", "", f"one of {list(METRICS)}", repr(metric), "")


@dataclass(frozen=True)
class ProfileWinner:
    """Under one profile: every set's value on the metric, best first, and the winner."""

    profile_id: str
    profile_name: str
    metric: str
    ranking: tuple[tuple[str, float], ...]

    @property
    def winner(self) -> str:
        return self.ranking[0][0]

    @property
    def margin(self) -> float:
        """How far the winner is ahead of the runner-up (0 for a single set)."""
        return self.ranking[0][1] - self.ranking[1][1] if len(self.ranking) > 1 else 0.0


def winners_by_profile(
    catalog: Catalog,
    interactions: Interactions,
    sets: Sequence[OptionSet],
    profiles: Mapping[str, WeightProfile],
    metric: str = "adjusted_mean",
    *,
    conflict_penalty: float = CONFLICT_PENALTY,
    synergy_bonus: float = SYNERGY_BONUS,
) -> tuple[ProfileWinner, ...]:
    """Which set wins under each profile (bundled and saved ones, as the caller passes them).

    Ties keep the order of ``sets``.
    """
    check_metric(metric)
    if not sets:
        raise InputError(Code.BAD_VALUE, "sets", "", "at least one set", "none", "pick a set")
    check_coefficients(conflict_penalty, synergy_bonus)
    check_set_members(sets, catalog)
    results = []
    for profile in profiles.values():
        vector = normalized_weights(profile.weights, catalog.criterion_ids, f"profile {profile.id}")
        values = [
            (
                s.id,
                evaluate_rows(
                    catalog, interactions, s, vector, conflict_penalty, synergy_bonus
                ).metric(metric),
            )
            for s in sets
        ]
        order = sorted(range(len(values)), key=lambda i: (-round(values[i][1], 12), i))
        results.append(
            ProfileWinner(profile.id, profile.name, metric, tuple(values[i] for i in order))
        )
    return tuple(results)
