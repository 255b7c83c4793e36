"""One-way sensitivity: each weight swept alone, where first place holds, tipping points."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from scoring.errors import Code, InputError, Notice
from scoring.methods import (
    DEFAULT_METHOD,
    TIE_DECIMALS,
    Kernel,
    Method,
    Ranking,
    method_spec,
    rank_by,
)
from scoring.model import Catalog

if TYPE_CHECKING:
    import pandas as pd
from scoring.robustness.common import (
    EPS,
    constant_criteria,
    included_rows,
    ordinal,
    rank_keys,
    threshold_texts,
)

__all__ = [
    "PAST_STEP",
    "PAST_STEP_MIN",
    "SAME_WEIGHT",
    "Finder",
    "FirstPlaceChange",
    "ScoreFunction",
    "Sensitivity",
    "Threshold",
    "WeightInterval",
    "one_way_sensitivity",
    "past_threshold",
]

# A threshold and the current weight closer than this are the same weight (float noise:
# 0.12499999999999994 is 0.125); which way first place goes is then found by re-ranking.
SAME_WEIGHT = 1e-9
# Who takes over past a threshold is read off a re-rank with the weight moved this far past
# it: 1% of the threshold, at least 0.0001 (so a threshold at 0 is passed too).
PAST_STEP = 0.01
PAST_STEP_MIN = 1e-4


def past_threshold(threshold: float, direction: str) -> float:
    """The weight just past ``threshold`` in ``direction`` ("rise" or "fall"), within 0..1.

    The re-rank that names who leads beyond a tipping point is made here; tests re-rank at
    the same weight to check each sentence.
    """
    step = max(PAST_STEP * abs(threshold), PAST_STEP_MIN)
    moved = threshold + step if direction == "rise" else threshold - step
    return min(1.0, max(0.0, moved))


@dataclass(frozen=True)
class WeightInterval:
    """The range of one criterion's weight within which the current first place holds.

    Weights are normalised (summing to 1); while this one moves the others keep their
    proportions. ``below`` / ``above`` name who takes first place just outside the range
    (None where the range reaches 0 or 1).
    """

    criterion: str
    name: str
    weight: float
    low: float
    high: float
    below: str | None
    above: str | None

    def sentence(self, first: str) -> str:
        low, high, now = threshold_texts(self.low, self.high, self.weight)
        where = f"the {self.name} weight"
        if self.high - self.low <= 1e-9:
            return f"{first} is first only at the current {self.name} weight ({now}): a tie."
        if self.below is None and self.above is None:
            return f"{first} stays first whatever {where} (now {now})."
        if self.below is None:
            return f"{first} stays first while {where} stays below {high} (now {now})."
        if self.above is None:
            return f"{first} stays first while {where} stays above {low} (now {now})."
        return f"{first} stays first while {where} is between {low} and {high} (now {now})."


@dataclass(frozen=True)
class FirstPlaceChange:
    """The smallest change of a single weight that moves a recommendation out of first place
    (if it is first) or into it (otherwise); ``criterion`` is None when no single weight can.
    """

    id: str
    title: str
    rank: int
    criterion: str | None
    name: str | None
    weight: float | None
    threshold: float | None
    other: str | None  # who leads just past the threshold (re-ranked there), or None
    sentence: str
    direction: str | None = None  # "rise" or "fall": which way the weight must move

    @property
    def change(self) -> float:
        """Size of the weight change (NaN when none works)."""
        if self.weight is None or self.threshold is None:
            return math.nan
        return abs(self.threshold - self.weight)


@dataclass(frozen=True)
class Sensitivity:
    """One-way sensitivity of a ranking to each weight: sweeps, intervals and tipping points.

    ``scores`` and ``ranks`` are (criteria x grid points x recommendations), recommendations
    in ``ids`` order (the current ranking, best first); grid point t gives the swept
    criterion weight t and every other weight ``(1 - t)`` times its current share of the
    rest. Where the other weights are all 0 they share the rest equally.
    """

    method: str
    criterion_ids: tuple[str, ...]
    criterion_names: tuple[str, ...]
    weights: np.ndarray = field(repr=False)
    grid: np.ndarray = field(repr=False)
    ids: tuple[str, ...]
    titles: tuple[str, ...]
    scores: np.ndarray = field(repr=False)
    ranks: np.ndarray = field(repr=False)
    intervals: tuple[WeightInterval, ...]
    changes: tuple[FirstPlaceChange, ...]
    notices: tuple[Notice, ...] = ()

    @property
    def first(self) -> str:
        return self.ids[0]

    def to_frame(self, top: int | None = None) -> pd.DataFrame:
        """Long table for the line chart: criterion, weight, id, title, score, rank.

        ``top`` keeps the recommendations ranked first to ``top`` under the current weights.
        """
        import pandas as pd

        shown = len(self.ids) if top is None else min(top, len(self.ids))
        criteria, points = len(self.criterion_ids), len(self.grid)
        return pd.DataFrame(
            {
                "criterion": np.repeat(self.criterion_ids, points * shown),
                "weight": np.tile(np.repeat(self.grid, shown), criteria),
                "id": np.tile(self.ids[:shown], criteria * points),
                "title": np.tile(self.titles[:shown], criteria * points),
                "score": self.scores[:, :, :shown].ravel(),
                "rank": self.ranks[:, :, :shown].ravel(),
            }
        )

    def intervals_frame(self) -> pd.DataFrame:
        """One row per criterion: current weight, the interval where first place holds."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "criterion": i.criterion,
                    "name": i.name,
                    "weight": i.weight,
                    "first_holds_from": i.low,
                    "first_holds_to": i.high,
                    "taken_below_by": i.below,
                    "taken_above_by": i.above,
                }
                for i in self.intervals
            ]
        )

    def changes_frame(self) -> pd.DataFrame:
        """One row per top recommendation: its smallest first-place-changing weight change."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "rank": c.rank,
                    "id": c.id,
                    "title": c.title,
                    "criterion": c.criterion,
                    "weight": c.weight,
                    "threshold": c.threshold,
                    "change": c.change,
                    "direction": c.direction,
                    "other": c.other,
                    "sentence": c.sentence,
                }
                for c in self.changes
            ]
        )

    def sentences(self) -> list[str]:
        """Plain-language findings: one per top recommendation."""
        return [change.sentence for change in self.changes]


def one_way_sensitivity(
    catalog: Catalog,
    weights: Mapping[str, float],
    method: str | Method = DEFAULT_METHOD,
    include: Sequence[str] | None = None,
    top: int = 5,
    steps: int = 101,
    source: str = "weights",
) -> Sensitivity:
    """Sweep each weight from 0 to 1 (others rescaled in proportion) and find tipping points.

    For weighted sum and PROMETHEE II every score is linear in the swept weight, so the
    intervals and thresholds are exact (solved, not searched). TOPSIS is not linear; its
    tipping points are found on a grid of 401 points refined by bisection, so a first place
    held over less than 1/400 of the weight range can be missed (said in a notice).
    """
    spec = method_spec(method)
    rows = included_rows(catalog, include, source)
    if not 2 <= steps <= 10_001:
        raise InputError(
            Code.BAD_VALUE, source, "steps", "2 to 10,001 grid points", repr(steps), "e.g. 101"
        )
    ranking = rank_by(catalog, weights, spec, [catalog.recommendation_ids[r] for r in rows], source)
    w = ranking.weights
    rest = _rest_weights(w)
    notices = constant_criteria(catalog, rows, with_ranges=False)
    tied = np.flatnonzero(
        np.round(ranking.totals, TIE_DECIMALS) == np.round(ranking.totals[0], TIE_DECIMALS)
    )
    if len(tied) > 1:
        notices.append(
            Notice(
                Code.TIED_FIRST,
                f"{len(tied)} recommendations tie for first place at {ranking.totals[0]:.3f} "
                f"({', '.join(ranking.ids[tied].tolist())}); the tie-break by id puts "
                f"{ranking.ids[0]} first, so a tiny change of a weight can move first place.",
            )
        )
    if spec.linear_in_weights:
        matrix = ranking.source_normalized[rows]  # totals = matrix @ w
        score_at = _linear_score_function(matrix, rest)
        finder = _linear_thresholds(matrix, rest, w)
    else:
        score_at = _kernel_score_function(spec.prepare(catalog, rows), rest)
        notices.append(
            Notice(
                Code.APPROXIMATE_THRESHOLDS,
                f"{spec.display_name} is not linear in the weights: tipping points were found "
                "on a grid of 401 points refined by bisection; a first place held over a "
                "narrower range of one weight could be missed.",
            )
        )
        finder = _numeric_thresholds(score_at, w)
    # Everything below works in catalog-row order (ties go to the lower id) and converts to
    # the current rank order at the end.
    position = np.empty(len(rows), dtype=np.int64)
    order = _rank_order_rows(catalog, ranking, rows)
    position[order] = np.arange(len(rows))
    grid = np.linspace(0.0, 1.0, steps)
    criteria = len(catalog.criteria)
    if spec.linear_in_weights:  # the sweep's scores made in rank order: no gather per point
        scores, ranks = _sweep(
            _linear_score_function(matrix, rest, order), None, order, criteria, grid
        )
    else:
        scores, ranks = _sweep(score_at, order, order, criteria, grid)
    ids = tuple(catalog.recommendation_ids[rows[i]] for i in order)
    titles = tuple(catalog.recommendations[rows[i]].title for i in order)
    names = tuple(c.name for c in catalog.criteria)
    lookup = _Lookup(
        ids=[catalog.recommendation_ids[r] for r in rows],
        titles=[catalog.recommendations[r].title for r in rows],
    )
    first = int(order[0])

    def leader(k: int, t: float) -> int:
        """The row first with weight k at t: a direct re-rank, so sentences name who leads."""
        return int(np.argmin(rank_keys(score_at(k, np.array([t])))[0]))

    intervals = []
    for k in range(criteria):
        down, up = finder(first, k)
        intervals.append(
            WeightInterval(
                criterion=catalog.criterion_ids[k],
                name=names[k],
                weight=float(w[k]),
                low=0.0 if down is None else down[0],
                high=1.0 if up is None else up[0],
                below=None
                if down is None
                else lookup.ids[leader(k, past_threshold(down[0], "fall"))],
                above=None if up is None else lookup.ids[leader(k, past_threshold(up[0], "rise"))],
            )
        )
    changes = tuple(
        _smallest_change(int(i), position, finder, leader, w, catalog, lookup)
        for i in order[: max(0, min(top, len(rows)))]
    )
    return Sensitivity(
        method=spec.name,
        criterion_ids=catalog.criterion_ids,
        criterion_names=names,
        weights=w,
        grid=grid,
        ids=ids,
        titles=titles,
        scores=scores,
        ranks=ranks,
        intervals=tuple(intervals),
        changes=changes,
        notices=tuple(notices),
    )


# Grid points swept at once: about 1 MB of float64 scores, so each block's keys, sort and
# ranks stay in cache (the whole (steps x n) sweep at 20,000 rows is 16 MB per array).
_BLOCK_VALUES = 131_072


def _sweep(
    score_at: ScoreFunction,
    reorder: np.ndarray | None,
    order: np.ndarray,
    criteria: int,
    grid: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Scores and ranks (criteria x grid points x rows) in ``order`` (rank order).

    ``score_at`` gives scores in rank order already, or in catalog-row order when
    ``reorder`` (= ``order``) is given. Ties go to the lower catalog row, as in the ranking:
    the tie-break key of a column is its catalog row, ``order``.
    """
    count = len(order)
    scores = np.empty((criteria, len(grid), count))
    ranks = np.empty((criteria, len(grid), count), dtype=np.int64)
    places = np.arange(1, count + 1, dtype=np.int64)
    block = max(1, _BLOCK_VALUES // max(count, 1))
    tie_break = order.astype(np.int64)
    for k in range(criteria):
        for start in range(0, len(grid), block):
            swept = score_at(k, grid[start : start + block])
            if reorder is not None:
                swept = swept[:, reorder]
            scores[k, start : start + block] = swept
            # rank_keys' rule with the catalog row as tie-break (columns are in rank order).
            keys = tie_break - np.rint(swept * 10**TIE_DECIMALS).astype(np.int64) * count
            np.put_along_axis(
                ranks[k, start : start + block], np.argsort(keys, axis=1), places[None, :], axis=1
            )
    return scores, ranks


@dataclass(frozen=True)
class _Lookup:
    ids: list[str]
    titles: list[str]


def _rank_order_rows(catalog: Catalog, ranking: Ranking, rows: np.ndarray) -> np.ndarray:
    """Positions in ``rows`` (sorted catalog rows) of the ranking's recommendations, best first."""
    index = np.empty(len(catalog.recommendations), dtype=np.int64)
    index[rows] = np.arange(len(rows))
    return index[ranking.rows]


def _rest_weights(weights: np.ndarray) -> np.ndarray:
    """Row k: the other weights rescaled to sum to 1 with weight k at 0 (equal if all 0)."""
    criteria = len(weights)
    rest = np.tile(weights, (criteria, 1))
    np.fill_diagonal(rest, 0.0)
    sums = rest.sum(axis=1, keepdims=True)
    equal = (1.0 - np.eye(criteria)) / max(criteria - 1, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sums > 0, rest / np.where(sums > 0, sums, 1.0), equal)


def _swept(rest: np.ndarray, k: int, t: np.ndarray) -> np.ndarray:
    """Weight vectors (len(t) x m) with weight k = t and the others (1 - t) * rest[k]."""
    vectors = (1.0 - t)[:, None] * rest[k][None, :]
    vectors[:, k] = t
    return vectors


ScoreFunction = Callable[[int, np.ndarray], np.ndarray]

# finder(i, k) -> (down, up): the nearest weight of criterion k below / above the current one
# at which recommendation i's first place changes, with the row that takes or gives it.
Threshold = tuple[float, int] | None

Finder = Callable[[int, int], tuple[Threshold, Threshold]]


def _linear_score_function(
    matrix: np.ndarray, rest: np.ndarray, order: np.ndarray | None = None
) -> ScoreFunction:
    """Scores of every row at weight k = t; in ``order`` of the rows if given (the same
    numbers, gathered once rather than at every grid point)."""
    base = matrix @ rest.T  # (n x m): column k = the scores when weight k is 0
    if order is not None:
        matrix, base = matrix[order], base[order]

    def score_at(k: int, t: np.ndarray) -> np.ndarray:
        return base[:, k][None, :] + t[:, None] * (matrix[:, k] - base[:, k])[None, :]

    return score_at


def _linear_thresholds(matrix: np.ndarray, rest: np.ndarray, weights: np.ndarray) -> Finder:
    """Exact thresholds for methods whose scores are linear in the weights.

    With weight k at t, recommendation i's score is ``a_i + t * b_i``. Row i is first where
    ``(a_i - a_j) + t * (b_i - b_j) >= 0`` for every other j: an intersection of half-lines,
    so one interval [lo, hi] (possibly empty), solved in closed form. Exact ties go to the
    lower row, as in the ranking.
    """
    base = matrix @ rest.T
    slope = matrix - base
    count = len(matrix)

    def interval(i: int, k: int) -> tuple[float, float, int, int] | None:
        c = base[i, k] - base[:, k]
        s = slope[i, k] - slope[:, k]
        others = np.arange(count) != i
        flat = others & (np.abs(s) <= EPS)
        # Parallel lines: i must be ahead everywhere (or tie and win the tie-break).
        if np.any(flat & ((c < -EPS) | ((np.abs(c) <= EPS) & (np.arange(count) < i)))):
            return None
        with np.errstate(divide="ignore", invalid="ignore"):
            crossing = -c / s
        rising, falling = others & (s > EPS), others & (s < -EPS)
        lo, lo_by = 0.0, -1
        if rising.any():
            j = int(np.flatnonzero(rising)[np.argmax(crossing[rising])])
            if crossing[j] > lo:
                lo, lo_by = float(crossing[j]), j
        hi, hi_by = 1.0, -1
        if falling.any():
            j = int(np.flatnonzero(falling)[np.argmin(crossing[falling])])
            if crossing[j] < hi:
                hi, hi_by = float(crossing[j]), j
        if lo > hi + 1e-12:
            return None
        # A crossing at the very end of the sweep (all weight on one criterion, or none) is
        # a tie there, not a tipping point a reader can act on.
        if lo <= 1e-9 < hi:
            lo, lo_by = 0.0, -1
        if hi >= 1.0 - 1e-9 > lo:
            hi, hi_by = 1.0, -1
        return lo, hi, lo_by, hi_by

    def finder(i: int, k: int) -> tuple[Threshold, Threshold]:
        found = interval(i, k)
        if found is None:
            return None, None
        lo, hi, lo_by, hi_by = found
        t0 = float(weights[k])
        if lo - 1e-12 <= t0 <= hi + 1e-12:  # first now: where it loses first place
            return ((lo, lo_by) if lo_by >= 0 else None), ((hi, hi_by) if hi_by >= 0 else None)
        if t0 < lo:  # becomes first if the weight rises above lo
            return None, (lo, lo_by)
        return (hi, hi_by), None  # becomes first if the weight falls below hi

    return finder


def _kernel_score_function(kernel: Kernel, rest: np.ndarray) -> ScoreFunction:
    """Scores of a method not linear in the weights, by its clean-array kernel."""

    def score_at(k: int, t: np.ndarray) -> np.ndarray:
        vectors = _swept(rest, k, np.asarray(t, dtype=float))
        return np.stack([kernel.scores(kernel.matrix, v) for v in vectors])

    return score_at


def _numeric_thresholds(score_at: ScoreFunction, weights: np.ndarray) -> Finder:
    """Thresholds found on a 401-point grid and refined by 50 bisection steps."""
    grid_cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def winner(k: int, t: np.ndarray) -> np.ndarray:
        return np.argmin(rank_keys(score_at(k, t)), axis=1)

    def grid_for(k: int) -> tuple[np.ndarray, np.ndarray]:
        if k not in grid_cache:
            grid = np.union1d(np.linspace(0.0, 1.0, 401), [weights[k]])
            grid_cache[k] = grid, winner(k, grid)
        return grid_cache[k]

    def boundary(k: int, inside: float, outside: float, i: int) -> tuple[float, int]:
        """Bisect between a weight where i is first and one where it is not."""
        for _ in range(50):
            middle = 0.5 * (inside + outside)
            if winner(k, np.array([middle]))[0] == i:
                inside = middle
            else:
                outside = middle
        return 0.5 * (inside + outside), int(winner(k, np.array([outside]))[0])

    def finder(i: int, k: int) -> tuple[Threshold, Threshold]:
        grid, winners = grid_for(k)
        now = int(np.searchsorted(grid, weights[k]))
        is_i = winners == i
        if is_i[now]:
            left, right = now, now
            while left > 0 and is_i[left - 1]:
                left -= 1
            while right < len(grid) - 1 and is_i[right + 1]:
                right += 1
            down = boundary(k, grid[left], grid[left - 1], i) if left > 0 else None
            up = boundary(k, grid[right], grid[right + 1], i) if right < len(grid) - 1 else None
            return down, up
        below = np.flatnonzero(is_i[:now])
        above = np.flatnonzero(is_i[now + 1 :]) + now + 1
        down = up = None
        if len(below):
            b = int(below[-1])
            found, _ = boundary(k, grid[b], grid[b + 1], i)
            down = (found, int(winners[now]))
        if len(above):
            a = int(above[0])
            found, _ = boundary(k, grid[a], grid[a - 1], i)
            up = (found, int(winners[now]))
        return down, up

    return finder


def _smallest_change(
    i: int,
    position: np.ndarray,
    finder: Finder,
    leader: Callable[[int, float], int],
    weights: np.ndarray,
    catalog: Catalog,
    lookup: _Lookup,
) -> FirstPlaceChange:
    """The smallest one-weight change moving row ``i`` out of (or into) first place, worded.

    The direction is the threshold's side of the current weight, compared with a tolerance
    (:data:`SAME_WEIGHT`); where they are the same weight (a tie for first) it is the side on
    which a re-rank changes first place. Who takes over is the leader of a re-rank just past
    the threshold (:func:`past_threshold`), never the finder's guess, so two items within
    1e-5 of each other cannot be confused.
    """
    rank = int(position[i]) + 1
    best: tuple[float, int, float] | None = None  # (change, k, threshold)
    for k in range(len(weights)):
        for found in finder(i, k):
            if found is not None:
                change = abs(found[0] - weights[k])
                if best is None or change < best[0] - 1e-12:
                    best = (change, k, found[0])
    rec_id, title = lookup.ids[i], lookup.titles[i]
    if best is None:
        text = (
            f"{title} keeps first place whatever a single weight does."
            if rank == 1
            else f"{title} (now {ordinal(rank)}) cannot reach first place by changing any "
            "single weight."
        )
        return FirstPlaceChange(rec_id, title, rank, None, None, None, None, None, text)
    _, k, threshold = best
    criterion = catalog.criteria[k]
    now = float(weights[k])
    same = abs(threshold - now) <= SAME_WEIGHT
    if same:
        threshold = now
        # The side where a re-rank changes first place (for row i: away from i, or to i);
        # the finder's side where both do or neither does.
        found_way = "fall" if threshold < now else "rise"
        changes = {
            way: (leader(k, past_threshold(now, way)) == i) != (rank == 1)
            for way in ("rise", "fall")
        }
        way = (
            found_way
            if changes[found_way] or not any(changes.values())
            else ("rise" if changes["rise"] else "fall")
        )
    else:
        way = "fall" if threshold < now else "rise"
    other = leader(k, past_threshold(threshold, way))
    shown, current = threshold_texts(threshold, now)
    falls = way == "fall"
    if same and rank > 1 and other != i:  # tied only at this very weight
        text = (
            f"{title} (now {ordinal(rank)}) ties for first place only at the current weights "
            f"and is listed behind by the tie-break; moving the {criterion.name} weight "
            f"either way from {current} leaves {lookup.titles[other]} ahead."
        )
    elif same:  # a tie for first place, decided by the id tie-break
        text = (
            f"{title} ties for first place with {lookup.titles[other]} and is listed first "
            f"only by the tie-break; the slightest {way} of the {criterion.name} weight from "
            f"{current} puts {lookup.titles[other]} ahead."
            if rank == 1
            else f"{title} (now {ordinal(rank)}) ties for first place and is listed behind "
            f"only by the tie-break; the slightest {way} of the {criterion.name} weight from "
            f"{current} would put it first."
        )
    elif rank == 1:
        text = (
            f"{title} loses first place if the {criterion.name} weight "
            f"{'falls below' if falls else 'rises above'} {shown} (now {current}), "
            f"to {lookup.titles[other]}."
        )
    elif other != i:  # first only over a window narrower than the step past the threshold
        text = (
            f"{title} (now {ordinal(rank)}) would be first only for a narrow range of the "
            f"{criterion.name} weight around {shown} (now {current}); a little further, "
            f"{lookup.titles[other]} leads."
        )
    else:
        if threshold <= 1e-9 or threshold >= 1 - 1e-9:
            moved = f"fell to {threshold:.0f}" if falls else f"rose to {threshold:.0f}"
        else:
            moved = f"{'fell below' if falls else 'rose above'} {shown}"
        text = (
            f"{title} (now {ordinal(rank)}) would take first place if the {criterion.name} "
            f"weight {moved} (now {current})."
        )
    return FirstPlaceChange(
        rec_id,
        title,
        rank,
        criterion.id,
        criterion.name,
        now,
        threshold,
        lookup.ids[other],
        text,
        direction=way,
    )
