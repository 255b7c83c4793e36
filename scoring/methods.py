"""Aggregation: weighted sum, TOPSIS, PROMETHEE II and the :class:`Ranking` that explains itself.

Scores are normalised on the fixed scale ends, not on the catalog's min and max: 1 -> 0 and
5 -> 1 for benefit criteria, reversed for cost criteria. Fixed ends keep one recommendation's
normalised scores independent of which others are in the catalog (no rank reversal when a
recommendation is added or removed).

Tie-break (documented, deterministic): totals are compared after rounding to 12 decimals,
so sums that differ only by floating-point noise tie; ties keep catalog order, which is
ascending recommendation id. The rounded total and the row number are folded into one
integer key, so a plain (unstable, faster) sort gives that order.

Weighted sum is the standard; TOPSIS and PROMETHEE II are comparisons, selected with
:func:`rank_by` and compared with :func:`compare_methods` (ranks per method, Kendall's tau).
Both are vectorised numpy and equal pymcdm's results on the same inputs (tested):

* **TOPSIS** works on the same fixed-end normalised scores, weighted. Its ideal and
  anti-ideal points are, by default, the scale ends (``anchors="scale"``: every criterion at
  its best level, and at its worst), so like the weighted sum it has no rank reversal; with
  ``anchors="observed"`` they are the best and worst weighted values in the catalog, the
  textbook form (Hwang and Yoon 1981). The score is the relative closeness
  ``D- / (D- + D+)`` in 0..1.
* **PROMETHEE II** compares every pair of recommendations criterion by criterion on the raw
  1-5 scale (cost criteria reversed). The default preference function is *linear* (pymcdm's
  ``vshape_2``, Brans' type V) with indifference threshold ``q = 0`` and preference threshold
  ``p = 2`` scale points: a one-level difference is half a preference, two or more levels
  a full one. Usual, U-shape, V-shape and level functions are available too. The score is
  the net flow in -1..1; it equals the weighted sum of the weight-independent unicriterion
  net flows, which the ranking carries as its ``normalized`` matrix, so contributions add
  up to the net flow as in the weighted sum.

Intervals for TOPSIS and PROMETHEE II: each recommendation's score when its own scores move
to the worst or best end of their ranges while every other recommendation keeps its values
(with scale anchors, TOPSIS scores do not depend on the others at all, so this is the same
definition as the weighted sum's).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np
import pandas as pd

from scoring.errors import Code, InputError, Problem, ValidationError
from scoring.model import Catalog, normalize_scores
from scoring.weights import normalized_weights

__all__ = [
    "METHODS",
    "METHOD_NAMES",
    "PREFERENCE_FUNCTIONS",
    "TIE_DECIMALS",
    "MethodComparison",
    "MethodSpec",
    "PrometheeII",
    "Ranking",
    "Topsis",
    "WeightedSum",
    "check_method",
    "compare_methods",
    "kendall_tau",
    "method_spec",
    "normalize_scores",
    "promethee_flows",
    "promethee_flows_batched",
    "promethee_thresholds",
    "rank",
    "rank_by",
    "rank_normalized",
    "rank_order",
    "score_range",
    "spec_settings",
    "topsis_closeness",
    "weighted_sum",
]

TIE_DECIMALS = 12
# Keys are -round(total * 10**12) * rows + row; totals lie in 0..1, so rows must stay below
# 2**63 / 10**12 (about 9.2 million) for the key to fit in int64.
_MAX_KEYED_ROWS = (2**63 - 1) // (10**TIE_DECIMALS + 1)


def weighted_sum(normalized: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Totals of normalised scores (n x m, or samples x n x m) under weights summing to 1."""
    return normalized @ weights


def rank_order(totals: np.ndarray) -> np.ndarray:
    """Indices that sort ``totals`` (each in 0..1) best first; ties keep their input order."""
    count = len(totals)
    if count >= _MAX_KEYED_ROWS:  # the folded key would overflow int64; fall back
        return np.argsort(-np.round(totals, TIE_DECIMALS), kind="stable")
    quantized = np.rint(totals * 10**TIE_DECIMALS).astype(np.int64)
    return np.argsort(np.arange(count, dtype=np.int64) - quantized * count)


@dataclass(frozen=True)
class Ranking:
    """A weighted-sum ranking with everything needed to explain it.

    Arrays are in rank order (row 0 is first). ``low`` and ``high`` are each total's
    interval when every score moves to the worst or best end of its range, so two
    recommendations whose intervals overlap are not clearly apart (a near-tie).
    ``rows`` indexes the catalog's arrays, so ids and per-criterion detail are gathered only
    when asked (gathering 10,000 ids costs more than ranking them).

    ``method`` and ``settings`` say how the totals were made (see the module docstring).
    For TOPSIS, ``totals`` are closeness coefficients and ``contributions`` the weighted
    normalised scores whose distances to the ideal points give them (they do not add up to
    the total); for PROMETHEE II, ``normalized`` holds the unicriterion net flows (-1..1).
    """

    criterion_ids: tuple[str, ...]
    weights: np.ndarray = field(repr=False)
    source_ids: np.ndarray = field(repr=False)
    totals: np.ndarray = field(repr=False)
    low: np.ndarray = field(repr=False)
    high: np.ndarray = field(repr=False)
    rows: np.ndarray = field(repr=False)
    source_normalized: np.ndarray = field(repr=False)
    method: str = "weighted_sum"
    settings: Mapping[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    @cached_property
    def ids(self) -> np.ndarray:
        """Recommendation ids, best first."""
        return self.source_ids[self.rows]

    @cached_property
    def normalized(self) -> np.ndarray:
        """Normalised 0-1 scores (rank order x criteria), cost criteria already reversed."""
        return self.source_normalized[self.rows]

    @cached_property
    def contributions(self) -> np.ndarray:
        """Each criterion's weighted share of each total (rows sum to ``totals``)."""
        return self.normalized * self.weights

    @property
    def weight_map(self) -> dict[str, float]:
        return dict(zip(self.criterion_ids, self.weights.tolist(), strict=True))

    @cached_property
    def positions(self) -> dict[str, int]:
        """1-based rank of each recommendation id."""
        return {rec_id: index + 1 for index, rec_id in enumerate(self.ids.tolist())}

    @cached_property
    def rank_range(self) -> tuple[np.ndarray, np.ndarray]:
        """Best and worst possible rank of each recommendation given the score ranges.

        Best: one plus those whose worst total beats this one's best total. Worst: one plus
        the others whose best total beats this one's worst total.
        """
        sorted_low, sorted_high = np.sort(self.low), np.sort(self.high)
        certainly_above = len(self.low) - np.searchsorted(sorted_low, self.high, side="right")
        possibly_above = len(self.high) - np.searchsorted(sorted_high, self.low, side="right")
        possibly_above -= self.high > self.low  # a recommendation never outranks itself
        return certainly_above + 1, possibly_above + 1

    @cached_property
    def near_tie_with_next(self) -> np.ndarray:
        """True where a total's interval overlaps the next-ranked one's."""
        return np.append(self.low[:-1] <= self.high[1:], False)

    def to_frame(self) -> pd.DataFrame:
        """One row per recommendation, best first: rank, id, total, interval, contributions."""
        frame = pd.DataFrame(
            {
                "rank": np.arange(1, len(self.ids) + 1),
                "id": self.ids,
                "score": self.totals,
                "low": self.low,
                "high": self.high,
                "best_rank": self.rank_range[0],
                "worst_rank": self.rank_range[1],
                "near_tie_with_next": self.near_tie_with_next,
            }
        )
        contributions = pd.DataFrame(self.contributions, columns=list(self.criterion_ids))
        return pd.concat([frame, contributions], axis=1)


def rank(
    catalog: Catalog,
    weights: Mapping[str, float],
    include: Sequence[str] | None = None,
    source: str = "weights",
) -> Ranking:
    """Rank the catalog's recommendations (or those in ``include``) by weighted sum.

    ``weights`` need not sum to 1; they are validated and normalised here once.
    ``source`` names where the weights came from, for error messages.
    """
    weight_vector = normalized_weights(weights, catalog.criterion_ids, source)
    rows = None if include is None else np.flatnonzero(np.isin(catalog.id_array, list(include)))
    return rank_normalized(catalog, weight_vector, rows)


def rank_normalized(
    catalog: Catalog, weights: np.ndarray, rows: np.ndarray | None = None
) -> Ranking:
    """Kernel of :func:`rank`: ``weights`` already validated and summing to 1.

    Only three matrix-vector products and one sort depend on the weights; the normalised
    matrices are computed once per catalog.
    """
    normalized, worst, best = catalog.normalized, catalog.worst_normalized, catalog.best_normalized
    if rows is not None:
        normalized, worst, best = normalized[rows], worst[rows], best[rows]
    totals = weighted_sum(normalized, weights)
    order = rank_order(totals)
    catalog_rows = order if rows is None else rows[order]
    return Ranking(
        criterion_ids=catalog.criterion_ids,
        weights=weights,
        source_ids=catalog.id_array,
        totals=totals[order],
        low=weighted_sum(worst, weights)[order],
        high=weighted_sum(best, weights)[order],
        rows=catalog_rows,
        source_normalized=catalog.normalized,
    )


# --- Alternative methods ---------------------------------------------------------------------

PreferenceName = Literal["usual", "u_shape", "v_shape", "level", "linear"]
PREFERENCE_FUNCTIONS: tuple[str, ...] = ("usual", "u_shape", "v_shape", "level", "linear")
# pymcdm's names for the same functions (for the reference tests and for readers who know it).
PYMCDM_NAMES = {
    "usual": "usual",
    "u_shape": "ushape",
    "v_shape": "vshape",
    "level": "level",
    "linear": "vshape_2",
}
# PROMETHEE compares all pairs: work on blocks of rows so a block's (rows x n x m) difference
# array stays near this many elements (16 MB of float64) however large the catalog.
_BLOCK_ELEMENTS = 2_000_000
# promethee_flows_batched sorts rows of this many values per block (64k values, 512 KB of
# float64: blocks that stay in cache ran faster than larger ones), and searches rows laid
# end to end whose shifted values stay below _SEARCH_SPAN (float spacing there: 2.3e-13).
_SORTED_BLOCK = 2**16
_SEARCH_SPAN = 2.0**10


@dataclass(frozen=True)
class WeightedSum:
    """The standard additive value model on fixed-end normalised scores."""

    name: str = field(default="weighted_sum", init=False)


@dataclass(frozen=True)
class Topsis:
    """TOPSIS; ``anchors`` picks the ideal points: the scale ends or the observed extremes."""

    anchors: Literal["scale", "observed"] = "scale"
    name: str = field(default="topsis", init=False)


@dataclass(frozen=True)
class PrometheeII:
    """PROMETHEE II with one preference function; thresholds in 1-5 scale points.

    ``q`` is the indifference threshold (differences up to q count for nothing), ``p`` the
    preference threshold (differences above p are a full preference). ``usual`` uses
    neither, ``u_shape`` only q, ``v_shape`` only p; ``level`` and ``linear`` use both
    (p > q). A mapping gives a threshold per criterion id.
    """

    preference: PreferenceName = "linear"
    q: float | Mapping[str, float] = 0.0
    p: float | Mapping[str, float] = 2.0
    name: str = field(default="promethee_ii", init=False)


MethodSpec = WeightedSum | Topsis | PrometheeII
METHODS: tuple[str, ...] = ("weighted_sum", "topsis", "promethee_ii")
METHOD_NAMES = {"weighted_sum": "Weighted sum", "topsis": "TOPSIS", "promethee_ii": "PROMETHEE II"}
# Where each method's totals can lie: the weighted sum and TOPSIS closeness in 0..1,
# PROMETHEE II's net flow in -1..1.
_SCORE_RANGES = {"weighted_sum": (0.0, 1.0), "topsis": (0.0, 1.0), "promethee_ii": (-1.0, 1.0)}
_DEFAULTS: dict[str, Callable[[], MethodSpec]] = {
    "weighted_sum": WeightedSum,
    "topsis": Topsis,
    "promethee_ii": PrometheeII,
}


def method_spec(method: str | MethodSpec, source: str = "method") -> MethodSpec:
    """The method object for a name (default settings), or the object itself."""
    if isinstance(method, WeightedSum | Topsis | PrometheeII):
        return method
    if method not in _DEFAULTS:
        raise InputError(
            Code.UNKNOWN_METHOD,
            source,
            "",
            f"one of {list(METHODS)}",
            repr(method),
            "pick an aggregation method from the list",
        )
    return _DEFAULTS[method]()


def spec_settings(method: str | MethodSpec) -> dict[str, Any]:
    """A method's settings by name, without the name itself (as :attr:`Ranking.settings`)."""
    return {key: value for key, value in asdict(method_spec(method)).items() if key != "name"}


def score_range(method: str | MethodSpec) -> tuple[float, float]:
    """The lowest and highest total ``method`` can give (for axes and bars)."""
    return _SCORE_RANGES[method_spec(method).name]


def check_method(method: str | MethodSpec, criterion_ids: Sequence[str]) -> MethodSpec:
    """The method object for ``method``, its settings checked against the criteria.

    Raises :class:`InputError` or :class:`ValidationError` naming each bad setting, as
    :func:`rank_by` would, without ranking anything.
    """
    spec = method_spec(method)
    if isinstance(spec, Topsis):
        _check_topsis(spec)
    elif isinstance(spec, PrometheeII):
        promethee_thresholds(spec, criterion_ids)
    return spec


def rank_by(
    catalog: Catalog,
    weights: Mapping[str, float],
    method: str | MethodSpec = "weighted_sum",
    include: Sequence[str] | None = None,
    source: str = "weights",
) -> Ranking:
    """Rank by any method; the same :class:`Ranking` as :func:`rank`, which it calls for the
    weighted sum. ``method`` is a name from ``METHODS`` or a settings object. Validates the
    weights and the method's settings once."""
    spec = method_spec(method)
    if isinstance(spec, WeightedSum):
        return rank(catalog, weights, include, source)
    weight_vector = normalized_weights(weights, catalog.criterion_ids, source)
    rows = (
        np.arange(len(catalog.recommendations))
        if include is None
        else np.flatnonzero(np.isin(catalog.id_array, list(include)))
    )
    if isinstance(spec, Topsis):
        return _rank_topsis(catalog, weight_vector, rows, spec)
    return _rank_promethee(catalog, weight_vector, rows, spec)


def topsis_closeness(
    normalized: np.ndarray,
    weights: np.ndarray,
    anchors: Literal["scale", "observed"] = "scale",
    reference: np.ndarray | None = None,
) -> np.ndarray:
    """TOPSIS relative closeness of each row of ``normalized`` (0-1, larger is better).

    Kernel: clean arrays assumed, ``weights`` summing to 1. With ``anchors="observed"`` the
    ideal points are the extremes of ``reference`` (default: ``normalized`` itself); a row
    of ``normalized`` that is not in ``reference`` is judged against reference points that
    include it. Where a row is both ideal and anti-ideal (every row identical) it scores 0.5.
    """
    weighted = normalized * weights
    if anchors == "scale":
        ideal, anti = weights, np.zeros_like(weights)
        d_plus = np.sqrt(((weighted - ideal) ** 2).sum(axis=1))
        d_minus = np.sqrt((weighted**2).sum(axis=1))
    else:
        ref = weighted if reference is None else reference * weights
        ideal = np.maximum(ref.max(axis=0), weighted)
        anti = np.minimum(ref.min(axis=0), weighted)
        d_plus = np.sqrt(((weighted - ideal) ** 2).sum(axis=1))
        d_minus = np.sqrt(((weighted - anti) ** 2).sum(axis=1))
    spread = d_plus + d_minus
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(spread > 0, d_minus / np.where(spread > 0, spread, 1.0), 0.5)


def _topsis_replacing_own(
    normalized: np.ndarray, moved: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """Observed-anchor TOPSIS of each row ``i`` of ``moved`` against the others' values.

    Row i's ideal points come from every other row of ``normalized`` plus ``moved[i]``: the
    extremes excluding row i are taken with a top-two trick, so this stays O(n m).
    """
    weighted, own = normalized * weights, moved * weights
    count = len(weighted)
    if count == 1:
        others_max = np.full_like(own, -np.inf)
        others_min = np.full_like(own, np.inf)
    else:
        order = np.argsort(weighted, axis=0)
        columns = np.arange(weighted.shape[1])
        is_top = np.arange(count)[:, None] == order[-1][None, :]
        is_bottom = np.arange(count)[:, None] == order[0][None, :]
        others_max = np.where(is_top, weighted[order[-2], columns], weighted[order[-1], columns])
        others_min = np.where(is_bottom, weighted[order[1], columns], weighted[order[0], columns])
    ideal, anti = np.maximum(others_max, own), np.minimum(others_min, own)
    d_plus = np.sqrt(((own - ideal) ** 2).sum(axis=1))
    d_minus = np.sqrt(((own - anti) ** 2).sum(axis=1))
    spread = d_plus + d_minus
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(spread > 0, d_minus / np.where(spread > 0, spread, 1.0), 0.5)


def _check_topsis(spec: Topsis) -> None:
    if spec.anchors not in ("scale", "observed"):
        raise InputError(
            Code.BAD_VALUE,
            "topsis",
            "anchors",
            "'scale' or 'observed'",
            repr(spec.anchors),
            "use the scale ends (default) or the observed extremes",
        )


def _rank_topsis(catalog: Catalog, weights: np.ndarray, rows: np.ndarray, spec: Topsis) -> Ranking:
    _check_topsis(spec)
    normalized = catalog.normalized[rows]
    worst, best = catalog.worst_normalized[rows], catalog.best_normalized[rows]
    totals = topsis_closeness(normalized, weights, spec.anchors)
    if spec.anchors == "scale":
        low = topsis_closeness(worst, weights, "scale")
        high = topsis_closeness(best, weights, "scale")
    else:
        low = _topsis_replacing_own(normalized, worst, weights)
        high = _topsis_replacing_own(normalized, best, weights)
    return _ranking(catalog, weights, rows, totals, low, high, catalog.normalized, spec)


def _thresholds(
    value: float | Mapping[str, float], criterion_ids: Sequence[str], name: str
) -> tuple[np.ndarray, list[Problem]]:
    """A threshold per criterion from a number or a mapping; problems for bad entries."""
    where = f"promethee_ii.{name}"
    if isinstance(value, Mapping):
        problems = [
            Problem(
                Code.UNKNOWN_CRITERION,
                where,
                str(key),
                f"one of {list(criterion_ids)}",
                repr(key),
                "correct the criterion id",
            )
            for key in value
            if key not in criterion_ids
        ]
        default = 0.0 if name == "q" else 2.0
        numbers = [value.get(cid, default) for cid in criterion_ids]
    else:
        problems, numbers = [], [value] * len(criterion_ids)
    for cid, number in zip(criterion_ids, numbers, strict=True):
        if isinstance(number, bool) or not isinstance(number, int | float):
            problems.append(Problem(Code.WRONG_TYPE, where, cid, "a number", repr(number), ""))
        elif not (math.isfinite(number) and number >= 0):
            problems.append(
                Problem(
                    Code.BAD_THRESHOLD,
                    where,
                    cid,
                    "a finite threshold >= 0, in 1-5 scale points",
                    repr(number),
                    "e.g. q=0, p=2",
                )
            )
    if problems:
        return np.zeros(len(criterion_ids)), problems
    return np.array(numbers, dtype=float), []


def promethee_thresholds(
    spec: PrometheeII, criterion_ids: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """The q and p thresholds per criterion; raises naming every bad setting."""
    if spec.preference not in PREFERENCE_FUNCTIONS:
        raise InputError(
            Code.BAD_VALUE,
            "promethee_ii",
            "preference",
            f"one of {list(PREFERENCE_FUNCTIONS)}",
            repr(spec.preference),
            "pick a preference function (default: linear)",
        )
    q, q_problems = _thresholds(spec.q, criterion_ids, "q")
    p, p_problems = _thresholds(spec.p, criterion_ids, "p")
    problems = q_problems + p_problems
    if not problems:
        needs_gap = spec.preference in ("level", "linear")
        for j, cid in enumerate(criterion_ids):
            if (needs_gap and p[j] <= q[j]) or (spec.preference == "v_shape" and p[j] <= 0):
                problems.append(
                    Problem(
                        Code.BAD_THRESHOLD,
                        "promethee_ii.p",
                        cid,
                        f"p above q ({q[j]:g})" if needs_gap else "p above 0",
                        repr(float(p[j])),
                        "the preference threshold must exceed the indifference threshold",
                    )
                )
    if problems:
        raise ValidationError(problems)
    return q, p


def _preference(d: np.ndarray, kind: str, q: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Preference degree in 0..1 of a difference ``d`` (last axis = criteria)."""
    if kind == "usual":
        return (d > 0).astype(float)
    if kind == "u_shape":
        return (d > q).astype(float)
    if kind == "v_shape":
        return np.clip(d / p, 0.0, 1.0)
    if kind == "level":
        return np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))
    return np.clip((d - q) / (p - q), 0.0, 1.0)  # linear


def promethee_flows(
    signed: np.ndarray,
    preference: str = "linear",
    q: np.ndarray | float = 0.0,
    p: np.ndarray | float = 2.0,
    moved: np.ndarray | None = None,
) -> np.ndarray:
    """Unicriterion net flows (n x m, each in -1..1) of raw scores with larger = better.

    Kernel: ``signed`` is the 1-5 matrix with cost criteria negated; thresholds validated.
    ``phi_c(i) = sum_j [P_c(x_ic - x_jc) - P_c(x_jc - x_ic)] / (n - 1)``; the PROMETHEE II
    net flow under weights w is ``flows @ w``. With ``moved``, row i's flows are those of
    ``moved[i]`` compared with every other row's values (used for the intervals). Rows are
    processed in blocks so memory stays bounded.
    """
    count, criteria = signed.shape
    q = np.broadcast_to(np.asarray(q, dtype=float), (criteria,))
    p = np.broadcast_to(np.asarray(p, dtype=float), (criteria,))
    own = signed if moved is None else moved
    flows = np.zeros((count, criteria))
    if count < 2:
        return flows
    block = max(1, _BLOCK_ELEMENTS // (count * criteria))
    for start in range(0, count, block):
        stop = min(start + block, count)
        d = own[start:stop, None, :] - signed[None, :, :]
        net = _preference(d, preference, q, p) - _preference(-d, preference, q, p)
        flows[start:stop] = net.sum(axis=1)
    if moved is not None:  # drop each row's comparison with its own unmoved self
        d_self = moved - signed
        flows -= _preference(d_self, preference, q, p) - _preference(-d_self, preference, q, p)
    return flows / (count - 1)


def promethee_flows_batched(
    signed: np.ndarray,
    preference: str = "linear",
    q: np.ndarray | float = 0.0,
    p: np.ndarray | float = 2.0,
) -> np.ndarray:
    """Unicriterion net flows of many score matrices at once: :func:`promethee_flows` of each.

    Kernel: ``signed`` is a stack of 1-5 matrices with cost criteria negated (... x n x m,
    finite), thresholds validated; returns flows of the same shape. Instead of comparing all
    n^2 pairs, each criterion's n values in each matrix are sorted once (O(n log n)). Every
    preference function is a sum of steps and ramps in the difference d, so a value's flow
    is counts and prefix sums of the sorted values up to its breakpoints (d = q and d = p on
    either side). Every function counts exactly the pairs :func:`promethee_flows` counts,
    ties and float rounding of d included, so a matrix's flows do not depend on the others
    in the stack (the sorted search shifts rows by amounts that depend on the block, and its
    rounding is settled pair by pair). The flows agree with :func:`promethee_flows` to
    float noise from the prefix sums (below 1e-14 on the 1-5 scale; tested to 1e-12).
    """
    count, criteria = signed.shape[-2:]
    flows = np.zeros(signed.shape)
    if count < 2 or flows.size == 0:
        return flows
    q = np.broadcast_to(np.asarray(q, dtype=float), (criteria,))
    p = np.broadcast_to(np.asarray(p, dtype=float), (criteria,))
    if preference == "v_shape":  # no indifference threshold: the ramp starts at d = 0
        q = np.zeros(criteria)
    matrices = np.reshape(signed, (-1, count, criteria))
    out = flows.reshape(matrices.shape)  # a view: filling out fills flows
    block = max(1, _SORTED_BLOCK // (count * criteria))  # whole matrices per block
    q_rows, p_rows = np.tile(q, block), np.tile(p, block)
    for start in range(0, len(matrices), block):
        part = matrices[start : start + block]
        # One row per matrix and criterion (transposed block by block, in cache).
        rows = np.swapaxes(part, 1, 2).reshape(-1, count).astype(float)
        sums = _net_sums(rows, preference, q_rows[: len(rows)], p_rows[: len(rows)])
        sums /= count - 1
        out[start : start + block] = np.swapaxes(sums.reshape(len(part), criteria, count), 1, 2)
    return flows


def _net_sums(rows: np.ndarray, preference: str, q: np.ndarray, p: np.ndarray) -> np.ndarray:
    """``sum_j P(x_i - x_j) - P(x_j - x_i)`` for each value of each row (rows x n), with
    thresholds per row: sort, work on the sorted values, put the sums back in place."""
    count = rows.shape[1]
    order = np.argsort(rows, axis=1)
    order += np.arange(len(rows))[:, None] * count  # flat positions
    values = rows.ravel()[order]
    if preference in ("usual", "u_shape", "level"):
        steps = {"usual": [(1.0, np.zeros(len(rows)))], "u_shape": [(1.0, q)]}
        net = np.zeros(values.shape)
        for share, threshold in steps.get(preference, [(0.5, q), (0.5, p)]):
            below, above = _beyond(values, threshold)
            net += share * (below - above)
    else:
        net = _ramp_sums(values, q, p)
    sums = np.empty(rows.size)
    sums[order.ravel()] = net.ravel()
    return sums.reshape(rows.shape)


def _ramp_sums(values: np.ndarray, q: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Net sums of the linear preference function (v_shape is q = 0) on sorted rows.

    With ``below_t`` the number of values more than t below a value x and ``above_t`` the
    number more than t above it, ``sum_j P(x - x_j)`` is ``below_p`` plus, over the
    ``below_q - below_p`` values in the ramp, ``(x - x_j - q) / (p - q)``; those values are
    consecutive in the sorted row, so their sum is a difference of prefix sums. Likewise
    ``sum_j P(x_j - x)`` with ``above``.
    """
    rows, count = values.shape
    below_q, above_q = _beyond(values, q)
    below_p, above_p = _beyond(values, p)
    prefix = np.zeros((rows, count + 1))
    np.cumsum(values, axis=1, out=prefix[:, 1:])
    flat, first = prefix.ravel(), np.arange(rows)[:, None] * (count + 1)

    def total(upto: np.ndarray) -> np.ndarray:  # sum of each row's first ``upto`` values
        return np.take(flat, upto + first)

    q_col, p_col = q[:, None], p[:, None]
    ramp = (below_q - below_p) * (values - q_col) - (total(below_q) - total(below_p))
    ramp -= total(count - above_p) - total(count - above_q)
    ramp += (above_q - above_p) * (values + q_col)
    ramp /= p_col - q_col
    ramp += below_p - above_p
    return ramp


def _beyond(values: np.ndarray, threshold: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each value x of each sorted row, how many values of the row lie more than the
    row's threshold t below x (x - x_j > t) and how many more than t above it: exactly the
    pairs :func:`promethee_flows` counts, its differences rounded to floats."""
    if not threshold.any():
        return _strictly(values)
    below = _settle(values, threshold, _below(values, threshold))
    return below, _mirror(below)


def _strictly(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each value of each sorted row, how many values are strictly below and strictly
    above it: where its run of ties starts, and the row's length minus where it ends."""
    count = values.shape[1]
    new = values[:, 1:] != values[:, :-1]  # column j + 1 starts a run
    starts = np.zeros(values.shape, dtype=np.intp)
    np.multiply(new, np.arange(1, count), out=starts[:, 1:])
    np.maximum.accumulate(starts, axis=1, out=starts)
    ends = np.full(values.shape, count, dtype=np.intp)
    np.copyto(ends[:, :-1], np.arange(1, count), where=new)  # column j ends a run
    ends = np.minimum.accumulate(ends[:, ::-1], axis=1)[:, ::-1]
    return starts, count - ends


def _below(values: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """For each value x of each sorted row, about how many values lie more than the row's
    threshold t > 0 below it (see :func:`_beyond`)."""
    rows, count = values.shape
    # Rows laid end to end, each shifted into its own band of ``width``, make one sorted
    # array; the position of x - t in it, interpolated, rounded up, is the count. np.interp
    # starts each search from the previous one, so sorted keys cost about O(1) each: 2.5
    # times faster than np.searchsorted here. Shifting rounds, so ``step`` rows at a time:
    # shifted values stay below _SEARCH_SPAN.
    low = float(values[:, 0].min() - threshold.max())
    width = 2.0 ** math.ceil(math.log2(float(values[:, -1].max()) - low + 1.0))
    step = max(1, int(_SEARCH_SPAN // width))
    bands = (np.arange(rows) % step)[:, None]
    shifted = values + (bands * width - low)
    keys = (shifted - threshold[:, None]).ravel()
    shifted, span = shifted.ravel(), step * count
    positions = np.arange(min(span, shifted.size), dtype=float)
    at = np.empty(shifted.size)
    for start in range(0, shifted.size, span):
        part = slice(start, start + span)
        at[part] = np.interp(keys[part], shifted[part], positions[: len(at[part])], left=0.0)
    below = np.ceil(at).astype(np.intp).reshape(values.shape)
    below -= bands * count
    return below


def _settle(values: np.ndarray, threshold: np.ndarray, below: np.ndarray) -> np.ndarray:
    """Make counts from :func:`_below` exact: ``below[i]`` values j with x_i - x_j > t as
    :func:`promethee_flows` evaluates it (the difference rounded to a float, then compared).

    The comparison is monotone along a sorted row, so a count is exact when the value at
    position ``below`` fails it and the one before passes; counts that are not move one
    position at a time (rarely needed: only for differences within rounding of t).
    """
    rows, count = values.shape
    flat, counts = values.ravel(), below.ravel()  # counts is a view: moved in place
    limit = np.repeat(threshold, count)
    firsts = np.repeat(np.arange(rows) * count, count)  # flat position of each row's start
    # Too few while the value at position ``below`` passes; too many while the one before
    # it fails. Checked for every count at once, then moved one position at a time.
    for step, probe_at in ((1, 0), (-1, -1)):
        probe = counts + probe_at
        inside = (probe >= 0) & (probe < count)
        np.clip(probe, 0, count - 1, out=probe)
        passes = flat - flat[firsts + probe] > limit
        todo = np.flatnonzero(inside & (passes if step == 1 else ~passes))
        while len(todo):
            counts[todo] += step
            probe = counts[todo] + probe_at
            inside = (probe >= 0) & (probe < count)
            todo, probe = todo[inside], probe[inside]
            passes = flat[todo] - flat[firsts[todo] + probe] > limit[todo]
            todo = todo[passes] if step == 1 else todo[~passes]
    return below


def _mirror(below: np.ndarray) -> np.ndarray:
    """From ``below`` (per sorted value, how many lie more than t below it), how many lie
    more than t above each value: value j counts the first ``below[j]`` values of its row,
    so value i is counted by every j with ``below[j] > i``."""
    rows, count = below.shape
    slots = below + np.arange(rows)[:, None] * (count + 1)
    tally = np.bincount(slots.ravel(), minlength=rows * (count + 1)).reshape(rows, count + 1)
    return count - np.cumsum(tally[:, :count], axis=1)


def _rank_promethee(
    catalog: Catalog, weights: np.ndarray, rows: np.ndarray, spec: PrometheeII
) -> Ranking:
    q, p = promethee_thresholds(spec, catalog.criterion_ids)
    sign = np.where(catalog.cost_mask, -1.0, 1.0)
    signed = catalog.values[rows] * sign
    worst = np.where(catalog.cost_mask, catalog.high, catalog.low)[rows] * sign
    best = np.where(catalog.cost_mask, catalog.low, catalog.high)[rows] * sign
    flows = promethee_flows(signed, spec.preference, q, p)
    low = promethee_flows(signed, spec.preference, q, p, moved=worst) @ weights
    high = promethee_flows(signed, spec.preference, q, p, moved=best) @ weights
    full = np.full(catalog.values.shape, np.nan)
    full[rows] = flows
    full.setflags(write=False)
    return _ranking(catalog, weights, rows, flows @ weights, low, high, full, spec)


def _ranking(
    catalog: Catalog,
    weights: np.ndarray,
    rows: np.ndarray,
    totals: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    source_normalized: np.ndarray,
    spec: MethodSpec,
) -> Ranking:
    """Assemble a Ranking from per-row results in ``rows`` order (not yet ranked)."""
    order = rank_order(totals)  # net flows lie in -1..1: the folded key fits as for 0..1
    return Ranking(
        criterion_ids=catalog.criterion_ids,
        weights=weights,
        source_ids=catalog.id_array,
        totals=totals[order],
        low=np.minimum(low, totals)[order],  # guard: float noise must not invert an interval
        high=np.maximum(high, totals)[order],
        rows=rows[order],
        source_normalized=source_normalized,
        method=spec.name,
        settings=spec_settings(spec),
    )


def kendall_tau(first: Ranking, second: Ranking) -> float:
    """Kendall's tau-b between two rankings over the recommendations both contain.

    1 is the same order, -1 the reverse; NaN when fewer than two are shared.
    """
    from scipy import stats  # imported here: scipy.stats takes seconds to import

    shared = [rec_id for rec_id in first.ids.tolist() if rec_id in second.positions]
    if len(shared) < 2:
        return math.nan
    a = [first.positions[rec_id] for rec_id in shared]
    b = [second.positions[rec_id] for rec_id in shared]
    return float(stats.kendalltau(a, b).statistic)


@dataclass(frozen=True)
class MethodComparison:
    """Rankings of the same catalog and weights by several methods, side by side."""

    rankings: Mapping[str, Ranking]

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(self.rankings)

    def to_frame(self) -> pd.DataFrame:
        """One row per recommendation: its rank under each method, ordered by the first."""
        first = self.rankings[self.methods[0]]
        frame = pd.DataFrame({"id": first.ids})
        for name, ranking in self.rankings.items():
            frame[name] = [ranking.positions[rec_id] for rec_id in first.ids.tolist()]
        ranks = frame[list(self.methods)]
        frame["spread"] = ranks.max(axis=1) - ranks.min(axis=1)
        return frame

    def tau_frame(self) -> pd.DataFrame:
        """Kendall's tau between every pair of methods (a symmetric matrix, 1 on the diagonal)."""
        names = list(self.methods)
        values = [[kendall_tau(self.rankings[a], self.rankings[b]) for b in names] for a in names]
        return pd.DataFrame(values, index=names, columns=names)


def compare_methods(
    catalog: Catalog,
    weights: Mapping[str, float],
    methods: Sequence[str | MethodSpec] = METHODS,
    include: Sequence[str] | None = None,
    source: str = "weights",
) -> MethodComparison:
    """Rank under each method with the same weights (validated once per method call)."""
    specs = [method_spec(method) for method in methods]
    return MethodComparison(
        {spec.name: rank_by(catalog, weights, spec, include, source) for spec in specs}
    )
