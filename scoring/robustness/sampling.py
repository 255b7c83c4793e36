"""SMAA's weights: constraints (bounds, an order of criteria) and uniform draws within them."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np

from scoring.errors import Code, InputError, Notice, Problem, ValidationError
from scoring.io import unknown_criterion
from scoring.weights import normalized_weights

if TYPE_CHECKING:
    pass
from scoring.robustness.common import CHUNK_ELEMENTS

__all__ = [
    "SCORE_MODELS",
    "SCORE_MODEL_TEXT",
    "WEIGHT_MODELS",
    "ScoreModel",
    "WeightConstraints",
    "WeightModel",
    "constraints_from_profile",
    "parse_bounds",
    "parse_order",
    "sample_weights",
    "weight_model",
]

ScoreModel = Literal["triangular", "pert", "uniform", "fixed"]

# The default (triangular) first: most score ranges are one-sided, and a distribution with its
# mode at the recorded value keeps the judgement the likeliest draw. PERT (a Beta with the
# same mode, weight 4 on it) is tighter around the value; uniform treats every point of the
# range alike.
SCORE_MODELS: tuple[str, ...] = ("triangular", "pert", "uniform", "fixed")

SCORE_MODEL_TEXT: dict[str, str] = {
    "triangular": "drawn within each range from a triangular distribution peaking at the "
    "recorded value",
    "pert": "drawn within each range from a PERT (Beta) distribution peaking at the recorded value",
    "uniform": "drawn uniformly within each score's range",
    "fixed": "fixed at their recorded values",
}

WEIGHT_MODELS: tuple[str, ...] = ("uniform", "order", "fixed")


@dataclass(frozen=True)
class WeightConstraints:
    """What is known about the weights, for SMAA's sampling.

    - ``order``: groups of criteria, most important first; every criterion of a group weighs
      at least as much as every criterion of the groups after it (criteria in one group are
      unordered among themselves; criteria in no group are free).
    - ``bounds``: (low, high) per criterion on the normalised weight (weights sum to 1).
    - ``fixed``: a single weight vector; no weight sampling (only scores vary).

    With none of these, weights are uniform on the simplex (no preference information).
    """

    order: tuple[tuple[str, ...], ...] = ()
    bounds: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    fixed: Mapping[str, float] | None = None

    def describe(self) -> str:
        if self.fixed is not None:
            return "fixed at the profile's weights"
        parts = []
        if self.order:
            parts.append("order " + " > ".join(" = ".join(group) for group in self.order))
        zero = [cid for cid, (lo, hi) in self.bounds.items() if lo == hi == 0]
        ranged = {cid: pair for cid, pair in self.bounds.items() if cid not in zero}
        if ranged:
            parts.append(
                "bounds " + ", ".join(f"{cid} {lo:g}-{hi:g}" for cid, (lo, hi) in ranged.items())
            )
        if zero:
            parts.append(f"{', '.join(zero)} held at 0")
        return "uniform on the simplex" + (f" with {'; '.join(parts)}" if parts else "")


def constraints_from_profile(
    weights: Mapping[str, float], criterion_ids: Sequence[str], model: str = "order"
) -> WeightConstraints:
    """Weight constraints modelling a profile's perspective in SMAA.

    ``uniform``: no information (the profile is ignored). ``order``: the profile's order of
    importance, equal weights unordered among themselves and zero weights kept at 0 (the
    perspective ignores those criteria); for equal weights this is the uniform simplex.
    ``fixed``: exactly the profile's weights; only the scores vary.
    """
    if model not in WEIGHT_MODELS:
        raise InputError(
            Code.BAD_VALUE,
            "weight model",
            "",
            f"one of {list(WEIGHT_MODELS)}",
            repr(model),
            "e.g. order",
        )
    if model == "uniform":
        return WeightConstraints()
    if model == "fixed":
        return WeightConstraints(fixed=dict(weights))
    vector = normalized_weights(weights, criterion_ids)
    levels = sorted({float(w) for w in vector if w > 0}, reverse=True)
    groups = tuple(
        tuple(cid for cid, w in zip(criterion_ids, vector, strict=True) if w == level)
        for level in levels
    )
    zeros = {cid: (0.0, 0.0) for cid, w in zip(criterion_ids, vector, strict=True) if w == 0}
    return WeightConstraints(order=groups if len(groups) > 1 else (), bounds=zeros)


def parse_bounds(spec: str, source: str = "--bounds") -> dict[str, tuple[float, float]]:
    """Parse ``"leverage=0.1:0.4,buy_in=0:0.2"``; raise InputError when malformed."""
    bounds: dict[str, tuple[float, float]] = {}
    for part in filter(None, (piece.strip() for piece in spec.split(","))):
        key, sep, numbers = part.partition("=")
        low, colon, high = numbers.partition(":")
        try:
            if not sep or not colon or not key.strip():
                raise ValueError
            bounds[key.strip()] = (float(low), float(high))
        except ValueError:
            raise InputError(
                Code.BAD_BOUNDS,
                source,
                part,
                "criterion=low:high pairs separated by commas",
                repr(part),
                "write e.g. --bounds leverage=0.1:0.4",
            ) from None
    return bounds


def parse_order(spec: str) -> tuple[tuple[str, ...], ...]:
    """Parse ``"human_rights>leverage=allied_support>buy_in"`` into groups, most important
    first; ``=`` joins criteria of equal rank."""
    return tuple(
        tuple(key.strip() for key in group.split("=") if key.strip())
        for group in spec.split(">")
        if group.strip()
    )


@dataclass(frozen=True)
class WeightModel:
    """Validated constraints as arrays: bounds, ordered pairs (a above b), groups, or fixed."""

    low: np.ndarray
    high: np.ndarray
    pairs: np.ndarray  # (k x 2) rows (a, b): w_a >= w_b
    groups: tuple[np.ndarray, ...]
    fixed: np.ndarray | None


def weight_model(
    constraints: WeightConstraints, criterion_ids: Sequence[str], source: str
) -> WeightModel:
    count = len(criterion_ids)
    if constraints.fixed is not None:
        if constraints.order or constraints.bounds:
            raise InputError(
                Code.BAD_VALUE,
                source,
                "fixed",
                "fixed weights alone",
                "fixed weights with bounds or an order",
                "drop the bounds and order, or the fixed weights",
            )
        vector = normalized_weights(constraints.fixed, criterion_ids, source)
        return WeightModel(vector, vector, np.empty((0, 2), int), (), vector)
    problems: list[Problem] = []
    low, high = np.zeros(count), np.ones(count)
    for key, pair in constraints.bounds.items():
        where = f"{source}.bounds"
        if key not in criterion_ids:
            problems.append(
                unknown_criterion(
                    key,
                    criterion_ids,
                    where=where,
                    key_path=str(key),
                    hint="correct the criterion id",
                )
            )
            continue
        try:
            lo, hi = (float(x) for x in pair)
        except (TypeError, ValueError):
            problems.append(
                Problem(
                    code=Code.BAD_BOUNDS,
                    where=where,
                    key_path=key,
                    expected="a (low, high) pair",
                    found=repr(pair),
                    hint="e.g. (0.1, 0.4)",
                )
            )
            continue
        if not 0 <= lo <= hi <= 1:  # also rejects NaN
            problems.append(
                Problem(
                    code=Code.BAD_BOUNDS,
                    where=where,
                    key_path=key,
                    expected="0 <= low <= high <= 1 (weights are shares of 1)",
                    found=f"low={lo:g}, high={hi:g}",
                    hint="write each bound as a share of the total weight",
                )
            )
            continue
        j = list(criterion_ids).index(key)
        low[j], high[j] = lo, hi
    seen: set[str] = set()
    flat = [key for group in constraints.order for key in group]
    for position, key in enumerate(flat):
        if key not in criterion_ids:
            problems.append(
                unknown_criterion(
                    key,
                    criterion_ids,
                    where=f"{source}.order",
                    key_path=str(key),
                    hint="correct the criterion id",
                )
            )
        elif key in seen:
            problems.append(
                Problem(
                    code=Code.BAD_ORDER,
                    where=f"{source}.order",
                    key_path=f"[{position}]",
                    expected="each criterion once",
                    found=f"{key!r} again",
                    hint="remove the repeated criterion",
                )
            )
        seen.add(key)
    if problems:
        raise ValidationError(problems)
    if low.sum() > 1 + 1e-9 or high.sum() < 1 - 1e-9:
        total, bound = (low.sum(), "lower") if low.sum() > 1 + 1e-9 else (high.sum(), "upper")
        raise InputError(
            Code.INFEASIBLE_BOUNDS,
            f"{source}.bounds",
            "",
            "bounds that some weight vector summing to 1 satisfies",
            f"{bound} bounds summing to {total:.3g}",
            "lower bounds must sum to at most 1 and upper bounds to at least 1",
        )
    index = {cid: j for j, cid in enumerate(criterion_ids)}
    groups = tuple(np.array([index[key] for key in group]) for group in constraints.order if group)
    pairs = np.array(
        [(a, b) for upper, lower in itertools.pairwise(groups) for a in upper for b in lower],
        dtype=np.int64,
    ).reshape(-1, 2)
    if len(pairs) and not _feasible(low, high, pairs):
        clash = next(
            ((a, b) for a, b in pairs if high[a] < low[b] - 1e-12),
            None,
        )
        ids = list(criterion_ids)
        found = (
            f"{ids[clash[0]]} above {ids[clash[1]]}, but {ids[clash[0]]} is capped at "
            f"{high[clash[0]]:g} while {ids[clash[1]]} needs at least {low[clash[1]]:g}"
            if clash is not None
            else "no weight vector within the bounds follows the order"
        )
        raise InputError(
            Code.ORDER_CONTRADICTS_BOUNDS,
            f"{source}.order",
            "",
            "an order of criteria that some weights within the bounds follow",
            found,
            "reorder the criteria or widen the bounds",
        )
    return WeightModel(low, high, pairs, groups, None)


def _feasible(low: np.ndarray, high: np.ndarray, pairs: np.ndarray) -> bool:
    """Is there a weight vector with sum 1, within the bounds, following the order?"""
    from scipy.optimize import linprog  # imported here: only order constraints need it

    count = len(low)
    a_ub = np.zeros((len(pairs), count))
    a_ub[np.arange(len(pairs)), pairs[:, 1]] = 1.0
    a_ub[np.arange(len(pairs)), pairs[:, 0]] = -1.0
    result = linprog(
        np.zeros(count),
        A_ub=a_ub,
        b_ub=np.zeros(len(pairs)),
        A_eq=np.ones((1, count)),
        b_eq=[1.0],
        bounds=list(zip(low, high, strict=True)),
        method="highs",
    )
    return bool(result.status == 0)


def _centre(model: WeightModel) -> np.ndarray:
    """A point deep inside the weight region: maximise the smallest slack (an LP)."""
    from scipy.optimize import linprog

    count = len(model.low)
    free = model.high > model.low
    rows, rhs = [], []
    for j in np.flatnonzero(free):  # w_j - low_j >= t  and  high_j - w_j >= t
        row = np.zeros(count + 1)
        row[j], row[-1] = -1.0, 1.0
        rows.append(row)
        rhs.append(-model.low[j])
        row = np.zeros(count + 1)
        row[j], row[-1] = 1.0, 1.0
        rows.append(row)
        rhs.append(model.high[j])
    for a, b in model.pairs:  # w_a - w_b >= t
        row = np.zeros(count + 1)
        row[b], row[a], row[-1] = 1.0, -1.0, 1.0
        rows.append(row)
        rhs.append(0.0)
    objective = np.zeros(count + 1)
    objective[-1] = -1.0
    result = linprog(
        objective,
        A_ub=np.array(rows) if rows else None,
        b_ub=np.array(rhs) if rows else None,
        A_eq=np.append(np.ones(count), 0.0)[None, :],
        b_eq=[1.0],
        bounds=[*zip(model.low, model.high, strict=True), (0.0, 1.0)],
        method="highs",
    )
    return np.asarray(result.x[:count])


def _in_region(weights: np.ndarray, model: WeightModel) -> np.ndarray:
    tol = 1e-12
    ok = np.all((weights >= model.low - tol) & (weights <= model.high + tol), axis=1)
    if len(model.pairs):
        ok &= np.all(weights[:, model.pairs[:, 0]] >= weights[:, model.pairs[:, 1]] - tol, axis=1)
    return ok


def _simplex_draws(model: WeightModel, count: int, rng: np.random.Generator) -> np.ndarray:
    """Uniform draws on the simplex (free criteria), fixed criteria set, order imposed.

    Uniform on the simplex: normalised standard exponentials (Dirichlet(1, ..., 1)). The
    order is imposed by sorting: the Dirichlet is exchangeable, so sorting the values of the
    ordered criteria and handing them out group by group (shuffled within a group) is
    uniform on the ordered region.
    """
    pinned = model.high <= model.low
    free = np.flatnonzero(~pinned)
    weights = np.tile(np.where(pinned, model.low, 0.0), (count, 1))
    if len(free) == 0:
        return weights
    draws = rng.exponential(size=(count, len(free)))
    weights[:, free] = draws / draws.sum(axis=1, keepdims=True) * (1.0 - model.low[pinned].sum())
    free_set = set(free.tolist())
    groups = [g[np.isin(g, list(free_set))] for g in model.groups]
    groups = [g for g in groups if len(g)]
    if len(groups) > 1:
        members = np.concatenate(groups)
        ordered = -np.sort(-weights[:, members], axis=1)
        start = 0
        for group in groups:
            block = ordered[:, start : start + len(group)]
            shuffle = np.argsort(rng.random((count, len(group))), axis=1)
            weights[:, group] = np.take_along_axis(block, shuffle, axis=1)
            start += len(group)
    return weights


def sample_weights(
    model: WeightModel, count: int, rng: np.random.Generator
) -> tuple[np.ndarray, str, list[Notice]]:
    """``count`` weight vectors uniform on the constrained region, the sampler used, notices.

    Rejection from the simplex draws when the constraints keep a fair share of them (exact);
    hit-and-run (Tervonen et al. 2013, approximately uniform) when they keep under 1 in
    1,000, so a narrow region never makes sampling hang.
    """
    if model.fixed is not None:
        return np.tile(model.fixed, (count, 1)), "fixed", []
    pinned = model.high <= model.low
    bounded = ~pinned & ((model.low > 0) | (model.high < 1))
    if not bounded.any() and not pinned[model.pairs].any():  # the draws need no check
        return _simplex_draws(model, count, rng), "simplex", []
    pilot = _simplex_draws(model, min(count, 20_000) if count > 0 else 1, rng)
    accepted = _in_region(pilot, model)
    rate = accepted.mean()
    if rate == 1.0 and count <= len(pilot):
        return pilot[:count], "simplex", []
    if rate >= 1e-3:
        kept = [pilot[accepted]]
        total = len(kept[0])
        while total < count:
            wanted = int((count - total) / rate * 1.2) + 100
            batch = _simplex_draws(model, min(wanted, CHUNK_ELEMENTS // len(model.low) + 1), rng)
            batch = batch[_in_region(batch, model)]
            kept.append(batch)
            total += len(batch)
        return np.concatenate(kept)[:count], "rejection", []
    share = (
        f"none of {len(pilot):,} trial draws fell inside"
        if rate == 0
        else f"about {rate:.2%} of trial draws fell inside"
    )
    notice = Notice(
        Code.NARROW_WEIGHT_REGION,
        f"The weight constraints leave a narrow region ({share}); weights were drawn by "
        "hit-and-run, approximately uniform.",
    )
    return _hit_and_run(model, count, rng), "hit-and-run", [notice]


def _hit_and_run(model: WeightModel, count: int, rng: np.random.Generator) -> np.ndarray:
    """Hit-and-run over the polytope {sum w = 1, low <= w <= high, order}, parallel chains."""
    width = len(model.low)
    free = np.flatnonzero(model.high > model.low)
    start = _centre(model)
    if len(free) < 2:  # a single point: nothing to move
        return np.tile(start, (count, 1))
    # Constraints G w <= h on the free coordinates (pinned ones never move).
    rows, rhs = [], []
    for j in free:
        rows.append(-np.eye(width)[j])
        rhs.append(-model.low[j])
        rows.append(np.eye(width)[j])
        rhs.append(model.high[j])
    for a, b in model.pairs:
        row = np.zeros(width)
        row[b], row[a] = 1.0, -1.0
        rows.append(row)
        rhs.append(0.0)
    g, h = np.array(rows), np.array(rhs)
    chains = int(min(count, max(100, math.ceil(count / 100))))
    per_chain = math.ceil(count / chains)
    thinning = max(10, len(free) ** 2)
    burn_in = 100 * len(free)
    points = np.tile(start, (chains, 1))
    out = np.empty((chains, per_chain, width))
    taken = 0
    for step in range(burn_in + per_chain * thinning):
        direction = np.zeros((chains, width))
        direction[:, free] = rng.standard_normal((chains, len(free)))
        direction[:, free] -= direction[:, free].mean(axis=1, keepdims=True)  # stay on sum = 1
        direction /= np.linalg.norm(direction, axis=1, keepdims=True) + 1e-300
        slack = h - points @ g.T
        rate = direction @ g.T
        with np.errstate(divide="ignore", invalid="ignore"):
            reach = slack / rate
        upper = np.where(rate > 1e-12, reach, np.inf).min(axis=1)
        lower = np.where(rate < -1e-12, reach, -np.inf).max(axis=1)
        upper, lower = np.maximum(upper, 0.0), np.minimum(lower, 0.0)
        points = points + (lower + (upper - lower) * rng.random(chains))[:, None] * direction
        if step >= burn_in and (step - burn_in) % thinning == thinning - 1:
            out[:, taken] = points
            taken += 1
    samples = out.reshape(-1, width)[:count]
    return np.clip(samples, model.low, model.high)
