"""Robustness: safeguards, one-way sensitivity, weight sampling and SMAA-2, one module each.

Robustness: non-compensatory safeguards, one-way weight sensitivity and SMAA-2.

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
- :func:`with_uncertainty`: how settled each place of a ranking is: the 5th-95th percentile
  of its rank and the winning index over the next row, from cached draws.
- :func:`smaa`: SMAA-2 (Lahdelma and Salminen 2001). Weights drawn uniformly from the
  simplex (optionally constrained by bounds or an order of criteria), scores drawn within
  their low-high ranges; rank acceptability indices, central weights, confidence factors.
  Each sample is ranked by the weighted sum, TOPSIS or PROMETHEE II.
"""

from __future__ import annotations

from scoring.robustness.acceptability import SmaaResult, smaa
from scoring.robustness.common import (
    CHUNK_ELEMENTS,
    DEFAULT_SAMPLES,
    DEFAULT_SCORE_MODEL,
    DEFAULT_SEED,
    DEFAULT_WEIGHT_MODEL,
    MAX_SAMPLES,
    PROMETHEE_COMPARISONS,
)
from scoring.robustness.first_tie import TIE_BREAK_STEP, FirstPlaceTie, first_place_tie
from scoring.robustness.rank_uncertainty import (
    NEAR_TIE,
    RANK_DRAWS,
    RANK_PERCENTILES,
    WEIGHT_SPREAD,
    RankDraws,
    RankUncertainty,
    rank_draws,
    rank_uncertainty,
    uncertainty_legend,
    with_uncertainty,
)
from scoring.robustness.safeguards import Safeguards, Screening, parse_levels, screen
from scoring.robustness.sampling import (
    SCORE_MODEL_TEXT,
    SCORE_MODELS,
    WEIGHT_MODELS,
    WeightConstraints,
    constraints_from_profile,
    parse_bounds,
    parse_order,
)
from scoring.robustness.sensitivity import (
    FirstPlaceChange,
    Sensitivity,
    WeightInterval,
    one_way_sensitivity,
)
from scoring.wording import likelihood_words

__all__ = [
    "CHUNK_ELEMENTS",
    "DEFAULT_SAMPLES",
    "DEFAULT_SCORE_MODEL",
    "DEFAULT_SEED",
    "DEFAULT_WEIGHT_MODEL",
    "MAX_SAMPLES",
    "NEAR_TIE",
    "PROMETHEE_COMPARISONS",
    "RANK_DRAWS",
    "RANK_PERCENTILES",
    "SCORE_MODELS",
    "SCORE_MODEL_TEXT",
    "TIE_BREAK_STEP",
    "WEIGHT_MODELS",
    "WEIGHT_SPREAD",
    "FirstPlaceChange",
    "FirstPlaceTie",
    "RankDraws",
    "RankUncertainty",
    "Safeguards",
    "Screening",
    "Sensitivity",
    "SmaaResult",
    "WeightConstraints",
    "WeightInterval",
    "constraints_from_profile",
    "first_place_tie",
    "likelihood_words",
    "one_way_sensitivity",
    "parse_bounds",
    "parse_levels",
    "parse_order",
    "rank_draws",
    "rank_uncertainty",
    "screen",
    "smaa",
    "uncertainty_legend",
    "with_uncertainty",
]
