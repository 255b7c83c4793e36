"""SMAA-2: rank acceptability, central weights and confidence factors, ranked by any method."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from scoring.errors import Code, InputError, Notice
from scoring.methods import (
    DEFAULT_METHOD,
    Kernel,
    Method,
    check_method,
    method_spec,
)
from scoring.model import Catalog
from scoring.wording import likelihood_words, share_text

if TYPE_CHECKING:
    import pandas as pd
from scoring.robustness.common import (
    ALL_RANKS_UP_TO,
    CHUNK_ELEMENTS,
    DEFAULT_SAMPLES,
    DEFAULT_SCORE_MODEL,
    MAX_SAMPLES,
    PROMETHEE_COMPARISONS,
    RANKS_KEPT_LARGE,
    best_first,
    constant_criteria,
    included_rows,
    rank_keys,
)
from scoring.robustness.sampling import (
    SCORE_MODELS,
    WeightConstraints,
    sample_weights,
    weight_model,
)

__all__ = ["SmaaResult", "smaa"]


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
    scores: str = DEFAULT_SCORE_MODEL,
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
    ``scores``: ``triangular`` with its peak at the recorded value (the default), ``pert``
    (a Beta with the same mode), ``uniform`` within each score's low-high range, or
    ``fixed`` at the values. Everything is seeded: the same seed gives the
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
    model = weight_model(constraints or WeightConstraints(), catalog.criterion_ids, source)
    rows = included_rows(catalog, include, source)
    aggregation = _Aggregation.of(spec, catalog, rows, scores, source)
    count = len(rows)
    if spec.sorts_per_draw and scores != "fixed":
        _check_comparisons(spec, count, len(catalog.criteria), samples, confidence, source)
    notices += constant_criteria(catalog, rows, with_ranges=scores != "fixed")
    if seed is None:
        entropy = np.random.SeedSequence().entropy
        assert isinstance(entropy, int)  # drawn from the OS, so never None or a sequence
        seed = entropy % 2**32
    rng = np.random.default_rng(seed)
    weights, sampler, weight_notices = sample_weights(model, samples, rng)
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
        if self.model == "uniform":  # in place: one (k x n x m) array, not three
            u = rng.random((k, *span.shape))
            u *= span
            u += self.low
            return u
        with np.errstate(invalid="ignore", divide="ignore"):  # the mode's place in the range
            peak = np.where(span > 0, (self.matrix - self.low) / np.where(span > 0, span, 1), 0)
        if self.model == "pert":
            # PERT: Beta(1 + 4p, 1 + 4(1 - p)) stretched over the range, its mode at p.
            shape = (k, *span.shape)
            return self.low + span * rng.beta(1.0 + 4.0 * peak, 5.0 - 4.0 * peak, shape)
        u = rng.random((k, *span.shape))  # triangular, by inverting its distribution function
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
        order = best_first(totals)
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
        firsts = np.argmin(rank_keys(aggregation.totals_under(central, None)), axis=1)
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
