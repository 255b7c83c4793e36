"""The best package: at most K recommendations, no conflicting pair, solved exactly (MILP)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from scoring.errors import Code, InputError, Problem, RecscoreError, ValidationError
from scoring.model import Catalog, WeightProfile
from scoring.weights import normalized_weights

if TYPE_CHECKING:
    import pandas as pd
    from scipy.optimize import OptimizeResult
from scoring.option_sets.evaluation import SetEvaluation, check_coefficients, evaluate_rows
from scoring.option_sets.interactions import CONFLICT_PENALTY, SYNERGY_BONUS, Interactions
from scoring.option_sets.sets import OptionSet

__all__ = [
    "PACKAGE_SOURCE",
    "TIE_TOLERANCE",
    "LeftOut",
    "LeftOutReason",
    "Package",
    "best_package",
    "best_packages_by_profile",
    "solve_package",
]

PACKAGE_SOURCE = "package constraints"

TIE_TOLERANCE = 1e-9

LeftOutReason = Literal["excluded", "conflict", "size", "no_gain"]


def solve_package(
    scores: np.ndarray,
    conflicts: np.ndarray,
    synergy_pairs: np.ndarray,
    synergy_values: np.ndarray,
    max_size: int,
    required: np.ndarray,
    excluded: np.ndarray,
) -> tuple[np.ndarray, float, OptimizeResult] | None:
    """Kernel: choose at most ``max_size`` items maximising score plus pair bonuses.

    Assumes clean input: ``scores`` (n,), ``conflicts`` (c, 2) and ``synergy_pairs`` (s, 2)
    index arrays of distinct items, ``synergy_values`` (s,) >= 0, boolean masks ``required``
    and ``excluded`` (n,), ``max_size`` >= 0. No two items of a conflicting pair are both
    chosen; a synergy's value counts when both its items are chosen.

    Returns the chosen mask, the objective recomputed exactly from it, and the solver's
    result; None if no choice satisfies the constraints.
    """
    # Imported here: scipy.optimize takes about a second to import, and only this solves.
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    n, s = len(scores), len(synergy_pairs)
    objective = -np.concatenate([scores, synergy_values]).astype(float)
    rows, cols, vals, upper = [np.arange(n) * 0], [np.arange(n)], [np.ones(n)], [max_size]
    row = 1
    for a, b in conflicts:  # x_a + x_b <= 1
        rows.append(np.array([row, row]))
        cols.append(np.array([a, b]))
        vals.append(np.ones(2))
        upper.append(1)
        row += 1
    for index, (a, b) in enumerate(synergy_pairs):  # y - x_a <= 0 and y - x_b <= 0
        rows.append(np.array([row, row, row + 1, row + 1]))
        cols.append(np.array([n + index, a, n + index, b]))
        vals.append(np.array([1.0, -1.0, 1.0, -1.0]))
        upper += [0, 0]
        row += 2
    matrix = sparse.csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(row, n + s)
    )
    lower_bounds = np.concatenate([required.astype(float), np.zeros(s)])
    upper_bounds = np.concatenate([(~excluded).astype(float), np.ones(s)])
    result = milp(
        objective,
        integrality=np.ones(n + s),
        bounds=Bounds(lower_bounds, upper_bounds),
        constraints=LinearConstraint(matrix, -np.inf, np.array(upper, dtype=float)),
        options={"mip_rel_gap": 0.0},
    )
    if result.status == 2:
        return None
    if not result.success:
        raise RecscoreError(f"the package solver stopped without an optimum: {result.message}")
    chosen = result.x[:n] > 0.5
    return chosen, _package_value(scores, synergy_pairs, synergy_values, chosen), result


def _package_value(
    scores: np.ndarray, synergy_pairs: np.ndarray, synergy_values: np.ndarray, chosen: np.ndarray
) -> float:
    value = float(scores[chosen].sum())
    if len(synergy_pairs):
        both = chosen[synergy_pairs[:, 0]] & chosen[synergy_pairs[:, 1]]
        value += float(synergy_values[both].sum())
    return value


@dataclass(frozen=True)
class LeftOut:
    """A recommendation the package leaves out, and why.

    ``reason``: ``excluded`` (forced out), ``conflict`` (conflicts with a member),
    ``size`` (the package is full and it is worth less than what it would displace) or
    ``no_gain`` (there was room but it adds nothing under these weights).
    ``swap_out`` and ``delta`` describe the best exchange that would take it in: the members
    that would leave and the change in the objective (<= 0 at the optimum; about 0 is a tie,
    an equally good package). ``delta`` is None when no exchange can take it in (it is
    excluded, or conflicts with a required member, or every member is required).
    """

    id: str
    score: float
    reason: LeftOutReason
    conflicts_with: tuple[str, ...]
    swap_out: tuple[str, ...]
    delta: float | None
    detail: str

    @property
    def tie(self) -> bool:
        return self.delta is not None and self.delta > -TIE_TOLERANCE

    def record(self) -> dict[str, Any]:
        """JSON-ready, with ``tie``; the left-out table shows a selection of these columns."""
        return {
            "id": self.id,
            "score": self.score,
            "reason": self.reason,
            "conflicts_with": list(self.conflicts_with),
            "swap_out": list(self.swap_out),
            "delta": self.delta,
            "tie": self.tie,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Package:
    """The best package under one weighting and set of constraints, explained."""

    evaluation: SetEvaluation
    objective: float
    max_size: int
    required: tuple[str, ...]
    excluded: tuple[str, ...]
    left_out: tuple[LeftOut, ...]
    solver: Mapping[str, Any]

    @property
    def members(self) -> tuple[str, ...]:
        return self.evaluation.member_ids

    @property
    def ties(self) -> tuple[LeftOut, ...]:
        """Left-out recommendations that would give an equally good package."""
        return tuple(item for item in self.left_out if item.tie)

    def left_out_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            [item.record() for item in self.left_out],
            columns=["id", "score", "reason", "delta", "tie", "detail"],
        )

    def record(self, catalog: Catalog) -> dict[str, Any]:
        """JSON-ready: constraints, objective and its parts, the package, what it leaves out."""
        evaluation = self.evaluation.record(catalog)
        return {
            "constraints": {
                "max_size": self.max_size,
                "required": list(self.required),
                "excluded": list(self.excluded),
                "no_conflicting_pair": True,
            },
            "objective": self.objective,
            "objective_parts": {"total": self.evaluation.total, "bonus": self.evaluation.bonus},
            "package": evaluation,
            "left_out": [item.record() for item in self.left_out],
            "solver": dict(self.solver),
        }


def best_package(
    catalog: Catalog,
    interactions: Interactions,
    weights: Mapping[str, float],
    max_size: int,
    require: Sequence[str] = (),
    exclude: Sequence[str] = (),
    *,
    synergy_bonus: float = SYNERGY_BONUS,
    source: str = "weights",
) -> Package:
    """The package of at most ``max_size`` recommendations with the highest weighted score plus
    synergy bonus, holding no conflicting pair, with ``require`` in and ``exclude`` out.

    Raises InputError for ``max_size`` < 1, ValidationError for unknown ids, and a
    ValidationError with code ``constraint_clash`` naming each clash when the constraints
    admit no package (an id both required and excluded, more required than ``max_size``,
    two required ids that conflict).
    """
    weight_vector = normalized_weights(weights, catalog.criterion_ids, source)
    check_coefficients(CONFLICT_PENALTY, synergy_bonus)
    # Doing nothing is the yardstick, not a member of a package: kept out, and not reported as
    # one of the user's exclusions or among what the package leaves out.
    baseline = catalog.baseline.id if catalog.baseline is not None else None
    if baseline is not None and baseline not in exclude:
        exclude = (*exclude, baseline)
    required, excluded = _check_constraints(catalog, interactions, max_size, require, exclude)
    ids = catalog.recommendation_ids
    row_of = {rec_id: row for row, rec_id in enumerate(ids)}
    scores = catalog.normalized @ weight_vector
    conflicts = np.array(
        [(row_of[p.a], row_of[p.b]) for p in interactions.conflicts], dtype=int
    ).reshape(-1, 2)
    synergy_pairs = np.array(
        [(row_of[p.a], row_of[p.b]) for p in interactions.synergies], dtype=int
    ).reshape(-1, 2)
    synergy_values = synergy_bonus * np.array(
        [p.strength for p in interactions.synergies], dtype=float
    )
    required_mask = catalog.row_mask(required)
    excluded_mask = catalog.row_mask(excluded)
    solved = solve_package(
        scores, conflicts, synergy_pairs, synergy_values, max_size, required_mask, excluded_mask
    )
    if solved is None:  # the checks above should have named the clash; say so plainly
        raise InputError(
            Code.CONSTRAINT_CLASH,
            PACKAGE_SOURCE,
            "",
            "constraints that admit at least one package",
            "the solver found none",
            "relax --require or --exclude",
        )
    chosen, objective, result = solved
    members = tuple(
        ids[row] for row in sorted(np.flatnonzero(chosen), key=lambda row: (-scores[row], row))
    )
    option_set = OptionSet(
        id="best-package",
        name=f"Best package of at most {max_size}",
        description=f"Found by the optimiser under {source}.",
        members=members,
        origin="optimised",
    )
    evaluation = evaluate_rows(
        catalog, interactions, option_set, weight_vector, CONFLICT_PENALTY, synergy_bonus
    )
    left_out = _explain_left_out(
        catalog,
        interactions,
        _PackageProblem(scores, synergy_pairs, synergy_values, max_size),
        chosen,
        required_mask,
        excluded_mask,
    )
    return Package(
        evaluation=evaluation,
        objective=objective,
        max_size=max_size,
        required=required,
        excluded=tuple(rec_id for rec_id in excluded if rec_id != baseline),
        left_out=tuple(item for item in left_out if item.id != baseline),
        solver={
            "name": "scipy.optimize.milp (HiGHS)",
            "status": int(result.status),
            "message": str(result.message),
            "mip_gap": float(getattr(result, "mip_gap", 0.0) or 0.0),
            "nodes": int(getattr(result, "mip_node_count", 0) or 0),
        },
    )


def _check_constraints(
    catalog: Catalog,
    interactions: Interactions,
    max_size: Any,
    require: Sequence[str],
    exclude: Sequence[str],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Validate the package constraints; name every clash. Returns (required, excluded)."""
    if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1:
        raise InputError(
            Code.BAD_VALUE,
            PACKAGE_SOURCE,
            "max_size",
            "a whole number >= 1",
            repr(max_size),
            "ask for a package of at least one recommendation",
        )
    known = set(catalog.recommendation_ids)
    problems = [
        Problem(
            code=Code.UNKNOWN_RECOMMENDATION,
            where=PACKAGE_SOURCE,
            key_path=f"{name}[{index}]",
            expected="the id of a recommendation in the catalog",
            found=repr(rec_id),
            hint="correct the id (recscore recommendations lists them)",
        )
        for name, ids in (("require", require), ("exclude", exclude))
        for index, rec_id in enumerate(ids)
        if rec_id not in known
    ]
    if problems:
        raise ValidationError(problems)
    required = tuple(dict.fromkeys(require))
    excluded = tuple(dict.fromkeys(exclude))
    clashes = [
        Problem(
            code=Code.CONSTRAINT_CLASH,
            where=PACKAGE_SOURCE,
            key_path=f"require[{required.index(rec_id)}]",
            expected="an id either required or excluded, not both",
            found=f"{rec_id!r} is required and excluded",
            hint="drop it from one of the two lists",
        )
        for rec_id in required
        if rec_id in excluded
    ]
    if len(required) > max_size:
        clashes.append(
            Problem(
                code=Code.CONSTRAINT_CLASH,
                where=PACKAGE_SOURCE,
                key_path="require",
                expected=f"at most max_size={max_size} required ids",
                found=f"{len(required)} required",
                hint=f"raise --max-size to {len(required)} or require fewer",
            )
        )
    for i, first in enumerate(required):
        for j in range(i + 1, len(required)):
            pair = interactions.between(first, required[j])
            if pair is not None and pair.type == "conflict":
                clashes.append(
                    Problem(
                        code=Code.CONSTRAINT_CLASH,
                        where=PACKAGE_SOURCE,
                        key_path=f"require[{i}], require[{j}]",
                        expected="required ids that do not conflict",
                        found=f"{first!r} and {required[j]!r} conflict "
                        f"(strength {pair.strength}: {pair.rationale})",
                        hint="require only one of the two",
                    )
                )
    if clashes:
        raise ValidationError(clashes)
    return required, excluded


@dataclass(frozen=True)
class _PackageProblem:
    """The numbers of one package problem, to value any choice of members."""

    scores: np.ndarray
    synergy_pairs: np.ndarray
    synergy_values: np.ndarray
    max_size: int

    def value(self, chosen: np.ndarray) -> float:
        return _package_value(self.scores, self.synergy_pairs, self.synergy_values, chosen)


def _explain_left_out(
    catalog: Catalog,
    interactions: Interactions,
    problem: _PackageProblem,
    chosen: np.ndarray,
    required: np.ndarray,
    excluded: np.ndarray,
) -> tuple[LeftOut, ...]:
    """Why each recommendation outside the package is outside it.

    For each one, the best exchange that would take it in is computed: drop the members it
    conflicts with, and if the package would then be over size, also the member whose loss
    costs least. The change in the objective says how close it came. Sorted by reason, then
    nearest miss first.
    """
    ids = catalog.recommendation_ids
    members = np.flatnonzero(chosen)
    full = len(members) >= problem.max_size
    explained = []
    for row in np.flatnonzero(~chosen):
        rec_id, score = ids[row], float(problem.scores[row])
        if excluded[row]:
            explained.append(
                LeftOut(rec_id, score, "excluded", (), (), None, "excluded by the constraints")
            )
            continue
        clashes = [
            (member, pair)
            for member in members
            if (pair := interactions.between(rec_id, ids[member])) is not None
            and pair.type == "conflict"
        ]
        clashing = tuple(ids[member] for member, _ in clashes)
        blockers = [(member, pair) for member, pair in clashes if required[member]]
        if blockers:
            member, pair = blockers[0]
            detail = f"conflicts with required {ids[member]} ({pair.rationale})"
            explained.append(LeftOut(rec_id, score, "conflict", clashing, (), None, detail))
            continue
        delta, swap_out = _best_exchange(
            problem, chosen, int(row), [int(m) for m, _ in clashes], required
        )
        reason: LeftOutReason
        if clashes:
            reason = "conflict"
            detail = f"conflicts with {', '.join(clashing)} ({clashes[0][1].rationale})"
        elif full:
            reason = "size"
            detail = (
                "the package is full of required members"
                if delta is None
                else f"the package is full; the best exchange drops {ids[swap_out[-1]]}"
            )
        else:
            reason = "no_gain"
            detail = "adds nothing under these weights"
        if delta is not None:
            detail += (
                "; an equally good package takes it in (a tie)"
                if delta > -TIE_TOLERANCE
                else f"; taking it in lowers the objective by {-delta:.3f}"
            )
        explained.append(
            LeftOut(
                rec_id,
                score,
                reason,
                clashing,
                tuple(ids[m] for m in swap_out),
                delta,
                detail,
            )
        )
    order = {"conflict": 0, "size": 1, "no_gain": 2, "excluded": 3}
    explained.sort(
        key=lambda item: (
            order[item.reason],
            -(item.delta if item.delta is not None else -math.inf),
            item.id,
        )
    )
    return tuple(explained)


def _best_exchange(
    problem: _PackageProblem,
    chosen: np.ndarray,
    row: int,
    clashing: Sequence[int],
    required: np.ndarray,
) -> tuple[float | None, tuple[int, ...]]:
    """The best feasible way to take ``row`` in: (objective change, rows that leave).

    The members it conflicts with leave; if the package is then over size, so does the
    non-required member whose loss costs least. None if every candidate is required.
    """
    base_value = problem.value(chosen)
    trial = chosen.copy()
    trial[list(clashing)] = False
    trial[row] = True
    if trial.sum() <= problem.max_size:
        return problem.value(trial) - base_value, tuple(clashing)
    best: tuple[float, int] | None = None
    for member in np.flatnonzero(trial):
        if member == row or required[member]:
            continue
        trial[member] = False
        change = problem.value(trial) - base_value
        trial[member] = True
        if best is None or change > best[0] + 1e-12:
            best = (change, int(member))
    if best is None:
        return None, tuple(clashing)
    return best[0], (*clashing, best[1])


def best_packages_by_profile(
    catalog: Catalog,
    interactions: Interactions,
    profiles: Mapping[str, WeightProfile],
    max_size: int,
    require: Sequence[str] = (),
    exclude: Sequence[str] = (),
    *,
    synergy_bonus: float = SYNERGY_BONUS,
) -> dict[str, Package]:
    """The best package under each profile, to show how it changes with the perspective."""
    return {
        profile.id: best_package(
            catalog,
            interactions,
            profile.weights,
            max_size,
            require,
            exclude,
            synergy_bonus=synergy_bonus,
            source=f"profile {profile.id}",
        )
        for profile in profiles.values()
    }
