"""TOPSIS: closeness to the ideal point against the anti-ideal one (Hwang and Yoon 1981).

TOPSIS works on the same fixed-end normalised scores as the weighted sum, weighted. Its ideal
and anti-ideal points are, by default, the scale ends (``anchors="scale"``: every criterion at
its best level, and at its worst), so like the weighted sum it has no rank reversal; with
``anchors="observed"`` they are the best and worst weighted values in the catalog, the
textbook form. The score is the relative closeness ``D- / (D- + D+)`` in 0..1. Equal to
pymcdm's results on the same inputs (tested).

Intervals: each recommendation's closeness when its own scores move to the worst or best end
of their ranges while every other recommendation keeps its values (with scale anchors the
others do not matter at all, so this is the weighted sum's definition).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

import numpy as np

from scoring.methods.base import NORMALISED_WORDS, RANK_RANGE_WORDS, Kernel, MethodBase, Setting
from scoring.methods.ranking import Ranking, assemble_ranking
from scoring.model import Catalog

__all__ = ["Topsis", "topsis_closeness"]

_ANCHORS = Setting(
    name="anchors",
    default="scale",
    help="TOPSIS ideal points",
    state_key="topsis_anchors",
    choices=("scale", "observed"),
    label="TOPSIS ideal points",
    labels={
        "scale": "Scale ends (best and worst level; no rank reversal)",
        "observed": "Observed extremes (the textbook form)",
    },
    widget="radio",
    hint="use the scale ends (default) or the observed extremes",
)


@dataclass(frozen=True)
class Topsis(MethodBase):
    """TOPSIS; ``anchors`` picks the ideal points: the scale ends or the observed extremes."""

    anchors: Literal["scale", "observed"] = "scale"

    name: ClassVar[str] = "topsis"
    display_name: ClassVar[str] = "TOPSIS"
    inline_name: ClassVar[str] = "TOPSIS"
    score_name: ClassVar[str] = "Closeness"
    additive: ClassVar[bool] = False
    linear_in_weights: ClassVar[bool] = False
    description: ClassVar[str] = "TOPSIS, closeness to the ideal point"
    summary: ClassVar[str] = (
        "closeness to the ideal (every criterion at its best) against the anti-ideal (every "
        "criterion at its worst), 0–1."
    )
    explanation: ClassVar[str] = (
        "**TOPSIS** ranks by closeness to an ideal point and distance from an anti-ideal "
        "one, on the same normalised scores as the weighted sum."
    )
    axis_title: ClassVar[str] = "TOPSIS closeness to the ideal (0–1)"
    axis_short: ClassVar[str] = "TOPSIS closeness"
    chart_caption: ClassVar[str] = (
        "A TOPSIS closeness is not a sum over criteria, so each bar is the closeness "
        "itself; the per-criterion scores are in the detail below. "
    )
    sensitivity_note: ClassVar[str] = (
        "for TOPSIS, tipping points found on a 401-point grid refined by bisection"
    )

    @classmethod
    def settings_schema(cls) -> tuple[Setting, ...]:
        return (_ANCHORS,)

    def prepare(self, catalog: Catalog, rows: np.ndarray) -> Kernel:
        return _TopsisKernel(catalog.normalized[rows], self.anchors)

    def rank(self, catalog: Catalog, weights: np.ndarray, rows: np.ndarray) -> Ranking:
        normalized = catalog.normalized[rows]
        worst, best = catalog.worst_normalized[rows], catalog.best_normalized[rows]
        totals = topsis_closeness(normalized, weights, self.anchors)
        if self.anchors == "scale":
            low = topsis_closeness(worst, weights, "scale")
            high = topsis_closeness(best, weights, "scale")
        else:
            low = _topsis_replacing_own(normalized, worst, weights)
            high = _topsis_replacing_own(normalized, best, weights)
        return assemble_ranking(catalog, weights, rows, totals, low, high, catalog.normalized, self)

    def settings_text(self) -> str:
        return "ideal points at the " + (
            "scale ends" if self.anchors == "scale" else "observed extremes"
        )

    def caption(self) -> str:
        anchors = "the scale ends" if self.anchors == "scale" else "the observed extremes"
        return (
            f"TOPSIS: closeness to the ideal against the anti-ideal point, both at {anchors}, 0–1."
        )

    def paragraphs(self) -> tuple[str, ...]:
        if self.anchors == "scale":
            anchors = (
                "The ideal point is every criterion at the best end of its scale and the "
                "anti-ideal every criterion at the worst end (the scale's anchors, not the best "
                "and worst in the catalog), so one recommendation's closeness does not depend on "
                "which others are ranked."
            )
            interval = (
                "The range beside each closeness is the closeness when every score moves to the "
                "worst or to the best end of its evidence range"
            )
        else:
            anchors = (
                "The ideal point is the best weighted value observed on each criterion and the "
                "anti-ideal the worst observed (the textbook form), so adding or removing a "
                "recommendation can change the others' closeness."
            )
            interval = (
                "The range beside each closeness is the closeness when that recommendation's "
                "scores move to the worst or to the best end of their evidence ranges while the "
                "others keep theirs"
            )
        return (
            f"Method: {self.description} (Hwang and Yoon). {NORMALISED_WORDS}, and "
            "multiplied by its criterion's weight (weights sum to 1). "
            f"{anchors} With D+ the straight-line (Euclidean) distance of a recommendation's "
            "weighted scores from the ideal point and D− from the anti-ideal, its closeness is "
            "D− / (D− + D+): 0 at the anti-ideal, 1 at the ideal.",
            "The per-criterion figures (the coloured parts of the chart's tracks) are the "
            "weighted normalised scores from which those distances are measured; they do not "
            "add up to the closeness.",
            f"{interval}; {RANK_RANGE_WORDS} Equal closeness values "
            'share a rank ("2="), listed alphabetically by title, not by merit.',
        )


class _TopsisKernel(Kernel):
    """TOPSIS batched: squared distances to the ideal points are linear in the squared
    weights, ``d+^2 = far @ w^2`` and ``d-^2 = near @ w^2`` (weights are >= 0, so the
    weighted ideal points are the weights times unweighted ones); the closeness is
    ``d- / (d+ + d-)``."""

    weight = 4  # the draws, two distance matrices and a temporary

    def __init__(self, matrix: np.ndarray, anchors: str) -> None:
        super().__init__(matrix)
        self.anchors = anchors

    def scores(self, normalized: np.ndarray, weights: np.ndarray) -> np.ndarray:
        return topsis_closeness(normalized, weights, self.anchors)  # type: ignore[arg-type]

    def parts(self, normalized: np.ndarray) -> tuple[np.ndarray, ...]:
        if self.anchors == "scale":  # ideal: every criterion at 1; anti-ideal: at 0
            return (1.0 - normalized) ** 2, normalized**2
        ideal = normalized.max(axis=-2, keepdims=True)
        anti = normalized.min(axis=-2, keepdims=True)
        return (ideal - normalized) ** 2, (normalized - anti) ** 2

    def factors(self, weights: np.ndarray) -> np.ndarray:
        return weights**2

    def combine(self, products: list[np.ndarray]) -> np.ndarray:
        d_plus, d_minus = np.sqrt(products[0]), np.sqrt(products[1])
        spread = d_plus + d_minus
        with np.errstate(invalid="ignore", divide="ignore"):  # every row at both ideals: 0.5
            return np.where(spread > 0, d_minus / np.where(spread > 0, spread, 1.0), 0.5)


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
