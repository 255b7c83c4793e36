"""How often each option set wins when weights and scores are uncertain: SMAA over sets.

Each sample draws weights uniformly on the simplex (Dirichlet(1, ..., 1), which is exactly
uniform) and, by default, every score uniformly within its low-high range. Each set is scored
with one of :data:`scoring.option_sets.METRICS`. A set's conflict penalty and synergy bonus do
not depend on the weights, so they are computed once. The set with the highest value wins the
sample; an exact tie goes to the set listed first. The result is each set's share of wins,
read like a rank-1 acceptability index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from scoring.errors import Code, InputError
from scoring.model import Catalog, normalize_scores
from scoring.option_sets import (
    CONFLICT_PENALTY,
    SYNERGY_BONUS,
    Interactions,
    OptionSet,
    compare_sets,
)
from scoring.robustness import CHUNK_ELEMENTS, DEFAULT_SAMPLES, MAX_SAMPLES
from scoring.wording import likelihood_words

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SCORE_DRAWS", "SetAcceptability", "set_acceptability"]

SCORE_DRAWS = ("uniform", "fixed")
_METRIC_WORDS = {
    "adjusted_mean": "adjusted score per member",
    "adjusted": "adjusted total",
    "mean": "mean score",
    "total": "total score",
}


@dataclass(frozen=True)
class SetAcceptability:
    """Each set's share of samples in which it scores best, with the sampling settings."""

    set_ids: tuple[str, ...]
    names: tuple[str, ...]
    shares: np.ndarray
    samples: int
    seed: int
    metric: str
    scores: str

    def to_frame(self) -> pd.DataFrame:
        """One row per set, most often best first."""
        import pandas as pd

        frame = pd.DataFrame({"set": self.set_ids, "name": self.names, "wins": self.shares})
        return frame.sort_values("wins", ascending=False, kind="stable").reset_index(drop=True)

    def sentences(self) -> list[str]:
        """A plain sentence per set, with the probability words of DOMAIN practice."""
        words = _METRIC_WORDS[self.metric]
        return [
            f"{row.name} has the best {words} under {row.wins:.0%} of plausible weightings"
            f"{' and scores' if self.scores != 'fixed' else ''} ({likelihood_words(row.wins)})."
            for row in self.to_frame().itertuples()
        ]


def set_acceptability(
    catalog: Catalog,
    interactions: Interactions,
    sets: Sequence[OptionSet],
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    metric: str = "adjusted_mean",
    scores: str = "uniform",
    conflict_penalty: float = CONFLICT_PENALTY,
    synergy_bonus: float = SYNERGY_BONUS,
) -> SetAcceptability:
    """Share of samples in which each of 2-5 ``sets`` has the highest ``metric``.

    ``scores``: ``uniform`` within each score's range, or ``fixed`` at the values (weights
    alone vary). Raises InputError for a bad sample count, metric or score draw, and the
    errors of :func:`scoring.option_sets.compare_sets` for bad sets.
    """
    _check_inputs(samples, metric, scores)
    equal = dict.fromkeys(catalog.criterion_ids, 1.0)
    evaluations = compare_sets(
        catalog,
        interactions,
        sets,
        equal,
        conflict_penalty=conflict_penalty,
        synergy_bonus=synergy_bonus,
    ).evaluations
    union = sorted({rec_id for option_set in sets for rec_id in option_set.members})
    rows = np.array([catalog.row_of(rec_id) for rec_id in union], dtype=int)
    membership = np.array(
        [[rec_id in option_set.members for rec_id in union] for option_set in sets], dtype=float
    )
    sizes = membership.sum(axis=1)
    offsets = np.array([e.bonus - e.penalty for e in evaluations])
    adjusted = metric.startswith("adjusted")
    per_member = metric in ("adjusted_mean", "mean")

    rng = np.random.default_rng(seed)
    low, high = catalog.low[rows], catalog.high[rows]
    fixed = catalog.normalized[rows]
    criteria = len(catalog.criterion_ids)
    chunk = max(1, CHUNK_ELEMENTS // (len(rows) * criteria))
    wins = np.zeros(len(sets), dtype=np.int64)
    for start in range(0, samples, chunk):
        count = min(chunk, samples - start)
        weights = rng.dirichlet(np.ones(criteria), size=count)
        if scores == "fixed":
            totals = weights @ fixed.T
        else:
            drawn = normalize_scores(
                rng.uniform(low, high, size=(count, *low.shape)), catalog.cost_mask
            )
            totals = np.einsum("snm,sm->sn", drawn, weights)
        values = totals @ membership.T + (offsets if adjusted else 0.0)
        if per_member:
            values = values / sizes
        wins += np.bincount(values.argmax(axis=1), minlength=len(sets))
    return SetAcceptability(
        set_ids=tuple(s.id for s in sets),
        names=tuple(s.name for s in sets),
        shares=wins / samples,
        samples=samples,
        seed=seed,
        metric=metric,
        scores=scores,
    )


def _check_inputs(samples: int, metric: str, scores: str) -> None:
    if isinstance(samples, bool) or not isinstance(samples, int) or not 1 <= samples <= MAX_SAMPLES:
        raise InputError(
            Code.BAD_SAMPLES,
            "set acceptability",
            "samples",
            f"a whole number from 1 to {MAX_SAMPLES:,}",
            repr(samples),
            f"use e.g. {DEFAULT_SAMPLES:,}",
        )
    if metric not in _METRIC_WORDS:
        raise InputError(
            Code.BAD_VALUE,
            "set acceptability",
            "metric",
            f"one of {list(_METRIC_WORDS)}",
            repr(metric),
            "",
        )
    if scores not in SCORE_DRAWS:
        raise InputError(
            Code.BAD_VALUE,
            "set acceptability",
            "scores",
            f"one of {list(SCORE_DRAWS)}",
            repr(scores),
            "",
        )
