"""What the robustness tools share: sample and memory limits, rows in play, rank keys, numbers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from scoring.errors import Code, InputError, Notice
from scoring.methods import (
    TIE_DECIMALS,
)
from scoring.model import Catalog

if TYPE_CHECKING:
    pass

__all__ = [
    "ALL_RANKS_UP_TO",
    "CHUNK_ELEMENTS",
    "DEFAULT_SAMPLES",
    "DEFAULT_SCORE_MODEL",
    "DEFAULT_SEED",
    "DEFAULT_WEIGHT_MODEL",
    "EPS",
    "MAX_SAMPLES",
    "PROMETHEE_COMPARISONS",
    "RANKS_KEPT_LARGE",
    "best_first",
    "constant_criteria",
    "included_rows",
    "ordinal",
    "rank_keys",
    "threshold_texts",
]

DEFAULT_SAMPLES = 10_000
# One robustness story: the app, `recscore smaa` and the brief draw the same way by default,
# so they name the same "most often first" for the same view. The weights keep the profile's
# order of importance; each score is drawn from a triangular distribution peaking at its
# recorded value (most ranges are one-sided, and a uniform draw would treat the far end of the
# range as likely as the judgement itself); the seed is fixed so a figure can be checked.
DEFAULT_WEIGHT_MODEL = "order"
DEFAULT_SCORE_MODEL = "triangular"
DEFAULT_SEED = 20_240_601

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

EPS = 1e-12


def included_rows(catalog: Catalog, include: Sequence[str] | None, source: str) -> np.ndarray:
    """Catalog rows of ``include`` (all if None); raise if it leaves nothing to rank."""
    rows = np.arange(len(catalog.recommendations)) if include is None else catalog.rows_of(include)
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


def constant_criteria(catalog: Catalog, rows: np.ndarray, with_ranges: bool) -> list[Notice]:
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


def best_first(totals: np.ndarray) -> np.ndarray:
    """Argsort of each row of ``totals`` (samples x n), best first, with the ranking's tie-break.

    A plain float argsort gives the same order as the rounded keys wherever consecutive
    sorted totals are more than 1e-12 apart; only rows with a closer pair (rare unless scores
    are fixed) are re-sorted on the exact keys. This keeps the kernel near the bare floor.
    """
    order = np.argsort(-totals, axis=1)
    gaps = -np.diff(np.take_along_axis(totals, order, axis=1), axis=1)
    close = np.flatnonzero((gaps <= 2 * 10.0**-TIE_DECIMALS).any(axis=1))
    if len(close):
        order[close] = np.argsort(rank_keys(totals[close]), axis=1)
    return order


def rank_keys(totals: np.ndarray) -> np.ndarray:
    """Sort keys per row of ``totals`` (samples x n), smallest = best: the ranking's tie-break.

    Totals are compared after rounding to 12 decimals; ties go to the lower row (lower id),
    exactly as :func:`scoring.methods.rank_order` does for one ranking.
    """
    count = totals.shape[-1]
    quantized = np.rint(totals * 10**TIE_DECIMALS).astype(np.int64)
    return np.arange(count, dtype=np.int64) - quantized * count


def threshold_texts(*values: float) -> list[str]:
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


def ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"
