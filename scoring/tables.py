"""Tabular views of the catalog and of rankings, shared by the CLI, the app and briefs."""

from __future__ import annotations

from typing import Any

import pandas as pd

from scoring.methods import Ranking
from scoring.model import Catalog, Recommendation, WeightProfile

__all__ = ["ranking_frame", "ranking_record", "recommendation_record", "recommendations_frame"]


def recommendation_record(rec: Recommendation) -> dict[str, Any]:
    """A recommendation as plain data: identity, grounding, classification and every score."""
    return {
        "id": rec.id,
        "document": rec.document,
        "title": rec.title,
        "summary": rec.summary,
        "quote": rec.quote,
        "start": rec.start,
        "end": rec.end,
        "kind": rec.kind,
        "actor": rec.actor,
        "voice": rec.voice,
        "instrument": rec.instrument,
        "scores": {criterion_id: score.model_dump() for criterion_id, score in rec.scores.items()},
    }


def recommendations_frame(catalog: Catalog) -> pd.DataFrame:
    """Every recommendation, one row each, scores flattened to ``<criterion>_<part>`` columns."""
    rows = []
    for rec in catalog.recommendations:
        record = recommendation_record(rec)
        scores = record.pop("scores")
        for criterion_id in catalog.criterion_ids:
            for part, value in scores[criterion_id].items():
                record[f"{criterion_id}_{part}"] = value
        rows.append(record)
    return pd.DataFrame(rows)


def ranking_frame(catalog: Catalog, ranking: Ranking) -> pd.DataFrame:
    """The ranking with titles, documents, best and weakest criterion for display."""
    frame = ranking.to_frame()
    recs = [catalog.recommendation(rec_id) for rec_id in frame["id"]]
    frame.insert(2, "title", [rec.title for rec in recs])
    frame.insert(3, "document", [rec.document for rec in recs])
    criteria = [catalog.criterion(cid) for cid in ranking.criterion_ids]
    # For a cost criterion the strength is a low value: say so, or "Relationship risk" reads
    # as if the risk were the recommendation's strong point.
    strong = [f"{c.name} (low)" if c.is_cost else c.name for c in criteria]
    weak = [f"{c.name} (high)" if c.is_cost else c.name for c in criteria]
    frame["strongest"] = [strong[i] for i in ranking.normalized.argmax(axis=1)]
    frame["weakest"] = [weak[i] for i in ranking.normalized.argmin(axis=1)]
    return frame


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
        "ranking": [
            {
                "rank": int(row["rank"]),
                "id": row["id"],
                "title": row["title"],
                "document": row["document"],
                "score": float(row["score"]),
                "low": float(row["low"]),
                "high": float(row["high"]),
                "rank_range": [int(row["best_rank"]), int(row["worst_rank"])],
                "near_tie_with_next": bool(row["near_tie_with_next"]),
                "contributions": {cid: float(row[cid]) for cid in ranking.criterion_ids},
            }
            for _, row in frame.iterrows()
        ],
    }
