"""Rankings that explain themselves, and ranking by any registered method.

Scores are normalised on the fixed scale ends, not on the catalog's min and max: 1 -> 0 and
5 -> 1 for benefit criteria, reversed for cost criteria. Fixed ends keep one recommendation's
normalised scores independent of which others are in the catalog (no rank reversal when a
recommendation is added or removed).

Ties (documented, deterministic): totals are compared after rounding to 12 decimals, so
sums that differ only by floating-point noise tie. Tied rows share a standard competition
rank (:attr:`Ranking.competition_ranks`, "1=" with :attr:`Ranking.tie_sizes`); inside the
engine's arrays they keep catalog order (ascending id), which is a storage order, not a
verdict: displays order a tie alphabetically by title
(:func:`scoring.tables.ranking_frame`). The rounded total and the row number are folded into
one integer key, so a plain (unstable, faster) sort gives that order.

:func:`rank` is the weighted sum's fast path; :func:`rank_by` ranks by any method in the
registry and :func:`compare_methods` compares several (ranks per method, Kendall's tau).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from scoring.methods.base import Method
from scoring.methods.registry import DEFAULT_METHOD, method_spec, names
from scoring.model import Catalog
from scoring.weights import normalized_weights

if TYPE_CHECKING:
    import pandas as pd

    from scoring.robustness.rank_uncertainty import RankUncertainty

__all__ = [
    "TIE_DECIMALS",
    "MethodComparison",
    "Ranking",
    "assemble_ranking",
    "compare_methods",
    "kendall_tau",
    "rank",
    "rank_by",
    "rank_normalized",
    "rank_order",
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
    interval when every score moves to the worst or best end of its range (the score's
    reach, not a likelihood). How settled each place is (rank percentiles, the winning index
    over the next row, near-ties) comes from draws, in :attr:`uncertainty`.
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
    # Rank percentiles and winning indices over SMAA-style draws, attached by
    # scoring.robustness.with_uncertainty: computed only where a front shows them, so the
    # kernels that rank thousands of times (sensitivity, SMAA) never pay for them.
    uncertainty: RankUncertainty | None = field(default=None, repr=False, compare=False)

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
    def competition_ranks(self) -> np.ndarray:
        """1-based standard competition ranks ("1224"): totals equal after rounding to
        :data:`TIE_DECIMALS` decimals share the best rank of their group."""
        rounded = np.round(self.totals, TIE_DECIMALS)
        starts = np.ones(len(rounded), dtype=bool)
        starts[1:] = rounded[1:] != rounded[:-1]
        first_of_group = np.flatnonzero(starts)
        return (first_of_group[np.cumsum(starts) - 1] + 1).astype(np.int64)

    @cached_property
    def tie_sizes(self) -> np.ndarray:
        """Size of each row's tie group (1 where its total is its own)."""
        ranks = self.competition_ranks
        _, inverse, counts = np.unique(ranks, return_inverse=True, return_counts=True)
        return counts[inverse].astype(np.int64)

    @cached_property
    def rank_p5(self) -> np.ndarray:
        """5th percentile of each row's rank over the draws (see :attr:`uncertainty`);
        the competition rank itself when no uncertainty is attached."""
        if self.uncertainty is None:
            return self.competition_ranks
        return self.uncertainty.rank_p5

    @cached_property
    def rank_p95(self) -> np.ndarray:
        """95th percentile of each row's rank over the draws (see :attr:`uncertainty`)."""
        if self.uncertainty is None:
            return self.competition_ranks
        return self.uncertainty.rank_p95

    @cached_property
    def p_above_next(self) -> np.ndarray:
        """Share of draws ranking each row above the next shown row (NaN: none, or no
        uncertainty attached)."""
        if self.uncertainty is None:
            return np.full(len(self), np.nan)
        return self.uncertainty.p_above_next

    @cached_property
    def near_tie_with_next(self) -> np.ndarray:
        """True where the draws put this row above the next about as often as below (the
        winning index within ``scoring.robustness.NEAR_TIE``); all False without draws."""
        if self.uncertainty is None:
            return np.zeros(len(self), dtype=bool)
        return self.uncertainty.near_tie_with_next

    def to_frame(self) -> pd.DataFrame:
        """One row per recommendation, best first: rank, id, total, interval, contributions.

        ``rank`` is the competition rank (ties share it), ``tied`` the tie group's size and
        ``position`` the row's place in this ranking's order (ties in catalog order).
        """
        import pandas as pd

        frame = pd.DataFrame(
            {
                "rank": self.competition_ranks,
                "tied": self.tie_sizes,
                "position": np.arange(1, len(self.ids) + 1),
                "id": self.ids,
                "score": self.totals,
                "low": self.low,
                "high": self.high,
                "rank_p5": self.rank_p5,
                "rank_p95": self.rank_p95,
                "p_above_next": self.p_above_next,
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
    rows = None if include is None else catalog.rows_of(include)
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


def assemble_ranking(
    catalog: Catalog,
    weights: np.ndarray,
    rows: np.ndarray,
    totals: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    source_normalized: np.ndarray,
    spec: Method,
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
        settings=spec.settings(),
    )


def rank_by(
    catalog: Catalog,
    weights: Mapping[str, float],
    method: str | Method = DEFAULT_METHOD,
    include: Sequence[str] | None = None,
    source: str = "weights",
) -> Ranking:
    """Rank by any registered method; the same :class:`Ranking` as :func:`rank`.

    ``method`` is a registered name or a method object. Validates the weights and the
    method's settings once, then calls the method's kernel.
    """
    spec = method_spec(method)
    if spec.name == DEFAULT_METHOD:  # the fast path, with no row gathering
        return rank(catalog, weights, include, source)
    weight_vector = normalized_weights(weights, catalog.criterion_ids, source)
    rows = np.arange(len(catalog.recommendations)) if include is None else catalog.rows_of(include)
    spec.check(catalog.criterion_ids)
    return spec.rank(catalog, weight_vector, rows)


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
        import pandas as pd

        first = self.rankings[self.methods[0]]
        frame = pd.DataFrame({"id": first.ids})
        for name, ranking in self.rankings.items():
            frame[name] = [ranking.positions[rec_id] for rec_id in first.ids.tolist()]
        ranks = frame[list(self.methods)]
        frame["spread"] = ranks.max(axis=1) - ranks.min(axis=1)
        return frame

    def tau_frame(self) -> pd.DataFrame:
        """Kendall's tau between every pair of methods (a symmetric matrix, 1 on the diagonal)."""
        import pandas as pd

        names = list(self.methods)
        values = [[kendall_tau(self.rankings[a], self.rankings[b]) for b in names] for a in names]
        return pd.DataFrame(values, index=names, columns=names)


def compare_methods(
    catalog: Catalog,
    weights: Mapping[str, float],
    methods: Sequence[str | Method] | None = None,
    include: Sequence[str] | None = None,
    source: str = "weights",
) -> MethodComparison:
    """Rank under each method (default: every registered one) with the same weights."""
    specs = [method_spec(method) for method in (names() if methods is None else methods)]
    return MethodComparison(
        {spec.name: rank_by(catalog, weights, spec, include, source) for spec in specs}
    )
