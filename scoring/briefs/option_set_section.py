"""The brief's option-set comparison, from :mod:`scoring.option_sets`.

Policy teams adopt packages. When a brief names option sets (built-in ones, such as "what
this author proposes", or a user's saved sets), this section evaluates them under the
brief's weighting through the engine's public functions: headline numbers, the conflicts
and synergies inside each set with their rationales, and which set wins under each
perspective the brief compares.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scoring.methods import DEFAULT_METHOD
from scoring.model import Catalog, WeightProfile
from scoring.option_sets import (
    CONFLICT_PENALTY,
    SYNERGY_BONUS,
    Interactions,
    OptionSet,
    SetEvaluation,
    compare_sets,
    evaluate_set,
    winners_by_profile,
)

__all__ = ["OptionSetSection", "SetRow", "option_set_section"]

# Every conflict inside a set is listed; synergies from this strength up (3 is the strongest).
SHOWN_SYNERGY = 3


@dataclass(frozen=True)
class SetRow:
    id: str
    name: str
    origin: str
    size: int
    mean: float
    conflicts: int
    synergies: int
    adjusted_mean: float


@dataclass(frozen=True)
class OptionSetSection:
    rows: tuple[SetRow, ...]
    summary: tuple[str, ...]
    interactions: tuple[str, ...]  # one line per conflict or synergy inside a set
    settings: str

    def table(self) -> tuple[list[str], list[list[str]]]:
        header = [
            "Set",
            "Kind",
            "Size",
            "Mean per member",
            "Conflicts",
            "Synergies",
            "Per member, adjusted",
        ]
        rows = [
            [
                row.name,
                "built-in" if row.origin == "builtin" else "saved",
                str(row.size),
                f"{row.mean:.2f}",
                str(row.conflicts),
                str(row.synergies),
                f"{row.adjusted_mean:.2f}",
            ]
            for row in self.rows
        ]
        return header, rows


def option_set_section(
    catalog: Catalog,
    interactions: Interactions,
    sets: Sequence[OptionSet],
    weights: Mapping[str, float],
    profiles: Sequence[WeightProfile],
    method: str = DEFAULT_METHOD,
) -> OptionSetSection:
    """Evaluate one set, or compare two to five, under ``weights`` (the first profile's).

    ``profiles`` are the brief's perspectives, for "which set wins under each". ``method``
    is the brief's ranking method: sets are always valued by weighted sum (a set's value
    adds its members' scores, which a closeness or a net flow does not support), and the
    settings say so when the brief ranks by another method.
    """
    if len(sets) == 1:
        evaluations: tuple[SetEvaluation, ...] = (
            evaluate_set(catalog, interactions, sets[0], weights),
        )
    else:
        evaluations = compare_sets(catalog, interactions, sets, weights).evaluations
    titles = {rec.id: rec.title for rec in catalog.recommendations}
    rows = tuple(
        SetRow(
            id=e.option_set.id,
            name=e.option_set.name,
            origin=e.option_set.origin,
            size=e.size,
            mean=e.mean,
            conflicts=len(e.conflicts),
            synergies=len(e.synergies),
            adjusted_mean=e.adjusted_mean,
        )
        for e in evaluations
    )
    summary = []
    if len(evaluations) > 1:
        ordered = sorted(evaluations, key=lambda e: -e.adjusted_mean)
        best, second = ordered[0], ordered[1]
        summary.append(
            f"Under the brief's weighting, {best.option_set.name} scores best per member "
            f"({best.adjusted_mean:.2f} after conflicts and synergies, against "
            f"{second.adjusted_mean:.2f} for {second.option_set.name})."
        )
        by_profile = winners_by_profile(catalog, interactions, sets, {p.id: p for p in profiles})
        names = {s.id: s.name for s in sets}
        summary += [
            f"{winner.profile_name}: {names[winner.winner]} wins (ahead by {winner.margin:.2f})."
            for winner in by_profile
        ]
    else:
        only = evaluations[0]
        summary.append(
            f"{only.option_set.name}: {only.size} recommendations, mean {only.mean:.2f} per "
            f"member, {only.adjusted_mean:.2f} after conflicts and synergies."
        )
    lines = []
    for evaluation in evaluations:
        name = evaluation.option_set.name
        for pair in evaluation.conflicts:
            lines.append(
                f"{name}: conflict (strength {pair.strength}) between {titles[pair.a]} and "
                f"{titles[pair.b]}: {pair.rationale}"
            )
        strong = [pair for pair in evaluation.synergies if pair.strength >= SHOWN_SYNERGY]
        for pair in strong:
            lines.append(
                f"{name}: synergy (strength {pair.strength}) between {titles[pair.a]} and "
                f"{titles[pair.b]}: {pair.rationale}"
            )
        weaker = len(evaluation.synergies) - len(strong)
        if weaker:
            lines.append(
                f"{name}: {weaker} weaker synerg{'ies' if weaker > 1 else 'y'} (strength 1-2), "
                "counted in the adjusted score."
            )
    settings = (
        f"Adjusted = total - {CONFLICT_PENALTY:g} × the strengths of conflicts inside the set "
        f"+ {SYNERGY_BONUS:g} × the strengths of synergies inside; per member = adjusted ÷ "
        "size. Interactions come from seeds/interactions.yaml."
    )
    if method != DEFAULT_METHOD:
        settings += (
            " Sets are valued by weighted sum of normalised scores, whatever method ranks "
            "the list above."
        )
    return OptionSetSection(
        rows=rows, summary=tuple(summary), interactions=tuple(lines), settings=settings
    )
