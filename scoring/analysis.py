"""Examining results: selections, rank changes, trade-offs, redundancy and perspectives.

Everything here starts from the catalog's normalised matrix (cost criteria already reversed,
so higher is always better) and from :func:`scoring.methods.rank`; nothing recomputes a
weighted sum by hand. Results are small frozen objects that carry what a chart or table needs.

- :func:`select_recommendations`: the ids left by the dashboard's filters.
- :func:`compare_to_reference`: a ranking beside the ranking under its profile's own weights,
  with each recommendation's rank change and exact ties told apart from near-ties.
- :func:`pareto_front`: the recommendations no other beats on both of two criteria.
- :func:`criteria_correlation`: how criteria move together across the catalog, with the
  pairs so strongly correlated that weighting both may count one effect twice.
- :func:`compare_profiles`: ranks under several profiles, a Borda consensus and the
  recommendations the perspectives disagree on most.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from scoring.errors import Code, InputError
from scoring.methods import DEFAULT_METHOD, MethodSpec, Ranking, rank_by
from scoring.model import Catalog

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DOUBLE_COUNTING_THRESHOLD",
    "CorrelatedPair",
    "CriteriaCorrelation",
    "ParetoFront",
    "ProfileComparison",
    "RankComparison",
    "borda_points",
    "compare_profiles",
    "compare_to_reference",
    "correlation_matrix",
    "criteria_correlation",
    "efficient_mask",
    "pareto_front",
    "rank_changes",
    "select_recommendations",
    "with_baseline",
]

# Spearman's |rho| above this across the catalog: the two criteria may measure one thing (or,
# if negative, one may be the other's mirror). 0.6 is the bar the catalog review set.
DOUBLE_COUNTING_THRESHOLD = 0.6


def select_recommendations(
    catalog: Catalog,
    documents: Collection[str] = (),
    actors: Collection[str] = (),
    instruments: Collection[str] = (),
    kinds: Collection[str] = (),
) -> tuple[str, ...] | None:
    """Ids of the recommendations passing every non-empty filter, in catalog order.

    An empty filter lets everything through; with no filter at all the result is None,
    which :func:`scoring.methods.rank` reads as "the whole catalog". Documents are named by
    file name, with or without ``.txt``. The one filter rule: the sidebar and briefs use it.
    """
    if not (documents or actors or instruments or kinds):
        return None
    stems = {name.removesuffix(".txt") for name in documents}
    chosen = tuple(
        rec.id
        for rec in catalog.recommendations
        if not rec.baseline
        and (not stems or rec.document.removesuffix(".txt") in stems)
        and (not actors or rec.actor in actors)
        and (not instruments or rec.instrument in instruments)
        and (not kinds or rec.kind in kinds)
    )
    return with_baseline(catalog, chosen)


def with_baseline(catalog: Catalog, chosen: tuple[str, ...]) -> tuple[str, ...]:
    """``chosen`` plus the status quo, which every non-empty selection keeps as its yardstick."""
    baseline = catalog.baseline
    if not chosen or baseline is None:
        return chosen
    return tuple(sorted((*chosen, baseline.id)))


# --- a ranking against its reference ---------------------------------------------------------


def rank_changes(reference: Ranking, current: Ranking) -> np.ndarray:
    """Places each recommendation of ``current`` gained against ``reference`` (+ = moved up).

    Counted on competition ranks (ties share a rank), so a reshuffle inside a tie is no
    change: a move shows only where the score order changed. Aligned with ``current``'s rank
    order; both rankings must hold the same recommendations.
    """
    ranks = dict(zip(reference.ids.tolist(), reference.competition_ranks.tolist(), strict=True))
    reference_rank = np.array([ranks[rec_id] for rec_id in current.ids.tolist()])
    return reference_rank - current.competition_ranks


@dataclass(frozen=True)
class RankComparison:
    """A ranking next to its reference (the profile's own weights), aligned with the ranking."""

    ranking: Ranking
    reference: Ranking

    @cached_property
    def change(self) -> np.ndarray:
        return rank_changes(self.reference, self.ranking)

    @cached_property
    def exact_tie_with_next(self) -> np.ndarray:
        """True where the next-ranked total is equal (to the engine's tie precision)."""
        totals = np.round(self.ranking.totals, 12)
        return np.append(totals[:-1] == totals[1:], False)

    def frame(self) -> pd.DataFrame:
        """The ranking's frame (rank, id, score, interval, rank range, near-tie, contributions)
        with ``exact_tie_with_next`` and ``change`` (places gained against the reference)."""
        frame = self.ranking.to_frame()
        frame.insert(
            frame.columns.get_loc("near_tie_with_next") + 1,
            "exact_tie_with_next",
            self.exact_tie_with_next,
        )
        frame.insert(2, "change", self.change)
        return frame


def compare_to_reference(
    catalog: Catalog,
    weights: Mapping[str, float],
    reference_weights: Mapping[str, float],
    include: Sequence[str] | None = None,
    method: str | MethodSpec = DEFAULT_METHOD,
) -> RankComparison:
    """Rank under ``weights`` and under ``reference_weights`` (same recommendations, same
    aggregation method: a rank change then shows only what the weights moved)."""
    return RankComparison(
        ranking=rank_by(catalog, weights, method, include),
        reference=rank_by(catalog, reference_weights, method, include, source="profile weights"),
    )


# --- trade-offs between two criteria ---------------------------------------------------------


def efficient_mask(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """True for points no other point beats on one axis while matching it on the other.

    Both axes are "more is better". Identical points are all efficient (neither dominates).
    Kernel: assumes equal-length finite vectors. One sort and one running maximum.
    """
    count = len(x)
    if count == 0:
        return np.zeros(0, dtype=bool)
    order = np.lexsort((-y, -x))  # x descending, then y descending
    xs, ys = x[order], y[order]
    new_group = np.append(True, xs[1:] != xs[:-1])
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(count), 0))
    running_max = np.maximum.accumulate(ys)
    best_before = np.where(group_start > 0, running_max[np.maximum(group_start - 1, 0)], -np.inf)
    group_best = ys[group_start]
    efficient_sorted = (ys == group_best) & (group_best > best_before)
    mask = np.empty(count, dtype=bool)
    mask[order] = efficient_sorted
    return mask


@dataclass(frozen=True)
class ParetoFront:
    """The recommendations efficient on criteria ``x`` and ``y`` (catalog values, 1-5)."""

    x: str
    y: str
    ids: tuple[str, ...]
    x_values: np.ndarray
    y_values: np.ndarray
    efficient: np.ndarray

    @property
    def front_ids(self) -> tuple[str, ...]:
        """Efficient ids along the front, from best on ``y`` to best on ``x``."""
        rows = np.flatnonzero(self.efficient)
        rows = rows[np.lexsort((-self.y_values[rows], self.x_values[rows]))]
        return tuple(self.ids[row] for row in rows)


def pareto_front(
    catalog: Catalog, x: str, y: str, include: Sequence[str] | None = None
) -> ParetoFront:
    """The Pareto-efficient recommendations on two criteria (cost criteria: lower is better)."""
    for key, criterion_id in (("x", x), ("y", y)):
        if criterion_id not in catalog.criterion_ids:
            raise InputError(
                Code.UNKNOWN_CRITERION,
                "trade-off axes",
                key,
                f"one of {list(catalog.criterion_ids)}",
                repr(criterion_id),
                "pick a criterion",
            )
    rows = _rows(catalog, include)
    columns = np.array([catalog.criterion_ids.index(x), catalog.criterion_ids.index(y)])
    normalized = catalog.normalized[np.ix_(rows, columns)]
    values = catalog.values[np.ix_(rows, columns)]
    return ParetoFront(
        x=x,
        y=y,
        ids=tuple(catalog.id_array[rows].tolist()),
        x_values=values[:, 0],
        y_values=values[:, 1],
        efficient=efficient_mask(normalized[:, 0], normalized[:, 1]),
    )


def _rows(catalog: Catalog, include: Sequence[str] | None) -> np.ndarray:
    if include is None:
        return np.arange(len(catalog.recommendations))
    return catalog.rows_of(include)


# --- redundancy between criteria -------------------------------------------------------------


@dataclass(frozen=True)
class CorrelatedPair:
    first: str
    second: str
    rho: float


@dataclass(frozen=True)
class CriteriaCorrelation:
    """Spearman correlation of the criteria's normalised scores across recommendations.

    Positive means "good on one tends to go with good on the other" (cost criteria are
    reversed first). A criterion on which every recommendation scores the same has no
    correlation with anything: its row is NaN, on purpose, rather than a division by zero.
    """

    criterion_ids: tuple[str, ...]
    matrix: np.ndarray
    threshold: float
    count: int

    def strongest(self, count: int = 3) -> tuple[CorrelatedPair, ...]:
        """The ``count`` pairs with the largest |rho|, strongest first."""
        first, second = np.triu_indices(len(self.criterion_ids), k=1)
        rho = self.matrix[first, second]
        order = np.argsort(-np.abs(np.nan_to_num(rho, nan=0.0)), kind="stable")[:count]
        return tuple(
            CorrelatedPair(self.criterion_ids[first[i]], self.criterion_ids[second[i]], rho[i])
            for i in order
        )

    @property
    def double_counting(self) -> tuple[CorrelatedPair, ...]:
        """Pairs whose |rho| is above ``threshold``, strongest first."""
        first, second = np.triu_indices(len(self.criterion_ids), k=1)
        rho = self.matrix[first, second]
        keep = np.flatnonzero(np.abs(np.nan_to_num(rho, nan=0.0)) > self.threshold)
        keep = keep[np.argsort(-np.abs(rho[keep]), kind="stable")]
        return tuple(
            CorrelatedPair(self.criterion_ids[first[i]], self.criterion_ids[second[i]], rho[i])
            for i in keep
        )

    def frame(self) -> pd.DataFrame:
        """Long form: first, second, rho (every ordered pair, diagonal included)."""
        import pandas as pd

        size = len(self.criterion_ids)
        first, second = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
        return pd.DataFrame(
            {
                "first": np.array(self.criterion_ids)[first.ravel()],
                "second": np.array(self.criterion_ids)[second.ravel()],
                "rho": self.matrix.ravel(),
            }
        )


def _average_ranks(matrix: np.ndarray) -> np.ndarray:
    """Column-wise ranks (1-based) with ties given their average rank, as Spearman's rho
    needs: one sort per column (numpy, so ``recscore validate`` needs no pandas)."""
    count = matrix.shape[0]
    ranks = np.empty(matrix.shape)
    for j in range(matrix.shape[1]):
        order = np.argsort(matrix[:, j], kind="stable")
        values = matrix[order, j]
        new = np.append(True, values[1:] != values[:-1])
        starts = np.flatnonzero(new)
        ends = np.append(starts[1:], count)  # one past each run of ties
        average = (starts + ends + 1) / 2.0  # mean of ranks starts+1 .. ends
        ranks[order, j] = np.repeat(average, ends - starts)
    return ranks


def correlation_matrix(matrix: np.ndarray) -> np.ndarray:
    """Pearson correlation of the columns; NaN for a constant column. Kernel, no checks."""
    centered = matrix - matrix.mean(axis=0)
    spread = np.sqrt((centered**2).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = centered / np.where(spread > 0, spread, np.nan)
    result = scaled.T @ scaled
    return np.clip(result, -1.0, 1.0)


def criteria_correlation(
    catalog: Catalog,
    include: Sequence[str] | None = None,
    threshold: float = DOUBLE_COUNTING_THRESHOLD,
) -> CriteriaCorrelation:
    """Spearman's rho between every two criteria across the (selected) recommendations."""
    rows = _rows(catalog, include)
    normalized = catalog.normalized[rows]
    matrix = (
        correlation_matrix(_average_ranks(normalized))
        if len(rows) > 1
        else np.full((len(catalog.criteria),) * 2, np.nan)
    )
    return CriteriaCorrelation(catalog.criterion_ids, matrix, threshold, len(rows))


# --- perspectives ----------------------------------------------------------------------------


def borda_points(ranks: np.ndarray) -> np.ndarray:
    """Borda points from ranks (recommendations x profiles): n - rank, summed over profiles."""
    return (ranks.shape[0] - ranks).sum(axis=1)


@dataclass(frozen=True)
class ProfileComparison:
    """Ranks under several profiles, rows in consensus (Borda) order.

    ``ranks[i, j]`` is the rank of ``ids[i]`` under ``profile_ids[j]``. The consensus orders
    by Borda points, then by best single rank, then by id. ``spread`` (worst minus best rank)
    measures how much the perspectives disagree about a recommendation.
    """

    profile_ids: tuple[str, ...]
    ids: tuple[str, ...]
    ranks: np.ndarray
    points: np.ndarray

    @property
    def consensus_rank(self) -> np.ndarray:
        return np.arange(1, len(self.ids) + 1)

    @cached_property
    def spread(self) -> np.ndarray:
        return self.ranks.max(axis=1) - self.ranks.min(axis=1)

    def frame(self) -> pd.DataFrame:
        """id, consensus rank, Borda points, one rank column per profile, the best and worst
        rank with the (first) profile giving each, and the spread between them."""
        import pandas as pd

        frame = pd.DataFrame(
            {"id": self.ids, "consensus": self.consensus_rank, "borda": self.points}
        )
        for column, profile_id in enumerate(self.profile_ids):
            frame[profile_id] = self.ranks[:, column]
        profiles = np.array(self.profile_ids, dtype=object)
        frame["best"] = self.ranks.min(axis=1)
        frame["best_profile"] = profiles[self.ranks.argmin(axis=1)]
        frame["worst"] = self.ranks.max(axis=1)
        frame["worst_profile"] = profiles[self.ranks.argmax(axis=1)]
        frame["spread"] = self.spread
        return frame

    def most_disputed(self, count: int = 10) -> pd.DataFrame:
        """The ``count`` recommendations with the widest rank spread (ties: consensus order)."""
        frame = self.frame()
        order = np.argsort(-self.spread, kind="stable")[:count]
        return frame.iloc[order].reset_index(drop=True)


def compare_profiles(
    catalog: Catalog,
    profiles: Mapping[str, Mapping[str, float]],
    include: Sequence[str] | None = None,
    method: str | MethodSpec = DEFAULT_METHOD,
) -> ProfileComparison:
    """Rank under each profile's weights (by one method) and combine the ranks into a Borda
    consensus."""
    if not profiles:
        raise InputError(
            Code.UNKNOWN_PROFILE,
            "profile comparison",
            "",
            "at least one profile",
            "none",
            "choose two to five profiles",
        )
    rankings = [
        rank_by(catalog, weights, method, include, source=f"profile {profile_id}")
        for profile_id, weights in profiles.items()
    ]
    ids = rankings[0].ids.tolist()
    ranks = np.column_stack([[ranking.positions[rec_id] for rec_id in ids] for ranking in rankings])
    points = borda_points(ranks)
    # rankings[0] lists ids in its own rank order; the last tie-break is the id itself.
    by_id = np.argsort(np.array(ids, dtype=object), kind="stable")
    id_rank = np.empty(len(ids), dtype=int)
    id_rank[by_id] = np.arange(len(ids))
    order = np.lexsort((id_rank, ranks.min(axis=1), -points))
    return ProfileComparison(
        profile_ids=tuple(profiles),
        ids=tuple(ids[i] for i in order),
        ranks=ranks[order],
        points=points[order],
    )
