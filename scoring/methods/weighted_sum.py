"""The weighted sum: the standard additive value model on fixed-end normalised scores."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from scoring.methods.base import NORMALISED_WORDS, RANK_RANGE_WORDS, Kernel, MethodBase
from scoring.methods.ranking import Ranking, rank_normalized
from scoring.model import Catalog

__all__ = ["WeightedSum"]


@dataclass(frozen=True)
class WeightedSum(MethodBase):
    """The standard additive value model on fixed-end normalised scores (no settings)."""

    name: ClassVar[str] = "weighted_sum"
    display_name: ClassVar[str] = "Weighted sum"
    inline_name: ClassVar[str] = "weighted sum"
    score_name: ClassVar[str] = "Score"
    description: ClassVar[str] = "weighted sum of normalised scores"
    summary: ClassVar[str] = (
        "each 1–5 score mapped to 0–1 on the scale ends, times its weight, added up (0–1)."
    )
    axis_title: ClassVar[str] = "Weighted score (0 = worst on every criterion, 1 = best)"
    axis_short: ClassVar[str] = "Weighted score"
    chart_caption: ClassVar[str] = (
        "Each bar is split by criterion: a segment's length is that criterion's weighted share "
        "of the score. "
    )
    sensitivity_note: ClassVar[str] = "exact for the weighted sum"

    def prepare(self, catalog: Catalog, rows: np.ndarray) -> Kernel:
        return Kernel(catalog.normalized[rows])

    def rank(self, catalog: Catalog, weights: np.ndarray, rows: np.ndarray) -> Ranking:
        return rank_normalized(catalog, weights, rows)

    def caption(self) -> str:
        return "weighted sum on the fixed 1–5 scale ends."

    def paragraphs(self) -> tuple[str, ...]:
        return (
            f"Method: {self.description}. {NORMALISED_WORDS}, and multiplied by "
            "its criterion's weight; weights sum to 1, so totals run from 0 (worst on "
            "everything) to 1.",
            "The range beside each total is the total when every score moves to the worst or "
            f"to the best end of its evidence range; {RANK_RANGE_WORDS} Equal totals share a "
            'rank ("2="), listed alphabetically by title, not by merit.',
        )
