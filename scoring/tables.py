"""Tabular views of the catalog and of rankings, shared by the CLI, the app and briefs."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from scoring.methods import Ranking
from scoring.model import UNKNOWN, Catalog, Recommendation, WeightProfile
from scoring.scope import ROLE_LABELS, role_of

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "TIE_ORDER",
    "below_baseline",
    "document_date",
    "rank_label",
    "ranking_frame",
    "ranking_record",
    "recommendation_record",
    "recommendations_frame",
]


def document_date(catalog: Catalog, rec: Recommendation) -> str:
    """The date of ``rec``'s document as the text shows it, else ``unknown``."""
    if not rec.document:
        return catalog.assessed_as_of
    try:
        return catalog.document(rec.document).meta.date
    except KeyError:
        return UNKNOWN


def recommendation_record(rec: Recommendation, catalog: Catalog | None = None) -> dict[str, Any]:
    """A recommendation as plain data: identity, grounding, who acts and speaks, every score.

    With ``catalog``, also its role under the catalog's decision-maker and its document's date.
    """
    record: dict[str, Any] = {
        "id": rec.id,
        "document": rec.document,
        "title": rec.title,
        "summary": rec.summary,
        "quote": rec.quote,
        "start": rec.start,
        "end": rec.end,
        "kind": rec.kind,
        "actor": rec.actor,
        "addressees": list(rec.addressees) or [UNKNOWN],
        "voice": rec.voice,
        "voice_kind": rec.voice_kind,
        "instrument": rec.instrument,
        "baseline": rec.baseline,
        "overtaken": rec.overtaken,
        "sources": [
            {"document": s.document, "quote": s.quote, "span": list(s.span) if s.span else None}
            for s in rec.sources
        ],
    }
    if catalog is not None:
        record["role"] = role_of(rec, catalog.scope)
        record["document_date"] = document_date(catalog, rec)
    record["scores"] = {cid: score.model_dump() for cid, score in rec.scores.items()}
    return record


def recommendations_frame(catalog: Catalog) -> pd.DataFrame:
    import pandas as pd  # here: importing pandas takes a second the CLI's start need not pay

    """Every recommendation, ranked or context, one row each, scores flattened to
    ``<criterion>_<part>`` columns."""
    rows = []
    for rec in catalog.recommendations + catalog.context:
        record = recommendation_record(rec, catalog)
        record["addressees"] = ", ".join(record["addressees"])
        scores = record.pop("scores")
        for criterion_id in catalog.criterion_ids:
            for part, value in scores[criterion_id].items():
                record[f"{criterion_id}_{part}"] = value
        rows.append(record)
    return pd.DataFrame(rows)


TIE_ORDER = "alphabetical by title"


def ranking_frame(catalog: Catalog, ranking: Ranking) -> pd.DataFrame:
    """The ranking with titles, documents, best and weakest criterion for display.

    ``rank`` is the competition rank (ties share the best rank of their group, ``tied`` is
    the group's size); inside a tie rows are ordered :data:`TIE_ORDER`, never by id or
    document. ``position`` is the row's place in ``ranking``'s own arrays.
    """
    frame = ranking.to_frame()
    recs = [catalog.recommendation(rec_id) for rec_id in frame["id"]]
    frame.insert(2, "title", [rec.title for rec in recs])
    frame.insert(3, "document", [rec.document for rec in recs])
    frame["addressees"] = [", ".join(rec.addressees) or UNKNOWN for rec in recs]
    frame["voice"] = [rec.voice for rec in recs]
    frame["voice_kind"] = [rec.voice_kind for rec in recs]
    frame["role"] = [ROLE_LABELS[role_of(rec, catalog.scope)] for rec in recs]
    frame["below_baseline"] = below_baseline(catalog, ranking)
    frame["overtaken"] = [rec.overtaken for rec in recs]
    frame["document_date"] = [document_date(catalog, rec) for rec in recs]
    criteria = [catalog.criterion(cid) for cid in ranking.criterion_ids]
    # For a cost criterion the strength is a low value: say so, or "Relationship risk" reads
    # as if the risk were the recommendation's strong point.
    strong = [f"{c.name} (low)" if c.is_cost else c.name for c in criteria]
    weak = [f"{c.name} (high)" if c.is_cost else c.name for c in criteria]
    frame["strongest"] = [strong[i] for i in ranking.normalized.argmax(axis=1)]
    frame["weakest"] = [weak[i] for i in ranking.normalized.argmin(axis=1)]
    if (ranking.tie_sizes > 1).any():
        frame = frame.sort_values(["rank", "title"], kind="mergesort").reset_index(drop=True)
    return frame


def display_order(catalog: Catalog, ranking: Ranking) -> list[int]:
    """Rows of ``ranking`` in display order: by competition rank, inside a tie by title."""
    if not (ranking.tie_sizes > 1).any():
        return list(range(len(ranking)))
    ranks = ranking.competition_ranks.tolist()
    titles = [catalog.recommendation(rec_id).title for rec_id in ranking.ids.tolist()]
    return sorted(range(len(ranks)), key=lambda i: (ranks[i], titles[i]))


def display_ids(catalog: Catalog, ranking: Ranking) -> list[str]:
    """Recommendation ids in display order (see :func:`display_order`)."""
    ids = ranking.ids.tolist()
    return [ids[i] for i in display_order(catalog, ranking)]


def rank_label(rank: int, tied: int) -> str:
    """``3`` or, for a tie, ``3=`` (the tie's size is shown beside it by the caller)."""
    return f"{rank}=" if tied > 1 else str(rank)


def ranking_record(
    catalog: Catalog, ranking: Ranking, profile: WeightProfile, top: int | None = None
) -> dict[str, Any]:
    """The ranking as JSON-ready data: profile, normalised weights and each rank's detail."""
    frame = ranking_frame(catalog, ranking)
    if top is not None:
        frame = frame.head(top)
    return {
        "profile": {"id": profile.id, "name": profile.name},
        "method": ranking.method,
        "weights": ranking.weight_map,
        "tie_order": TIE_ORDER,
        "uncertainty": {} if ranking.uncertainty is None else ranking.uncertainty.settings(),
        "ranking": [
            {
                "rank": int(row["rank"]),
                "tied": int(row["tied"]),
                "id": row["id"],
                "title": row["title"],
                "document": row["document"],
                "score": float(row["score"]),
                "low": float(row["low"]),
                "high": float(row["high"]),
                "rank_p5": int(row["rank_p5"]),
                "rank_p95": int(row["rank_p95"]),
                "p_above_next": None
                if math.isnan(row["p_above_next"])
                else round(float(row["p_above_next"]), 4),
                "near_tie_with_next": bool(row["near_tie_with_next"]),
                "contributions": {cid: float(row[cid]) for cid in ranking.criterion_ids},
                "addressees": row["addressees"].split(", "),
                "voice": row["voice"],
                "voice_kind": row["voice_kind"],
                "role": row["role"],
                "below_baseline": bool(row["below_baseline"]),
                "overtaken": row["overtaken"],
                "document_date": row["document_date"],
            }
            for _, row in frame.iterrows()
        ],
        "decision_maker": catalog.scope,
        "context": [recommendation_record(rec, catalog) for rec in catalog.context],
    }


def below_baseline(catalog: Catalog, ranking: Ranking) -> list[bool]:
    """Per row of ``ranking``: True where the option scores below the status quo."""
    baseline = catalog.baseline
    ids = ranking.ids.tolist()
    if baseline is None or baseline.id not in ids:
        return [False] * len(ids)
    bar = round(float(ranking.totals[ids.index(baseline.id)]), 12)
    return [round(float(total), 12) < bar for total in ranking.totals]
