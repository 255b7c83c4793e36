"""Catalogs built from a bare score matrix, for property tests, benchmarks and what-ifs.

They carry no documents: quotes and rationales are placeholders, so they never stand in
for the grounded catalog in anything a user reads.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scoring.model import SCALE_MAX, SCALE_MIN, Catalog, Criterion, Recommendation, Score

__all__ = ["catalog_from_matrix"]


def catalog_from_matrix(
    values: np.ndarray, cost: Sequence[bool] | None = None, spread: int = 0
) -> Catalog:
    """A catalog whose scores are ``values`` (recommendations x criteria, 1-5).

    Criteria are ``c0, c1, ...`` (``cost[j]`` marks cost criteria), recommendations ``r000,
    r001, ...`` in row order; each score's range is ``value +- spread`` clipped to the scale.
    Scores are built without re-validation: the matrix must already be on the scale.
    """
    values = np.asarray(values)
    n, m = values.shape
    cost = [False] * m if cost is None else list(cost)
    width = max(3, len(str(n - 1)))
    criteria = tuple(
        Criterion(
            id=f"c{j}",
            name=f"Criterion {j}",
            question="?",
            definition="Synthetic.",
            direction="cost" if cost[j] else "benefit",
            scale={level: f"level {level}" for level in range(SCALE_MIN, SCALE_MAX + 1)},
        )
        for j in range(m)
    )
    recommendations = tuple(
        Recommendation(
            id=f"r{i:0{width}d}",
            title=f"Recommendation {i}",
            summary="Synthetic.",
            quote="Synthetic.",
            actor="unknown",
            instrument="synthetic",
            kind="explicit",
            scores={
                f"c{j}": Score.model_construct(
                    value=float(v),
                    low=float(max(SCALE_MIN, v - spread)),
                    high=float(min(SCALE_MAX, v + spread)),
                    rationale=f"synthetic r{i} c{j}",
                )
                for j, v in enumerate(row)
            },
        )
        for i, row in enumerate(values)
    )
    return Catalog.build(criteria, {"synthetic": "Synthetic"}, (), recommendations, {}, "none")
