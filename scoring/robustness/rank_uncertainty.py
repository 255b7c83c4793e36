"""How settled each place in a ranking is: rank percentiles and neighbours' winning indices.

The all-extremes interval (every score at the end of its range at once) is so wide that it
overlaps for almost every pair of neighbours and tells a reader nothing. Instead the ranking
is re-ranked under many plausible draws (the SMAA draws: each score from its score model,
by default triangular with its mode at the recorded value; each weight moved by up to
``WEIGHT_SPREAD`` of itself), and each row reports:

- ``rank_p5``-``rank_p95``: the 5th and 95th percentile of its competition rank over the
  draws (:data:`RANK_PERCENTILES`);
- ``p_above_next``: the pairwise winning index, the share of draws in which it ranks above
  the next row (a draw in which the two tie counts half), so ``P(A above B) + P(B above A)
  = 1``;
- ``near_tie_with_next``: that index lies within :data:`NEAR_TIE` (0.4 to 0.6): the draws
  put either first about as often.

Draws are made once per catalog, score model and seed, and cached (:func:`rank_draws`);
a change of weights only re-weights them, so a slider move costs a batched matrix product
and one sort per draw.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from scoring.errors import Code, InputError
from scoring.methods import DEFAULT_METHOD, TIE_DECIMALS, Ranking, method_spec
from scoring.model import Catalog
from scoring.robustness.acceptability import _Aggregation, _ScoreDraws
from scoring.robustness.common import DEFAULT_SCORE_MODEL, DEFAULT_SEED
from scoring.robustness.sampling import SCORE_MODEL_TEXT, SCORE_MODELS

if TYPE_CHECKING:
    from scoring.methods import Method

__all__ = [
    "NEAR_TIE",
    "NEAR_TIE_DECIMALS",
    "RANK_DRAWS",
    "RANK_PERCENTILES",
    "WEIGHT_SPREAD",
    "RankDraws",
    "RankUncertainty",
    "competition_ranks_batched",
    "near_tie",
    "rank_draws",
    "rank_percentiles",
    "rank_uncertainty",
    "ranking_method",
    "uncertainty_legend",
    "winning_index",
    "with_uncertainty",
]

# A pair of neighbours is a near-tie when the draws put the upper one above the lower in
# between 40% and 60% of them: neither order is much likelier than the other.
NEAR_TIE: tuple[float, float] = (0.4, 0.6)
NEAR_TIE_DECIMALS = 2  # the index is shown, and compared with NEAR_TIE, at two decimals
# The rank interval: 5th to 95th percentile of a row's rank over the draws (90% of draws).
RANK_PERCENTILES: tuple[int, int] = (5, 95)
# Draws per ranking: 500 puts 25 draws in each 5% tail and estimates a winning index near
# 0.5 within about +/-0.02 (one standard error), while the re-weighting and one sort per draw
# stay near 2 ms for the bundled catalog, so a slider move costs what it did before the
# intervals were drawn (benchmarks/bench_app.py). Fewer for large catalogs, so the cached
# draws stay near RANK_DRAW_ELEMENTS floats (64 MB), never below MIN_RANK_DRAWS (a 5% tail
# then still rests on ten draws).
RANK_DRAWS = 500
MIN_RANK_DRAWS = 200
RANK_DRAW_ELEMENTS = 8_000_000
# Each draw multiplies every weight by a factor drawn uniformly in 1 +/- WEIGHT_SPREAD (then
# renormalises): the weights as set, give or take a tenth of each.
WEIGHT_SPREAD = 0.10


def near_tie(p_above: np.ndarray) -> np.ndarray:
    """True where a winning index lies within :data:`NEAR_TIE`, compared at the
    :data:`NEAR_TIE_DECIMALS` decimals every front shows (a shown 0.60 is a near-tie, never
    an unmarked 0.602); NaN (no next row) is False."""
    low, high = NEAR_TIE
    shown = np.round(p_above, NEAR_TIE_DECIMALS)
    with np.errstate(invalid="ignore"):
        return (shown >= low) & (shown <= high)


@dataclass(frozen=True)
class RankDraws:
    """Cached draws for one catalog: normalised score matrices (draws x rows x criteria, all
    catalog rows) and weight factors (draws x criteria), with how they were drawn."""

    scores: np.ndarray = field(repr=False)
    weight_factors: np.ndarray = field(repr=False)
    score_model: str
    seed: int
    weight_spread: float

    @property
    def count(self) -> int:
        return len(self.weight_factors)


@dataclass(frozen=True)
class RankUncertainty:
    """Per row of a ranking (its rank order): rank percentiles over the draws, the winning
    index over the next row (NaN for the last) and the share of draws ranking it first."""

    rank_p5: np.ndarray = field(repr=False)
    rank_p95: np.ndarray = field(repr=False)
    p_above_next: np.ndarray = field(repr=False)
    first_share: np.ndarray = field(repr=False)
    draws: int
    score_model: str
    seed: int
    weight_spread: float

    @property
    def near_tie_with_next(self) -> np.ndarray:
        """True where the winning index over the next row lies within :data:`NEAR_TIE`."""
        return near_tie(self.p_above_next)

    def settings(self) -> dict[str, Any]:
        return {
            "draws": self.draws,
            "score_model": self.score_model,
            "seed": self.seed,
            "weight_spread": self.weight_spread,
            "percentiles": list(RANK_PERCENTILES),
            "near_tie": list(NEAR_TIE),
        }


def uncertainty_legend(uncertainty: RankUncertainty | None = None) -> str:
    """One sentence stating what the rank interval and the near-tie mark mean."""
    model = uncertainty.score_model if uncertainty else DEFAULT_SCORE_MODEL
    draws = f"{uncertainty.draws:,}" if uncertainty else f"{RANK_DRAWS:,}"
    spread = uncertainty.weight_spread if uncertainty else WEIGHT_SPREAD
    low, high = NEAR_TIE
    p5, p95 = RANK_PERCENTILES
    return (
        f"Rank interval: {ordinal_pct(p5)} to {ordinal_pct(p95)} percentile of the rank over "
        f"{draws} draws (scores {SCORE_MODEL_TEXT[model]}; each weight within "
        f"±{spread:.0%} of its value); P(above next): share of draws ranking it above the "
        f"next row; near-tie: that share between {low:.0%} and {high:.0%}."
    )


def ordinal_pct(value: int) -> str:
    return f"{value}th"


_CACHE_LOCK = threading.Lock()
# (id of catalog, score model, seed, draws) -> (weak reference to the catalog, draws); the
# weak reference guards against a recycled id and lets an unused catalog's draws go.
_CACHE: dict[tuple[int, str, int, int], tuple[weakref.ref[Catalog], RankDraws]] = {}
_CACHE_ENTRIES = 8


def draws_for(catalog: Catalog) -> int:
    """Draws used for ``catalog``: RANK_DRAWS, fewer when its matrix is large."""
    size = max(1, len(catalog.recommendations) * max(1, len(catalog.criteria)))
    return int(min(RANK_DRAWS, max(MIN_RANK_DRAWS, RANK_DRAW_ELEMENTS // size)))


def rank_draws(
    catalog: Catalog,
    score_model: str = DEFAULT_SCORE_MODEL,
    seed: int = DEFAULT_SEED,
    draws: int | None = None,
    source: str = "rank uncertainty",
) -> RankDraws:
    """The catalog's score and weight draws, made once per catalog, model, seed and count."""
    if score_model not in SCORE_MODELS:
        raise InputError(
            Code.BAD_VALUE,
            source,
            "score_model",
            f"one of {list(SCORE_MODELS)}",
            repr(score_model),
            f"e.g. {DEFAULT_SCORE_MODEL} (the default)",
        )
    count = draws_for(catalog) if draws is None else int(draws)
    if count < 1:
        raise InputError(
            Code.BAD_SAMPLES, source, "draws", "a whole number >= 1", repr(draws), "e.g. 1000"
        )
    key = (id(catalog), score_model, seed, count)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0]() is catalog:
            return hit[1]
    result = _draw(catalog, score_model, seed, count)
    with _CACHE_LOCK:
        for stale in [k for k, (ref, _) in _CACHE.items() if ref() is None]:
            del _CACHE[stale]
        while len(_CACHE) >= _CACHE_ENTRIES:
            del _CACHE[next(iter(_CACHE))]
        _CACHE[key] = (weakref.ref(catalog), result)
    return result


def _draw(catalog: Catalog, score_model: str, seed: int, count: int) -> RankDraws:
    rng = np.random.default_rng(seed)
    rows = np.arange(len(catalog.recommendations))
    drawn = _ScoreDraws.of(catalog, rows, score_model).draw(count, rng)
    scores = (
        np.broadcast_to(catalog.normalized, (count, *catalog.normalized.shape))
        if drawn is None
        else drawn
    )
    factors = rng.uniform(1 - WEIGHT_SPREAD, 1 + WEIGHT_SPREAD, (count, len(catalog.criteria)))
    return RankDraws(scores, factors, score_model, seed, WEIGHT_SPREAD)


def competition_ranks_batched(totals: np.ndarray) -> np.ndarray:
    """Kernel: competition ranks (1 = best) per row of ``totals`` (draws x n), totals equal
    after rounding to the ranking's tie precision sharing the best rank of their group.

    A plain float argsort gives each row's ranks wherever its sorted totals are more than
    the tie precision apart (drawn scores make closer pairs rare); only rows with a closer
    pair are ranked again on the rounded totals, with tie groups. This keeps a slider move
    near one sort per draw.
    """
    draws, count = totals.shape
    order = np.argsort(totals, axis=1)  # worst first: rank count .. 1
    # The inverse permutation by one flat scatter (put_along_axis costs twice as much).
    flat = (order + (np.arange(draws, dtype=np.int64) * count)[:, None]).ravel()
    ranks = np.empty(draws * count, dtype=np.int64)
    ranks[flat] = np.tile(np.arange(count, 0, -1, dtype=np.int64), draws)
    ranks = ranks.reshape(draws, count)
    gaps = np.diff(np.take_along_axis(totals, order, axis=1), axis=1)
    close = np.flatnonzero((gaps <= 2 * 10.0**-TIE_DECIMALS).any(axis=1))
    if len(close):
        ranks[close] = _tied_ranks(totals[close])
    return ranks


def _tied_ranks(totals: np.ndarray) -> np.ndarray:
    """Competition ranks on the rounded totals, tie groups sharing their best rank."""
    quantized = np.rint(totals * 10**TIE_DECIMALS).astype(np.int64)
    order = np.argsort(-quantized, axis=1)  # any order inside a tie: tied rows share a rank
    ordered = np.take_along_axis(quantized, order, axis=1)
    count = totals.shape[1]
    positions = np.broadcast_to(np.arange(count), ordered.shape)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    group_start = np.maximum.accumulate(np.where(starts, positions, 0), axis=1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, group_start + 1, axis=1)
    return ranks


def rank_percentiles(ranks: np.ndarray, percentiles: tuple[int, ...]) -> np.ndarray:
    """Kernel: each column's percentiles of ``ranks`` (draws x n), as numpy's
    ``inverted_cdf`` gives them (a rank some draw gave, never an interpolated 3.4), by one
    sort of each column: the q-th percentile of k draws is the ceil(q k / 100)-th smallest."""
    draws = ranks.shape[0]
    ordered = np.sort(ranks, axis=0)
    index = [max(0, int(np.ceil(q * draws / 100)) - 1) for q in percentiles]
    return ordered[index]


def winning_index(
    totals: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Kernel: for column pairs (``a``, ``b``) of ``totals`` (draws x n), the share of draws
    in which ``a`` is strictly above ``b`` and the share in which they tie (rounded totals)."""
    quantized = np.rint(totals * 10**TIE_DECIMALS).astype(np.int64)
    above = (quantized[:, a] > quantized[:, b]).mean(axis=0)
    tied = (quantized[:, a] == quantized[:, b]).mean(axis=0)
    return above, tied


def draw_totals(
    catalog: Catalog, weights: np.ndarray, rows: np.ndarray, draws: RankDraws, method: Method
) -> np.ndarray:
    """Totals (draws x len(rows)) of ``rows`` under each draw, by ``method``."""
    factored = weights[None, :] * draws.weight_factors
    factored /= factored.sum(axis=1, keepdims=True)
    if method.name == DEFAULT_METHOD:
        # Weigh every catalog row, then gather the ranked ones: a matrix product over the
        # contiguous draws costs less than copying the rows' draws out first.
        totals = np.matmul(draws.scores, factored[:, :, None])[:, :, 0]
        return totals[:, rows]
    aggregation = _Aggregation.of(method, catalog, rows, draws.score_model, "rank uncertainty")
    fixed = draws.score_model == "fixed"
    return aggregation.totals(factored, None if fixed else draws.scores[:, rows])


def ranking_method(ranking: Ranking) -> Method:
    """The method object, with its settings, that made ``ranking``."""
    spec = method_spec(ranking.method)
    return type(spec)(**dict(ranking.settings)) if ranking.settings else spec


def rank_uncertainty(
    catalog: Catalog,
    ranking: Ranking,
    draws: RankDraws | None = None,
    order: np.ndarray | None = None,
) -> RankUncertainty:
    """Rank percentiles, neighbours' winning indices and first-place shares for ``ranking``
    (its rows, weights and method) over ``draws`` (default: the catalog's cached draws).

    Arrays are aligned with ``ranking``'s rows. "Next" is the next row in ``order`` (row
    indices in display order; default: the ranking's own order), so the index always
    compares the rows a reader sees one above the other, inside a tie too.
    """
    draws = draws if draws is not None else rank_draws(catalog)
    totals = draw_totals(catalog, ranking.weights, ranking.rows, draws, ranking_method(ranking))
    ranks = competition_ranks_batched(totals)
    low, high = RANK_PERCENTILES
    p5, p95 = rank_percentiles(ranks, (low, high))
    count = len(ranking)
    shown = np.arange(count) if order is None else np.asarray(order, dtype=np.int64)
    above, tied = winning_index(totals, shown[:-1], shown[1:])
    p_next = np.full(count, np.nan)
    p_next[shown[:-1]] = above + tied / 2
    return RankUncertainty(
        rank_p5=p5,
        rank_p95=p95,
        p_above_next=p_next,
        first_share=(ranks == 1).mean(axis=0),
        draws=draws.count,
        score_model=draws.score_model,
        seed=draws.seed,
        weight_spread=draws.weight_spread,
    )


def with_uncertainty(
    catalog: Catalog,
    ranking: Ranking,
    score_model: str = DEFAULT_SCORE_MODEL,
    seed: int = DEFAULT_SEED,
    draws: int | None = None,
) -> Ranking:
    """``ranking`` carrying its :class:`RankUncertainty` (see :attr:`Ranking.uncertainty`)."""
    from scoring.tables import display_order  # tables imports the methods, not this module

    cached = rank_draws(catalog, score_model, seed, draws)
    order = np.asarray(display_order(catalog, ranking), dtype=np.int64)
    return replace(ranking, uncertainty=rank_uncertainty(catalog, ranking, cached, order))


def uncertainty_record(uncertainty: RankUncertainty | None) -> Mapping[str, Any]:
    """How the uncertainty was drawn, as JSON-ready data (empty without it)."""
    return {} if uncertainty is None else uncertainty.settings()
