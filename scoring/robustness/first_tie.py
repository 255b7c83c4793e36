"""A tie for first place, said plainly: who ties, who is first most often, what would break it.

A front must not recommend one member of a tie. :func:`first_place_tie` gives what every
front says instead: "No single option stands out: these N tie; X is first most often (p%);
if you weigh <criterion> more, Y leads". The last clause is not a guess: the engine re-ranks
with that criterion's weight raised by :data:`TIE_BREAK_STEP` (the others rescaled in
proportion, as the sensitivity sweep does) and names who is then first, alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from scoring.methods import Ranking, rank_by
from scoring.model import Catalog
from scoring.robustness.rank_uncertainty import ranking_method, with_uncertainty
from scoring.tables import TIE_ORDER, display_ids

__all__ = ["TIE_BREAK_STEP", "FirstPlaceTie", "first_place_tie", "raised_weights"]

# "Weigh A more": A's share of the total weight up by five points (0.12 -> 0.17), the others
# rescaled in proportion. Small enough to be a nudge, large enough to clear the tie precision.
TIE_BREAK_STEP = 0.05


@dataclass(frozen=True)
class FirstPlaceTie:
    """Several options tied for first: members (display order), who is first most often
    over the rank-uncertainty draws, and a criterion whose extra weight makes one lead."""

    ids: tuple[str, ...]
    titles: tuple[str, ...]
    score: float
    often_title: str
    often_share: float
    draws_text: str  # which draws the share counts, e.g. "500 draws"
    lever_id: str | None = None
    lever_name: str | None = None
    lever_from: float = float("nan")
    lever_to: float = float("nan")
    leader_id: str | None = None
    leader_title: str | None = None

    @property
    def size(self) -> int:
        return len(self.ids)

    def sentence(self) -> str:
        """The one sentence every front shows (plain text)."""
        text = (
            f"No single option stands out: these {self.size} tie for first "
            f"(listed {TIE_ORDER}, not by merit); {self.often_title} is first most often "
            f"({self.often_share:.0%} of {self.draws_text})"
        )
        if self.lever_name is not None:
            text += (
                f"; if you weigh {self.lever_name} more (from {self.lever_from:.2f} to "
                f"{self.lever_to:.2f}), {self.leader_title} leads"
            )
        return text + "."


def raised_weights(weights: np.ndarray, index: int, step: float) -> np.ndarray:
    """``weights`` (summing to 1) with weight ``index`` up by ``step``, the others rescaled."""
    target = min(1.0, float(weights[index]) + step)
    rest = 1.0 - float(weights[index])
    if rest <= 0:
        return weights.copy()
    raised = weights * ((1.0 - target) / rest)
    raised[index] = target
    return raised


def first_place_tie(
    catalog: Catalog,
    ranking: Ranking,
    step: float = TIE_BREAK_STEP,
    first_shares: Mapping[str, float] | None = None,
    draws_text: str | None = None,
) -> FirstPlaceTie | None:
    """The tie for first in ``ranking``, or None when one option is first alone.

    "First most often" counts the ranking's rank-uncertainty draws, or ``first_shares`` (id
    -> share of draws ranking it first, e.g. a brief's SMAA acceptability, so the brief tells
    one story) with ``draws_text`` naming those draws.
    """
    if len(ranking) < 2 or int(ranking.tie_sizes[0]) < 2:
        return None
    size = int(ranking.tie_sizes[0])
    row_of = {str(rec_id): i for i, rec_id in enumerate(ranking.ids[:size].tolist())}
    ordered = [rec_id for rec_id in display_ids(catalog, ranking) if rec_id in row_of]
    if first_shares is None:
        if ranking.uncertainty is None:
            ranking = with_uncertainty(catalog, ranking)
        assert ranking.uncertainty is not None
        drawn = ranking.uncertainty.first_share
        first_shares = {rec_id: float(drawn[row]) for rec_id, row in row_of.items()}
        draws_text = f"{ranking.uncertainty.draws:,} draws"
    shares = {rec_id: float(first_shares.get(rec_id, 0.0)) for rec_id in ordered}
    # Most often first over the draws; equal shares go to the first listed (display order).
    often = max(ordered, key=lambda rec_id: (shares[rec_id], -ordered.index(rec_id)))
    title = {rec_id: catalog.recommendation(rec_id).title for rec_id in ordered}
    tie = FirstPlaceTie(
        ids=tuple(ordered),
        titles=tuple(title[rec_id] for rec_id in ordered),
        score=float(ranking.totals[0]),
        often_title=title[often],
        often_share=shares[often],
        draws_text=draws_text or "draws",
    )
    lever = tie_breaker(catalog, ranking, step)
    if lever is None:
        return tie
    index, leader = lever
    criterion = catalog.criteria[index]
    return replace(
        tie,
        lever_id=criterion.id,
        lever_name=criterion.name,
        lever_from=float(ranking.weights[index]),
        lever_to=float(raised_weights(ranking.weights, index, step)[index]),
        leader_id=leader,
        leader_title=catalog.recommendation(leader).title,
    )


def tie_breaker(catalog: Catalog, ranking: Ranking, step: float) -> tuple[int, str] | None:
    """The criterion (index) whose weight raised by ``step`` puts one option first alone,
    with that option's id, by an actual re-rank; the widest lead wins, then criterion order."""
    method = ranking_method(ranking)
    include = ranking.ids.tolist()
    best: tuple[float, int, str] | None = None
    for index, cid in enumerate(ranking.criterion_ids):
        if ranking.weights[index] + step > 1.0 + 1e-12:
            continue
        raised = raised_weights(ranking.weights, index, step)
        weights = dict(zip(ranking.criterion_ids, raised.tolist(), strict=True))
        rerank = rank_by(catalog, weights, method, include, source=f"tie-break {cid}")
        if len(rerank) < 2 or int(rerank.tie_sizes[0]) > 1:
            continue
        lead = float(rerank.totals[0] - rerank.totals[1])
        if best is None or lead > best[0]:
            best = (lead, index, str(rerank.ids[0]))
    return None if best is None else (best[1], best[2])
