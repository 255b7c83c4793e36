"""The brief's robustness section, in plain sentences, from :mod:`scoring.robustness`.

Two questions a decision maker asks of a first choice: at what weight does first place change
(one-way sensitivity under the brief's method: exact for the weighted sum and PROMETHEE II,
found on a fine grid for TOPSIS), and how often is it first when the weights and scores vary
within what is plausible (SMAA-2)? Both are computed by the engine's public functions; this
module only selects and words their results. SMAA ranks each draw by the brief's method,
except PROMETHEE II on catalogs so large that its flows in every draw would keep the reader
waiting (:data:`SMAA_PROMETHEE_COMPARISONS`): there it ranks by weighted sum and the section
says so. SMAA is seeded with a fixed seed, so a brief rebuilt from its scenario
says the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scoring.methods import DEFAULT_METHOD, MethodSpec, method_spec
from scoring.model import Catalog
from scoring.robustness import (
    DEFAULT_SAMPLES,
    DEFAULT_SCORE_MODEL,
    DEFAULT_SEED,
    DEFAULT_WEIGHT_MODEL,
    constraints_from_profile,
    one_way_sensitivity,
    smaa,
)
from scoring.wording import likelihood_words, share_text, weight_text

__all__ = [
    "SMAA_SAMPLES",
    "SMAA_SEED",
    "AcceptabilityRow",
    "IntervalRow",
    "RobustnessSection",
    "robustness_section",
]

SMAA_SAMPLES = DEFAULT_SAMPLES
SMAA_SEED = DEFAULT_SEED  # fixed: the same brief always reports the same shares
SCORE_DRAWS = {
    "triangular": "from a triangular distribution peaking at the recorded value",
    "uniform": "uniformly",
    "fixed": "fixed at the recorded value,",
}
# PROMETHEE II on drawn scores sorts each criterion's values in every draw, about 100 ns a
# value (scoring.robustness.PROMETHEE_COMPARISONS): 90 recommendations x 8 criteria x 10,000
# draws, 7.2 million values, take under a second. Beyond this many values (about ten
# seconds; some 1,250 recommendations on 8 criteria) the brief's SMAA ranks by weighted sum
# and says so.
SMAA_PROMETHEE_COMPARISONS = 100_000_000
ACCEPTABILITY_ROWS = 5
# A tipping point closer than this to the current weight reads as "now" at two decimals.
TIPPING_VISIBLE = 0.005


@dataclass(frozen=True)
class IntervalRow:
    """For one criterion: its weight now and the range within which first place holds."""

    criterion: str
    weight: float
    low: float
    high: float
    taken_below_by: str  # title of who takes first place below ``low`` ("" if nobody)
    taken_above_by: str


@dataclass(frozen=True)
class AcceptabilityRow:
    title: str
    rank: int  # rank in the brief's ranking
    first: float  # share of SMAA draws in which it ranks first
    top3: float
    expected_rank: float


@dataclass(frozen=True)
class RobustnessSection:
    summary: tuple[str, ...]
    intervals: tuple[IntervalRow, ...]
    acceptability: tuple[AcceptabilityRow, ...]
    notes: tuple[str, ...]
    settings: str
    first_share: float  # the brief's first choice: share of draws in which it is first
    smaa_method: str = DEFAULT_METHOD  # the method SMAA ranked each draw by
    smaa_note: str = ""  # why SMAA ranked by another method than the brief ("" when it did not)
    # Every option's SMAA shares: (id, share of draws first, share in the first three).
    shares: tuple[tuple[str, float, float], ...] = ()

    def share_of(self, rec_id: str) -> tuple[float, float] | None:
        """(first, top three) shares of draws for one option, or None if SMAA left it out."""
        return next(((a, b) for i, a, b in self.shares if i == rec_id), None)

    def intervals_table(self) -> tuple[list[str], list[list[str]]]:
        header = [
            "Criterion",
            "Weight now",
            "First place holds",
            "Below, first goes to",
            "Above, first goes to",
        ]
        rows = [
            [
                row.criterion,
                weight_text(row.weight),
                "only at this weight (a tie)"
                if row.high - row.low <= 1e-9
                else f"{weight_text(row.low)}–{weight_text(row.high)}",
                row.taken_below_by or "—",
                row.taken_above_by or "—",
            ]
            for row in self.intervals
        ]
        return header, rows

    def acceptability_table(self) -> tuple[list[str], list[list[str]]]:
        header = ["Recommendation", "Rank here", "First", "Top three", "Expected rank"]
        rows = [
            [
                row.title,
                str(row.rank),
                share_text(row.first),
                share_text(row.top3),
                f"{row.expected_rank:.1f}" if np.isfinite(row.expected_rank) else "—",
            ]
            for row in self.acceptability
        ]
        return header, rows


def robustness_section(
    catalog: Catalog,
    weights: dict[str, float],
    profile_name: str,
    include: Sequence[str] | None,
    positions: dict[str, int],
    method: str | MethodSpec = DEFAULT_METHOD,
) -> RobustnessSection:
    """Sensitivity of first place to each weight and SMAA acceptability, worded.

    ``catalog`` carries the scores ranked (user edits applied), ``weights`` the first
    profile's weights, ``positions`` each recommendation's rank in the brief, ``method``
    the brief's aggregation method (a name from ``scoring.methods.METHODS``, default
    settings, or a method object with its settings, which both analyses then use).
    """
    spec = method_spec(method)
    method = spec.name
    titles = {rec.id: rec.title for rec in catalog.recommendations}
    sensitivity = one_way_sensitivity(
        catalog, weights, spec, include=include, top=1, source=f"profile {profile_name}"
    )
    first_id, first_title = sensitivity.ids[0], sensitivity.titles[0]
    intervals = tuple(
        IntervalRow(
            criterion=interval.name,
            weight=interval.weight,
            low=interval.low,
            high=interval.high,
            taken_below_by=titles.get(interval.below or "", ""),
            taken_above_by=titles.get(interval.above or "", ""),
        )
        for interval in sensitivity.intervals
    )
    constraints = constraints_from_profile(weights, catalog.criterion_ids, DEFAULT_WEIGHT_MODEL)
    smaa_method, smaa_note = _smaa_method(method, catalog, include)
    result = smaa(
        catalog,
        constraints,
        scores=DEFAULT_SCORE_MODEL,
        samples=SMAA_SAMPLES,
        seed=SMAA_SEED,
        include=include,
        confidence=False,  # the brief shows no confidence factors; they double the draws
        source=f"profile {profile_name}",
        method=spec if smaa_method == method else smaa_method,
    )
    expected = result.expected_rank
    top3 = result.cumulative(3)
    rows = [
        AcceptabilityRow(
            title=result.titles[i],
            rank=positions[result.ids[i]],
            first=float(result.acceptability[i, 0]),
            top3=float(top3[i]),
            expected_rank=float(expected[i]),
        )
        for i in range(min(ACCEPTABILITY_ROWS, len(result.ids)))
    ]
    index = result.ids.index(first_id)
    share = float(result.acceptability[index, 0])
    if first_id not in result.ids[:ACCEPTABILITY_ROWS]:
        rows.append(
            AcceptabilityRow(
                title=first_title,
                rank=1,
                first=share,
                top3=float(top3[index]),
                expected_rank=float(expected[index]),
            )
        )
    leader = result.titles[0]
    summary = [sensitivity.changes[0].sentence]
    narrow = _narrowest(intervals)
    if narrow is not None:
        summary.append(narrow)
    summary.append(
        f"Across {SMAA_SAMPLES:,} weightings that keep the {profile_name} order of importance, "
        f"with every score drawn within its range, {first_title} is first in {share_text(share)} "
        f"of draws ({likelihood_words(share)})."
    )
    if smaa_method != method:
        summary.append(
            f"SMAA here ranks by weighted sum, not by {method_spec(method).display_name} "
            f"({smaa_note}): its shares say how firm first place is under the weighted-sum "
            "value model."
        )
    if result.ids[0] != first_id:
        summary.append(
            f"The most often first is {leader}, in "
            f"{share_text(float(result.acceptability[0, 0]))} of draws "
            f"({likelihood_words(float(result.acceptability[0, 0]))})."
        )
    notes = tuple(
        dict.fromkeys(notice.message for notice in (*sensitivity.notices, *result.notices))
    )
    # A weighted-sum brief leaves the method unsaid, as it always has; any other says it.
    ranked_by = (
        ""
        if smaa_method == method == DEFAULT_METHOD
        else f"; each draw ranked by {method_spec(smaa_method).inline_name}"
    )
    settings = (
        f"One-way sensitivity: each weight swept from 0 to 1, the others keeping their "
        f"proportions ({method_spec(method).sensitivity_note}). SMAA-2: {result.samples:,} "
        f"draws, seed {result.seed}; weights {result.constraints}; scores drawn "
        f"{SCORE_DRAWS[DEFAULT_SCORE_MODEL]} within their "
        f"ranges{ranked_by}."
    )
    return RobustnessSection(
        summary=tuple(summary),
        intervals=intervals,
        acceptability=tuple(rows),
        notes=notes,
        settings=settings,
        first_share=share,
        smaa_method=smaa_method,
        smaa_note=smaa_note,
        shares=tuple(
            (rec_id, float(result.acceptability[i, 0]), float(top3[i]))
            for i, rec_id in enumerate(result.ids)
        ),
    )


def _smaa_method(method: str, catalog: Catalog, include: Sequence[str] | None) -> tuple[str, str]:
    """The method SMAA ranks by, and why when it is not the brief's ``method``."""
    if not method_spec(method).sorts_per_draw:
        return method, ""
    count = len(catalog.recommendations) if include is None else len(include)
    values = count * len(catalog.criteria) * SMAA_SAMPLES
    if values <= SMAA_PROMETHEE_COMPARISONS:
        return method, ""
    return DEFAULT_METHOD, (
        f"recomputing the flows of the {count:,} recommendations in each of "
        f"{SMAA_SAMPLES:,} draws would take too long for a brief"
    )


def _narrowest(intervals: Sequence[IntervalRow]) -> str | None:
    """The weight closest to a boundary of first place, as a sentence.

    None when first place changes at the slightest move of some weight (an exact tie or a
    boundary within rounding of the current weight): the sensitivity sentence says so.
    """
    candidates = []
    for row in intervals:
        if row.high - row.low <= 1e-9:
            continue
        if row.low > 0:
            candidates.append(
                (row.weight - row.low, f"falls below {weight_text(row.low)}", row, "below")
            )
        if row.high < 1:
            candidates.append(
                (row.high - row.weight, f"rises above {weight_text(row.high)}", row, "above")
            )
    if not candidates:
        return "No single weight, moved alone, changes first place."
    margin, change, row, side = min(candidates, key=lambda item: item[0])
    if margin < TIPPING_VISIBLE:
        return None  # first place already changes at the slightest move of some weight
    taker = row.taken_below_by if side == "below" else row.taken_above_by
    return (
        f"Closest tipping point: first place changes if the {row.criterion} weight {change} "
        f"(now {weight_text(row.weight)})" + (f", to {taker}." if taker else ".")
    )
