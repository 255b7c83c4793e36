"""Robustness: non-compensatory safeguards, one-way weight sensitivity and SMAA-2.

A ranking helps only if its readers know how much it depends on contested weights and
uncertain scores. Three tools, each one validating entry point over vectorised kernels, each
returning a frozen result with ``to_frame()`` for a chart or table and plain sentences:

- :func:`screen`: minimum levels and vetoes. A weighted sum lets a strong score buy off a
  very weak one; safeguards stop that. Recommendations that fail are reported apart with
  their reasons, never silently dropped.
- :func:`one_way_sensitivity`: sweep one weight from 0 to 1, the others rescaled in
  proportion; the interval of that weight within which the current first place holds; for
  each top recommendation, the smallest change of a single weight that moves it out of first
  place or into it.
- :func:`smaa`: SMAA-2 (Lahdelma and Salminen 2001). Weights drawn uniformly from the
  simplex (optionally constrained by bounds or an order of criteria), scores drawn within
  their low-high ranges; rank acceptability indices, central weights, confidence factors.
  Each sample is ranked by the weighted sum, TOPSIS or PROMETHEE II.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from scoring.errors import Code, InputError, Notice, Problem, ValidationError
from scoring.io import unknown_criterion
from scoring.methods import (
    DEFAULT_METHOD,
    TIE_DECIMALS,
    Kernel,
    Method,
    Ranking,
    check_method,
    method_spec,
    rank_by,
)
from scoring.model import SCALE_MAX, SCALE_MIN, Catalog
from scoring.weights import normalized_weights
from scoring.wording import likelihood_words, share_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CHUNK_ELEMENTS",
    "DEFAULT_SAMPLES",
    "MAX_SAMPLES",
    "PROMETHEE_COMPARISONS",
    "SCORE_MODELS",
    "WEIGHT_MODELS",
    "FirstPlaceChange",
    "Safeguards",
    "Screening",
    "Sensitivity",
    "SmaaResult",
    "WeightConstraints",
    "WeightInterval",
    "constraints_from_profile",
    "likelihood_words",
    "one_way_sensitivity",
    "parse_bounds",
    "parse_levels",
    "parse_order",
    "screen",
    "smaa",
]

DEFAULT_SAMPLES = 10_000
MAX_SAMPLES = 1_000_000  # beyond this more samples change no figure a reader sees
# Chunks of (samples x recommendations x criteria) stay near this many float64 elements
# (16 MB), so memory is bounded whatever the catalog or sample count.
CHUNK_ELEMENTS = 2_000_000
# Rank acceptability is kept for every rank up to this many recommendations; beyond, for the
# first RANKS_KEPT_LARGE ranks (an n x n table of 10,000 would take 800 MB).
ALL_RANKS_UP_TO = 2_000
RANKS_KEPT_LARGE = 100
# PROMETHEE II on drawn scores sorts each criterion's values in every score draw and reads
# each recommendation's flow off the sorted values (promethee_flows_batched): about 100 ns
# per value, measured from 90 to 10,000 recommendations, so the cost is recommendations x
# criteria x score draws (confidence factors draw the scores again). Beyond this many
# values (half a minute) smaa refuses rather than seem to hang. The bundled catalog
# (90 x 8) with 10,000 samples and confidence factors needs 14.4 million; 1,000 x 10
# needs 200 million. With fixed scores the flows are computed once.
PROMETHEE_COMPARISONS = 300_000_000
_EPS = 1e-12


# --- Safeguards ------------------------------------------------------------------------------


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
    problems = _level_problems(safeguards.minimums, catalog, f"{source}.minimums")
    problems += _level_problems(safeguards.vetoes, catalog, f"{source}.vetoes")
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
        reasons[catalog.recommendation_ids.index(rec_id)].append(f"excluded: {why}")
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


def _level_problems(levels: Mapping[str, float], catalog: Catalog, where: str) -> list[Problem]:
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


# --- Shared helpers --------------------------------------------------------------------------


def _rows(catalog: Catalog, include: Sequence[str] | None, source: str) -> np.ndarray:
    """Catalog rows of ``include`` (all if None); raise if it leaves nothing to rank."""
    if include is None:
        rows = np.arange(len(catalog.recommendations))
    else:
        rows = np.flatnonzero(np.isin(catalog.id_array, list(include)))
    if len(rows) == 0:
        raise InputError(
            Code.ALL_SCREENED_OUT,
            source,
            "",
            "at least one recommendation to rank",
            "none (every recommendation failed the safeguards or was left out)",
            "relax the minimum levels or vetoes",
        )
    return rows


def _constant_criteria(catalog: Catalog, rows: np.ndarray, with_ranges: bool) -> list[Notice]:
    """Notices for criteria on which every recommendation considered scores the same."""
    parts = [catalog.values]
    if with_ranges:
        parts += [catalog.low, catalog.high]
    notices = []
    for j, criterion in enumerate(catalog.criteria):
        if all(np.ptp(part[rows, j]) == 0 for part in parts) and len(rows) > 1:
            notices.append(
                Notice(
                    Code.CONSTANT_CRITERION,
                    f"Every recommendation scores {catalog.values[rows[0], j]:g} on "
                    f"{criterion.name}: its weight cannot change the order, it only dilutes "
                    "the other criteria.",
                )
            )
    return notices


def _best_first(totals: np.ndarray) -> np.ndarray:
    """Argsort of each row of ``totals`` (samples x n), best first, with the ranking's tie-break.

    A plain float argsort gives the same order as the rounded keys wherever consecutive
    sorted totals are more than 1e-12 apart; only rows with a closer pair (rare unless scores
    are fixed) are re-sorted on the exact keys. This keeps the kernel near the bare floor.
    """
    order = np.argsort(-totals, axis=1)
    gaps = -np.diff(np.take_along_axis(totals, order, axis=1), axis=1)
    close = np.flatnonzero((gaps <= 2 * 10.0**-TIE_DECIMALS).any(axis=1))
    if len(close):
        order[close] = np.argsort(_rank_keys(totals[close]), axis=1)
    return order


def _rank_keys(totals: np.ndarray) -> np.ndarray:
    """Sort keys per row of ``totals`` (samples x n), smallest = best: the ranking's tie-break.

    Totals are compared after rounding to 12 decimals; ties go to the lower row (lower id),
    exactly as :func:`scoring.methods.rank_order` does for one ranking.
    """
    count = totals.shape[-1]
    quantized = np.rint(totals * 10**TIE_DECIMALS).astype(np.int64)
    return np.arange(count, dtype=np.int64) - quantized * count


def _numbers(*values: float) -> list[str]:
    """Weights with 2 decimals, or more where 2 would make two of them look equal or round a
    small share to 0.00 (or a large one to 1.00)."""
    for digits in (2, 3, 4):
        texts = [f"{v:.{digits}f}" for v in values]
        collide = len(set(texts)) < len({round(v, 12) for v in values})
        hidden = any(
            t in (f"{0:.{digits}f}", f"{1:.{digits}f}") and 0 < v < 1
            for t, v in zip(texts, values, strict=True)
        )
        if not (collide or hidden):
            break
    return texts


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


# --- One-way sensitivity ---------------------------------------------------------------------


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
        low, high, now = _numbers(self.low, self.high, self.weight)
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
    other: str | None
    sentence: str

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
    rows = _rows(catalog, include, source)
    if not 2 <= steps <= 10_001:
        raise InputError(
            Code.BAD_VALUE, source, "steps", "2 to 10,001 grid points", repr(steps), "e.g. 101"
        )
    ranking = rank_by(catalog, weights, spec, [catalog.recommendation_ids[r] for r in rows], source)
    w = ranking.weights
    rest = _rest_weights(w)
    notices = _constant_criteria(catalog, rows, with_ranges=False)
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
    scores = np.empty((criteria, steps, len(rows)))
    ranks = np.empty((criteria, steps, len(rows)), dtype=np.int64)
    for k in range(criteria):
        swept = score_at(k, grid)  # (steps, n) in catalog-row order
        sweep_order = np.argsort(_rank_keys(swept), axis=1)
        sweep_ranks = np.empty_like(sweep_order)
        np.put_along_axis(sweep_ranks, sweep_order, np.arange(1, len(rows) + 1)[None, :], axis=1)
        scores[k] = swept[:, order]
        ranks[k] = sweep_ranks[:, order]
    ids = tuple(catalog.recommendation_ids[rows[i]] for i in order)
    titles = tuple(catalog.recommendations[rows[i]].title for i in order)
    names = tuple(c.name for c in catalog.criteria)
    lookup = _Lookup(
        ids=[catalog.recommendation_ids[r] for r in rows],
        titles=[catalog.recommendations[r].title for r in rows],
    )
    first = int(order[0])
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
                below=None if down is None else lookup.ids[down[1]],
                above=None if up is None else lookup.ids[up[1]],
            )
        )
    changes = tuple(
        _smallest_change(int(i), position, finder, w, catalog, lookup)
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


def _linear_score_function(matrix: np.ndarray, rest: np.ndarray) -> ScoreFunction:
    base = matrix @ rest.T  # (n x m): column k = the scores when weight k is 0

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
        flat = others & (np.abs(s) <= _EPS)
        # Parallel lines: i must be ahead everywhere (or tie and win the tie-break).
        if np.any(flat & ((c < -_EPS) | ((np.abs(c) <= _EPS) & (np.arange(count) < i)))):
            return None
        with np.errstate(divide="ignore", invalid="ignore"):
            crossing = -c / s
        rising, falling = others & (s > _EPS), others & (s < -_EPS)
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
        return np.argmin(_rank_keys(score_at(k, t)), axis=1)

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
    weights: np.ndarray,
    catalog: Catalog,
    lookup: _Lookup,
) -> FirstPlaceChange:
    rank = int(position[i]) + 1
    best: tuple[float, int, float, int] | None = None  # (change, k, threshold, other)
    for k in range(len(weights)):
        for found in finder(i, k):
            if found is not None:
                change = abs(found[0] - weights[k])
                if best is None or change < best[0] - 1e-12:
                    best = (change, k, found[0], found[1])
    rec_id, title = lookup.ids[i], lookup.titles[i]
    if best is None:
        text = (
            f"{title} keeps first place whatever a single weight does."
            if rank == 1
            else f"{title} (now {_ordinal(rank)}) cannot reach first place by changing any "
            "single weight."
        )
        return FirstPlaceChange(rec_id, title, rank, None, None, None, None, None, text)
    _, k, threshold, other = best
    criterion = catalog.criteria[k]
    now = float(weights[k])
    shown, current = _numbers(threshold, now)
    falls = threshold < now
    if abs(threshold - now) <= 1e-9:  # a tie for first place, decided by the id tie-break
        way = "fall" if falls else "rise"
        text = (
            f"{title} is first only on the tie-break by id (it ties with "
            f"{lookup.titles[other]}); the slightest {way} of the {criterion.name} weight "
            f"from {now:.2f} gives first place to the other."
            if rank == 1
            else f"{title} (now {_ordinal(rank)}) ties for first place and is behind only on "
            f"the tie-break by id; the slightest {way} of the {criterion.name} weight from "
            f"{now:.2f} would put it first."
        )
    elif rank == 1:
        text = (
            f"{title} loses first place if the {criterion.name} weight "
            f"{'falls below' if falls else 'rises above'} {shown} (now {current}), "
            f"to {lookup.titles[other]}."
        )
    else:
        if threshold <= 1e-9 or threshold >= 1 - 1e-9:
            moved = f"fell to {threshold:.0f}" if falls else f"rose to {threshold:.0f}"
        else:
            moved = f"{'fell below' if falls else 'rose above'} {shown}"
        text = (
            f"{title} (now {_ordinal(rank)}) would take first place if the {criterion.name} "
            f"weight {moved} (now {current})."
        )
    return FirstPlaceChange(
        rec_id, title, rank, criterion.id, criterion.name, now, threshold, lookup.ids[other], text
    )


# --- SMAA-2 ----------------------------------------------------------------------------------

ScoreModel = Literal["uniform", "triangular", "fixed"]
SCORE_MODELS: tuple[str, ...] = ("uniform", "triangular", "fixed")
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
class _WeightModel:
    """Validated constraints as arrays: bounds, ordered pairs (a above b), groups, or fixed."""

    low: np.ndarray
    high: np.ndarray
    pairs: np.ndarray  # (k x 2) rows (a, b): w_a >= w_b
    groups: tuple[np.ndarray, ...]
    fixed: np.ndarray | None


def _weight_model(
    constraints: WeightConstraints, criterion_ids: Sequence[str], source: str
) -> _WeightModel:
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
        return _WeightModel(vector, vector, np.empty((0, 2), int), (), vector)
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
    return _WeightModel(low, high, pairs, groups, None)


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


def _centre(model: _WeightModel) -> np.ndarray:
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


def _in_region(weights: np.ndarray, model: _WeightModel) -> np.ndarray:
    tol = 1e-12
    ok = np.all((weights >= model.low - tol) & (weights <= model.high + tol), axis=1)
    if len(model.pairs):
        ok &= np.all(weights[:, model.pairs[:, 0]] >= weights[:, model.pairs[:, 1]] - tol, axis=1)
    return ok


def _simplex_draws(model: _WeightModel, count: int, rng: np.random.Generator) -> np.ndarray:
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


def _sample_weights(
    model: _WeightModel, count: int, rng: np.random.Generator
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


def _hit_and_run(model: _WeightModel, count: int, rng: np.random.Generator) -> np.ndarray:
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


@dataclass(frozen=True)
class SmaaResult:
    """SMAA-2 results, recommendations ordered by rank acceptability (best first).

    ``acceptability[i, r]`` is the share of samples in which recommendation i ranks r + 1
    (rows and columns each sum to 1 when every rank is kept). ``central_weights[i]`` is the
    mean weight vector among the samples where i ranks first, ``confidence[i]`` the share of
    score draws in which i is first under its central weights (both NaN where i is never
    first; ``confidence`` is also NaN beyond the ``confidence_for`` recommendations most
    often first). ``expected_rank`` is NaN when only the first ranks are kept (large
    catalogs). ``method`` names the aggregation each sample was ranked by and
    ``method_settings`` its settings (as in :class:`scoring.methods.Ranking`).
    """

    ids: tuple[str, ...]
    titles: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    acceptability: np.ndarray = field(repr=False)
    central_weights: np.ndarray = field(repr=False)
    confidence: np.ndarray = field(repr=False)
    samples: int
    seed: int
    weight_sampler: str
    score_model: str
    constraints: str
    notices: tuple[Notice, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    method: str = DEFAULT_METHOD
    method_settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ranks_kept(self) -> int:
        return self.acceptability.shape[1]

    @property
    def expected_rank(self) -> np.ndarray:
        if self.ranks_kept < len(self.ids):
            return np.full(len(self.ids), np.nan)
        return self.acceptability @ np.arange(1, self.ranks_kept + 1)

    def cumulative(self, ranks: int) -> np.ndarray:
        """Share of samples in which each recommendation ranks ``ranks`` or better."""
        return self.acceptability[:, : min(ranks, self.ranks_kept)].sum(axis=1)

    def to_frame(self, top: int | None = None) -> pd.DataFrame:
        """One row per recommendation: first-rank and top-3 acceptability, expected rank,
        confidence factor and central weights (``w_<criterion>``)."""
        import pandas as pd

        shown = slice(None, top)
        frame = pd.DataFrame(
            {
                "order": np.arange(1, len(self.ids) + 1),
                "id": self.ids,
                "title": self.titles,
                "first": self.acceptability[:, 0],
                "top3": self.cumulative(3),
                "expected_rank": self.expected_rank,
                "confidence": self.confidence,
            }
        )
        central = pd.DataFrame(
            self.central_weights, columns=[f"w_{cid}" for cid in self.criterion_ids]
        )
        return pd.concat([frame, central], axis=1).iloc[shown].reset_index(drop=True)

    def acceptability_frame(self, top: int = 10, ranks: int = 5) -> pd.DataFrame:
        """Long table for stacked bars: the ``top`` recommendations' acceptability of ranks
        1..``ranks`` and of any later rank (label ``">N"``)."""
        import pandas as pd

        shown = min(top, len(self.ids))
        kept = min(ranks, self.ranks_kept)
        labels = [str(r) for r in range(1, kept + 1)] + [f">{kept}"]
        values = np.column_stack(
            [self.acceptability[:shown, :kept], 1.0 - self.cumulative(kept)[:shown]]
        )
        return pd.DataFrame(
            {
                "id": np.repeat(self.ids[:shown], len(labels)),
                "title": np.repeat(self.titles[:shown], len(labels)),
                "rank": np.tile(labels, shown),
                "acceptability": np.clip(values, 0.0, 1.0).ravel(),
            }
        )

    def sentences(self, top: int = 5) -> list[str]:
        """A plain sentence per top recommendation, with the shared probability words."""
        varied = {
            ("weights", "scores"): "plausible weightings and scores",
            ("weights",): "plausible weightings",
            ("scores",): "plausible score draws",
        }
        what = tuple(
            part
            for part, varies in (
                ("weights", self.weight_sampler != "fixed"),
                ("scores", self.score_model != "fixed"),
            )
            if varies
        )
        of = varied.get(what, "samples")
        # The weighted sum is the standard and goes unnamed; another method is named.
        by = "" if self.method == DEFAULT_METHOD else f" by {method_spec(self.method).display_name}"
        lines = []
        for i in range(min(top, len(self.ids))):
            first, top3 = float(self.acceptability[i, 0]), float(self.cumulative(3)[i])
            head = (
                f"{self.titles[i]}: never first{by} under {of}"
                if first == 0
                else f"{self.titles[i]}: first{by} under {share_text(first)} of {of} "
                f"({likelihood_words(first)})"
            )
            text = f"{head}, in the top three under {share_text(top3)} ({likelihood_words(top3)})"
            if first > 0 and self.score_model != "fixed":
                text += (
                    f"; with its central weights it is first in "
                    f"{share_text(float(self.confidence[i]))} of score draws"
                )
            lines.append(text + ".")
        return lines


def smaa(
    catalog: Catalog,
    constraints: WeightConstraints | None = None,
    scores: str = "uniform",
    samples: int = DEFAULT_SAMPLES,
    seed: int | None = None,
    include: Sequence[str] | None = None,
    confidence: bool = True,
    confidence_for: int = 20,
    source: str = "smaa",
    method: str | Method = DEFAULT_METHOD,
) -> SmaaResult:
    """SMAA-2, each sample ranked by ``method`` (default: the weighted sum).

    Weights are drawn per ``constraints`` (default: uniform on the simplex); scores per
    ``scores``: ``uniform`` within each score's low-high range, ``triangular`` with its peak
    at the value, or ``fixed`` at the values. Everything is seeded: the same seed gives the
    same result (a ``None`` seed draws one, reported in the result). Work proceeds in chunks
    of samples so memory stays bounded. ``samples`` below 1 is an error; above
    ``MAX_SAMPLES`` it is capped with a notice.

    ``method`` is a name from ``METHODS`` or a settings object, validated as
    :func:`scoring.methods.rank_by` validates it. TOPSIS costs about twice the weighted
    sum (its squared distances are matrix products with the squared weights).
    PROMETHEE II's unicriterion flows do not depend on the weights: with fixed scores they
    are computed once and each sample costs a matrix product, as for the weighted sum;
    with drawn scores every draw's flows are computed anew, by sorting each criterion's
    values (:func:`scoring.methods.promethee_flows_batched`, some ten times the weighted
    sum's cost), so more than ``PROMETHEE_COMPARISONS`` values (recommendations x criteria
    x score draws) are refused (an InputError saying how many samples would do).

    Confidence factors need a second pass of score draws per candidate, so they are
    computed for the ``confidence_for`` recommendations most often first (NaN for the
    rest); ``confidence=False`` skips them.
    """
    notices: list[Notice] = []
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < 1:
        raise InputError(
            Code.BAD_SAMPLES,
            source,
            "samples",
            "a whole number of samples >= 1",
            repr(samples),
            f"use e.g. {DEFAULT_SAMPLES:,} (the default)",
        )
    if samples > MAX_SAMPLES:
        notices.append(
            Notice(
                Code.SAMPLES_CAPPED,
                f"{samples:,} samples asked; capped at {MAX_SAMPLES:,}, beyond which no shown "
                "figure changes.",
            )
        )
        samples = MAX_SAMPLES
    samples = int(samples)
    if scores not in SCORE_MODELS:
        raise InputError(
            Code.BAD_VALUE,
            source,
            "scores",
            f"one of {list(SCORE_MODELS)}",
            repr(scores),
            "e.g. uniform",
        )
    spec = method_spec(method)
    model = _weight_model(constraints or WeightConstraints(), catalog.criterion_ids, source)
    rows = _rows(catalog, include, source)
    aggregation = _Aggregation.of(spec, catalog, rows, scores, source)
    count = len(rows)
    if spec.sorts_per_draw and scores != "fixed":
        _check_comparisons(spec, count, len(catalog.criteria), samples, confidence, source)
    notices += _constant_criteria(catalog, rows, with_ranges=scores != "fixed")
    if seed is None:
        entropy = np.random.SeedSequence().entropy
        assert isinstance(entropy, int)  # drawn from the OS, so never None or a sequence
        seed = entropy % 2**32
    rng = np.random.default_rng(seed)
    weights, sampler, weight_notices = _sample_weights(model, samples, rng)
    notices += weight_notices
    kept = count if count <= ALL_RANKS_UP_TO else RANKS_KEPT_LARGE
    if kept < count:
        notices.append(
            Notice(
                Code.SAMPLES_CAPPED,
                f"{count:,} recommendations: acceptability kept for the first {kept} ranks.",
            )
        )
    draws = _ScoreDraws.of(catalog, rows, scores)
    counts, central = _acceptability(weights, draws, aggregation, rng, count, kept)
    firsts = counts[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        central = np.where(firsts[:, None] > 0, central / firsts[:, None], np.nan)
    factors = np.full(count, np.nan)
    if confidence and firsts.any():
        winners = np.flatnonzero(firsts)
        winners = winners[np.argsort(-firsts[winners], kind="stable")[:confidence_for]]
        factors[winners] = _confidence(central[winners], winners, draws, aggregation, rng, samples)
    # Order by cumulative rank acceptability, lexicographically (a1, a1 + a2, ...); ties
    # keep catalog (id) order because lexsort is stable.
    cumulative = np.cumsum(counts, axis=1)
    order = np.lexsort(tuple(-cumulative[:, r] for r in reversed(range(kept))))
    return SmaaResult(
        ids=tuple(catalog.recommendation_ids[rows[i]] for i in order),
        titles=tuple(catalog.recommendations[rows[i]].title for i in order),
        criterion_ids=catalog.criterion_ids,
        acceptability=counts[order] / samples,
        central_weights=central[order],
        confidence=factors[order],
        samples=samples,
        seed=seed,
        weight_sampler=sampler,
        score_model=scores,
        constraints=(constraints or WeightConstraints()).describe(),
        notices=tuple(notices),
        settings={
            "confidence": confidence,
            "confidence_for": confidence_for,
            "recommendations": count,
        },
        method=spec.name,
        method_settings=spec.settings(),
    )


def _check_comparisons(
    spec: Method, count: int, criteria: int, samples: int, confidence: bool, source: str
) -> None:
    """Refuse a method that sorts every draw (PROMETHEE II) beyond ``PROMETHEE_COMPARISONS``
    values sorted."""
    passes = 2 if confidence else 1  # confidence factors draw the scores a second time
    per_sample = count * criteria * passes
    if per_sample * samples <= PROMETHEE_COMPARISONS:
        return
    most = PROMETHEE_COMPARISONS // per_sample
    fewer = f"at most {most:,} samples" if most else "fewer recommendations (safeguards)"
    raise InputError(
        Code.BAD_SAMPLES,
        source,
        "samples",
        f"at most {PROMETHEE_COMPARISONS:,} values sorted for {spec.display_name} with drawn "
        "scores "
        "(recommendations x criteria x score draws)",
        f"{count:,} x {criteria} x {samples * passes:,} score draws = {per_sample * samples:,}",
        f"use fixed scores (--scores fixed; the flows are then computed once) or {fewer}",
    )


@dataclass(frozen=True)
class _ScoreDraws:
    """Draws of normalised score matrices. Scores are normalised before drawing: the map is
    affine, so uniform and triangular draws stay uniform and triangular."""

    matrix: np.ndarray  # the values (n x m): used as is when scores are fixed
    low: np.ndarray
    high: np.ndarray
    model: str

    @classmethod
    def of(cls, catalog: Catalog, rows: np.ndarray, model: str) -> _ScoreDraws:
        return cls(
            catalog.normalized[rows],
            catalog.worst_normalized[rows],
            catalog.best_normalized[rows],
            model,
        )

    def draw(self, k: int, rng: np.random.Generator) -> np.ndarray | None:
        """``k`` score matrices (k x n x m), or None when scores are fixed."""
        if self.model == "fixed":
            return None
        span = self.high - self.low
        u = rng.random((k, *span.shape))
        if self.model == "uniform":  # in place: one (k x n x m) array, not three
            u *= span
            u += self.low
            return u
        with np.errstate(invalid="ignore", divide="ignore"):  # triangular, peak at the value
            peak = np.where(span > 0, (self.matrix - self.low) / np.where(span > 0, span, 1), 0)
        return np.where(
            u < peak,
            self.low + span * np.sqrt(u * peak),
            self.high - span * np.sqrt((1.0 - u) * (1.0 - peak)),
        )


@dataclass(frozen=True)
class _Aggregation:
    """A method's batched kernel (:class:`scoring.methods.Kernel`) as the SMAA kernels apply
    it to chunks of samples: totals are ``combine`` of the parts' products with the factors
    (for the weighted sum one matrix product). ``fixed`` says the scores are not drawn, so the
    kernel's parts of the values are used. Settings are validated by :meth:`of`; the rest
    assumes clean arrays.
    """

    kernel: Kernel
    fixed: bool

    @classmethod
    def of(
        cls, spec: Method, catalog: Catalog, rows: np.ndarray, scores: str, source: str
    ) -> _Aggregation:
        check_method(spec, catalog.criterion_ids)  # raises as rank_by would, ranking nothing
        return cls(spec.prepare(catalog, rows), scores == "fixed")

    def chunk(self, count: int, criteria: int, weightings: int = 0) -> int:
        """Samples per chunk, so that a chunk's arrays stay near ``CHUNK_ELEMENTS``.

        ``weightings``: weight vectors applied to each score draw (the confidence pass);
        0 for the main pass, where each sample has its own.
        """
        size = count * max(criteria, weightings) * self.kernel.chunk_weight(not self.fixed)
        return max(1, CHUNK_ELEMENTS // size)

    def totals(self, weights: np.ndarray, drawn: np.ndarray | None) -> np.ndarray:
        """Totals (k x n) of ``k`` samples: weights (k x m), score draws (k x n x m) or None."""
        kernel = self.kernel
        factors = kernel.factors(weights)
        if drawn is None:
            products = [factors @ part.T for part in kernel.fixed]
        else:
            products = [
                np.matmul(part, factors[:, :, None])[:, :, 0] for part in kernel.parts(drawn)
            ]
        return kernel.combine(products)

    def totals_under(self, weightings: np.ndarray, drawn: np.ndarray | None) -> np.ndarray:
        """Totals under each of several weight vectors (w x m): (w x n) for fixed scores,
        (k x w x n) for ``k`` score draws."""
        kernel = self.kernel
        factors = kernel.factors(weightings)
        if drawn is None:
            products = [(part @ factors.T).T for part in kernel.fixed]
        else:
            products = [
                np.matmul(factors[None, :, :], np.swapaxes(part, 1, 2))
                for part in kernel.parts(drawn)
            ]
        return kernel.combine(products)


def _acceptability(
    weights: np.ndarray,
    draws: _ScoreDraws,
    aggregation: _Aggregation,
    rng: np.random.Generator,
    count: int,
    kept: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Kernel: rank counts (n x kept) and per-recommendation sums of first-place weights.

    Per chunk: the method's totals (for the weighted sum one batched matrix product), one
    argsort per sample, one bincount.
    """
    samples, criteria = weights.shape
    chunk = aggregation.chunk(count, criteria)
    counts = np.zeros(count * kept, dtype=np.int64)
    central = np.zeros((count, criteria))
    slots = np.arange(kept, dtype=np.int64)
    for start in range(0, samples, chunk):
        w = weights[start : start + chunk]
        totals = aggregation.totals(w, draws.draw(len(w), rng))
        order = _best_first(totals)
        counts += np.bincount((order[:, :kept] * kept + slots).ravel(), minlength=count * kept)
        first = order[:, 0]
        for j in range(criteria):
            central[:, j] += np.bincount(first, weights=w[:, j], minlength=count)
    return counts.reshape(count, kept), central


def _confidence(
    central: np.ndarray,
    winners: np.ndarray,
    draws: _ScoreDraws,
    aggregation: _Aggregation,
    rng: np.random.Generator,
    samples: int,
) -> np.ndarray:
    """Share of score draws in which each winner is first under its own central weights."""
    count, criteria = draws.matrix.shape
    if draws.model == "fixed":  # first or not, once
        firsts = np.argmin(_rank_keys(aggregation.totals_under(central, None)), axis=1)
        return (firsts == winners).astype(float)
    hits = np.zeros(len(winners), dtype=np.int64)
    chunk = aggregation.chunk(count, criteria, len(winners))
    done = 0
    while done < samples:
        k = min(chunk, samples - done)
        drawn = draws.draw(k, rng)
        assert drawn is not None
        # (k, winners, n): each winner's central weights applied to each draw. A plain argmax
        # (first maximum: ties go to the lower id); continuous draws make float-noise ties
        # vanishingly rare, and rounding as the main kernel does would triple the cost.
        totals = aggregation.totals_under(central, drawn)
        hits += (np.argmax(totals, axis=2) == winners[None, :]).sum(axis=0)
        done += k
    return hits / samples
